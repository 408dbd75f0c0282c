// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int iov_verbosity;
static error_hook_fn error_hook;
/*
 * Per thread: a trap catches the errors of the code it wraps, not those
 * of another thread (the events meter's QMP calls run beside the run)
 */
static _Thread_local struct error_trap *trap;

void error_trap_push(struct error_trap *t)
{
	t->last[0] = '\0';
	t->outer = trap;
	trap = t;
}

void error_trap_pop(struct error_trap *t)
{
	if (trap == t)
		trap = t->outer;
}

void error_set_hook(error_hook_fn fn)
{
	error_hook = fn;
}

static void report(const char *level, const char *fmt, va_list ap,
		   int errnum)
{
	char msg[2048];
	int n;

	n = snprintf(msg, sizeof(msg), "iovbench: %s", level);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	if (errnum) {
		size_t len = strlen(msg);

		snprintf(msg + len, sizeof(msg) - len, ": %s",
			 strerror(errnum));
	}
	if (trap && !strcmp(level, "error: ")) {
		const char *m = msg + strlen("iovbench: error: ");
		size_t len = strnlen(m, sizeof(trap->last) - 1);

		memcpy(trap->last, m, len);
		trap->last[len] = '\0';
	}
	if (error_hook) {
		error_hook(msg);
		return;
	}
	fprintf(stderr, "%s\n", msg);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("error: ", fmt, ap, 0);
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	report("error: ", fmt, ap, saved);
	va_end(ap);
	errno = saved;
	return saved > 0 ? -saved : -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	if (iov_verbosity < 0)
		return;
	va_start(ap, fmt);
	report("warning: ", fmt, ap, 0);
	va_end(ap);
}

void info(const char *fmt, ...)
{
	va_list ap;

	if (iov_verbosity < 1)
		return;
	va_start(ap, fmt);
	report("", fmt, ap, 0);
	va_end(ap);
}

void debug(const char *fmt, ...)
{
	va_list ap;

	if (iov_verbosity < 2)
		return;
	va_start(ap, fmt);
	report("debug: ", fmt, ap, 0);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("fatal: ", fmt, ap, 0);
	va_end(ap);
	exit(2);
}

void die_errno(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	report("fatal: ", fmt, ap, saved);
	va_end(ap);
	exit(2);
}
