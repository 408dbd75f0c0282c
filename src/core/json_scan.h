/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A reader of JSON text in place, for the pure core (which links no JSON
 * library: the same code runs in iovbench-guest): walk an object's
 * members, find a member by name, read a number. Values are spans of
 * the text; nothing is copied or allocated. Untrusted input: every
 * function stays inside [p, end), nesting is bounded, and a malformed
 * document is an error, never a crash (fuzzed through its callers).
 */
#ifndef IOV_CORE_JSON_SCAN_H
#define IOV_CORE_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/* deeper documents are refused */
#define JSON_SCAN_DEPTH 32

struct json_span {
	const char *p, *end; /* one value, from its first byte */
};

/* The document's top value (leading and trailing white space allowed). */
int json_scan_root(const char *text, size_t len, struct json_span *v);
/* Is v an object, a number, ...? (By its first byte.) */
bool json_scan_is_object(const struct json_span *v);
/*
 * Members of object obj in order: *pos from NULL; 1 with the key (its
 * raw bytes between the quotes, at most klen - 1, NUL-terminated) and
 * the value, 0 at the end, -1 if malformed.
 */
int json_scan_next(const struct json_span *obj, const char **pos, char *key,
		   size_t klen, struct json_span *val);
/* The member named key of object obj: 0, or -1 (absent or malformed). */
int json_scan_get(const struct json_span *obj, const char *key,
		  struct json_span *val);
/* A number (finite): 0, or -1. */
int json_scan_number(const struct json_span *v, double *out);
/* get + number: 0, or -1. */
int json_scan_get_number(const struct json_span *obj, const char *key,
			 double *out);

#endif
