/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest image's dynamically linked programs (core/guest_prog.h's
 * table: iperf3) with what ld.so needs to run them: the loader at its
 * PT_INTERP path and every library of the DT_NEEDED closure, found the
 * way ld.so finds them without a cache (its default directories, in
 * order), read through symlinks and stored as plain files at the path
 * ld.so will open in the guest. A program the host lacks is left out and
 * named in missing. See docs/guest-image.md.
 */
#ifndef IOV_GUEST_IMAGE_PROGS_H
#define IOV_GUEST_IMAGE_PROGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/cpio.h"
#include "util/strbuf.h"

struct image_file {
	char *path;	     /* in the guest, absolute */
	char *from;	     /* where on the host it was read */
	struct strbuf data;  /* its bytes */
	const char *prog;    /* the program's name, or NULL for a library */
};

struct image_progs {
	struct image_file *v;
	size_t n, alloc;
	struct strbuf missing; /* "iperf3 (/usr/bin/iperf3, package iperf3)" */
};

/*
 * Find the programs and their libraries under root ("" for the host's
 * /): those in every image and those of the NULL-terminated sets (NULL:
 * none). 0, or -1 after a message (a library that cannot be found, an ELF
 * that cannot be read).
 */
int image_progs_resolve(const char *root, const char *const *sets,
			struct image_progs *p);
/* Into the initramfs: the directories they need, then the files. */
int image_progs_add(const struct image_progs *p, struct cpio *c);
void image_progs_release(struct image_progs *p);

#endif
