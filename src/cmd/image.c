// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench image build|path: the guest image main VMs boot. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/guest_prog.h"
#include "guest/image.h"
#include "util/error.h"

static void print_image(const struct image *im, const char *status)
{
	printf("id %s\n", im->id);
	if (status)
		printf("status %s\n", status);
	printf("kernel_version %s\n"
	       "dir %s\n"
	       "bzimage %s\n"
	       "vmlinux %s\n"
	       "initrd %s\n",
	       im->kernel_version, im->dir, im->kernel,
	       im->vmlinux[0] ? im->vmlinux : "none", im->initrd);
}

static int image_build_cmd(struct cmd_ctx *ctx)
{
	struct image im;

	if (image_build(ctx->args, &im))
		return EXIT_FAIL;
	print_image(&im, im.cached ? "cached" : "built");
	return EXIT_OK;
}

static int image_path_cmd(struct cmd_ctx *ctx)
{
	const struct image_opts *o = ctx->args;
	struct image im;

	if (o->force) {
		error("--force is for 'build'");
		return EXIT_USAGE;
	}
	if (image_find(o, &im))
		return EXIT_FAIL;
	print_image(&im, NULL);
	return EXIT_OK;
}

static int image_main(struct cmd_ctx *ctx)
{
	struct image_opts o = {0};
	char guest[PATH_MAX];
	bool dpdk = false;
	static const char *const dpdk_set[] = {GUEST_PROG_SET_DPDK, NULL};
	const struct option_spec options[] = {
		OPT_STRING('k', "kernel", &o.kernel, "BZIMAGE",
			   "a kernel of one's own instead of Debian's"),
		OPT_STRING('m', "modules", &o.modules, "DIR",
			   "its lib/modules/VERSION directory; without it the "
			   "NIC and virtio drivers must be built in"),
		OPT_STRING('g', "guest-bin", &o.guest_bin, "PATH",
			   "the static iovbench-guest to put in the image "
			   "(default: the one next to iovbench)"),
		OPT_STRING('c', "cache", &o.cache, "DIR", "image cache",
			   .def = IMAGE_CACHE_DEFAULT),
		OPT_FLAG('f', "force", &o.force,
			 "build even if the image is cached"),
		OPT_FLAG(0, "dpdk", &dpdk,
			 "with dpdk-testpmd and what it needs (the testpmd "
			 "reflector in VMs; ~18 MB more, VMs of 256 MiB or "
			 "more)"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (dpdk)
		o.sets = dpdk_set;
	if (o.modules && !o.kernel) {
		error("--modules goes with --kernel");
		return EXIT_USAGE;
	}
	if (!o.guest_bin) {
		if (image_default_guest_bin(guest, sizeof(guest)))
			return EXIT_FAIL;
		o.guest_bin = guest;
	}
	return cmd_run_verb(ctx, &o);
}

static const struct command image_verbs[] = {
	{.name = "build", .fn = image_build_cmd},
	{.name = "path", .fn = image_path_cmd},
	{NULL},
};

const struct command cmd_image = {
	.name = "image",
	.summary = "build or locate the guest image",
	.fn = image_main,
	.verbs = image_verbs,
	.usage = "iovbench image build [--kernel BZIMAGE [--modules DIR]]\n"
		 "                            [--guest-bin PATH] [--cache DIR] "
		 "[--force] [--dpdk]\n"
		 "       iovbench image path [the same options]",
	.doc = "build  make the guest image (kernel; initramfs with busybox,\n"
	       "       modules, /init, iovbench-guest and, if this host has\n"
	       "       it, iperf3 with its libraries; with --dpdk also\n"
	       "       dpdk-testpmd, as campaigns with the testpmd reflector "
	       "in\n"
	       "       VMs build it) or find it in the cache;\n"
	       "       the first build downloads Debian's kernel package (~70 "
	       "MB)\n"
	       "path   print the paths of the image 'build' would return; "
	       "fails if\n"
	       "       it is not built\n",
	.footer = "Output: lines of 'key value' (id, status, kernel_version, "
		  "dir,\n"
		  "bzimage, vmlinux, initrd). See docs/guest-image.md.\n",
};
