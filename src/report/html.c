// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The HTML report. The page is XHTML-compatible HTML5 (every element
 * closed, attributes quoted) so that an XML parser validates it, and
 * self-contained: the style is inline, the figures are the SVG gnuplot
 * made, pasted in (a scatter of too many points for SVG is a PNG
 * beside the page). The statistics are those of `iovbench stats`
 * (report/analysis.c), through the writer's HTML tables.
 */
#include "report/html.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/pairing.h"
#include "iov_config.h"
#include "report/analysis.h"
#include "report/figure.h"
#include "report/writer.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"

static const char style[] =
	"body{font-family:sans-serif;margin:2em;max-width:80em;color:#222}"
	"table{border-collapse:collapse;margin:1em 0;font-size:90%;"
	"display:block;overflow-x:auto}"
	"th,td{border:1px solid #bbb;padding:2px 6px}"
	"th{background:#eee}td.num{text-align:right;"
	"font-variant-numeric:tabular-nums}"
	"figure{margin:1.5em 0}figcaption{font-size:90%;color:#444}"
	".qual{background:#fff6d5;padding:0.5em;border:1px solid #e0c060}";

static const char *paper_metrics[] = {
	"rtt_p50_us", "rtt_p99_us", "overhead_p50_us", "response_p50_us",
	"cpu_busy_sender_pct", "cpu_busy_responder_pct",
};

static void esc(FILE *f, const char *s)
{
	writer_html_escape(f, s);
}

/* What the runs say about where they ran: campaigns, host facts. */
struct provenance {
	struct strbuf campaigns, hosts;
	size_t runs;
};

static void add_distinct_text(struct strbuf *sb, const char *v)
{
	if (!v || !*v || strstr(sb->buf, v))
		return;
	strbuf_addf(sb, "%s%s", sb->len ? "; " : "", v);
}

static const char *fact(json_t *host, const char *key)
{
	const char *v = json_string_value(json_object_get(host, key));

	return v ? v : "?";
}

static int provenance_row(const struct store_row *row, void *data)
{
	struct provenance *p = data;
	int i;

	p->runs++;
	for (i = 0; i < row->n; i++) {
		if (!row->values[i])
			continue;
		if (!strcmp(row->names[i], "campaign"))
			add_distinct_text(&p->campaigns, row->values[i]);
		if (!strcmp(row->names[i], "host")) {
			json_t *j = json_loads(row->values[i], 0, NULL);
			char host[300];

			if (!j)
				continue;
			/* the facts that qualify a latency */
			snprintf(host, sizeof(host),
				 "%s: kernel %s, %s, %lld CPUs, clocksource %s",
				 fact(j, "hostname"), fact(j, "kernel"),
				 fact(j, "cpu"),
				 (long long)json_integer_value(
					 json_object_get(j, "cpus")),
				 fact(j, "clocksource"));
			add_distinct_text(&p->hosts, host);
			json_decref(j);
		}
	}
	return 0;
}

/* "setting (servers): value" of each host_settings value, DISTORTS marked */
static int settings_item(const struct store_row *row, void *data)
{
	struct strbuf *sb = data;
	const char *const *v = row->values;

	if (row->n < 5 || !v[0] || !v[1])
		return 0;
	strbuf_addf(sb, "%s%s (%s): %s%s", sb->len ? "; " : "", v[0],
		    v[2] ? v[2] : "?", v[1],
		    v[4] && strcmp(v[4], "0") ? " DISTORTS" : "");
	return 0;
}

static void provenance(FILE *f, struct store *st)
{
	struct provenance p = {STRBUF_INIT, STRBUF_INIT, 0};
	struct strbuf settings = STRBUF_INIT;

	/* a database without runs has nothing to say: not an error */
	store_export(st, "runs", provenance_row, &p);
	fprintf(f, "<p>Campaign: <b>");
	esc(f, p.campaigns.len ? p.campaigns.buf : "unknown");
	fprintf(f, "</b>; %zu runs stored. Hosts: ", p.runs);
	esc(f, p.hosts.len ? p.hosts.buf : "not recorded");
	fprintf(f, ".</p>\n");
	/* the settings that move latency (docs/metrics.md, host hygiene) */
	store_settings(st, settings_item, &settings);
	if (settings.len) {
		fprintf(f, "<p class=\"qual\">Host settings of the runs: ");
		esc(f, settings.buf);
		fprintf(f, ".</p>\n");
	}
	strbuf_release(&settings);
	strbuf_release(&p.campaigns);
	strbuf_release(&p.hosts);
}

/* the distinct non-empty texts of a metric over every test */
static void distinct(const struct series *s, const char *name,
		     struct strbuf *out)
{
	int m = series_metric_find(s, name);
	size_t i;

