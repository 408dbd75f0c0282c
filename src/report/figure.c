// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The figures' scripts and data. The scripts are plain gnuplot 5 with
 * the data file named relative to the script, so the directory can be
 * moved; gnuplot is run with its working directory there.
 */
#include "report/figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/pairing.h"
#include "core/ranktest.h"
#include "core/stats.h"
#include "host/proc.h"
#include "util/alloc.h"
#include "util/error.h"

#define CDF_POINTS 400 /* per test: enough for a smooth curve in SVG */
/* more points than this in a scatter: PNG, not an SVG of megabytes */
#define SCATTER_SVG_MAX 20000
#define GNUPLOT_TIMEOUT_NS (60 * 1000000000LL)

struct panel {
	size_t *tests; /* indexes into s->tests, series order */
	size_t n;
	int64_t *dps, *bgs; /* distinct data planes, backgrounds */
	size_t ndp, nbg;
	char label[256];	/* what the panel's tests share */
	char qualifiers[200];	/* accel, VFs, timestamps */
};

static bool same_panel(const struct series_test *a,
		       const struct series_test *b)
{
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		if (f == F_BACKGROUND || f == F_DATAPLANE ||
		    (factor_table[f].flags & FACTOR_NOT_IN_ID))
			continue;
		if (a->v[f] != b->v[f])
			return false;
	}
	return true;
}

/* r is the reference of a panel of b's: b's data plane may differ */
static bool reference_of(const struct series_test *r,
			 const struct series_test *b)
{
	struct series_test same_dp = *b;

	same_dp.v[F_DATAPLANE] = r->v[F_DATAPLANE];
	return pairing_reference_of(r, &same_dp);
}

