// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench report: statistics of a results database; CSV and JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/pairing.h"
#include "report/html.h"
#include "report/summary.h"
#include "report/writer.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/suggest.h"

/* A table store_export() has: tests, runs, or an exported meter table. */
static bool report_table_known(const char *name)
{
	unsigned k;
	const struct meter_def *d = meter_table_find(name, &k);

	return !strcmp(name, "tests") || !strcmp(name, "runs") ||
	       (d && !d->tables[k].export_as);
}

static int format_option(const struct option_spec *o, const char *arg)
{
	if (writer_format_find(arg, o->value))
		return error("--format: '%s' is not text, csv, json or "
			     "ndjson",
			     arg);
	return 0;
}

#define WHERE_MAX 16

struct report_where {
	struct pairing_where v[WHERE_MAX];
	size_t n;
};

static int where_option(const struct option_spec *o, const char *arg)
{
	struct report_where *w = o->value;

	if (w->n == WHERE_MAX)
		return error("--where: at most %d filters", WHERE_MAX);
	return pairing_where_parse(arg, &w->v[w->n++]);
}

/* The summary of the tests that pass the filters. */
static int summary_where(struct store *s, const struct report_where *w,
			 enum writer_format fmt, FILE *out)
{
	struct series all;
	char **ids;
	size_t i, n;
	int ret;

