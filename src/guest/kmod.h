/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel modules for a guest image: a set of module names and everything
 * they depend on, found in a lib/modules/VERSION directory, in the order
 * busybox insmod must load them (the image has no modprobe database).
 */
#ifndef IOV_GUEST_KMOD_H
#define IOV_GUEST_KMOD_H

#include <stddef.h>

#include "util/strbuf.h"

struct kmod {
	char name[64];	    /* with '_', as the kernel names modules */
	struct strbuf data; /* the .ko file */
};

struct kmod_set {
	struct kmod *v; /* dependencies before the modules needing them */
	size_t n, alloc;
};

/*
 * Add names and their dependencies from moddir to set. Dependencies come
 * from each module's "depends=" (modpost writes it; depmod's modules.dep
 * says the same, but Debian's package has none: depmod runs at install).
 * A name that is built in (modules.builtin) is skipped; a wanted name
 * that is neither a module nor built in is a warning (that driver is
 * missing from the guest); a missing dependency is an error. 0 or -1
 * after a message.
 */
int kmod_resolve(const char *moddir, const char *const *names, size_t n,
		 struct kmod_set *set);
void kmod_set_release(struct kmod_set *set);

#endif