static size_t add_distinct(int64_t *v, size_t n, int64_t x)
{
	size_t i;

	for (i = 0; i < n && v[i] != x; i++)
		;
	if (i == n)
		v[n++] = x;
	return n;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* the distinct texts of metric name over the panel, "a/b" */
static void distinct_text(const struct series *s, const struct panel *p,
			  const char *name, char *buf, size_t len)
{
	int m = series_metric_find(s, name);
	size_t i, used = 0;

	buf[0] = '\0';
	if (m < 0)
		return;
	for (i = 0; i < p->n; i++) {
		const struct metric_value *v = &s->tests[p->tests[i]].values[m];

		if (v->type != CELL_TEXT || !*v->s || v->placeholder ||
		    strstr(buf, v->s))
			continue;
		used += (size_t)snprintf(buf + used,
					 used < len ? len - used : 0,
					 "%s%s", used ? "/" : "", v->s);
	}
}

static void panel_qualify(const struct series *s, struct panel *p)
{
	char accel[64], vf[64], ts[64];

	distinct_text(s, p, "accel", accel, sizeof(accel));
	distinct_text(s, p, "vf", vf, sizeof(vf));
	distinct_text(s, p, "ts_source", ts, sizeof(ts));
	/* each part is short: truncation would only shorten the title */
	snprintf(p->qualifiers, sizeof(p->qualifiers), "%.40s%.40s; ",
		 *accel ? "accel " : "", *accel ? accel : "containers");
	snprintf(p->qualifiers + strlen(p->qualifiers),
		 sizeof(p->qualifiers) - strlen(p->qualifiers),
		 "%.40s VFs; %.40s timestamps", *vf ? vf : "no emulated",
		 *ts ? ts : "unknown");
}

/* the panel's tests by background, so lines run left to right */
static void panel_sort(const struct series *s, struct panel *p)
{
	size_t i, j;

	for (i = 1; i < p->n; i++) {
		size_t t = p->tests[i];

		for (j = i; j > 0 && s->tests[p->tests[j - 1]].v[F_BACKGROUND] >
					     s->tests[t].v[F_BACKGROUND];
		     j--)
			p->tests[j] = p->tests[j - 1];
		p->tests[j] = t;
	}
}

static void panel_add(const struct series *s, struct panel *p, size_t i)
{
	p->tests[p->n++] = i;
	p->ndp = add_distinct(p->dps, p->ndp, s->tests[i].v[F_DATAPLANE]);
	p->nbg = add_distinct(p->bgs, p->nbg, s->tests[i].v[F_BACKGROUND]);
}

static size_t panels_make(const struct series *s, struct panel **out)
{
	struct panel *p = xcalloc(s->ntests ? s->ntests : 1, sizeof(*p));
	bool varies[FACTOR_COUNT], placed;
	size_t i, j, n = 0;

	pairing_varying(s, varies);
	varies[F_BACKGROUND] = varies[F_DATAPLANE] = false;
	/* tests with background guests first: they make the panels */
	for (i = 0; i < s->ntests; i++) {
		if (!s->tests[i].v[F_BACKGROUND])
			continue;
		for (j = 0; j < n; j++) {
			if (same_panel(&s->tests[p[j].tests[0]], &s->tests[i]))
				break;
		}
		if (j == n) {
			p[n].tests = xcalloc(2 * s->ntests, sizeof(size_t));
			p[n].dps = xcalloc(s->ntests, sizeof(int64_t));
			p[n].bgs = xcalloc(s->ntests, sizeof(int64_t));
			pairing_label(&s->tests[i], varies, -1, p[n].label,
				      sizeof(p[n].label));
			n++;
		}
		panel_add(s, &p[j], i);
	}
	/* then each test without: in every panel it is the reference of,
	 * or one of its own kind */
	for (i = 0; i < s->ntests; i++) {
		size_t made = n;

		if (s->tests[i].v[F_BACKGROUND])
			continue;
		placed = false;
		for (j = 0; j < made; j++) {
			if (p[j].n && s->tests[p[j].tests[0]].v[F_BACKGROUND] &&
			    reference_of(&s->tests[i],
					 &s->tests[p[j].tests[0]])) {
				panel_add(s, &p[j], i);
				placed = true;
			}
		}
		if (placed)
			continue;
		for (j = 0; j < n; j++) {
			if (!s->tests[p[j].tests[0]].v[F_BACKGROUND] &&
			    same_panel(&s->tests[p[j].tests[0]], &s->tests[i]))
				break;
		}
		if (j == n) {
			p[n].tests = xcalloc(2 * s->ntests, sizeof(size_t));
			p[n].dps = xcalloc(s->ntests, sizeof(int64_t));
			p[n].bgs = xcalloc(s->ntests, sizeof(int64_t));
			pairing_label(&s->tests[i], varies, -1, p[n].label,
				      sizeof(p[n].label));
			n++;
		}
		panel_add(s, &p[j], i);
	}
	for (j = 0; j < n; j++) {
		qsort(p[j].bgs, p[j].nbg, sizeof(int64_t), cmp_i64);
		panel_sort(s, &p[j]);
		panel_qualify(s, &p[j]);
	}
	*out = p;
	return n;
}

static void panels_free(struct panel *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].tests);
		free(p[i].dps);
		free(p[i].bgs);
	}
	free(p);
}

static size_t bg_index(const struct panel *p, int64_t bg)
{
	size_t i;

	for (i = 0; i < p->nbg && p->bgs[i] != bg; i++)
		;
	return i;
}

static FILE *open_in(const char *dir, const char *name, const char *ext)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	f = fopen(path, "w");
	if (!f)
		error_errno("cannot open '%s'", path);
	return f;
}

static int close_in(FILE *f, const char *dir, const char *name,
		    const char *ext)
{
	if (fclose(f))
		return error_errno("cannot write '%s/%s.%s'", dir, name, ext);
	return 0;
}

/* gnuplot strings are in double quotes: keep them clean */
static void gp_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\\' ? '\'' : *s, f);
	fputc('"', f);
}

