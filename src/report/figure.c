// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The figures: for each kind, its data and its script (gnuplot's side
 * is report/gnuplot.c, which tests a figure draws report/panel.c).
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
#include "report/figure_loadlat.h"
#include "report/gnuplot.h"
#include "report/panel.h"
#include "util/alloc.h"
#include "util/error.h"

#define CDF_POINTS 400 /* per test: enough for a smooth curve in SVG */
/* more points than this in a scatter: PNG, not an SVG of megabytes */
#define SCATTER_SVG_MAX 20000


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
	struct figure *fig = gp_figure(out, "fig-rtt-box-%zu", k, p);
	double width = 0.7 / (double)p->ndp;
	size_t d, i, c;
	FILE *f;

	snprintf(fig->title, sizeof(fig->title), "RTT, %s", p->label);
	snprintf(fig->caption, sizeof(fig->caption),
		 "RTT by background guests and data plane: boxes p25-p75, "
		 "line p50, whiskers min and p99, over all probes of all "
		 "runs");
	if (!(f = gp_open(dir, fig->name, "dat")))
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
			x = (double)panel_x(p, t->v[p->fx]) - 0.35 +
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
	if (gp_close(f, dir, fig->name, "dat"))
		return -1;
	if (!(f = gp_open(dir, fig->name, "gp")))
		return -1;
	gp_head(f, fig, "RTT (us)", "background guests");
	gp_xtics(f, p);
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
	return gp_close(f, dir, fig->name, "gp");
}

/* ---- CDF of every test's RTT ---- */

/*
 * The script of a figure whose data file holds one block per title:
 * each block drawn in style, "no probes" when there is none.
 */
