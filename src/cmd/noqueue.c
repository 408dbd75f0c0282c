// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench-guest noqueue LINK...: make each link's root qdisc noqueue,
 * as the testbed makes its own namespaces' links (host/op_run.c,
 * link-set up). A VM guest's NIC boots with the guest kernel's default
 * qdisc (fq_codel in Debian's: CONFIG_DEFAULT_NET_SCH), which adds its
 * enqueue and dequeue to every probe and which the hygiene check judges
 * distorting; the image's /init runs this on each ethN once it is up
 * (docs/testbed.md). libc and raw netlink only (net/qdisc.c), so the
 * static guest binary carries it.
 */
#include "cmd/cmd.h"
#include "net/qdisc.h"
#include "util/error.h"

static int noqueue_main(struct cmd_ctx *ctx)
{
	const char *netns = NULL;
	int i, ret = EXIT_OK;
	const struct option_spec options[] = {
		OPT_NETNS(&netns),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	/* every link tried, so one missing does not leave the others */
	for (i = 0; i < ctx->argc; i++)
		if (qdisc_set_noqueue(netns, ctx->argv[i]))
			ret = EXIT_FAIL;
	return ret;
}

const struct command cmd_noqueue = {
	.name = "noqueue",
	.summary = "make links' root qdisc noqueue (a VM guest's NICs)",
	.flags = CMD_GUEST,
	.fn = noqueue_main,
	.min_args = 1,
	.max_args = -1,
	.usage = "iovbench-guest noqueue [options] LINK...",
	.doc = "Replace the root qdisc of each LINK by noqueue (`tc qdisc "
	       "replace dev\n"
	       "LINK root noqueue`), unless it is already. The guest image's "
	       "/init runs\n"
	       "it on the VM's NICs once they are up, so that the guest "
	       "kernel's default\n"
	       "qdisc (fq_codel) does not sit in the measured path; "
	       "guests.main.keep_qdisc\n"
	       "skips it. What the links have is stored with each run "
	       "(`iovbench-guest\n"
	       "hygiene`, setting qdisc). docs/testbed.md.\n",
};