static void gp_head(FILE *f, const struct figure *fig, const char *ylabel,
		    const char *xlabel)
{
	fprintf(f, "# %s: made by iovbench report --html; edit and run\n"
		   "# 'gnuplot %s.gp' in this directory to render it again\n",
		fig->name, fig->name);
	if (fig->png)
		fprintf(f, "set terminal pngcairo size 900,460 font "
			   "'sans,10' background '#ffffff'\n");
	else
		fprintf(f, "set terminal svg size 900,460 dynamic font "
			   "'sans,11' background '#ffffff'\n");
	fprintf(f, "set output '%s.%s'\n", fig->name, fig->png ? "png" : "svg");
	fprintf(f, "set title ");
	gp_string(f, fig->title);
	fprintf(f, " . \"\\n\" . ");
	gp_string(f, fig->qualifiers);
	fprintf(f, " font ',10' noenhanced\nset ylabel '%s'\n", ylabel);
	fprintf(f, "set xlabel '%s'\n", xlabel);
	fprintf(f, "set key outside right top noenhanced\nset grid ytics\n");
}

static void bg_xtics(FILE *f, const struct panel *p)
{
	size_t i;

	fprintf(f, "set xtics (");
	for (i = 0; i < p->nbg; i++)
		fprintf(f, "%s'%lld' %zu", i ? ", " : "", (long long)p->bgs[i],
			i);
	fprintf(f, ")\nset xrange [-0.6:%zu.6]\n", p->nbg - 1);
}

static struct figure *figure_new(struct figures *out, const char *fmt,
				 size_t k, const struct panel *p)
{
	struct figure *fig;

	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	fig = &out->v[out->n++];
	memset(fig, 0, sizeof(*fig));
	snprintf(fig->name, sizeof(fig->name), fmt, k);
	snprintf(fig->qualifiers, sizeof(fig->qualifiers), "%s",
		 p->qualifiers);
	return fig;
}

/* ---- box plots: p25..p75 boxes, median line, whiskers min..p99 ---- */

static int rtt_box(const char *dir, const struct series *s,
		   const struct panel *p, size_t k, struct figures *out)
{
	/* candlesticks' order: box low, whisker low, whisker high, box
	 * high; then the median */
	int mi[5] = {
		series_metric_find(s, "rtt_p25_us"),
		series_metric_find(s, "rtt_min_us"),
		series_metric_find(s, "rtt_p99_us"),
		series_metric_find(s, "rtt_p75_us"),
		series_metric_find(s, "rtt_p50_us"),
	};
	struct figure *fig = figure_new(out, "fig-rtt-box-%zu", k, p);
	double width = 0.7 / (double)p->ndp;
	size_t d, i, c;
	FILE *f;

	snprintf(fig->title, sizeof(fig->title), "RTT, %s", p->label);
	snprintf(fig->caption, sizeof(fig->caption),
		 "RTT by background guests and data plane: boxes p25-p75, "
		 "line p50, whiskers min and p99, over all probes of all "
		 "runs");
	if (!(f = open_in(dir, fig->name, "dat")))
		return -1;
	fprintf(f, "# x p25 min p99 p75 p50 (us); one block per data "
		   "plane\n");
	for (d = 0; d < p->ndp; d++) {
		char dp[64];

		factor_format(F_DATAPLANE, p->dps[d], dp, sizeof(dp));
		fprintf(f, "%s# %s\n", d ? "\n\n" : "", dp);
		for (i = 0; i < p->n; i++) {
			const struct series_test *t = &s->tests[p->tests[i]];
			double x;

			if (t->v[F_DATAPLANE] != p->dps[d])
				continue;
			x = (double)bg_index(p, t->v[F_BACKGROUND]) - 0.35 +
			    width * ((double)d + 0.5);
			fprintf(f, "%.4f", x);
			for (c = 0; c < 5; c++) {
				const struct metric_value *v =
					mi[c] < 0 ? NULL : &t->values[mi[c]];

				if (v && v->type == CELL_REAL)
					fprintf(f, " %.3f", v->d / 1e3);
				else
					fprintf(f, " NaN");
			}
			fputc('\n', f);
		}
	}
	if (close_in(f, dir, fig->name, "dat"))
		return -1;
	if (!(f = open_in(dir, fig->name, "gp")))
		return -1;
	gp_head(f, fig, "RTT (us)", "background guests");
	bg_xtics(f, p);
	fprintf(f, "set boxwidth %.4f absolute\nset style fill solid 0.35 "
		   "border -1\nset yrange [0:*]\nplot \\\n",
		width * 0.8);
	for (d = 0; d < p->ndp; d++) {
		char dp[64];

		factor_format(F_DATAPLANE, p->dps[d], dp, sizeof(dp));
		fprintf(f,
			"  '%s.dat' index %zu using 1:2:3:4:5 with "
			"candlesticks whiskerbars lc %zu title '%s', \\\n"
			"  '' index %zu using 1:6:6:6:6 with candlesticks "
			"lc %zu lw 2 notitle%s\n",
			fig->name, d, d + 1, dp, d, d + 1,
			d + 1 < p->ndp ? ", \\" : "");
	}
	return close_in(f, dir, fig->name, "gp");
}

