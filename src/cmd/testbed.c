// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench testbed up|down|status: autotest's setup-/teardown-network. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/config.h"
#include "core/dataplane.h"
#include "testbed/testbed.h"
#include "util/error.h"

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
	int dp = *(int *)ctx->args, ret = EXIT_FAIL;
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

static int testbed_main(struct cmd_ctx *ctx)
{
	int dp = -1;
	const struct option_spec options[] = {
		OPT_CALLBACK('d', "dataplane", &dp, "DP", dataplane_option,
			     "also start the main guests on DP"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	return cmd_run_verb(ctx, &dp);
}

static const struct command testbed_verbs[] = {
	{.name = "up", .flags = CMD_CAMPAIGN | CMD_LOCK, .fn = testbed_up_cmd},
	{.name = "down", .flags = CMD_CAMPAIGN | CMD_PREFIX | CMD_LOCK,
	 .fn = testbed_down_cmd},
	{.name = "status", .flags = CMD_CAMPAIGN | CMD_PREFIX,
	 .fn = testbed_status_cmd},
	{NULL},
};

const struct command cmd_testbed = {
	.name = "testbed",
	.summary = "build, inspect or remove a testbed",
	.fn = testbed_main,
	.verbs = testbed_verbs,
	.usage = "iovbench testbed up [--dataplane DP] CAMPAIGN\n"
		 "       iovbench testbed down (CAMPAIGN | --prefix PREFIX)\n"
		 "       iovbench testbed status (CAMPAIGN | --prefix PREFIX)",
	.doc = "up      build the campaign's testbed (servers, wire) and, "
	       "with\n"
	       "        --dataplane, its main guests on that data plane; it "
	       "stays\n"
	       "        up until 'down'. Leftovers with the prefix are removed "
	       "first.\n"
	       "down    remove every namespace, link and process carrying the\n"
	       "        prefix, including what a crashed run left behind\n"
	       "status  list the namespaces with the prefix, their links and\n"
	       "        processes\n",
};
