// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench stats: significance tests and effect sizes over a results
 * database (report/analysis.c; docs/metrics.md defines them).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/pairing.h"
#include "report/analysis.h"
#include "report/writer.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strv.h"

/* The paper's metrics: RTT, the sender's overhead, the responder's
 * response time, CPU busy% per server. */
#define STATS_METRICS                                                        \
	"rtt_p50_us,rtt_p99_us,overhead_p50_us,response_p50_us,"             \
	"cpu_busy_sender_pct,cpu_busy_responder_pct"

#define WHERE_MAX 16

struct stats_args {
	enum writer_format fmt;
	const char *compare, *trend, *metrics, *per, *output, *by;
	int bound_us;
	struct pairing_where where[WHERE_MAX];
	size_t nwhere;
};

static int format_option(const struct option_spec *o, const char *arg)
{
	if (writer_format_find(arg, o->value))
		return error("--format: '%s' is not text, csv or json", arg);
	return 0;
}

static int where_option(const struct option_spec *o, const char *arg)
{
	struct stats_args *a = o->value;

	if (a->nwhere == WHERE_MAX)
		return error("--where: at most %d filters", WHERE_MAX);
	return pairing_where_parse(arg, &a->where[a->nwhere++]);
}

static int factor_arg(const char *opt, const char *name)
{
	int f = factor_find(name);

	if (f < 0 || (factor_table[f].flags & FACTOR_NOT_IN_ID)) {
		error("--%s: '%s' is not a factor of a test", opt, name);
		return -1;
	}
	return f;
}

static int stats_main(struct cmd_ctx *ctx)
{
	struct stats_args a = {0};
	size_t rows = 0;
	struct analysis_opts o = {.level = 0.95, .rows = &rows};
	struct strv names = STRV_INIT;
	struct series s;
	struct store *st;
	struct writer *w;
	FILE *out = stdout;
	char *list, *tok, *save = NULL;
	bool failed;
	int ret = EXIT_FAIL;
	const struct option_spec options[] = {
		OPT_STRING('c', "compare", &a.compare, "FACTOR",
			   "Wilcoxon signed-rank per pair of values of FACTOR, "
			   "paired on every other factor"),
		OPT_STRING(0, "trend", &a.trend, "FACTOR",
			   "Kendall's tau-b of each metric against FACTOR, per "
			   "group of tests that differ in it only"),
		OPT_STRING(0, "by", &a.by, "FACTOR",
			   "--compare within each value of FACTOR (the "
			   "paper's table 3: --by load_location)"),
		OPT_STRING('m', "metric", &a.metrics, "LIST",
			   "comma-separated series metrics (report --csv's "
			   "columns) that --compare and --trend test",
			   .def = STATS_METRICS),
		OPT_STRING(0, "per", &a.per, "WHAT",
			   "test: pair tests' values (the paper); probe: "
			   "compare the probes of each pair of tests "
			   "(Mann-Whitney, Hodges-Lehmann, Cliff's delta)",
			   .def = "test"),
		OPT_INT(0, "bound", &a.bound_us, "US", 0, 1000000,
			"flag a test whose 95 % interval of p99 is wider "
			"than US microseconds",
			.def = "10"),
		OPT_CALLBACK('w', "where", &a, "FACTOR=VALUE", where_option,
			     "only tests with this value (repeatable)"),
		OPT_CALLBACK('f', "format", &a.fmt, "FMT", format_option,
			     "text, csv or json", .def = "text"),
		OPT_SET(0, "csv", &a.fmt, FORMAT_CSV, "same as --format csv"),
		OPT_SET(0, "json", &a.fmt, FORMAT_JSON,
			"same as --format json"),
		OPT_STRING('o', "output", &a.output, "FILE",
			   "write to FILE instead of standard output"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (a.compare && a.trend) {
		error("--compare and --trend: one at a time");
		return EXIT_USAGE;
	}
	if (strcmp(a.per, "test") && strcmp(a.per, "probe")) {
		error("--per: '%s' is not test or probe", a.per);
		return EXIT_USAGE;
	}
	o.per_probe = !strcmp(a.per, "probe");
	o.bound_ns = a.bound_us * 1e3;
	o.factor = -1;
	o.by = -1;
	if (a.by && (o.by = factor_arg("by", a.by)) < 0)
		return EXIT_USAGE;
	if ((a.compare && (o.factor = factor_arg("compare", a.compare)) < 0) ||
	    (a.trend && (o.factor = factor_arg("trend", a.trend)) < 0))
		return EXIT_USAGE;
	if (store_open(ctx->argv[0], STORE_READ, &st))
		return EXIT_FAIL;
	if (store_load_series(st, NULL, 0, &s))
		goto close;
	if (!pairing_filter(&s, a.where, a.nwhere))
		fprintf(stderr, "stats: no complete runs%s\n",
			a.nwhere ? " of tests that match --where" : "");
	list = xstrdup(a.metrics);
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int m = series_metric_find(&s, tok);

		if (m < 0 || (s.metrics[m]->flags & METRIC_TEXT)) {
			error("--metric: '%s' is not a numeric metric "
			      "(report --csv lists them)",
			      tok);
			free(list);
			strv_clear(&names);
			ret = EXIT_USAGE;
			goto release;
		}
		strv_push(&names, tok);
	}
	free(list);
	o.metrics = (const char *const *)names.v;
	o.nmetrics = names.n;
	if (a.output && !(out = fopen(a.output, "w"))) {
		error_errno("cannot open '%s'", a.output);
		goto names;
	}
	w = writer_new(a.fmt, out);
	if (a.compare)
		failed = analysis_compare(st, &s, &o, w) != 0;
	else if (a.trend)
		failed = analysis_trend(&s, &o, w) != 0;
	else
		failed = analysis_intervals(st, &s, &o, w) != 0;
	if (writer_finish(w))
		failed = true;
	/* an empty table would look like a bug */
	if (!failed && !rows && (a.compare || a.trend))
		fprintf(stderr,
			"stats: no two tests differ in '%s' only, with a "
			"value of the metrics\n",
			a.compare ? a.compare : a.trend);
	if (out != stdout && fclose(out)) {
		error_errno("cannot write '%s'", a.output);
		failed = true;
	}
	ret = failed ? EXIT_FAIL : EXIT_OK;
names:
	strv_clear(&names);
release:
	series_release(&s);
close:
	store_close(st);
	return ret;
}

const struct command cmd_stats = {
	.name = "stats",
	.summary = "significance tests, effect sizes, intervals",
	.fn = stats_main,
	.usage = "iovbench stats [options] RESULTS.db",
	.doc = "Without --compare or --trend: per test, the RTT's p50, p99 "
	       "and p99.9\n"
	       "with 95 % intervals from order statistics (binomial ranks, "
	       "no\n"
	       "assumption on the distribution), and whether p99 is known "
	       "to --bound.\n"
	       "--compare FACTOR: per pair of its values, the Wilcoxon "
	       "signed-rank\n"
	       "test over tests that differ in FACTOR only (the paper's "
	       "table 3), or\n"
	       "with --per probe, Mann-Whitney U, the Hodges-Lehmann shift "
	       "with its\n"
	       "interval and Cliff's delta over each pair's probes. --trend "
	       "FACTOR:\n"
	       "Kendall's tau-b against an ordered factor (the paper's "
	       "figure 21).\n"
	       "Each row says what it paired (\"over\") and reads itself "
	       "in words.\n",
	.footer = "Definitions: docs/metrics.md (statistics).\n",
	.min_args = 1,
	.max_args = 1,
};
