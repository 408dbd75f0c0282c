/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The schema of a campaign file: which keys each mapping may hold, their
 * types, ranges, defaults and documentation, as tables (config_schema.c).
 * Private to core/config*.c: config.c walks a YAML document with them,
 * the rest of the program sees only struct campaign (core/config.h).
 */
#ifndef IOV_CORE_CONFIG_SCHEMA_H
#define IOV_CORE_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"

enum vtype {
	V_NAME,	   /* char *: [A-Za-z0-9._-]{1,64} */
	V_PREFIX,  /* char *: [a-z][a-z0-9]{0,5}, the name prefix */
	V_PATH,	   /* char * */
	V_INT,	   /* int64_t in min..max, SI suffixes allowed */
	V_BOOL,	   /* bool: true | false */
	V_DURATION, /* int64_t nanoseconds in min..max */
	V_SUBNET,  /* struct subnet inside 198.18.0.0/15 */
	V_CPULIST, /* uint64_t mask */
	V_TESTBED, /* int: enum testbed_kind */
	V_ACCEL,   /* int: enum accel_mode */
	V_IFNAME,  /* char *: a network interface name */
	V_SSH_DEST, /* char *: an OpenSSH destination, [user@]host[:port] */
	V_STRING,  /* char *: any text, empty allowed */
	V_SECTION, /* a nested mapping described by .section */
	/* struct named_strings: a mapping NAME: "prop=value,...", the
	 * names V_NAME's, the values QEMU device properties */
	V_DEVICE_PROPS,
};

struct section;

struct key {
	const char *name;
	enum vtype type;
	size_t off; /* of the value in the section's struct */
	int64_t min, max;
	const char *def; /* NULL: required (or a section) */
	const char *doc;
	const struct section *section; /* V_SECTION */
};

struct section {
	const char *name; /* for messages: "testbed", "guests.main" */
	const struct key *keys;
	size_t nkeys;
	size_t off; /* of the section's struct in struct campaign */
};

/* The top level of a campaign; "matrix" is walked by config.c. */
extern const struct section config_schema_top;

/* Is s 1..max letters, digits, '.', '_' or '-' (the V_NAME type)? */
int config_schema_valid_name(const char *s, size_t max);
/*
 * Parse text as k's type into dst. On error, returns -1 with why set.
 * Used for defaults too, so a default that does not parse fails the tests.
 */
int config_schema_parse(const struct key *k, const char *text, void *dst,
			char *why, size_t len);
/* Set every key of s (and its subsections) that has a default. */
void config_schema_defaults(const struct section *s, struct campaign *c);
/* Free what s's keys hold: one table, so a new key cannot leak. */
void config_schema_release(const struct section *s, struct campaign *c);

#endif