	if (store_load_series(s, NULL, 0, &all))
		return -1;
	n = pairing_filter(&all, w->v, w->n);
	ids = xcalloc(n ? n : 1, sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = all.tests[i].id;
	ret = n ? report_summary(s, ids, n, fmt, out) :
		  (fprintf(out, "no test matches --where\n"), 0);
	free(ids);
	series_release(&all);
	return ret;
}

/* A summary per value of factor f, each under a line naming it. */
static int summary_grouped(struct store *s, struct report_where *w, int f,
			   FILE *out)
{
	struct series all;
	int64_t *vals;
	size_t nv, i;
	int ret = 0;

	if (w->n == WHERE_MAX)
		return error("--group-by: at most %d filters with --where",
			     WHERE_MAX - 1);
	if (store_load_series(s, NULL, 0, &all))
		return -1;
	pairing_filter(&all, w->v, w->n);
	nv = pairing_values(&all, f, &vals);
	series_release(&all);
	w->n++;
	for (i = 0; !ret && i < nv; i++) {
		char v[64];

		factor_format_human(f, vals[i], v, sizeof(v));
		fprintf(out, "%s== %s=%s\n", i ? "\n" : "",
			factor_table[f].name, v);
		w->v[w->n - 1] = (struct pairing_where){f, vals[i]};
		ret = summary_where(s, w, FORMAT_TEXT, out);
	}
	w->n--;
	free(vals);
	return ret;
}

static int report_main(struct cmd_ctx *ctx)
{
	const char *group_by = NULL;
	int group = -1;
	struct report_where where = {0};
	enum writer_format fmt;
	const char *table = NULL, *output = NULL, *html = NULL;
	struct store *s;
	FILE *out = stdout;
	int ret;
	const struct option_spec options[] = {
		OPT_CALLBACK('f', "format", &fmt, "FMT", format_option,
			     "text, csv, json, or ndjson (an object a line)",
			     .def = "text"),
		OPT_SET(0, "csv", &fmt, FORMAT_CSV, "same as --format csv"),
		OPT_SET(0, "json", &fmt, FORMAT_JSON, "same as --format json"),
		OPT_SET(0, "ndjson", &fmt, FORMAT_NDJSON,
			"same as --format ndjson"),
		OPT_STRING('t', "table", &table, "TABLE",
			   "summary: statistics per test; tests, runs or "
			   "probes: the stored rows; captures, loads, cpu or "
			   "processes: what each run observed besides its "
			   "probes",
			   .def = "summary"),
		OPT_STRING('o', "output", &output, "FILE",
			   "write to FILE instead of standard output"),
		OPT_CALLBACK('w', "where", &where, "FACTOR=VALUE",
			     where_option,
			     "summary: only tests with this value "
			     "(repeatable)"),
		OPT_STRING('g', "group-by", &group_by, "FACTOR",
			   "text summary: one table per value of FACTOR"),
		OPT_STRING(0, "html", &html, "DIR",
			   "write DIR/index.html: tests, statistics, figures "
			   "(SVG, with their gnuplot scripts and data)"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (group_by) {
		group = factor_find(group_by);
		if (group < 0 ||
		    (factor_table[group].flags & FACTOR_NOT_IN_ID)) {
			error("--group-by: '%s' is not a factor of a test",
			      group_by);
			return EXIT_USAGE;
		}
		if (fmt != FORMAT_TEXT || strcmp(table, "summary") || html) {
			error("--group-by: for the text summary (CSV and JSON "
			      "have every factor as a column)");
			return EXIT_USAGE;
		}
	}
	if (where.n && (strcmp(table, "summary") || html)) {
		error("--where: filters the summary only");
		return EXIT_USAGE;
	}
	if (strcmp(table, "summary") && !report_table_known(table)) {
		struct strbuf names = STRBUF_INIT;
		struct strv v = STRV_INIT;
		const char *p, *near;

		store_export_names(&names);
		strv_push(&v, "summary");
		for (p = names.buf; *p; p += strspn(p, ", ")) {
			size_t n = strcspn(p, ",");

			strv_pushf(&v, "%.*s", (int)n, p);
			p += n;
		}
		near = suggest_closest(table, (const char *const *)v.v, v.n);
		error("--table: '%s' is not summary, %s%s%s%s", table,
		      names.buf, near ? " (did you mean '" : "",
		      near ? near : "", near ? "'?)" : "");
		strv_clear(&v);
		strbuf_release(&names);
		return EXIT_USAGE;
	}
	if (store_open(ctx->argv[0], STORE_READ, &s))
		return EXIT_FAIL;
	if (html) {
		char page[4200];

		ret = html_report(html, s, ctx->argv[0], page, sizeof(page));
		if (!ret)
			printf("report: %s\n", page);
		store_close(s);
		return ret ? EXIT_FAIL : EXIT_OK;
	}
	if (output && !(out = fopen(output, "w"))) {
		error_errno("cannot open '%s'", output);
		store_close(s);
		return EXIT_FAIL;
	}
	if (group >= 0) {
		ret = summary_grouped(s, &where, group, out);
	} else if (!strcmp(table, "summary") && where.n) {
		ret = summary_where(s, &where, fmt, out);
	} else if (!strcmp(table, "summary")) {
		ret = report_summary(s, NULL, 0, fmt, out);
	} else {
		struct writer *w = writer_new(fmt, out);

		ret = store_export(s, table, writer_row, w);
		if (writer_finish(w))
			ret = -1;
	}
	if (out != stdout && fclose(out))
		ret = error_errno("cannot write '%s'", output);
	store_close(s);
	return ret ? EXIT_FAIL : EXIT_OK;
}

const struct command cmd_report = {
	.name = "report",
	.summary = "statistics of a results database; CSV/JSON; HTML page",
	.fn = report_main,
	.usage = "iovbench report [options] RESULTS.db",
	.doc = "Print, per test, the runs, loss and the RTT distribution over "
	       "all\n"
	       "repetitions (min, p25, p50, p75, p90, p99, max, mean, stdev), "
	       "with\n"
	       "the factor values as columns, then where the RTT went "
	       "(capture\n"
	       "points), CPU busy%, the background load achieved, its "
	       "fairness and\n"
	       "the interference it caused; or export the tests, runs or "
	       "every\n"
	       "probe as CSV or JSON for pandas or R. Load-latency tests: "
	       "offered,\n"
	       "sent and received load, loss, latency percentiles, the load "
	       "limit;\n"
	       "searches: NDR, PDR (offered and sent), latency at 10, 50, 90 "
	       "% of\n"
	       "PDR. Only complete runs count.\n"
	       "The text report starts with the servers' settings that move "
	       "latency\n"
	       "in the runs (governor, turbo, C-states, SMT, bridge "
	       "netfilter, RPS;\n"
	       "--table host_settings has them per run); with capture: [on, "
	       "off],\n"
	       "cap_cost is what the capture points add to each data "
	       "plane's p50.\n"
	       "Works while a campaign is running (the database is in WAL "
	       "mode).\n"
	       "--html DIR writes one static page with the tables, the "
	       "statistics of\n"
	       "'iovbench stats' and the figures (gnuplot), and prints its "
	       "path.\n",
	.footer = "Columns are defined in docs/metrics.md and "
		  "docs/results.md.\n",
	.min_args = 1,
	.max_args = 1,
};
