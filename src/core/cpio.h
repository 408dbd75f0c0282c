/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A writer of the "newc" cpio format, the one the kernel unpacks as an
 * initramfs (Documentation/driver-api/early-userspace/buffer-format.rst).
 * Pure: it appends to a strbuf. Output is deterministic so that an image's
 * bytes depend only on what goes in: mtime 0, uid and gid 0, inode numbers
 * 1, 2, 3... in the order entries are added.
 *
 * Each entry: a 110-byte ASCII header ("070701" and 13 fields of 8 hex
 * digits), the name with its NUL padded so that header + name is a
 * multiple of 4, then the data padded to a multiple of 4. The archive
 * ends with an entry named "TRAILER!!!".
 *
 * Names are relative ("bin/sh"; a leading '/' is dropped). Modes are
 * permission bits only (07777); the type comes from the function.
 * Functions return 0 or -EINVAL (empty name, bad mode) or -EFBIG (data
 * over 4 GiB - 1, the format's limit); they print nothing.
 */
#ifndef IOV_CORE_CPIO_H
#define IOV_CORE_CPIO_H

#include <stddef.h>

#include "util/strbuf.h"

#define CPIO_MAGIC "070701"
#define CPIO_HDR_LEN 110
#define CPIO_TRAILER "TRAILER!!!"

/* File types in the mode field; the values are the format's, not the host's */
#define CPIO_S_IFDIR 0040000u
#define CPIO_S_IFREG 0100000u
#define CPIO_S_IFLNK 0120000u
#define CPIO_S_IFCHR 0020000u

struct cpio {
	struct strbuf *out;
	size_t start;	  /* offset of the archive in out */
	unsigned int ino; /* last inode number given */
};

void cpio_init(struct cpio *c, struct strbuf *out);
int cpio_add_dir(struct cpio *c, const char *name, unsigned int mode);
int cpio_add_file(struct cpio *c, const char *name, unsigned int mode,
		  const void *data, size_t len);
/* The target is stored as the symlink's data, without a NUL. */
int cpio_add_symlink(struct cpio *c, const char *name, const char *target);
int cpio_add_chardev(struct cpio *c, const char *name, unsigned int mode,
		     unsigned int major, unsigned int minor);
/* Append the trailer; nothing may be added after it. */
void cpio_finish(struct cpio *c);

#endif
