// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench image build|path: the guest image main VMs boot. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "guest/image.h"
#include "util/error.h"

static const char usage_text[] =
	"usage: iovbench image build [--kernel BZIMAGE [--modules DIR]]\n"
	"                            [--guest-bin PATH] [--cache DIR] "
	"[--force]\n"
	"       iovbench image path [the same options]\n"
	"\n"
	"build  make the guest image (kernel; initramfs with busybox,\n"
	"       modules, /init and iovbench-guest) or find it in the cache;\n"
	"       the first build downloads Debian's kernel package (~70 MB)\n"
	"path   print the paths of the image 'build' would return; fails if\n"
	"       it is not built\n"
	"\n"
	"  -k, --kernel BZIMAGE   a kernel of one's own instead of Debian's\n"
	"  -m, --modules DIR      its lib/modules/VERSION directory; without\n"
	"                         it the NIC and virtio drivers must be built "
	"in\n"
	"  -g, --guest-bin PATH   the static iovbench-guest to put in the "
	"image\n"
	"                         (default: the one next to iovbench)\n"
	"  -c, --cache DIR        image cache (default " IMAGE_CACHE_DEFAULT
	")\n"
	"  -f, --force            build even if the image is cached\n"
	"  -h, --help             this text\n"
	"\n"
	"Output: lines of 'key value' (id, status, kernel_version, dir,\n"
	"bzimage, vmlinux, initrd). See docs/guest-image.md.\n";

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

int cmd_image(int argc, char **argv)
{
	static const struct option opts[] = {
		{"kernel", required_argument, NULL, 'k'},
		{"modules", required_argument, NULL, 'm'},
		{"guest-bin", required_argument, NULL, 'g'},
		{"cache", required_argument, NULL, 'c'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct image_opts o = {.cache = IMAGE_CACHE_DEFAULT};
	char guest[PATH_MAX];
	struct image im;
	const char *verb;
	int ch;

	if (argc < 2)
		cmd_usage(usage_text, EXIT_USAGE);
	verb = argv[1];
	if (!strcmp(verb, "-h") || !strcmp(verb, "--help"))
		cmd_usage(usage_text, EXIT_OK);
	/* options follow the verb: parse argv[1..] as if verb were argv[0] */
	while ((ch = getopt_long(argc - 1, argv + 1, "k:m:g:c:fh", opts,
				 NULL)) != -1) {
		switch (ch) {
		case 'k':
			o.kernel = optarg;
			break;
		case 'm':
			o.modules = optarg;
			break;
		case 'g':
			o.guest_bin = optarg;
			break;
		case 'c':
			o.cache = optarg;
			break;
		case 'f':
			o.force = true;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind + 1 != argc)
		cmd_usage(usage_text, EXIT_USAGE);
	if (o.modules && !o.kernel) {
		error("--modules goes with --kernel");
		return EXIT_USAGE;
	}
	if (!o.guest_bin) {
		if (image_default_guest_bin(guest, sizeof(guest)))
			return EXIT_FAIL;
		o.guest_bin = guest;
	}
	if (!strcmp(verb, "build")) {
		if (image_build(&o, &im))
			return EXIT_FAIL;
		print_image(&im, im.cached ? "cached" : "built");
	} else if (!strcmp(verb, "path")) {
		if (o.force) {
			error("--force is for 'build'");
			return EXIT_USAGE;
		}
		if (image_find(&o, &im))
			return EXIT_FAIL;
		print_image(&im, NULL);
	} else {
		error("unknown image action '%s' (build or path)", verb);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
