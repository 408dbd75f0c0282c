// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/cpio.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void cpio_init(struct cpio *c, struct strbuf *out)
{
	c->out = out;
	c->start = out->len;
	c->ino = 0;
}

/* Alignment counts from the start of the archive, not of the buffer */
static void pad4(struct cpio *c)
{
	size_t off = c->out->len - c->start;

	strbuf_addchars(c->out, '\0', (4 - off % 4) % 4);
}

/*
 * One entry. Uppercase hex and nlink 2 for directories, as the kernel's
 * usr/gen_init_cpio writes them; devmajor/devminor (the device holding
 * the file) are 0 since no file came from a device.
 */
static int add(struct cpio *c, const char *name, unsigned int mode,
	       const void *data, size_t len, unsigned int rmajor,
	       unsigned int rminor)
{
	char hdr[CPIO_HDR_LEN + 1];
	size_t namesize;

	while (*name == '/')
		name++;
	if (!*name)
		return -EINVAL;
	if ((uint64_t)len > UINT32_MAX)
		return -EFBIG;
	namesize = strlen(name) + 1;
	snprintf(hdr, sizeof(hdr),
		 "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 CPIO_MAGIC, ++c->ino, mode, 0u, 0u,
		 (mode & 0170000u) == CPIO_S_IFDIR ? 2u : 1u, 0u,
		 (unsigned int)len, 0u, 0u, rmajor, rminor,
		 (unsigned int)namesize, 0u);
	strbuf_add(c->out, hdr, CPIO_HDR_LEN);
	strbuf_add(c->out, name, namesize);
	pad4(c);
	if (len)
		strbuf_add(c->out, data, len);
	pad4(c);
	return 0;
}

static int check_mode(unsigned int mode)
{
	return mode & ~07777u ? -EINVAL : 0;
}

int cpio_add_dir(struct cpio *c, const char *name, unsigned int mode)
{
	if (check_mode(mode))
		return -EINVAL;
	return add(c, name, CPIO_S_IFDIR | mode, NULL, 0, 0, 0);
}

int cpio_add_file(struct cpio *c, const char *name, unsigned int mode,
		  const void *data, size_t len)
{
	if (check_mode(mode))
		return -EINVAL;
	return add(c, name, CPIO_S_IFREG | mode, data, len, 0, 0);
}

int cpio_add_symlink(struct cpio *c, const char *name, const char *target)
{
	if (!*target)
		return -EINVAL;
	return add(c, name, CPIO_S_IFLNK | 0777u, target, strlen(target), 0,
		   0);
}

int cpio_add_chardev(struct cpio *c, const char *name, unsigned int mode,
		     unsigned int major, unsigned int minor)
{
	if (check_mode(mode))
		return -EINVAL;
	return add(c, name, CPIO_S_IFCHR | mode, NULL, 0, major, minor);
}

void cpio_finish(struct cpio *c)
{
	char hdr[CPIO_HDR_LEN + 1];

	/* the trailer has inode 0 and no mode, like gen_init_cpio's */
	snprintf(hdr, sizeof(hdr),
		 "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 CPIO_MAGIC, 0u, 0u, 0u, 0u, 1u, 0u, 0u, 0u, 0u, 0u, 0u,
		 (unsigned int)sizeof(CPIO_TRAILER), 0u);
	strbuf_add(c->out, hdr, CPIO_HDR_LEN);
	strbuf_add(c->out, CPIO_TRAILER, sizeof(CPIO_TRAILER));
	pad4(c);
}
