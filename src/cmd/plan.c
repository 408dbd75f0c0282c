// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench plan: the test tree, with what is done and what is to do. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/caps.h"
#include "core/config.h"
#include "core/plan.h"
#include "host/facts.h"
#include "net/netns.h"
#include "store/store.h"
#include "util/error.h"

static const char usage_text[] =
	"usage: iovbench plan [options] CAMPAIGN\n"
	"\n"
	"Print the campaign's tests as a tree, in the order 'run' takes them\n"
	"(factors costly to set up change least often), with the runs done\n"
	"in the results database and the runs to do. Tests this host cannot\n"
	"run are shown with the reason. Creates nothing.\n"
	"\n"
	"  -r, --results DB     results database (default: the campaign's)\n"
	"  -l, --list           also list every run to do, in order\n"
	"  -a, --assume CAPS    plan for a host with these capabilities\n"
	"                       instead of this one: a comma list of netns,\n"
	"                       qemu, kvm, vhost-net, vfio, sriov, or all/none\n"
	"  -h, --help           this text\n";

/* Mark what the results database holds; a missing database is empty. */
int plan_load_done(struct plan *p, const char *results)
{
	struct store *s;
	char **ids;
	size_t n;

	if (access(results, F_OK))
		return 0;
	if (store_open(results, STORE_READ, &s))
		return -1;
	if (store_complete_runs(s, &ids, &n)) {
		store_close(s);
		return -1;
	}
	plan_mark_done(p, ids, n);
	strv_free(ids, n);
	store_close(s);
	return 0;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"results", required_argument, NULL, 'r'},
		{"list", no_argument, NULL, 'l'},
		{"assume", required_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct strbuf out = STRBUF_INIT;
	const char *results = NULL;
	struct campaign c;
	struct plan p;
	uint32_t caps = 0;
	unsigned flags = 0;
	int ch, assume = 0, ret = EXIT_FAIL;

	while ((ch = getopt_long(argc, argv, "r:la:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			results = optarg;
			break;
		case 'l':
			flags |= PLAN_PRINT_RUNS;
			break;
		case 'a':
			if (caps_parse(optarg, &caps)) {
				error("--assume: '%s' is not a list of netns, "
				      "qemu, kvm, vhost-net, vfio, sriov",
				      optarg);
				return EXIT_USAGE;
			}
			assume = 1;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind + 1 != argc)
		cmd_usage(usage_text, EXIT_USAGE);
	if (config_load(argv[optind], &c))
		return EXIT_USAGE;
	if (!assume)
		caps = campaign_caps(&c);
	if (plan_build(&c, caps, &p))
		goto campaign;
	if (plan_load_done(&p, results ? results : c.results))
		goto plan;
	plan_print(&p, flags, &out);
	fputs(out.buf, stdout);
	ret = EXIT_OK;
plan:
	plan_release(&p);
campaign:
	config_release(&c);
	strbuf_release(&out);
	return ret;
}
