/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The image builder's dealings with the OS, for image.c: programs run,
 * files and directories, Debian packages fetched with apt. Functions
 * return 0 or -1 after a message unless said otherwise.
 */
#ifndef IOV_GUEST_IMAGE_IO_H
#define IOV_GUEST_IMAGE_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"
#include "util/strbuf.h"

/* Progress on stderr ("iovbench: image: ..."), unless -q */
void image_say(const char *fmt, ...) IOV_PRINTF(1, 2);

/*
 * Run prog (looked up in PATH unless it has a '/') with the arguments
 * that follow, up to a NULL. Its stdout goes to out, or is discarded if
 * out is NULL (ours carries the command's result); stderr is ours.
 */
int image_run(struct strbuf *out, const char *prog, ...)
	__attribute__((sentinel));

/* snprintf for paths: -1 after a message if it does not fit */
int image_path(char *out, size_t len, const char *fmt, ...) IOV_PRINTF(3, 4);
int image_read_file(const char *path, struct strbuf *sb);
int image_write_file(const char *path, const void *data, size_t len);
int image_mkdir_p(const char *dir);
/* rm -rf; a failure is a warning */
void image_rm_rf(const char *path);
/* Remove dir/<prefix><pid>* whose process is gone (interrupted builds) */
void image_clean_stale(const char *dir, const char *prefix);

/* One package file, as `apt-get download --print-uris` names it */
struct deb {
	char pkg[128];
	char file[256];
	uint64_t size;
	char url[1024];
};

/*
 * The file of package name in apt's lists or, with depends, of the first
 * package name depends on (linux-image-amd64 -> linux-image-6.1.0-56-amd64).
 * Remembered in cache/downloads/<name>.apt until apt's lists change.
 */
int image_apt_resolve(const char *cache, const char *name, bool depends,
		      struct deb *d);
/* cache/downloads/<d->file> into deb (PATH_MAX), downloaded if missing */
int image_apt_fetch(const char *cache, const struct deb *d, char *deb);

#endif
