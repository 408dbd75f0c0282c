// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The statistics of `iovbench stats`: a loop over the pairs or groups of
 * tests (core/pairing.h), the rank tests and effect sizes of the pure
 * core (core/ranktest.h, core/effect.h), and a row per result with its
 * plain-language reading. Which samples a row pairs is in the row: the
 * "over" column says "test medians" or "probes".
 */
#include "report/analysis.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/effect.h"
#include "core/pairing.h"
#include "core/ranktest.h"
#include "util/alloc.h"
#include "util/error.h"

#define ROW_MAX 24

struct row {
	const char *names[ROW_MAX], *values[ROW_MAX];
	bool numeric[ROW_MAX];
	char buf[ROW_MAX][200];
	int n;
};

static void __attribute__((format(printf, 4, 5)))
add(struct row *r, const char *name, bool numeric, const char *fmt, ...)
{
	va_list ap;

	if (r->n == ROW_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(r->buf[r->n], sizeof(r->buf[r->n]), fmt, ap);
	va_end(ap);
	r->names[r->n] = name;
	r->values[r->n] = r->buf[r->n];
	r->numeric[r->n] = numeric;
	r->n++;
}

/* a number, or NULL (an empty cell, JSON null) when it is NaN */
static void add_num(struct row *r, const char *name, const char *fmt,
		    double v)
{
	if (isnan(v)) {
		add(r, name, true, "%s", "");
		r->values[r->n - 1] = NULL;
		return;
	}
	add(r, name, true, fmt, v);
}

static int emit(struct row *r, const struct analysis_opts *o,
		struct writer *w)
{
	struct store_row row = {r->n, r->names, r->values, r->numeric};
	int ret = writer_row(&row, w);

	r->n = 0;
	if (o->rows)
		++*o->rows;
	return ret;
}

static double metric_div(const struct metric *m)
{
	return m->div ? m->div : 1;
}

/* p-values as people read them: small ones in exponent form */
static void p_text(double p, char *buf, size_t len)
{
	if (isnan(p))
		snprintf(buf, len, "undefined");
	else if (p < 1e-4)
		snprintf(buf, len, "%.1e", p);
	else
		snprintf(buf, len, "%.4f", p);
}

static void value_name(int f, int64_t v, char *buf, size_t len)
{
	factor_format(f, v, buf, len);
}

/* ---- per-test pairing: Wilcoxon signed-rank ---- */

static int compare_metric(const struct series *s, int mi,
			  const struct analysis_opts *o, int64_t va,
			  int64_t vb, int64_t byval, struct writer *w)
{
	const struct metric *m = s->metrics[mi];
	double *d = NULL, shift, alpha = 1 - o->level;
	size_t *ia, *ib, n = pairing_pairs(s, o->factor, va, vb, &ia, &ib);
	size_t i, k = 0;
	char a[64], b[64], p[32];
	struct ranktest t;
	struct row r = {0};
	int ret;

	d = xcalloc(n ? n : 1, sizeof(*d));
	for (i = 0; i < n; i++) {
		const struct metric_value *x = &s->tests[ia[i]].values[mi];
		const struct metric_value *y = &s->tests[ib[i]].values[mi];

		if (o->by >= 0 && s->tests[ia[i]].v[o->by] != byval)
			continue;
		if (x->type == CELL_REAL && y->type == CELL_REAL)
			d[k++] = y->d - x->d; /* b - a */
	}
	free(ia);
	free(ib);
	if (!k) { /* nothing measured both ways: no row */
		free(d);
		return 0;
	}
	ranktest_signed_rank(d, k, &t);
	shift = effect_hl_paired(d, k) / metric_div(m);
	free(d);
	value_name(o->factor, va, a, sizeof(a));
	value_name(o->factor, vb, b, sizeof(b));
	p_text(t.p, p, sizeof(p));
	if (o->by >= 0) {
		char by[64];

		factor_format(o->by, byval, by, sizeof(by));
		add(&r, factor_table[o->by].name, false, "%s", by);
	}
	add(&r, "metric", false, "%s", m->name);
	add(&r, "a", false, "%s", a);
	add(&r, "b", false, "%s", b);
	add(&r, "over", false, "test medians");
	add(&r, "pairs", true, "%zu", k);
	add(&r, "V", true, "%g", t.statistic);
	add_num(&r, "p", "%.6g", t.p);
	add(&r, "method", false, "%s", t.exact ? "exact" : "normal");
	add_num(&r, "shift", "%.3f", shift);
	add(&r, "unit", false, "%s", m->unit);
	add(&r, "H0", false, "%s",
	    !isnan(t.p) && t.p < alpha ? "reject" : "fail to reject");
	if (!isnan(t.p) && t.p < alpha)
		add(&r, "reading", false,
		    "%s %s than %s, p = %s, shift %+.3f %s", b,
		    shift < 0 ? "lower" : "higher", a, p, shift, m->unit);
	else if (t.exact && 2 * pow(0.5, (double)t.n) >= alpha)
		/* the exact test's smallest two-sided p is 2 / 2^n */
		add(&r, "reading", false,
		    "%zu pairs cannot show a difference at %.0f %% (the "
		    "smallest p is %.4f): a campaign needs more paired tests",
		    t.n, o->level * 100, 2 * pow(0.5, (double)t.n));
	else
		add(&r, "reading", false,
		    "no significant difference between %s and %s (p = %s, "
		    "%zu pairs)",
		    a, b, p, k);
	ret = emit(&r, o, w);
	return ret;
}

/* ---- per-probe samples: Mann-Whitney, Hodges-Lehmann, Cliff ---- */

static int compare_probes(struct store *st, const struct series *s,
			  const struct analysis_opts *o, size_t ta, size_t tb,
			  const bool varies[FACTOR_COUNT], struct writer *w)
{
	const struct series_test *x = &s->tests[ta], *y = &s->tests[tb];
	double *sx = NULL, *sy = NULL, cliff, alpha = 1 - o->level;
	size_t nx, ny;
	struct ranktest t;
	struct estimate hl, mx, my;
	char a[64], b[64], label[256], p[32];
	struct row r = {0};
	int ret = -1;

	if (store_samples(st, x->id, "probes", "rtt_ns", &sx, &nx) ||
	    store_samples(st, y->id, "probes", "rtt_ns", &sy, &ny))
		goto out;
	ret = 0;
	if (!nx || !ny)
		goto out;
	ranktest_mann_whitney(sx, nx, sy, ny, &t);
	effect_hl_shift(sx, nx, sy, ny, o->level, &hl); /* sorts both */
	cliff = effect_cliff_delta(sy, ny, sx, nx);
	effect_quantile_ci(sx, nx, 0.5, o->level, &mx, NULL, NULL);
	effect_quantile_ci(sy, ny, 0.5, o->level, &my, NULL, NULL);
	value_name(o->factor, x->v[o->factor], a, sizeof(a));
	value_name(o->factor, y->v[o->factor], b, sizeof(b));
	pairing_label(x, varies, o->factor, label, sizeof(label));
	p_text(t.p, p, sizeof(p));
	add(&r, "test", false, "%s", label);
	add(&r, "a", false, "%s", a);
	add(&r, "b", false, "%s", b);
	add(&r, "over", false, "probes");
	add(&r, "n_a", true, "%zu", nx);
	add(&r, "n_b", true, "%zu", ny);
	add(&r, "p50_a", true, "%.3f", mx.value / 1e3);
	add(&r, "p50_b", true, "%.3f", my.value / 1e3);
	add(&r, "U", true, "%g", t.statistic);
	add_num(&r, "p", "%.6g", t.p);
	add_num(&r, "shift_us", "%.3f", hl.value / 1e3);
	add_num(&r, "shift_lo", "%.3f", hl.lo / 1e3);
	add_num(&r, "shift_hi", "%.3f", hl.hi / 1e3);
	add_num(&r, "cliff", "%.3f", cliff);
	if (!isnan(t.p) && t.p < alpha)
		add(&r, "reading", false,
		    "%s %s than %s, p = %s, shift %+.3f us [%.3f, %.3f], "
		    "delta %.2f",
		    b, hl.value < 0 ? "lower" : "higher", a, p,
		    hl.value / 1e3, hl.lo / 1e3, hl.hi / 1e3, cliff);
	else
		add(&r, "reading", false,
		    "no significant difference between %s and %s (p = %s)", a,
		    b, p);
	ret = emit(&r, o, w);
out:
	free(sx);
	free(sy);
	return ret;
}

/* every metric for the pair (va, vb), within each value of o->by */
static int compare_metrics(const struct series *s,
			   const struct analysis_opts *o, int64_t va,
			   int64_t vb, struct writer *w)
{
	int64_t *bys = NULL, none = 0;
	size_t nby = o->by >= 0 ? pairing_values(s, o->by, &bys) : 1, b, k;
	int ret = 0;

	for (b = 0; !ret && b < nby; b++) {
		for (k = 0; !ret && k < o->nmetrics; k++)
			ret = compare_metric(
				s, series_metric_find(s, o->metrics[k]), o, va,
				vb, bys ? bys[b] : none, w);
	}
	free(bys);
	return ret;
}

int analysis_compare(struct store *st, const struct series *s,
		     const struct analysis_opts *o, struct writer *w)
{
	bool varies[FACTOR_COUNT];
	int64_t *vals;
	size_t nv = pairing_values(s, o->factor, &vals), i, j, q;
	int ret = 0;

	pairing_varying(s, varies);
	for (i = 0; !ret && i < nv; i++) {
		for (j = i + 1; !ret && j < nv; j++) {
			size_t *ia, *ib, n;

			if (!o->per_probe) {
				ret = compare_metrics(s, o, vals[i], vals[j],
						      w);
				continue;
			}
			n = pairing_pairs(s, o->factor, vals[i], vals[j], &ia,
					  &ib);
			for (q = 0; !ret && q < n; q++)
				ret = compare_probes(st, s, o, ia[q], ib[q],
						     varies, w);
			free(ia);
			free(ib);
		}
	}
	free(vals);
	return ret;
}

/* ---- trends: Kendall's tau-b ---- */

int analysis_trend(const struct series *s, const struct analysis_opts *o,
		   struct writer *w)
{
	size_t *group = xcalloc(s->ntests ? s->ntests : 1, sizeof(*group));
	size_t ng = pairing_groups(s, o->factor, group), g, i, k, n;
	double *x = xcalloc(s->ntests ? s->ntests : 1, sizeof(*x));
	double *y = xcalloc(s->ntests ? s->ntests : 1, sizeof(*y));
	double alpha = 1 - o->level;
	bool varies[FACTOR_COUNT];
	int ret = 0;

	pairing_varying(s, varies);
	for (k = 0; !ret && k < o->nmetrics; k++) {
		int mi = series_metric_find(s, o->metrics[k]);

		for (g = 0; !ret && g < ng; g++) {
			struct ranktest t;
			struct row r = {0};
			char label[256], p[32];
			size_t first;

			/* the label is the group's, not a reference's */
			for (first = 0; group[first] != g; first++)
				;
			for (i = 0, n = 0; i < s->ntests; i++) {
				const struct metric_value *v =
					&s->tests[i].values[mi];

				if (v->type != CELL_REAL ||
				    !pairing_in_trend(s, o->factor, group, g,
						      i))
					continue;
				x[n] = (double)s->tests[i].v[o->factor];
				y[n++] = v->d;
			}
			if (n < 2)
				continue;
			ranktest_kendall(x, y, n, &t);
			pairing_label(&s->tests[first], varies, o->factor,
				      label, sizeof(label));
			p_text(t.p, p, sizeof(p));
			add(&r, "metric", false, "%s", s->metrics[mi]->name);
			add(&r, "factor", false, "%s",
			    factor_table[o->factor].name);
			add(&r, "group", false, "%s", label);
			add(&r, "points", true, "%zu", n);
			add_num(&r, "tau", "%.4f", t.statistic);
			add_num(&r, "p", "%.6g", t.p);
			add(&r, "method", false, "%s",
			    t.exact ? "exact" : "normal");
			if (isnan(t.statistic))
				add(&r, "reading", false,
				    "%s is constant: no trend to test",
				    s->metrics[mi]->name);
			else if (!isnan(t.p) && t.p < alpha)
				add(&r, "reading", false,
				    "%s %s with %s (tau %.2f, p = %s)",
				    s->metrics[mi]->name,
				    t.statistic > 0 ? "rises" : "falls",
				    factor_table[o->factor].name, t.statistic,
				    p);
			else
				add(&r, "reading", false,
				    "no significant trend with %s (tau %.2f, "
				    "p = %s)",
				    factor_table[o->factor].name, t.statistic,
				    p);
			ret = emit(&r, o, w);
		}
	}
	free(x);
	free(y);
	free(group);
	return ret;
}

/* ---- per-test intervals ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int analysis_intervals(struct store *st, const struct series *s,
		       const struct analysis_opts *o, struct writer *w)
{
	static const struct {
		double q;
		const char *name, *lo, *hi;
	} qs[] = {
		{0.5, "p50", "p50_lo", "p50_hi"},
		{0.99, "p99", "p99_lo", "p99_hi"},
		{0.999, "p99.9", "p99.9_lo", "p99.9_hi"},
	};
	bool varies[FACTOR_COUNT];
	size_t i, k;
	int ret = 0;

	pairing_varying(s, varies);
	for (i = 0; !ret && i < s->ntests; i++) {
		struct row r = {0};
		struct estimate e[3];
		char label[256];
		double *v;
		size_t n;
		bool wide;

		/* a load-latency test sends no probes: no RTT to bound */
		if (!factor_applies(F_PROBE, s->tests[i].v))
			continue;
		if (store_samples(st, s->tests[i].id, "probes", "rtt_ns", &v,
				  &n))
			return -1;
		if (n)
			qsort(v, n, sizeof(*v), cmp_double);
		for (k = 0; k < 3; k++)
			effect_quantile_ci(v, n, qs[k].q, o->level, &e[k], NULL,
					   NULL);
		free(v);
		pairing_label(&s->tests[i], varies, -1, label, sizeof(label));
		add(&r, "test", false, "%s", label);
		add(&r, "probes", true, "%zu", n);
		for (k = 0; k < 3; k++) {
			add_num(&r, qs[k].name, "%.3f", e[k].value / 1e3);
			add_num(&r, qs[k].lo, "%.3f", e[k].lo / 1e3);
			add_num(&r, qs[k].hi, "%.3f", e[k].hi / 1e3);
		}
		wide = isnan(e[1].lo) || isnan(e[1].hi) ||
		       e[1].hi - e[1].lo > o->bound_ns;
		add(&r, "p99_ok", false, "%s", wide ? "no" : "yes");
		if (isnan(e[1].lo) || isnan(e[1].hi))
			add(&r, "reading", false,
			    "too few probes for a %.0f %% interval of p99",
			    o->level * 100);
		else if (wide)
			add(&r, "reading", false,
			    "p99 known to %.1f us only: needs more probes",
			    (e[1].hi - e[1].lo) / 1e3);
		else
			add(&r, "reading", false, "p99 within %.1f us",
			    (e[1].hi - e[1].lo) / 1e3);
		ret = emit(&r, o, w);
	}
	return ret;
}
