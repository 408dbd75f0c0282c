// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench run: carry out a campaign and store every run. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/config.h"
#include "core/plan.h"
#include "host/facts.h"
#include "report/summary.h"
#include "runner/runner.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"

static const char usage_text[] =
	"usage: iovbench run [options] CAMPAIGN\n"
	"\n"
	"Build the campaign's testbed, set up the main guests once per data\n"
	"plane, run every test's repetitions that the results database does\n"
	"not hold yet, store each run (with every probe) as it completes,\n"
	"remove the testbed, and print a summary per test.\n"
	"\n"
	"Interrupt it at any time (Ctrl-C, kill, even kill -9): runs already\n"
	"stored are kept, and running it again resumes with the rest.\n"
	"Leftovers of a crashed run are removed when it starts.\n"
	"\n"
	"  -r, --results DB   results database (default: the campaign's\n"
	"                     'results' key, results.db)\n"
	"  -n, --dry-run      create, run and store nothing: print every\n"
	"                     operation on each server, and what would be\n"
	"                     waited for and measured, in order\n"
	"  -h, --help         this text\n"
	"\n"
	"Must run as root (namespaces, raw sockets). See 'iovbench plan' for\n"
	"what a run would do, docs/config.md for campaign files.\n";

static int print_summary(const struct campaign *c, const char *results)
{
	struct plan p;
	struct store *s;
	char **ids;
	size_t i;
	int ret;

	if (plan_build(c, campaign_caps(c), &p))
		return -1;
	ids = xcalloc(p.ntests + 1, sizeof(*ids));
	for (i = 0; i < p.ntests; i++)
		ids[i] = p.tests[i].id;
	ret = store_open(results, STORE_READ, &s);
	if (!ret) {
		ret = report_summary(s, ids, p.ntests, FORMAT_TEXT, stdout);
		store_close(s);
	}
	free(ids);
	plan_release(&p);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"results", required_argument, NULL, 'r'},
		{"dry-run", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct runner_outcome out;
	struct runner_opts ro = {0};
	char abs[PATH_MAX];
	struct campaign c;
	struct strbuf dry_out = STRBUF_INIT;
	const char *file;
	int ch, ret, dry = 0;

	while ((ch = getopt_long(argc, argv, "r:nh", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			ro.results = optarg;
			break;
		case 'n':
			dry = 1;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind + 1 != argc)
		cmd_usage(usage_text, EXIT_USAGE);
	file = argv[optind];
	/* parse before anything is created: a bad file changes nothing */
	if (strbuf_read_file(&text, file, CONFIG_MAX_BYTES + 1)) {
		error_errno("cannot read campaign '%s'", file);
		return EXIT_USAGE;
	}
	if (config_parse(file, text.buf, text.len, &c, &err)) {
		fputs(err.buf, stderr);
		strbuf_release(&err);
		strbuf_release(&text);
		return EXIT_USAGE;
	}
	if (dry) {
		ro.dry = &dry_out;
		ro.config = text.buf;
		ret = runner_run(&c, &ro, &out) ? EXIT_FAIL : EXIT_OK;
		fputs(dry_out.buf, stdout);
		strbuf_release(&dry_out);
		goto out;
	}
	if (geteuid() != 0) {
		error("run needs root: it creates network namespaces and raw "
		      "sockets");
		ret = EXIT_FAIL;
		goto out;
	}
	ro.config = text.buf;
	if (!ro.results)
		ro.results = c.results;
	cmd_install_stop_handler();
	ro.stop = &cmd_stop;
	ret = runner_run(&c, &ro, &out);
	if (out.skipped && !out.stored && !out.failed && !ret && !out.todo)
		fprintf(stderr, "nothing to do: all %zu runs are complete\n",
			out.skipped);
	if (out.not_runnable)
		fprintf(stderr, "%zu runs cannot run on this host ('iovbench "
				"plan %s' says why)\n",
			out.not_runnable, file);
	if (ret == -EINTR) {
		fprintf(stderr, "interrupted: %zu runs stored now, %zu to do; "
				"run again to resume\n",
			out.stored, out.todo);
		ret = EXIT_INTERRUPT;
		goto out;
	}
	if (!access(ro.results, F_OK)) {
		print_summary(&c, ro.results);
		if (!realpath(ro.results, abs))
			snprintf(abs, sizeof(abs), "%s", ro.results);
		printf("\n%zu runs stored now, %zu before; %zu failed\n"
		       "results: %s\nreport:  iovbench report %s\n",
		       out.stored, out.skipped, out.failed, abs, abs);
	}
	ret = ret ? EXIT_FAIL : out.failed ? EXIT_FAIL : EXIT_OK;
out:
	config_release(&c);
	strbuf_release(&text);
	return ret;
}