/* ---- CDF of every test's RTT ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int rtt_cdf(const char *dir, struct store *st,
		   const struct series *s, const struct panel *p, size_t k,
		   struct figures *out)
{
	struct figure *fig = figure_new(out, "fig-rtt-cdf-%zu", k, p);
	size_t i, j, blocks = 0;
	char **titles = xcalloc(p->n, sizeof(char *));
	int ret = -1;
	FILE *f;

	snprintf(fig->title, sizeof(fig->title), "RTT CDF, %s",
		 p->label);
	snprintf(fig->caption, sizeof(fig->caption),
		 "share of probes with an RTT up to x, per test (at most "
		 "%d points a curve; the probes table has them all)",
		 CDF_POINTS);
	if (!(f = open_in(dir, fig->name, "dat")))
		goto out;
	fprintf(f, "# rtt_us fraction; one block per test\n");
	for (i = 0; i < p->n; i++) {
		const struct series_test *t = &s->tests[p->tests[i]];
		char dp[64];
		double *v;
		size_t n;

		if (store_samples(st, t->id, "probes", "rtt_ns", &v, &n)) {
			fclose(f);
			goto out;
		}
		if (!n) {
			free(v);
			continue;
		}
		qsort(v, n, sizeof(*v), cmp_double);
		factor_format(F_DATAPLANE, t->v[F_DATAPLANE], dp, sizeof(dp));
		titles[blocks] = xcalloc(1, 96);
		snprintf(titles[blocks], 96, "%s, %lld bg", dp,
			 (long long)t->v[F_BACKGROUND]);
		fprintf(f, "%s# %s\n", blocks ? "\n\n" : "", titles[blocks]);
		for (j = 0; j < CDF_POINTS && j < n; j++) {
			size_t idx = n <= CDF_POINTS ?
					     j :
					     j * (n - 1) / (CDF_POINTS - 1);

			fprintf(f, "%.3f %.6f\n", v[idx] / 1e3,
				(double)(idx + 1) / (double)n);
		}
		free(v);
		blocks++;
	}
	if (close_in(f, dir, fig->name, "dat"))
		goto out;
	if (!(f = open_in(dir, fig->name, "gp")))
		goto out;
	gp_head(f, fig, "share of probes", "RTT (us), log scale");
	fprintf(f, "set logscale x\nset yrange [0:1]\n");
	if (!blocks)
		fprintf(f, "set label 'no probes' at graph 0.5, 0.5\nplot "
			   "NaN notitle\n");
	else
		fprintf(f, "plot \\\n");
	for (j = 0; j < blocks; j++)
		fprintf(f, "  '%s.dat' index %zu using 1:2 with steps lw 1.5 "
			   "title '%s'%s\n",
			fig->name, j, titles[j], j + 1 < blocks ? ", \\" : "");
	ret = close_in(f, dir, fig->name, "gp");
out:
	for (j = 0; j < p->n; j++)
		free(titles[j]);
	free(titles);
	return ret;
}

/* ---- CPU busy% per server ---- */

