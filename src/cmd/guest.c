// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench guest start|stop|console: the main guests by hand, autotest's
 * run-guest and kill-guest. VMs started here are daemonized, so they
 * outlive the command; `guest stop` or `testbed down` ends them.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/caps.h"
#include "core/config.h"
#include "core/dataplane.h"
#include "guest/image.h"
#include "guest/qmp.h"
#include "host/facts.h"
#include "net/netns.h"
#include "testbed/testbed.h"
#include "util/error.h"
#include "util/time.h"

/* The options: what the main guests are, and console --follow. */
struct guest_args {
	struct setup su;
	int follow;
};

static int image_for(struct image *im)
{
	struct image_opts io = {0};
	char guest[PATH_MAX];

	if (image_default_guest_bin(guest, sizeof(guest)))
		return -1;
	io.guest_bin = guest;
	return image_build(&io, im);
}

static int guest_start(struct cmd_ctx *ctx)
{
	const struct campaign *c = ctx->campaign;
	const struct guest_args *ga = ctx->args;
	struct setup su = ga->su;
	struct testbed tb;
	struct image im;
	char a[32];
	int s, ret = EXIT_FAIL;
	uint32_t caps = host_caps_detect("/");

	testbed_init(&tb, c);
	tb.env.daemonize = true;
	tb.accel = c->main_guests.accel == ACCEL_KVM ||
				   (c->main_guests.accel == ACCEL_AUTO &&
				    (caps & CAP_KVM)) ?
			   VM_KVM :
			   VM_TCG;
	tb.tsc_khz = host_cpu_khz("/");
	if (dataplane_vm(&dataplane_table[su.dataplane]) &&
	    !*c->main_guests.disk) {
		if (image_for(&im))
			goto out;
		tb.image = &im;
	}
	if (!netns_exists(tb.server_ns[SERVER_SENDER]) && testbed_up(&tb))
		goto out;
	if (testbed_guests_up(&tb, &su))
		goto out;
	for (s = 0; s < SERVER_COUNT; s++) {
		ipv4_format(tb.main[s].addr, a, sizeof(a));
		printf("%-9s %s %s%s%s\n", server_name(s), tb.main[s].name, a,
		       tb.main[s].vm ? " console " : "",
		       tb.main[s].vm ? tb.main[s].serial : "");
	}
	printf("stop them with: iovbench guest stop --prefix %s\n", c->prefix);
	ret = EXIT_OK;
out:
	/* the guests stay up: only close our connections to them */
	testbed_close_guests(&tb);
	return ret;
}

/* Quit every VM of prefix over its QMP socket; containers stay. */
static int guest_stop(struct cmd_ctx *ctx)
{
	const char *prefix = ctx->prefix;
	static const char *const who[] = {"s-main", "r-main"};
	unsigned n = 0;
	size_t i;

	for (i = 0; i < 2; i++) {
		char path[PATH_MAX];
		struct qmp q;

		snprintf(path, sizeof(path), "/run/iovbench/%s/%s-%s.qmp",
			 prefix, prefix, who[i]);
		if (access(path, F_OK) || qmp_open(&q, path, NSEC_PER_SEC))
			continue;
		if (!qmp_execute(&q, "quit", NULL, NULL, 5 * NSEC_PER_SEC))
			n++;
		qmp_close(&q);
		unlink(path);
	}
	printf("stopped %u VMs with prefix '%s'\n", n, prefix);
	return EXIT_OK;
}

static int guest_console(struct cmd_ctx *ctx)
{
	const struct guest_args *ga = ctx->args;
	const char *prefix = ctx->prefix;
	const char *server = ctx->argc ? ctx->argv[0] : "sender";
	int follow = ga->follow;
	char path[PATH_MAX];
	char *argv[] = {"tail", "-n", "+1", follow ? "-f" : NULL, path, NULL};

	if (strcmp(server, "sender") && strcmp(server, "responder")) {
		error("console: '%s' is not sender or responder", server);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/run/iovbench/%s/%s-%c-main-boot%d.console",
		 prefix, prefix, server[0], server[0] == 's' ? 1 : 2);
	if (access(path, R_OK)) {
		error_errno("no console log '%s'", path);
		return EXIT_FAIL;
	}
	if (!follow)
		argv[3] = path, argv[4] = NULL;
	execvp("tail", argv);
	error_errno("cannot run tail");
	return EXIT_FAIL;
}

static int guest_main(struct cmd_ctx *ctx)
{
	struct guest_args ga = {0};
	const struct option_spec options[] = {
		OPT_FACTOR('d', "dataplane", &ga.su.dataplane, F_DATAPLANE,
			   "DP", "the data plane"),
		OPT_FACTOR('m', "machine", &ga.su.machine, F_MACHINE, "M",
			   "pc, q35 or microvm"),
		OPT_FACTOR(0, "vhost", &ga.su.vhost, F_VHOST, "on|off",
			   "vhost-net for virtio-net"),
		OPT_FACTOR(0, "qemu", &ga.su.qemu, F_QEMU, "NAME[:PATH]",
			   "the QEMU build"),
		OPT_FACTOR(0, "macvtap", &ga.su.macvtap, F_MACVTAP, "MODE",
			   "passthru, bridge, vepa or private"),
		OPT_FLAG('f', "follow", &ga.follow,
			 "console: keep printing as the log grows"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	return cmd_run_verb(ctx, &ga);
}

static const struct command guest_verbs[] = {
	{.name = "start", .flags = CMD_CAMPAIGN | CMD_LOCK, .fn = guest_start},
	{.name = "stop", .flags = CMD_CAMPAIGN | CMD_PREFIX,
	 .fn = guest_stop},
	{.name = "console", .flags = CMD_CAMPAIGN | CMD_PREFIX, .max_args = 1,
	 .fn = guest_console},
	{NULL},
};

const struct command cmd_guest = {
	.name = "guest",
	.summary = "start, stop or watch the main guests",
	.fn = guest_main,
	.verbs = guest_verbs,
	.usage = "iovbench guest start [options] CAMPAIGN\n"
		 "       iovbench guest stop (CAMPAIGN | --prefix PREFIX)\n"
		 "       iovbench guest console [--follow] (CAMPAIGN | "
		 "--prefix PREFIX)\n"
		 "                              [sender | responder]",
	.doc = "start    boot the main guests on the campaign's testbed "
	       "(brought up\n"
	       "         if it is not) and wait until their agents answer and "
	       "their\n"
	       "         NICs have link; the guests keep running after the "
	       "command\n"
	       "stop     shut the main guests down (QMP quit)\n"
	       "console  print a guest's serial console log (default: "
	       "sender)\n",
};
