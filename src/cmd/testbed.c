// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench testbed up|down|status|check: autotest's setup-/teardown-
 * network, and its ping and upload (check, testbed/check.c).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/config.h"
#include "core/dataplane.h"
#include "host/facts.h"
#include "testbed/check.h"
#include "testbed/testbed.h"
#include "util/error.h"

struct testbed_args {
	int dp;
	int install;
};

/* --dataplane DP: a data plane the testbed itself starts guests on */
static int dataplane_option(const struct option_spec *o, const char *arg)
{
	int dp = dataplane_find(arg);

	if (dp < 0)
		return error("--dataplane: unknown data plane '%s'", arg);
	if (dataplane_vm(&dataplane_table[dp]))
		return error("--dataplane: %s has VM guests: bring the testbed "
			     "up, then 'iovbench guest start --dataplane %s'",
			     arg, arg);
	*(int *)o->value = dp;
	return 0;
}

static int testbed_up_cmd(struct cmd_ctx *ctx)
{
	const struct campaign *c = ctx->campaign;
	int dp = ((struct testbed_args *)ctx->args)->dp, ret = EXIT_FAIL;
	struct testbed tb;
	struct setup su;
	char a[32], b[32];

	testbed_init(&tb, c);
	memset(&su, 0, sizeof(su));
	su.dataplane = dp;
	if (testbed_up(&tb) || (dp >= 0 && testbed_guests_up(&tb, &su))) {
		testbed_teardown(&tb);
		goto out;
	}
	printf("testbed '%s' is up: namespaces %s and %s joined by %s\n",
	       c->prefix, tb.server_ns[SERVER_SENDER],
	       tb.server_ns[SERVER_RESPONDER], tb.nic);
	if (dp >= 0) {
		ipv4_format(tb.main[SERVER_SENDER].addr, a, sizeof(a));
		ipv4_format(tb.main[SERVER_RESPONDER].addr, b, sizeof(b));
		printf("main guests on %s: %s (%s) and %s (%s)\n"
		       "try: iovbench probe --netns %s %s\n",
		       dataplane_table[dp].name, tb.main[SERVER_SENDER].name,
		       a, tb.main[SERVER_RESPONDER].name, b,
		       tb.main[SERVER_SENDER].name, b);
	}
	printf("remove it with: iovbench testbed down --prefix %s\n",
	       c->prefix);
	ret = EXIT_OK;
out:
	testbed_release(&tb);
	return ret;
}

static int testbed_down_cmd(struct cmd_ctx *ctx)
{
	unsigned removed = 0;

	if (testbed_down(ctx->prefix, &removed))
		return EXIT_FAIL;
	printf("removed %u namespaces and links with prefix '%s'\n", removed,
	       ctx->prefix);
	return EXIT_OK;
}

static int testbed_status_cmd(struct cmd_ctx *ctx)
{
	struct strbuf out = STRBUF_INIT;
	int ret;

	ret = testbed_status(ctx->prefix, &out) ? EXIT_FAIL : EXIT_OK;
	fputs(out.buf, stdout);
	strbuf_release(&out);
	return ret;
}

static int testbed_check_cmd(struct cmd_ctx *ctx)
{
	const struct testbed_args *a = ctx->args;
	struct testbed_check_opts o = {.install = a->install,
				       .dry = ctx->dry_run};
	struct strbuf out = STRBUF_INIT;
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct plan p;
	int missing;

	exe[len > 0 ? len : 0] = '\0';
	/* a dry run's account is the same on every machine (goldens) */
	o.exe = o.dry ? "@iovbench" : exe;
	if (plan_build(ctx->campaign, campaign_caps(ctx->campaign), &p))
		return EXIT_FAIL;
	missing = testbed_check(ctx->campaign, &p, &o, &out);
	fputs(out.buf, stdout);
	if (!o.dry)
		printf("%s\n", missing ? "some servers lack what their tests "
					  "need" :
					  "every server has what its tests "
					  "need");
	strbuf_release(&out);
	plan_release(&p);
	return missing ? EXIT_FAIL : EXIT_OK;
}

static int testbed_main(struct cmd_ctx *ctx)
{
	struct testbed_args a = {.dp = -1};
	const struct option_spec options[] = {
		OPT_CALLBACK('d', "dataplane", &a.dp, "DP", dataplane_option,
			     "up: also start the main guests on DP"),
		OPT_FLAG(0, "install", &a.install,
			 "check: copy this iovbench to servers where it is "
			 "missing or older"),
		OPT_DRY_RUN(ctx, "check: print what would be run on each "
				 "server"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	return cmd_run_verb(ctx, &a);
}

static const struct command testbed_verbs[] = {
	{.name = "up", .flags = CMD_CAMPAIGN | CMD_LOCK, .fn = testbed_up_cmd},
	{.name = "down", .flags = CMD_CAMPAIGN | CMD_PREFIX | CMD_LOCK,
	 .fn = testbed_down_cmd},
	{.name = "status", .flags = CMD_CAMPAIGN | CMD_PREFIX,
	 .fn = testbed_status_cmd},
	{.name = "check", .flags = CMD_CAMPAIGN, .fn = testbed_check_cmd},
	{NULL},
};

const struct command cmd_testbed = {
	.name = "testbed",
	.summary = "build, inspect or remove a testbed",
	.fn = testbed_main,
	.verbs = testbed_verbs,
	.usage = "iovbench testbed up [--dataplane DP] CAMPAIGN\n"
		 "       iovbench testbed down (CAMPAIGN | --prefix PREFIX)\n"
		 "       iovbench testbed status (CAMPAIGN | --prefix PREFIX)\n"
		 "       iovbench testbed check [--install] [--dry-run] "
		 "CAMPAIGN",
	.doc = "up      build the campaign's testbed (servers, wire) and, "
	       "with\n"
	       "        --dataplane, its main guests on that data plane; it "
	       "stays\n"
	       "        up until 'down'. Leftovers with the prefix are removed "
	       "first.\n"
	       "down    remove every namespace, link and process carrying the\n"
	       "        prefix, including what a crashed run left behind\n"
	       "status  list the namespaces with the prefix, their links and\n"
	       "        processes\n"
	       "check   reach every server and ask for what the campaign's\n"
	       "        runnable tests need there: iovbench of this version "
	       "(real\n"
	       "        servers), QEMU, MoonGen or TRex (sender), "
	       "dpdk-testpmd;\n"
	       "        --install copies this iovbench where it is missing or "
	       "older\n",
};
