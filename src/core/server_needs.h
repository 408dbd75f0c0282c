/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a server needs for a campaign's runnable tests (autotest's
 * `ping` and `upload-moonprogs`): iovbench of this version on a real
 * server, QEMU where guests are VMs, the external generators on the
 * sender, dpdk-testpmd where container guests reflect with it. Pure:
 * from the plan, a shell script that checks each program there and
 * prints a line per program; and the parser of what it printed (the
 * server's output: untrusted):
 *
 *   have NAME PATH         found (PATH: where)
 *   missing NAME           not found
 *   version VERSION        what `iovbench --version` said (iovbench only)
 *   end                    the last line
 */
#ifndef IOV_CORE_SERVER_NEEDS_H
#define IOV_CORE_SERVER_NEEDS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/plan.h"
#include "util/strbuf.h"

#define SERVER_NEEDS_MAX 16

struct server_need {
	char name[32];	    /* "iovbench", "qemu", "moongen", ... */
	char program[256];  /* the path or name looked for */
	const char *why;    /* what needs it */
	bool file;	    /* a file to read (a script), not a program */
};

/* server: 0 sender, 1 responder. The needs, at most max; their count. */
size_t server_needs(const struct plan *p, int server, struct server_need *n,
		    size_t max);
/* The script that checks them there (sh, no bashisms). */
void server_needs_script(const struct server_need *n, size_t count,
			 struct strbuf *script);

struct server_check {
	bool have[SERVER_NEEDS_MAX];
	char version[32]; /* iovbench's "0.1.0", or "" */
};

/* What the script printed: 0, or -1 if it printed none of its lines. */
int server_check_parse(const char *text, size_t len,
		       const struct server_need *n, size_t count,
		       struct server_check *out);
/* Compare dotted versions: <0, 0, >0 (a malformed one is oldest). */
int server_version_cmp(const char *a, const char *b);

/*
 * The guest image's program sets (core/guest_prog.h) the VMs of p's
 * tests to do need beyond every image's: a reflector's (testpmd:
 * "dpdk"); NULL-terminated, static; NULL: none. Not every campaign
 * carries them: they would not fit small VMs.
 */
const char *const *server_image_sets(const struct plan *p);

#endif
