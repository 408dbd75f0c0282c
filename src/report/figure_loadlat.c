// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The load-latency figures (autotest's section 4 plots): per series of
 * tests that differ only in the offered rate and the data plane, the
 * latency percentiles, the rates carried and the loss against the
 * offered rate, and the servers' CPU busy%; and the load limit of
 * every series as bars. Only tests of the loadlat meter have these
 * metrics; a campaign without them draws none.
 */
#include "report/figure_loadlat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/gnuplot.h"
#include "report/panel.h"
#include "util/alloc.h"

/* A figure of one or two lines per data plane against the offered load. */
struct line_figure {
	const char *name;	 /* fig-NAME-K */
	const char *title;	 /* then ", " and the panel's label */
	const char *caption;
	const char *metrics[2];	 /* columns 2 and 3; [1] NULL: one line */
	double scale;		 /* metrics divided by it */
	const char *head;	 /* the data file's columns */
	const char *ylabel, *settings, *first, *second;
};

static const struct line_figure line_figures[] = {
	{"fig-ll-latency-%zu", "Latency against the offered load",
	 "p50 (solid) and p99 (dashed) of the latency frames' round trip "
	 "per offered rate and data plane, from the histogram accumulated "
	 "over the repetitions",
	 {"loadlat_p50_us", "loadlat_p99_us"}, 1e3, "x p50 p99 (us)",
	 "latency (us), log scale", "set logscale y\n", "p50", "p99"},
	{"fig-ll-rates-%zu", "Load carried against the offered load",
	 "load frames back from the reflector (solid) and sent by the "
	 "generator (dashed) per second, in kpps, mean of the repetitions; "
	 "a dashed line below the offered rate is a generator that could "
	 "not keep up",
	 {"loadlat_received_pps", "loadlat_sent_pps"}, 1e3,
	 "x received sent (kpps)", "kpps", "set yrange [0:*]\n", "received",
	 "sent"},
	{"fig-ll-loss-%zu", "Loss against the offered load",
	 "frames sent and not back (load and latency frames), in % of those "
	 "sent, over all repetitions",
	 {"loadlat_loss_pct", NULL}, 1, "x loss (%)", "loss (%)",
	 "set yrange [0:*]\n", "loss", NULL},
};

static int line_figure(const char *dir, const struct series *s,
		       const struct panel *p, size_t k,
		       const struct line_figure *lf, struct figures *out)
{
	int m[2] = {series_metric_find(s, lf->metrics[0]),
		    lf->metrics[1] ? series_metric_find(s, lf->metrics[1]) :
				     -1};
	struct figure *fig = gp_figure(out, lf->name, k, p);

	snprintf(fig->title, sizeof(fig->title), "%s, %s", lf->title,
		 p->label);
	snprintf(fig->caption, sizeof(fig->caption), "%s", lf->caption);
	if (gp_by_dp_data(dir, fig, s, p, m, lf->metrics[1] ? 2 : 1,
			  lf->scale, lf->head))
		return -1;
	return gp_pair_script(dir, fig, p, lf->ylabel, "offered load (pps)",
			      lf->settings, lf->first, lf->second);
}

/*
 * One bar per series and data plane: its load limit (every test of a
 * series carries the series' limit, so the first one with a number
 * stands for it). nolimit: series where no rate passed.
 */
static int ll_limits(const char *dir, const struct series *s,
		     const struct panel *p, size_t np, struct figures *out)
{
	int m = series_metric_find(s, "loadlat_load_limit_pps");
	int ml = series_metric_find(s, "loadlat_loss_pct");
	struct figure *fig;
	size_t k, d, i, bars = 0, first = np;
	FILE *f;

	for (k = 0; k < np; k++) {
		if (!gp_panel_has(s, &p[k], &ml, 1))
			continue;
		bars += p[k].ndp;
		first = first < k ? first : k;
	}
	if (!bars || m < 0)
		return 0;
	/* qualified like the first of its series (accel, stamps) */
	fig = gp_figure(out, "fig-ll-limit-%zu", 0, &p[first]);
	snprintf(fig->title, sizeof(fig->title),
		 "Load limit per data plane");
	snprintf(fig->caption, sizeof(fig->caption),
		 "the highest offered rate of each series sent in full with "
		 "at most the loss threshold, in kpps; 0: no rate of the "
		 "series passed");
	if (!(f = gp_open(dir, fig->name, "dat")))
		return -1;
	fprintf(f, "# bar limit_kpps label\n");
	bars = 0;
	for (k = 0; k < np; k++) {
		if (!gp_panel_has(s, &p[k], &ml, 1))
			continue;
		for (d = 0; d < p[k].ndp; d++) {
			double v = 0;
			char dp[64];

			for (i = 0; i < p[k].n; i++) {
				const struct series_test *t =
					&s->tests[p[k].tests[i]];

				if (t->v[F_DATAPLANE] == p[k].dps[d] &&
				    t->values[m].type == CELL_REAL) {
					v = t->values[m].d;
					break;
				}
			}
			factor_format(F_DATAPLANE, p[k].dps[d], dp, sizeof(dp));
			fprintf(f, "%zu %.1f ", bars++, v / 1e3);
			gp_string(f, dp);
			fputc(' ', f);
			gp_string(f, p[k].label);
			fputc('\n', f);
		}
	}
	if (gp_close(f, dir, fig->name, "dat") ||
	    !(f = gp_open(dir, fig->name, "gp")))
		return -1;
	gp_head(f, fig, "load limit (kpps)", "");
	fprintf(f, "set style fill solid 0.5 border -1\nset boxwidth 0.7\n"
		   "set yrange [0:*]\nset offsets 0, 0, graph 0.12, 0\nset xtics rotate by -25 font ',8' "
		   "noenhanced\nunset key\nplot '%s.dat' using 1:2:xtic("
		   "strcol(3).\"\\n\".strcol(4)) with boxes lc 1, \\\n  '' "
		   "using 1:2:(sprintf('%%.0f', $2)) with labels offset 0,0.6 "
		   "notitle\n",
		   fig->name);
	return gp_close(f, dir, fig->name, "gp");
}

int figure_loadlat(const char *dir, const struct series *s,
		   struct figures *out)
{
	int m[2] = {series_metric_find(s, "loadlat_p50_us"),
		    series_metric_find(s, "loadlat_loss_pct")};
	struct panel *p;
	size_t np = panels_make(s, F_RATE, &p), k, i;
	int ret = 0;

	for (k = 0; !ret && k < np; k++) {
		/* one rate: no curve; no loadlat numbers: an RTT panel */
		if (p[k].nx < 2 || !gp_panel_has(s, &p[k], m, 2))
			continue;
		for (i = 0; !ret && i < ARRAY_SIZE(line_figures); i++)
			ret = line_figure(dir, s, &p[k], k, &line_figures[i],
					  out);
		if (!ret)
			ret = figure_cpu(dir, s, &p[k], k, out,
					 "offered load (pps)");
	}
	if (!ret && np)
		ret = ll_limits(dir, s, p, np, out);
	panels_free(p, np);
	return ret;
}