static int cpu_busy(const char *dir, const struct series *s,
		    const struct panel *p, size_t k, struct figures *out)
{
	int ms = series_metric_find(s, "cpu_busy_sender_pct");
	int mr = series_metric_find(s, "cpu_busy_responder_pct");
	struct figure *fig;
	size_t d, i, points = 0;
	FILE *f;

	for (i = 0; ms >= 0 && i < p->n; i++)
		points += s->tests[p->tests[i]].values[ms].type == CELL_REAL;
	if (!points)
		return 0; /* no CPU measured: no figure */
	fig = figure_new(out, "fig-cpu-%zu", k, p);
	snprintf(fig->title, sizeof(fig->title), "CPU busy%%, %s",
		 p->label);
	snprintf(fig->caption, sizeof(fig->caption),
		 "CPU busy%% of each server (mpstat's 100 - idle) by "
		 "background guests and data plane; solid: sender, dashed: "
		 "responder");
	if (!(f = open_in(dir, fig->name, "dat")))
		return -1;
	fprintf(f, "# x busy_sender busy_responder (%%); one block per data "
		   "plane\n");
	for (d = 0; d < p->ndp; d++) {
		fprintf(f, "%s", d ? "\n\n" : "");
		for (i = 0; i < p->n; i++) {
			const struct series_test *t = &s->tests[p->tests[i]];

			if (t->v[F_DATAPLANE] != p->dps[d])
				continue;
			fprintf(f, "%zu", bg_index(p, t->v[F_BACKGROUND]));
			if (t->values[ms].type == CELL_REAL)
				fprintf(f, " %.2f", t->values[ms].d);
			else
				fprintf(f, " NaN");
			if (mr >= 0 && t->values[mr].type == CELL_REAL)
				fprintf(f, " %.2f\n", t->values[mr].d);
			else
				fprintf(f, " NaN\n");
		}
	}
	if (close_in(f, dir, fig->name, "dat"))
		return -1;
	if (!(f = open_in(dir, fig->name, "gp")))
		return -1;
	gp_head(f, fig, "busy %", "background guests");
	bg_xtics(f, p);
	fprintf(f, "set yrange [0:105]\nplot \\\n");
	for (d = 0; d < p->ndp; d++) {
		char dp[64];

		factor_format(F_DATAPLANE, p->dps[d], dp, sizeof(dp));
		fprintf(f,
			"  '%s.dat' index %zu using 1:2 with linespoints lc "
			"%zu pt 7 title '%s sender', \\\n"
			"  '' index %zu using 1:3 with linespoints lc %zu dt 2 "
			"pt 6 title '%s responder'%s\n",
			fig->name, d, d + 1, dp, d, d + 1, dp,
			d + 1 < p->ndp ? ", \\" : "");
	}
	return close_in(f, dir, fig->name, "gp");
}

/* ---- scatter: every probe's RTT in the order sent ---- */

static int rtt_scatter(const char *dir, struct store *st,
		       const struct series *s, const struct panel *p,
		       size_t k, struct figures *out)
{
	struct figure *fig = figure_new(out, "fig-rtt-scatter-%zu", k, p);
	char **titles = xcalloc(p->n, sizeof(char *));
	size_t i, j, blocks = 0, points = 0;
	int ret = -1;
	FILE *f;

	snprintf(fig->title, sizeof(fig->title), "RTT of every probe, %s",
		 p->label);
	snprintf(fig->caption, sizeof(fig->caption),
		 "every probe's RTT in the order sent, repetitions one after "
		 "the other (the paper's figures 22-23)");
	if (!(f = open_in(dir, fig->name, "dat")))
		goto out;
	fprintf(f, "# probe rtt_us; one block per test\n");
	for (i = 0; i < p->n; i++) {
		const struct series_test *t = &s->tests[p->tests[i]];
		char dp[64];
		double *v;
		size_t n;

		if (store_samples(st, t->id, "probes", "rtt_ns", &v, &n)) {
			fclose(f);
			goto out;
		}
		if (n) {
			factor_format(F_DATAPLANE, t->v[F_DATAPLANE], dp,
				      sizeof(dp));
			titles[blocks] = xcalloc(1, 96);
			snprintf(titles[blocks], 96, "%s, %lld bg", dp,
				 (long long)t->v[F_BACKGROUND]);
			fprintf(f, "%s# %s\n", blocks ? "\n\n" : "",
				titles[blocks]);
			for (j = 0; j < n; j++)
				fprintf(f, "%zu %.3f\n", j, v[j] / 1e3);
			points += n;
			blocks++;
		}
		free(v);
	}
	if (close_in(f, dir, fig->name, "dat"))
		goto out;
	fig->png = points > SCATTER_SVG_MAX;
	if (!(f = open_in(dir, fig->name, "gp")))
		goto out;
	gp_head(f, fig, "RTT (us), log scale", "probe");
	fprintf(f, "set logscale y\n");
	if (!blocks)
		fprintf(f, "set label 'no probes' at graph 0.5, 0.5\nplot "
			   "NaN notitle\n");
	else
		fprintf(f, "plot \\\n");
	for (j = 0; j < blocks; j++)
		fprintf(f, "  '%s.dat' index %zu using 1:2 with points pt 7 "
			   "ps 0.3 title '%s'%s\n",
			fig->name, j, titles[j], j + 1 < blocks ? ", \\" : "");
	ret = close_in(f, dir, fig->name, "gp");
out:
	for (j = 0; j < p->n; j++)
		free(titles[j]);
	free(titles);
	return ret;
}