static int blocks_script(const char *dir, const struct figure *fig,
			 const char *ylabel, const char *xlabel,
			 const char *settings, const char *style,
			 char *const *titles, size_t blocks)
{
	FILE *f = gp_open(dir, fig->name, "gp");
	size_t j;

	if (!f)
		return -1;
	gp_head(f, fig, ylabel, xlabel);
	fputs(settings, f);
	if (!blocks)
		fprintf(f, "set label 'no probes' at graph 0.5, 0.5\nplot "
			   "NaN notitle\n");
	else
		fprintf(f, "plot \\\n");
	for (j = 0; j < blocks; j++)
		fprintf(f, "  '%s.dat' index %zu using 1:2 %s title '%s'%s\n",
			fig->name, j, style, titles[j],
			j + 1 < blocks ? ", \\" : "");
	return gp_close(f, dir, fig->name, "gp");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int rtt_cdf(const char *dir, struct store *st,
		   const struct series *s, const struct panel *p, size_t k,
		   struct figures *out)
{
	struct figure *fig = gp_figure(out, "fig-rtt-cdf-%zu", k, p);
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
	if (!(f = gp_open(dir, fig->name, "dat")))
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
	if (gp_close(f, dir, fig->name, "dat"))
		goto out;
	ret = blocks_script(dir, fig, "share of probes", "RTT (us), log scale",
			    "set logscale x\nset yrange [0:1]\n",
			    "with steps lw 1.5", titles, blocks);
out:
	for (j = 0; j < p->n; j++)
		free(titles[j]);
	free(titles);
	return ret;
}

/* ---- CPU busy% per server ---- */

int figure_cpu(const char *dir, const struct series *s,
	       const struct panel *p, size_t k, struct figures *out,
	       const char *xlabel)
{
	int m[2] = {series_metric_find(s, "cpu_busy_sender_pct"),
		    series_metric_find(s, "cpu_busy_responder_pct")};
	struct figure *fig;

	if (!gp_panel_has(s, p, m, 1))
		return 0; /* no CPU measured: no figure */
	fig = gp_figure(out, p->fx == F_RATE ? "fig-cpu-rate-%zu" :
					       "fig-cpu-%zu",
			k, p);
	snprintf(fig->title, sizeof(fig->title), "CPU busy%%, %s",
		 p->label);
	snprintf(fig->caption, sizeof(fig->caption),
		 "CPU busy%% of each server (mpstat's 100 - idle) by "
		 "%s and data plane; solid: sender, dashed: responder",
		 xlabel);
	if (gp_by_dp_data(dir, fig, s, p, m, 2, 1,
			  "x busy_sender busy_responder (%)"))
		return -1;
	return gp_pair_script(dir, fig, p, "busy %", xlabel,
			      "set yrange [0:105]\n", "sender", "responder");
}

/* ---- scatter: every probe's RTT in the order sent ---- */

static int rtt_scatter(const char *dir, struct store *st,
		       const struct series *s, const struct panel *p,
		       size_t k, struct figures *out)
{
	struct figure *fig = gp_figure(out, "fig-rtt-scatter-%zu", k, p);
	char **titles = xcalloc(p->n, sizeof(char *));
	size_t i, j, blocks = 0, points = 0;
	int ret = -1;
	FILE *f;

	snprintf(fig->title, sizeof(fig->title), "RTT of every probe, %s",
		 p->label);
	snprintf(fig->caption, sizeof(fig->caption),
		 "every probe's RTT in the order sent, repetitions one after "
		 "the other (the paper's figures 22-23)");
	if (!(f = gp_open(dir, fig->name, "dat")))
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
	if (gp_close(f, dir, fig->name, "dat"))
		goto out;
	fig->png = points > SCATTER_SVG_MAX;
	ret = blocks_script(dir, fig, "RTT (us), log scale", "probe",
			    "set logscale y\n", "with points pt 7 ps 0.3",
			    titles, blocks);
out:
	for (j = 0; j < p->n; j++)
		free(titles[j]);
	free(titles);
	return ret;
}

/* ---- the RTT against the probe rate (autotest's latency vs load) ---- */

static int rtt_rate(const char *dir, const struct series *s,
		    const struct panel *p, size_t k, struct figures *out)
{
	int m[2] = {series_metric_find(s, "rtt_p50_us"),
		    series_metric_find(s, "rtt_p99_us")};
	struct figure *fig;

	/* one rate: nothing to draw a line through; no RTT: a panel of
	 * load-latency tests (report/figure_loadlat.c draws those) */
	if (p->nx < 2 || !gp_panel_has(s, p, m, 2))
		return 0;
	fig = gp_figure(out, "fig-rtt-rate-%zu", k, p);
	snprintf(fig->title, sizeof(fig->title), "RTT against the probe "
		 "rate, %s", p->label);
	snprintf(fig->caption, sizeof(fig->caption),
		 "p50 (solid) and p99 (dashed) of the RTT per probe rate "
		 "and data plane, over all probes of all runs");
	if (gp_by_dp_data(dir, fig, s, p, m, 2, 1e3, "x p50 p99 (us)"))
		return -1;
	return gp_pair_script(dir, fig, p, "RTT (us), log scale",
			      "probe rate (pps)", "set logscale y\n", "p50",
			      "p99");
}

/* ---- Kendall's tau against the background count (figure 21) ---- */


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
	fig = gp_figure(out, "fig-kendall-%zu", 0, &all);
	snprintf(fig->title, sizeof(fig->title),
		 "Kendall's tau-b against the background guests");
	snprintf(fig->caption, sizeof(fig->caption),
		 "per group of tests that differ in the background count "
		 "only (labelled by their other factors' values), with the "
		 "tests without background guests; 1: the metric rises with "
		 "every guest added (the paper's figure 21); no bar: under "
		 "2 points or constant");
	if (!(f = gp_open(dir, fig->name, "dat")))
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
		/* the values alone: a tick label is short */
		pairing_label_as(&s->tests[first], varies, F_BACKGROUND, false,
				 label, sizeof(label));
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
	if (gp_close(f, dir, fig->name, "dat"))
		goto out;
	if (!(f = gp_open(dir, fig->name, "gp")))
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
	ret = gp_close(f, dir, fig->name, "gp");
out:
	free(all.tests);
	free(x);
	free(y);
	free(group);
	return ret;
}

int figure_write_all(const char *dir, struct store *st,
		     const struct series *s, struct figures *out)
{
	struct panel *p;
	size_t np = panels_make(s, F_BACKGROUND, &p), k, i;
	int rtt = series_metric_find(s, "rtt_p50_us"), ret = 0;
	bool any_rtt = false;

	memset(out, 0, sizeof(*out));
	for (k = 0; !ret && k < np; k++) {
		/* load-latency tests have no probes */
		bool probes = gp_panel_has(s, &p[k], &rtt, 1);

		any_rtt |= probes;
		if (probes)
			ret = rtt_box(dir, s, &p[k], k, out);
		if (!ret && probes)
			ret = rtt_cdf(dir, st, s, &p[k], k, out);
		if (!ret && probes)
			ret = rtt_scatter(dir, st, s, &p[k], k, out);
		if (!ret && probes) /* loadlat: against the load instead */
			ret = figure_cpu(dir, s, &p[k], k, out,
					 "background guests");
	}
	panels_free(p, np);
	np = panels_make(s, F_RATE, &p);
	for (k = 0; !ret && k < np; k++)
		ret = rtt_rate(dir, s, &p[k], k, out);
	if (!ret && any_rtt)
		ret = kendall_bars(dir, s, out);
	if (!ret)
		ret = figure_loadlat(dir, s, out);
	panels_free(p, np);
	for (i = 0; !ret && i < out->n; i++)
		gp_render(dir, &out->v[i]);
	return ret;
}

void figure_release(struct figures *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}
