/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the cmocka unit tests: cmocka headers, source-tree paths. */
#ifndef IOV_TESTS_UNIT_H
#define IOV_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* Path of a file in the source tree (IOV_SRCDIR, set by meson). */
static inline char *unit_path(const char *rel, char *buf, size_t len)
{
	const char *root = getenv("IOV_SRCDIR");

	snprintf(buf, len, "%s/%s", root ? root : ".", rel);
	return buf;
}

static inline void unit_read(const char *rel, struct strbuf *sb)
{
	char path[4096];

	unit_path(rel, path, sizeof(path));
	if (strbuf_read_file(sb, path, 0))
		fail_msg("cannot read '%s'", path);
}

/*
 * Compare text with the golden file rel; with IOV_UPDATE_GOLDEN=1 in the
 * environment, (re)write the golden file instead.
 */
static inline void unit_golden(const char *rel, const char *text)
{
	struct strbuf want = STRBUF_INIT;
	char path[4096];

	unit_path(rel, path, sizeof(path));
	if (getenv("IOV_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(text, f);
		fclose(f);
		return;
	}
	if (strbuf_read_file(&want, path, 0))
		fail_msg("cannot read golden file '%s' (IOV_UPDATE_GOLDEN=1 "
			 "writes it)", path);
	if (strcmp(want.buf, text)) {
		fprintf(stderr, "--- %s (golden)\n%s--- got\n%s", rel, want.buf,
			text);
		fail_msg("output differs from golden file '%s'", rel);
	}
	strbuf_release(&want);
}

#endif