/* ---- Kendall's tau against the background count (figure 21) ---- */

/* the values alone ("vf veth-bridge cpu"): a tick label is short */
static void values_label(const struct series_test *t,
			 const bool varies[FACTOR_COUNT], char *buf,
			 size_t len)
{
	size_t used = 0;
	int f;

	buf[0] = '\0';
	for (f = 0; f < FACTOR_COUNT; f++) {
		char v[64];

		if (f == F_BACKGROUND || !varies[f])
			continue;
		factor_format_human(f, t->v[f], v, sizeof(v));
		used += (size_t)snprintf(buf + used,
					 used < len ? len - used : 0,
					 "%s%s", used ? " " : "", v);
	}
}

static const char *const trend_metrics[] = {"rtt_p50_us",
					    "cpu_busy_sender_pct"};

static int kendall_bars(const char *dir, const struct series *s,
			struct figures *out)
{
	size_t *group = xcalloc(s->ntests ? s->ntests : 1, sizeof(*group));
	size_t ng = pairing_groups(s, F_BACKGROUND, group), g, i, m, bars = 0;
	double *x = xcalloc(s->ntests ? s->ntests : 1, sizeof(*x));
	double *y = xcalloc(s->ntests ? s->ntests : 1, sizeof(*y));
	struct panel all = {0};
	bool varies[FACTOR_COUNT];
	struct figure *fig;
	int ret = -1;
	FILE *f;

