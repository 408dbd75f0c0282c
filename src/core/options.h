/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command-line options declared once. A command lists its options in a
 * table of OPT_*() entries (git's parse-options, xdp-tools' option
 * tables): options_parse() parses argv with it, applies the defaults the
 * entries give, and options_help() writes the option list of --help, so
 * an option is named, parsed, defaulted and documented in one place.
 *
 * What argv may hold is getopt_long's: "-c 10", "-c10", bundled flags
 * "-Bq", "--count 10", "--count=10", a long option abbreviated to any
 * unambiguous prefix ("--dry" for "--dry-run"), "--" to end the options,
 * and options mixed with the arguments (unless OPTIONS_STOP_AT_ARG).
 *
 * Pure but for the messages, printed with error() (util/error.h).
 */
#ifndef IOV_CORE_OPTIONS_H
#define IOV_CORE_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

enum option_type {
	OPTION_END,
	OPTION_FLAG,	 /* no value: stores .set in an integer (or bool);
			  * with .cb, calls it (arg NULL) instead */
	OPTION_STRING,	 /* const char *: the argument as given */
	OPTION_INT,	 /* an integer in min..max; k/M/G allowed (10k) */
	OPTION_DURATION, /* int64_t nanoseconds: 500ms, 2s, 250us */
	OPTION_CALLBACK, /* .cb parses the argument and stores it */
};

enum option_flags {
	OPTION_REQUIRED = 1u << 0, /* the command line must give it */
};

struct option_spec;
/*
 * Parse arg for o and store it at o->value (options_store() helps for
 * integers). Returns 0, or -1 after a message that names the option
 * (options_name()).
 */
typedef int option_cb(const struct option_spec *o, const char *arg);

struct option_spec {
	enum option_type type;
	int short_name;	       /* 'c' for -c; 0 for none */
	const char *long_name; /* "count" for --count; NULL for none */
	void *value;	       /* where the value goes */
	size_t size;	       /* sizeof(*value), for integer values */
	const char *argh;      /* the value's name in --help: "N", "RATE" */
	const char *help;      /* one sentence; --help wraps it */
	/*
	 * The default, as it would be typed: parsed into *value before
	 * argv is, and shown in --help. NULL: *value keeps what the
	 * caller put there.
	 */
	const char *def;
	int64_t min, max; /* OPTION_INT */
	int64_t set;	  /* OPTION_FLAG: the value stored */
	option_cb *cb;	  /* OPTION_CALLBACK */
	intptr_t data;	  /* for cb: e.g. which factor */
	unsigned flags;	  /* enum option_flags */
};

/*
 * Entries. s: the short name or 0; l: the long name or NULL; v: a
 * pointer to the value; a: the value's name in --help; h: the help.
 * Trailing designated initializers add to an entry: .def = "7",
 * .flags = OPTION_REQUIRED.
 */
#define OPT_END() {.type = OPTION_END}
#define OPT_FLAG(s, l, v, h, ...)                                            \
	{.type = OPTION_FLAG, .short_name = (s), .long_name = (l),          \
	 .value = (v), .size = sizeof(*(v)), .help = (h), .set = 1,         \
	 __VA_ARGS__}
/* A flag that stores val: --csv sets a format variable to FORMAT_CSV. */
#define OPT_SET(s, l, v, val, h)                                             \
	{.type = OPTION_FLAG, .short_name = (s), .long_name = (l),          \
	 .value = (v), .size = sizeof(*(v)), .help = (h), .set = (val)}
/* v must be a const char **: the conditional makes the compiler check. */
#define OPT_STRING(s, l, v, a, h, ...)                                       \
	{.type = OPTION_STRING, .short_name = (s), .long_name = (l),        \
	 .value = (1 ? (v) : (const char **)NULL), .argh = (a), .help = (h), \
	 __VA_ARGS__}
#define OPT_INT(s, l, v, a, lo, hi, h, ...)                                  \
	{.type = OPTION_INT, .short_name = (s), .long_name = (l),           \
	 .value = (v), .size = sizeof(*(v)), .argh = (a), .help = (h),      \
	 .min = (lo), .max = (hi), __VA_ARGS__}
#define OPT_PORT(s, l, v, h, ...)                                            \
	OPT_INT(s, l, v, "PORT", 1, 65535, h, __VA_ARGS__)
/* v must be an int64_t *. */
#define OPT_DURATION(s, l, v, a, h, ...)                                     \
	{.type = OPTION_DURATION, .short_name = (s), .long_name = (l),      \
	 .value = (1 ? (v) : (int64_t *)NULL), .size = sizeof(int64_t),     \
	 .argh = (a), .help = (h), __VA_ARGS__}
#define OPT_CALLBACK(s, l, v, a, fn, h, ...)                                 \
	{.type = OPTION_CALLBACK, .short_name = (s), .long_name = (l),      \
	 .value = (v), .size = sizeof(*(v)), .argh = (a), .help = (h),      \
	 .cb = (fn), __VA_ARGS__}

/* options_parse() flags */
enum {
	/* The first argument ends the options: the rest belongs to it. */
	OPTIONS_STOP_AT_ARG = 1u << 0,
};

/* options_parse() results besides an argument count */
enum {
	OPTIONS_USAGE = -1,   /* a malformed command line, said: show usage */
	OPTIONS_HELP = -2,    /* -h or --help */
	OPTIONS_INVALID = -3, /* a value was rejected, said */
};

/*
 * Parse argv[1..argc-1] (argv[0] is the command's name) with the table
 * opts, ended by OPT_END(); -h and --help need no entry. The arguments
 * that are not options end up in argv[0..n-1], in order, argv[n] NULL.
 * Returns n, or one of OPTIONS_USAGE, OPTIONS_HELP, OPTIONS_INVALID.
 */
int options_parse(int argc, char **argv, const struct option_spec *opts,
		  unsigned flags);

/* Store v at o->value, an integer (or bool) of o->size bytes. */
void options_store(const struct option_spec *o, int64_t v);

/* How messages name o: "--count", or "-c" if it has no long name. */
const char *options_name(const struct option_spec *o, char *buf, size_t len);

/*
 * Append the option list of --help: one entry per option, "-h, --help"
 * last, the help wrapped to 79 columns after an aligned column of names,
 * each default said as "; default X".
 */
void options_help(const struct option_spec *opts, struct strbuf *out);

#endif
