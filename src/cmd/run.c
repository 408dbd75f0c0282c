// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench run: carry out a campaign and store every run. */
#include <errno.h>
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

static int run_main(struct cmd_ctx *ctx)
{
	struct runner_outcome out;
	struct runner_opts ro = {0};
	char abs[PATH_MAX];
	struct campaign *c;
	struct strbuf dry_out = STRBUF_INIT;
	const char *file;
	int ret;
	const struct option_spec options[] = {
		OPT_STRING('r', "results", &ro.results, "DB",
			   "results database (default: the campaign's "
			   "'results' key, results.db)"),
		OPT_DRY_RUN(ctx, "create, run and store nothing: print every "
				 "operation on each server, and what would be "
				 "waited for and measured, in order"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	c = ctx->campaign;
	file = c->file;
	if (ctx->dry_run) {
		ro.dry = &dry_out;
		ro.config = ctx->campaign_text->buf;
		ret = runner_run(c, &ro, &out) ? EXIT_FAIL : EXIT_OK;
		fputs(dry_out.buf, stdout);
		strbuf_release(&dry_out);
		return ret;
	}
	ro.config = ctx->campaign_text->buf;
	if (!ro.results)
		ro.results = c->results;
	cmd_install_stop_handler();
	ro.stop = &cmd_stop;
	ret = runner_run(c, &ro, &out);
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
		return EXIT_INTERRUPT;
	}
	if (!access(ro.results, F_OK)) {
		print_summary(c, ro.results);
		if (!realpath(ro.results, abs))
			snprintf(abs, sizeof(abs), "%s", ro.results);
		printf("\n%zu runs stored now, %zu before; %zu failed\n"
		       "results: %s\nreport:  iovbench report %s\n",
		       out.stored, out.skipped, out.failed, abs, abs);
	}
	return ret ? EXIT_FAIL : out.failed ? EXIT_FAIL : EXIT_OK;
}

const struct command cmd_run = {
	.name = "run",
	.summary = "run a campaign: testbed, guests, probes, results",
	.flags = CMD_CAMPAIGN | CMD_ROOT,
	.root_why = "it creates network namespaces and raw sockets",
	.fn = run_main,
	.usage = "iovbench run [options] CAMPAIGN",
	.doc = "Build the campaign's testbed, set up the main guests once per "
	       "data\n"
	       "plane, run every test's repetitions that the results database "
	       "does\n"
	       "not hold yet, store each run (with every probe) as it "
	       "completes,\n"
	       "remove the testbed, and print a summary per test.\n"
	       "\n"
	       "Interrupt it at any time (Ctrl-C, kill, even kill -9): runs "
	       "already\n"
	       "stored are kept, and running it again resumes with the rest.\n"
	       "Leftovers of a crashed run are removed when it starts.\n",
	.footer = "Must run as root (namespaces, raw sockets). See 'iovbench "
		  "plan' for\n"
		  "what a run would do, docs/config.md for campaign files.\n",
};
