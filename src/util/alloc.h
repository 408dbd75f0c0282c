/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocation that cannot fail: on out-of-memory the process dies. A
 * measurement tool has no useful way to go on without memory, and
 * checking every small allocation obscures the code (git does the same).
 */
#ifndef IOV_UTIL_ALLOC_H
#define IOV_UTIL_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of *alloc elements of size elem) to hold at least n. */
#define ALLOC_GROW(arr, n, alloc)                                            \
	do {                                                                 \
		if ((size_t)(n) > (alloc)) {                                 \
			size_t grow_ = (alloc) ? (alloc) * 2 : 16;           \
			if (grow_ < (size_t)(n))                             \
				grow_ = (size_t)(n);                         \
			(arr) = xrealloc((arr), grow_ * sizeof(*(arr)));     \
			(alloc) = grow_;                                     \
		}                                                            \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