	pairing_varying(s, varies);
	all.tests = xcalloc(s->ntests ? s->ntests : 1, sizeof(size_t));
	for (i = 0; i < s->ntests; i++)
		all.tests[all.n++] = i;
	panel_qualify(s, &all);
	fig = figure_new(out, "fig-kendall-%zu", 0, &all);
	snprintf(fig->title, sizeof(fig->title),
		 "Kendall's tau-b against the background guests");
	snprintf(fig->caption, sizeof(fig->caption),
		 "per group of tests that differ in the background count "
		 "only (labelled by their other factors' values), with the "
		 "tests without background guests; 1: the metric rises with "
		 "every guest added (the paper's figure 21); no bar: under "
		 "2 points or constant");
	if (!(f = open_in(dir, fig->name, "dat")))
		goto out;
	fprintf(f, "# group");
	for (m = 0; m < ARRAY_SIZE(trend_metrics); m++)
		fprintf(f, " tau_%s", trend_metrics[m]);
	fputc('\n', f);
	for (g = 0; g < ng; g++) {
		char label[256], line[1024];
		size_t first, used = 0;
		bool any = false;

		for (first = 0; group[first] != g; first++)
			;
		if (!s->tests[first].v[F_BACKGROUND])
			continue; /* a reference's own group */
		values_label(&s->tests[first], varies, label, sizeof(label));
		used = (size_t)snprintf(line, sizeof(line), "\"%s\"", label);
		for (m = 0; m < ARRAY_SIZE(trend_metrics); m++) {
			int mi = series_metric_find(s, trend_metrics[m]);
			struct ranktest t = {.statistic = NAN};
			size_t n = 0;

			for (i = 0; mi >= 0 && i < s->ntests; i++) {
				const struct metric_value *v =
					&s->tests[i].values[mi];

				if (v->type != CELL_REAL ||
				    !pairing_in_trend(s, F_BACKGROUND, group, g,
						      i))
					continue;
				x[n] = (double)s->tests[i].v[F_BACKGROUND];
				y[n++] = v->d;
			}
			if (n >= 2)
				ranktest_kendall(x, y, n, &t);
			any |= !isnan(t.statistic);
			used += (size_t)snprintf(
				line + used,
				used < sizeof(line) ? sizeof(line) - used : 0,
				isnan(t.statistic) ? " NaN" : " %.4f",
				t.statistic);
		}
		if (any) {
			fprintf(f, "%s\n", line);
			bars++;
		}
	}
	if (close_in(f, dir, fig->name, "dat"))
		goto out;
	if (!(f = open_in(dir, fig->name, "gp")))
		goto out;
	gp_head(f, fig, "tau-b", "");
	fprintf(f, "set yrange [-1.05:1.05]\nset style data histograms\n"
		   "set style histogram clustered gap 1\nset style fill solid "
		   "0.6 border -1\nset xtics rotate by -30 left noenhanced "
		   "font ',9'\nset bmargin 9\n");
	if (!bars)
		fprintf(f, "set label 'no group with 2 background counts' "
			   "at graph 0.5, 0.5 center\nplot NaN notitle\n");
	else
		fprintf(f, "plot '%s.dat' using 2:xtic(1) title '%s', '' "
			   "using 3 title '%s'\n",
			fig->name, trend_metrics[0], trend_metrics[1]);
	ret = close_in(f, dir, fig->name, "gp");
out:
	free(all.tests);
	free(x);
	free(y);
	free(group);
	return ret;
}

/* ---- rendering ---- */

static void render(const char *dir, struct figure *fig)
{
	char cd[4200], script[100], svg[4200];
	char *argv[] = {"gnuplot", "-e", cd, script, NULL};
	struct spawn_opts o = {0};
	int rc;

	/* gnuplot has no -C: cd first, then the script (argument order) */
	snprintf(cd, sizeof(cd), "cd '%s'", dir);
	snprintf(script, sizeof(script), "%s.gp", fig->name);
	snprintf(svg, sizeof(svg), "%s/%s.%s", dir, fig->name,
		 fig->png ? "png" : "svg");
	rc = proc_run(argv, &o, GNUPLOT_TIMEOUT_NS, NULL);
	if (rc == 127)
		snprintf(fig->why, sizeof(fig->why),
			 "gnuplot is not installed (Debian: gnuplot-nox)");
	else if (rc)
		snprintf(fig->why, sizeof(fig->why),
			 "gnuplot failed (exit %d): see its script", rc);
	else if (access(svg, R_OK))
		snprintf(fig->why, sizeof(fig->why), "gnuplot made no %s",
			 fig->png ? "PNG" : "SVG");
	else
		fig->rendered = true;
}

int figure_write_all(const char *dir, struct store *st,
		     const struct series *s, struct figures *out)
{
	struct panel *p;
	size_t np = panels_make(s, &p), k, i;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	for (k = 0; !ret && k < np; k++) {
		ret = rtt_box(dir, s, &p[k], k, out);
		if (!ret)
			ret = rtt_cdf(dir, st, s, &p[k], k, out);
		if (!ret)
			ret = rtt_scatter(dir, st, s, &p[k], k, out);
		if (!ret)
			ret = cpu_busy(dir, s, &p[k], k, out);
	}
	if (!ret && s->ntests)
		ret = kendall_bars(dir, s, out);
	panels_free(p, np);
	for (i = 0; !ret && i < out->n; i++)
		render(dir, &out->v[i]);
	return ret;
}

void figure_release(struct figures *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}
