// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/hygiene.h"

#include "net/linkset.h"

#include <glob.h>
#include <stdio.h>
#include <string.h>

static void dump_file(const char *path, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	/* sysfs files are a page at most */
	if (!strbuf_read_file(&sb, path, 1 << 16)) {
		for (p = sb.buf; *p;) {
			size_t n = strcspn(p, "\n");

			if (n) /* grep . skips empty lines */
				strbuf_addf(out, "%s:%.*s\n", path, (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	strbuf_release(&sb);
}

void host_hygiene_dump(const char *root, struct strbuf *out)
{
	const char *r = root && strcmp(root, "/") ? root : "";
	int k, g;

	for (k = 0; k < HY_COUNT; k++) {
		for (g = 0; hygiene_table[k].globs[g]; g++) {
			char pat[512];
			glob_t gl;
			size_t i;

			snprintf(pat, sizeof(pat), "%s%s", r,
				 hygiene_table[k].globs[g]);
			if (glob(pat, 0, NULL, &gl))
				continue;
			for (i = 0; i < gl.gl_pathc; i++)
				dump_file(gl.gl_pathv[i], out);
			globfree(&gl);
		}
	}
}

void host_hygiene_read(const char *root, struct hygiene *h)
{
	struct strbuf sb = STRBUF_INIT;

	host_hygiene_dump(root, &sb);
	/* a fake tree has files, not links */
	if (!root || !strcmp(root, "/"))
		linkset_dump("-", &sb);
	hygiene_parse(sb.buf, sb.len, root, h);
	strbuf_release(&sb);
}
