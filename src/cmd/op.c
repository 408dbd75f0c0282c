// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench op: carry out one testbed op on this machine. This is what
 * the controller runs on a server of an SSH testbed (core/op.h); it
 * is also handy by hand. What an op reports (vm-start: the accelerator
 * it chose) is printed on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "host/op_run.h"
#include "util/error.h"

static const char usage_text[] =
	"usage: iovbench op [--rundir DIR] [--sysfs DIR] OP WORDS...\n"
	"\n"
	"Carry out one testbed operation here, as the controller does on\n"
	"the servers of an ssh testbed. OP is one of: netns-add netns-del\n"
	"link-add link-set link-del addr-add neigh-flush sysfs-write vf-set\n"
	"driver-bind vm-start vm-stop (docs/testbed.md lists their words).\n"
	"vm-start daemonizes QEMU: it outlives this command.\n"
	"\n"
	"  --rundir DIR   QEMU's pid and log files (default /run/iovbench/op)\n"
	"  --sysfs DIR    the sysfs root (default /sys; a fake tree for tests)\n"
	"  -h, --help     this text\n";

int cmd_op(int argc, char **argv)
{
	static const struct option opts[] = {
		{"rundir", required_argument, NULL, 'r'},
		{"sysfs", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct strbuf result = STRBUF_INIT;
	struct op_env env = {.sysfs = "/sys", .daemonize = true,
			     .rundir = "/run/iovbench/op"};
	struct op op;
	char why[512];
	int c, ret;

	/* "+": stop at the op's name; its words may look like options */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			env.rundir = optarg;
			break;
		case 's':
			env.sysfs = optarg;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind >= argc)
		cmd_usage(usage_text, EXIT_USAGE);
	if (op_parse(argv + optind, argc - optind, &op, why, sizeof(why))) {
		error("%s", why);
		return EXIT_USAGE;
	}
	mkdir("/run/iovbench", 0755);
	if (mkdir(env.rundir, 0755) && errno != EEXIST) {
		error_errno("cannot create '%s'", env.rundir);
		op_release(&op);
		return EXIT_FAIL;
	}
	env.result = &result;
	ret = op_run_local(&op, &env);
	fputs(result.buf, stdout);
	strbuf_release(&result);
	op_release(&op);
	return ret ? EXIT_FAIL : EXIT_OK;
}
