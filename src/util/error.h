/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error reporting, git style: library code calls error() and returns its
 * -1 (or a -errno it already has); only main.c and cmd/ call die().
 * Messages are lowercase, without a final period, names quoted.
 */
#ifndef IOV_UTIL_ERROR_H
#define IOV_UTIL_ERROR_H

#include <stdarg.h>
#include <stdnoreturn.h>

#define IOV_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Print "iovbench: error: <msg>" to stderr; returns -1. */
int error(const char *fmt, ...) IOV_PRINTF(1, 2);
/* Like error() but appends ": strerror(errno)"; returns -errno (or -1). */
int error_errno(const char *fmt, ...) IOV_PRINTF(1, 2);
void warning(const char *fmt, ...) IOV_PRINTF(1, 2);
/* Printed only with -v (verbosity >= 1). */
void info(const char *fmt, ...) IOV_PRINTF(1, 2);
/* Printed only with -vv. */
void debug(const char *fmt, ...) IOV_PRINTF(1, 2);
noreturn void die(const char *fmt, ...) IOV_PRINTF(1, 2);
noreturn void die_errno(const char *fmt, ...) IOV_PRINTF(1, 2);

/* 0 = errors and warnings, 1 = info (-v), 2 = debug (-vv); -1 = quiet. */
extern int iov_verbosity;

/*
 * Tests capture messages instead of printing them: when set, every
 * message goes to the hook (with its level prefix) and not to stderr.
 */
typedef void (*error_hook_fn)(const char *line);
void error_set_hook(error_hook_fn fn);

/*
 * A trap keeps the last error reported while it is set (innermost
 * first), without the "iovbench: error: " prefix: how a failure deep in
 * a library becomes the reason a caller records (a run's, a setup's).
 * Messages are printed as ever.
 */
struct error_trap {
	char last[512];
	struct error_trap *outer;
};
void error_trap_push(struct error_trap *t);
void error_trap_pop(struct error_trap *t);

#endif