	for (i = 0; m >= 0 && i < s->ntests; i++) {
		const struct metric_value *v = &s->tests[i].values[m];

		if (v->type != CELL_TEXT || !*v->s || v->placeholder ||
		    strstr(out->buf, v->s))
			continue;
		strbuf_addf(out, "%s%s", out->len ? ", " : "", v->s);
	}
}

static void qualifiers(FILE *f, const struct series *s)
{
	struct strbuf accel = STRBUF_INIT, vf = STRBUF_INIT, ts = STRBUF_INIT;

	distinct(s, "accel", &accel);
	distinct(s, "vf", &vf);
	distinct(s, "ts_source", &ts);
	fprintf(f, "<p class=\"qual\">What qualifies these numbers: guests' "
		   "accelerator <b>");
	esc(f, accel.len ? accel.buf : "none (containers)");
	fprintf(f, "</b>; VFs <b>");
	esc(f, vf.len ? vf.buf : "real or none");
	fprintf(f, "</b>; timestamps <b>");
	esc(f, ts.len ? ts.buf : "unknown");
	fprintf(f, "</b>. TCG guests are emulated: their RTTs are not "
		   "those of KVM; emulated VFs are not SR-IOV hardware.</p>\n");
	strbuf_release(&accel);
	strbuf_release(&vf);
	strbuf_release(&ts);
}

/* the tests, as the text report's tables: human columns */
static int tests_table(FILE *f, const struct series *s, bool observed)
{
	struct writer *w = writer_new(FORMAT_HTML, f);
	bool varies[FACTOR_COUNT];
	const char **names = xcalloc(s->nmetrics + 2, sizeof(char *));
	const char **values = xcalloc(s->nmetrics + 2, sizeof(char *));
	bool *numeric = xcalloc(s->nmetrics + 2, sizeof(bool));
	char (*buf)[64] = xcalloc(s->nmetrics + 2, sizeof(*buf));
	char label[256];
	size_t i;
	unsigned k;
	int n;

	pairing_varying(s, varies);
	for (i = 0; i < s->ntests; i++) {
		const struct series_test *t = &s->tests[i];
		struct store_row row;

		pairing_label(t, varies, -1, label, sizeof(label));
		n = 0;
		names[n] = "test";
		values[n++] = label;
		snprintf(buf[n], sizeof(buf[n]), "%u", t->runs);
		names[n] = "runs";
		numeric[n] = true;
		values[n] = buf[n];
		n++;
		for (k = 0; k < s->nmetrics; k++) {
			const struct metric *m = s->metrics[k];

			if (!(m->flags & METRIC_HUMAN) ||
			    !(m->flags & METRIC_OBSERVED) != !observed)
				continue;
			names[n] = m->human;
			numeric[n] = !(m->flags & METRIC_TEXT);
			if (t->values[k].type == CELL_NULL) {
				values[n++] = NULL;
				continue;
			}
			series_format(m, &t->values[k], true, buf[n],
				      sizeof(buf[n]));
			values[n] = buf[n];
			n++;
		}
		row = (struct store_row){n, names, values, numeric};
		writer_row(&row, w);
	}
	free(names);
	free(values);
	free(numeric);
	free(buf);
	return writer_finish(w);
}

/* an SVG file, from its <svg element on (no XML prolog, no DOCTYPE) */
static void inline_svg(FILE *f, const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char path[4200];
	const char *svg;

	snprintf(path, sizeof(path), "%s/%s.svg", dir, name);
	if (strbuf_read_file(&sb, path, 0) || !(svg = strstr(sb.buf, "<svg"))) {
		fprintf(f, "<p>(cannot read %s.svg)</p>\n", name);
		strbuf_release(&sb);
		return;
	}
	fputs(svg, f);
	strbuf_release(&sb);
}

static void figures(FILE *f, const char *dir, const struct figures *fg)
{
	size_t i;

	for (i = 0; i < fg->n; i++) {
		const struct figure *fig = &fg->v[i];

		fprintf(f, "<figure id=\"%s\">\n", fig->name);
		if (fig->rendered && fig->png)
			fprintf(f, "<img src=\"%s.png\" alt=\"%s\" "
				   "width=\"900\" height=\"460\"/>\n",
				fig->name, fig->name);
		else if (fig->rendered)
			inline_svg(f, dir, fig->name);
		else {
			fprintf(f, "<p>not rendered: ");
			esc(f, fig->why);
			fprintf(f, "</p>\n");
		}
		fprintf(f, "<figcaption>");
		esc(f, fig->title);
		fprintf(f, " (");
		esc(f, fig->qualifiers);
		fprintf(f, "). ");
		esc(f, fig->caption);
		fprintf(f, ". Script: <a href=\"%s.gp\">%s.gp</a>, data: "
			   "<a href=\"%s.dat\">%s.dat</a>.</figcaption>\n"
			   "</figure>\n",
			fig->name, fig->name, fig->name, fig->name);
	}
}

