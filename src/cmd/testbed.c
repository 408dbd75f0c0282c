// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench testbed up|down|status: autotest's setup-/teardown-network. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/config.h"
#include "core/dataplane.h"
#include "testbed/testbed.h"
#include "util/error.h"

static const char usage_text[] =
	"usage: iovbench testbed up [--dataplane DP] CAMPAIGN\n"
	"       iovbench testbed down (CAMPAIGN | --prefix PREFIX)\n"
	"       iovbench testbed status (CAMPAIGN | --prefix PREFIX)\n"
	"\n"
	"up      build the campaign's testbed (servers, wire) and, with\n"
	"        --dataplane, its main guests on that data plane; it stays\n"
	"        up until 'down'. Leftovers with the prefix are removed first.\n"
	"down    remove every namespace, link and process carrying the\n"
	"        prefix, including what a crashed run left behind\n"
	"status  list the namespaces with the prefix, their links and\n"
	"        processes\n"
	"\n"
	"  -d, --dataplane DP   also start the main guests on DP\n"
	"  -P, --prefix PREFIX  the prefix, instead of reading a campaign\n"
	"  -h, --help           this text\n";

static int testbed_up_cmd(const struct campaign *c, const char *dp_name)
{
	struct testbed tb;
	struct setup su;
	char a[32], b[32];
	int dp = -1, lock, ret = EXIT_FAIL;

	if (dp_name) {
		dp = dataplane_find(dp_name);
		if (dp < 0) {
			error("--dataplane: unknown data plane '%s'", dp_name);
			return EXIT_USAGE;
		}
		if (dataplane_vm(&dataplane_table[dp])) {
			error("--dataplane: %s has VM guests: bring the testbed "
			      "up, then 'iovbench guest start --dataplane %s'",
			      dp_name, dp_name);
			return EXIT_USAGE;
		}
	}
	lock = testbed_lock(c->prefix);
	if (lock < 0)
		return EXIT_FAIL;
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

int cmd_testbed(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dataplane", required_argument, NULL, 'd'},
		{"prefix", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *dp = NULL, *prefix = NULL, *verb;
	struct campaign c;
	int ch, ret, have_campaign = 0;

	while ((ch = getopt_long(argc, argv, "d:P:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dp = optarg;
			break;
		case 'P':
			prefix = optarg;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind >= argc)
		cmd_usage(usage_text, EXIT_USAGE);
	verb = argv[optind++];
	if (optind < argc) {
		if (prefix || optind + 1 != argc)
			cmd_usage(usage_text, EXIT_USAGE);
		if (config_load(argv[optind], &c))
			return EXIT_USAGE;
		have_campaign = 1;
		prefix = c.prefix;
	} else if (!prefix || !strcmp(verb, "up")) {
		cmd_usage(usage_text, EXIT_USAGE);
	} else if (!config_prefix_valid(prefix)) {
		error("--prefix: '%s' is not 1-6 lowercase letters and digits "
		      "starting with a letter",
		      prefix);
		return EXIT_USAGE;
	}

	if (!strcmp(verb, "up")) {
		ret = testbed_up_cmd(&c, dp);
	} else if (!strcmp(verb, "down")) {
		unsigned removed = 0;

		ret = testbed_lock(prefix) < 0 ||
				      testbed_down(prefix, &removed) ?
			      EXIT_FAIL :
			      EXIT_OK;
		if (!ret)
			printf("removed %u namespaces and links with prefix "
			       "'%s'\n",
			       removed, prefix);
	} else if (!strcmp(verb, "status")) {
		struct strbuf out = STRBUF_INIT;

		ret = testbed_status(prefix, &out) ? EXIT_FAIL : EXIT_OK;
		fputs(out.buf, stdout);
		strbuf_release(&out);
	} else {
		error("unknown testbed action '%s' (up, down or status)", verb);
		ret = EXIT_USAGE;
	}
	if (have_campaign)
		config_release(&c);
	return ret;
}
