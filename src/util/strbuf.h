/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable string, after git's strbuf. buf is always NUL-terminated. */
#ifndef IOV_UTIL_STRBUF_H
#define IOV_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t len;
	size_t alloc;
	char *buf;
};

#define STRBUF_INIT {0, 0, strbuf_empty}
extern char strbuf_empty[];

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* Hand the buffer to the caller (who frees it) and reset sb. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Append n copies of c. */
void strbuf_addchars(struct strbuf *sb, char c, size_t n);
/*
 * Append word as a POSIX shell reads it back: as it is if it is plain,
 * else in single quotes.
 */
void strbuf_addquoted(struct strbuf *sb, const char *word);
/* Read all of fd; returns 0 or -errno (buffer keeps what was read). */
int strbuf_read_fd(struct strbuf *sb, int fd);
/* Read a whole file, at most max bytes (0 = no limit); 0 or -errno. */
int strbuf_read_file(struct strbuf *sb, const char *path, size_t max);
/* Write buf[0..len) to path (created or truncated); 0 or -errno. */
int write_file(const char *path, const void *buf, size_t len);

#endif
