// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench plan: the test tree, with what is done and what is to do. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/caps.h"
#include "core/config.h"
#include "core/plan.h"
#include "host/facts.h"
#include "net/netns.h"
#include "report/writer.h"
#include "store/store.h"
#include "util/error.h"

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
	if (store_settle_searches(s, p)) {
		store_close(s);
		return -1;
	}
	store_close(s);
	return 0;
}

/* For machines: a row per test, in run order, with its factors. */
static int plan_rows(const struct plan *p, enum writer_format fmt)
{
	const char *names[FACTOR_COUNT + 6], *values[FACTOR_COUNT + 6];
	bool numeric[FACTOR_COUNT + 6];
	char buf[FACTOR_COUNT + 6][64];
	struct writer *w = writer_new(fmt, stdout);
	size_t i;
	int f, n, ret = 0;

	for (i = 0; !ret && i < p->ntests; i++) {
		const struct test *t = &p->tests[i];
		unsigned reps = test_repetitions(t);
		struct store_row row;

		n = 0;
		names[n] = "test_id";
		numeric[n] = false;
		values[n++] = t->id;
		names[n] = "matrix";
		numeric[n] = false;
		values[n++] = t->matrix;
		for (f = 0; f < FACTOR_COUNT; f++) {
			if (factor_table[f].flags & FACTOR_NOT_IN_ID)
				continue;
			factor_format(f, t->v[f], buf[n], sizeof(buf[n]));
			names[n] = factor_table[f].name;
			/* a size mix is a word */
			numeric[n] = factor_table[f].kind == FACTOR_INT &&
				     !factor_word(f, t->v[f]);
			values[n] = buf[n];
			n++;
		}
		snprintf(buf[n], sizeof(buf[n]), "%u", reps);
		names[n] = "repetitions";
		numeric[n] = true;
		values[n] = buf[n];
		n++;
		snprintf(buf[n], sizeof(buf[n]), "%u", t->ndone);
		names[n] = "done";
		numeric[n] = true;
		values[n] = buf[n];
		n++;
		snprintf(buf[n], sizeof(buf[n]), "%u",
			 t->reason ? 0 : test_runs(t) - t->ndone);
		names[n] = "todo";
		numeric[n] = true;
		values[n] = buf[n];
		n++;
		names[n] = "refused";
		numeric[n] = false;
		values[n++] = t->reason; /* NULL: it can run here */
		row = (struct store_row){n, names, values, numeric};
		ret = writer_row(&row, w);
	}
	if (writer_finish(w))
		ret = -1;
	return ret;
}

/* --assume CAPS: the host to plan for, instead of this one */
struct assume {
	uint32_t caps;
	bool given;
};

static int assume_option(const struct option_spec *o, const char *arg)
{
	struct assume *a = o->value;

	if (caps_parse(arg, &a->caps))
		return error("--assume: '%s' is not a list of netns, qemu, "
			     "kvm, vhost-net, vfio, sriov",
			     arg);
	a->given = true;
	return 0;
}

static int plan_main(struct cmd_ctx *ctx)
{
	struct strbuf out = STRBUF_INIT;
	const char *results = NULL;
	struct assume assume = {0};
	struct campaign *c;
	struct plan p;
	uint32_t caps;
	unsigned flags = 0;
	enum writer_format fmt = FORMAT_TEXT;
	int ret = EXIT_FAIL;
	const struct option_spec options[] = {
		OPT_STRING('r', "results", &results, "DB",
			   "results database (default: the campaign's)"),
		OPT_SET('l', "list", &flags, PLAN_PRINT_RUNS,
			"also list every run to do, in order"),
		OPT_CALLBACK('a', "assume", &assume, "CAPS", assume_option,
			     "plan for a host with these capabilities instead "
			     "of this one: a comma list of netns, qemu, kvm, "
			     "vhost-net, vfio, sriov, or all/none"),
		OPT_SET(0, "csv", &fmt, FORMAT_CSV,
			"a row per test instead of the tree, as CSV"),
		OPT_SET(0, "json", &fmt, FORMAT_JSON,
			"a row per test instead of the tree, as JSON"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	c = ctx->campaign;
	caps = assume.given ? assume.caps : campaign_caps(c);
	if (plan_build(c, caps, &p))
		goto out;
	if (plan_load_done(&p, results ? results : c->results))
		goto plan;
	if (fmt != FORMAT_TEXT) {
		ret = plan_rows(&p, fmt) ? EXIT_FAIL : EXIT_OK;
		goto plan;
	}
	plan_print(&p, flags, &out);
	fputs(out.buf, stdout);
	ret = EXIT_OK;
plan:
	plan_release(&p);
out:
	strbuf_release(&out);
	return ret;
}

const struct command cmd_plan = {
	.name = "plan",
	.summary = "print a campaign's test tree, done and to do",
	.flags = CMD_CAMPAIGN,
	.fn = plan_main,
	.usage = "iovbench plan [options] CAMPAIGN",
	.doc = "Print the campaign's tests as a tree, in the order 'run' takes "
	       "them\n"
	       "(factors costly to set up change least often), with the runs "
	       "done\n"
	       "in the results database and the runs to do. Tests this host "
	       "cannot\n"
	       "run are shown with the reason. Creates nothing. A search "
	       "test\n"
	       "(search: ndr, pdr) shows 'search pdr: up to N trials': its "
	       "runs\n"
	       "count up to that bound until the stored trials end the "
	       "search.\n",
};
