/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A NULL-terminated, growable vector of strings (an argv). */
#ifndef IOV_UTIL_STRV_H
#define IOV_UTIL_STRV_H

#include <stddef.h>

#include "util/strbuf.h"

struct strv {
	char **v; /* NULL-terminated once anything was pushed */
	size_t n, alloc;
};

#define STRV_INIT {NULL, 0, 0}

void strv_push(struct strv *sv, const char *s);
void strv_pushf(struct strv *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strv_clear(struct strv *sv);
/* Words joined by spaces, for messages and dry runs. */
void strv_join(const struct strv *sv, struct strbuf *out);

#endif
