// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench op: carry out one testbed op on this machine. This is what
 * the controller runs on a server of an SSH testbed (core/op.h); it
 * is also handy by hand. What an op reports (vm-start: the accelerator
 * it chose) is printed on stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "host/op_run.h"
#include "util/error.h"

static int op_main(struct cmd_ctx *ctx)
{
	struct strbuf result = STRBUF_INIT;
	struct op_env env = {.daemonize = true};
	struct op op;
	char why[512];
	int ret;
	const struct option_spec options[] = {
		OPT_STRING(0, "rundir", &env.rundir, "DIR",
			   "QEMU's pid and log files",
			   .def = "/run/iovbench/op"),
		OPT_STRING(0, "sysfs", &env.sysfs, "DIR",
			   "the sysfs root (a fake tree for tests)",
			   .def = "/sys"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (op_parse(ctx->argv, ctx->argc, &op, why, sizeof(why))) {
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

const struct command cmd_op = {
	.name = "op",
	.summary = "carry out one testbed operation (remote servers)",
	.fn = op_main,
	.usage = "iovbench op [--rundir DIR] [--sysfs DIR] OP WORDS...",
	.doc = "Carry out one testbed operation here, as the controller does "
	       "on\n"
	       "the servers of an ssh testbed. OP is one of: netns-add "
	       "netns-del\n"
	       "link-add link-set link-del addr-add neigh-flush sysfs-write "
	       "vf-set\n"
	       "driver-bind vm-start vm-stop (docs/testbed.md lists their "
	       "words).\n"
	       "vm-start daemonizes QEMU: it outlives this command.\n",
	.min_args = 1,
	.max_args = -1,
	/* stop at the op's name: its words may look like options */
	.parse_flags = OPTIONS_STOP_AT_ARG,
};