static int statistics(FILE *f, struct store *st, const struct series *s)
{
	struct analysis_opts o = {
		.by = -1,
		.level = 0.95,
		.metrics = paper_metrics,
		.nmetrics = ARRAY_SIZE(paper_metrics),
		.bound_ns = 10e3,
	};
	size_t rows = 0;
	struct writer *w;
	int ret;

	o.rows = &rows;
	fprintf(f, "<h2 id=\"wilcoxon\">Data planes compared (Wilcoxon "
		   "signed-rank)</h2>\n<p>Per pair of data planes, the tests "
		   "that differ in the data plane only are paired, over their "
		   "per-test values (medians for p50: the paper's table 3). "
		   "H0: no difference; rejected at 95 %% when p &lt; 0.05. The "
		   "shift is the Hodges-Lehmann estimate of b - a.</p>\n");
	o.factor = F_DATAPLANE;
	o.by = F_LOAD_LOCATION; /* the paper's "server" column */
	w = writer_new(FORMAT_HTML, f);
	ret = analysis_compare(st, s, &o, w);
	o.by = -1;
	ret |= writer_finish(w);
	fprintf(f, "<h2 id=\"probes\">Data planes compared over the probes "
		   "(Mann-Whitney U)</h2>\n<p>Per pair of tests, all probes of "
		   "either: with thousands of probes any difference is "
		   "significant, so read the shift (Hodges-Lehmann, with its "
		   "95 %% interval) and Cliff's delta (-1: b always lower, 1: "
		   "always higher).</p>\n");
	o.per_probe = true;
	w = writer_new(FORMAT_HTML, f);
	ret |= analysis_compare(st, s, &o, w);
	ret |= writer_finish(w);
	o.per_probe = false;
	fprintf(f, "<h2 id=\"kendall\">Trend with the background guests "
		   "(Kendall's tau-b)</h2>\n<p>Per group of tests that differ "
		   "in the number of background guests only (the paper's "
		   "figure 21): tau 1 means the metric rises with every "
		   "guest added.</p>\n");
	o.factor = F_BACKGROUND;
	w = writer_new(FORMAT_HTML, f);
	ret |= analysis_trend(s, &o, w);
	ret |= writer_finish(w);
	fprintf(f, "<h2 id=\"intervals\">How well the percentiles are "
		   "known</h2>\n<p>95 %% intervals from order statistics "
		   "(binomial ranks: no assumption on the distribution). A "
		   "p99 interval wider than 10 us, or none at all, needs more "
		   "probes.</p>\n");
	w = writer_new(FORMAT_HTML, f);
	ret |= analysis_intervals(st, s, &o, w);
	ret |= writer_finish(w);
	return ret ? -1 : 0;
}

int html_report(const char *dir, struct store *st, const char *db_path,
		char *path, size_t len)
{
	struct series s;
	struct figures fg = {0};
	FILE *f;
	int ret = -1;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return error_errno("cannot make '%s'", dir);
	if (store_load_series(st, NULL, 0, &s))
		return -1;
	if (figure_write_all(dir, st, &s, &fg))
		goto release;
	snprintf(path, len, "%s/index.html", dir);
	if (!(f = fopen(path, "w"))) {
		error_errno("cannot open '%s'", path);
		goto release;
	}
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		   "<meta charset=\"utf-8\"/>\n<title>iovbench report: ");
	esc(f, db_path);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
	fprintf(f, "<h1>iovbench report</h1>\n<p>Results database <code>");
	esc(f, db_path);
	fprintf(f, "</code>: %zu tests with complete runs. Made by iovbench "
		   "%s. Metrics: docs/metrics.md.</p>\n",
		s.ntests, IOV_VERSION);
	provenance(f, st);
	qualifiers(f, &s);
	fprintf(f, "<p><a href=\"#tests\">tests</a> | <a "
		   "href=\"#wilcoxon\">Wilcoxon</a> | <a href=\"#probes\">"
		   "probes</a> | <a href=\"#kendall\">Kendall</a> | <a "
		   "href=\"#intervals\">intervals</a> | <a href=\"#figures\">"
		   "figures</a></p>\n");
	fprintf(f, "<h2 id=\"tests\">Tests</h2>\n<p>RTT in microseconds "
		   "over all probes of all complete runs.</p>\n");
	ret = tests_table(f, &s, false);
	fprintf(f, "<h3>What the runs observed besides the RTT</h3>\n");
	ret |= tests_table(f, &s, true);
	ret |= statistics(f, st, &s);
	fprintf(f, "<h2 id=\"figures\">Figures</h2>\n");
	figures(f, dir, &fg);
	fprintf(f, "</body>\n</html>\n");
	if (fclose(f))
		ret = error_errno("cannot write '%s'", path);
	ret = ret ? -1 : 0;
release:
	figure_release(&fg);
	series_release(&s);
	return ret;
}
