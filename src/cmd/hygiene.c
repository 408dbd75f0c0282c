// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench hygiene: print the settings that move latency, of this
 * machine and its network namespace, as the dump that core/hygiene.h
 * folds ("PATH:VALUE" lines). The hygiene meter runs it on every server
 * (in its namespace here, over ssh on a real one) and in the container
 * guests' namespaces (--label), so the local testbed reads the way real
 * servers are read.
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "host/hygiene.h"
#include "net/linkset.h"
#include "net/netns.h"
#include "util/error.h"

/*
 * sysfs shows the links of the namespace that mounted it: after a
 * setns() into a server's namespace /sys/class/net is still the
 * host's. As `ip netns exec` does, remount it in a mount namespace of
 * our own (nothing outside sees it). Not root: the host's stays, which
 * over ssh, in the host's namespace, is the right one anyway.
 */
static void own_sysfs(void)
{
	if (geteuid() || unshare(CLONE_NEWNS))
		return;
	if (mount("", "/", NULL, MS_SLAVE | MS_REC, NULL))
		return;
	umount2("/sys", MNT_DETACH);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL))
		warning("cannot mount this namespace's sysfs: the queues' "
			"masks are the host's");
}

static int hygiene_main(struct cmd_ctx *ctx)
{
	const char *root = "/", *label = "-", *netns = NULL;
	struct strbuf out = STRBUF_INIT;
	int saved = -1;
	const struct option_spec options[] = {
		OPT_STRING(0, "root", &root, "DIR",
			   "read the files under DIR (a fake tree for tests): "
			   "no links then"),
		OPT_STRING(0, "label", &label, "NAME",
			   "only the links, named NAME/LINK (a guest's "
			   "namespace)"),
		OPT_NETNS(&netns),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (netns && netns_enter(netns, &saved))
		return EXIT_FAIL;
	if (!strcmp(root, "/"))
		own_sysfs();
	if (!strcmp(label, "-"))
		host_hygiene_dump(root, &out);
	/* the files said are worth storing without the links: these are
	 * then "absent" */
	if (!strcmp(root, "/") && linkset_dump(label, &out))
		warning("cannot list the links of this namespace");
	fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&out);
	return EXIT_OK;
}

const struct command cmd_hygiene = {
	.name = "hygiene",
	.summary = "print the settings that move latency, as the runs store "
		   "them",
	.flags = CMD_GUEST, /* a VM's own NIC: net/linkset.c is libc only */
	.fn = hygiene_main,
	.usage = "iovbench hygiene [options]",
	.doc = "Print the files of the settings that move latency (CPU "
	       "frequency,\n"
	       "turbo, C-states, SMT, bridge netfilter, RPS, XPS, busy "
	       "polling) and\n"
	       "the links of this network namespace (offloads, root qdisc, "
	       "queues),\n"
	       "one PATH:VALUE line each: what `iovbench run` reads on every "
	       "server\n"
	       "and stores with each run (host_settings), and what `iovbench "
	       "doctor`\n"
	       "explains. docs/metrics.md, \"Host hygiene\".\n",
};
