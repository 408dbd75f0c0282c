/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest image a "main" VM boots: a kernel (bzImage for machines pc
 * and q35, the uncompressed vmlinux for microvm's PVH boot) and an
 * initramfs (uncompressed newc cpio) with static busybox, the network and
 * virtio-console modules, an /init script and the static iovbench-guest.
 * See docs/guest-image.md.
 *
 * Images live in cache/<id>/, where id hashes every input (kernel, its
 * modules, busybox, guest binary, /init): a build with unchanged inputs
 * returns the cached image at once; a changed input makes a new id.
 */
#ifndef IOV_GUEST_IMAGE_H
#define IOV_GUEST_IMAGE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define IMAGE_CACHE_DEFAULT "/var/cache/iovbench/images"

struct image_opts {
	/* a bzImage to use instead of Debian's package; NULL: download */
	const char *kernel;
	/* with kernel: its lib/modules/VERSION directory, or NULL (drivers
	 * built in) */
	const char *modules;
	/* the static iovbench-guest to put in the image */
	const char *guest_bin;
	/* NULL: IMAGE_CACHE_DEFAULT */
	const char *cache;
	/* rebuild even if cached */
	bool force;
	/*
	 * Program sets beyond what every image has (core/guest_prog.h:
	 * "dpdk"), NULL-terminated; NULL: none. Another set, another image.
	 */
	const char *const *sets;
};

struct image {
	char id[17];		 /* 64-bit hash of every input, hex */
	char dir[PATH_MAX];	 /* cache/<id> */
	char kernel[PATH_MAX];	 /* bzImage, for machine pc and q35 */
	/* uncompressed ELF vmlinux (PVH boot, machine microvm), "" if it
	 * could not be extracted */
	char vmlinux[PATH_MAX];
	char initrd[PATH_MAX];	 /* the initramfs, an uncompressed newc cpio */
	char kernel_version[64]; /* e.g. 6.1.0-56-amd64 */
	bool cached;		 /* image_build found it already built */
};

/*
 * The guest binary to put in images: $IOVBENCH_GUEST if set (a sanitized
 * build's own is dynamic, so its tests point at a static one), else
 * iovbench-guest next to this iovbench. 0, or -1 after a message.
 */
int image_default_guest_bin(char *out, size_t len);

/*
 * Build the image (downloading Debian's kernel package the first time)
 * or find it in the cache. 0, or -1 after a message.
 */
int image_build(const struct image_opts *o, struct image *out);
/*
 * The image image_build would return, without building or downloading
 * anything: 0, -ENOENT if it is not built (with a message), or -1.
 */
int image_find(const struct image_opts *o, struct image *out);

#endif
