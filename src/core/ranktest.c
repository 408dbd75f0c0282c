// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rank tests, as R and SciPy compute them. R's math library gives the
 * exact null distributions of the signed-rank and rank-sum statistics
 * and the normal tail; everything else (ranks, ties, Kendall's exact
 * distribution) is here. The formulas are R's (wilcox.test.default,
 * cor.test.default) and SciPy 1.10's (_morestats.wilcoxon,
 * _mannwhitneyu, _stats_py.kendalltau): tests/data/stats/ holds SciPy's
 * figures for them.
 */
#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "core/ranktest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

struct ranked {
	double v;
	size_t i;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->v != y->v)
		return (x->v > y->v) - (x->v < y->v);
	/* stable: the same ranks whatever qsort does with equal keys */
	return (x->i > y->i) - (x->i < y->i);
}

double ranktest_rank(const double *v, size_t n, double *r)
{
	struct ranked *s = xcalloc(n ? n : 1, sizeof(*s));
	double ties = 0;
	size_t i, j, k;

	for (i = 0; i < n; i++)
		s[i] = (struct ranked){v[i], i};
	qsort(s, n, sizeof(*s), cmp_ranked);
	for (i = 0; i < n; i = j) {
		double t;

		for (j = i + 1; j < n && s[j].v == s[i].v; j++)
			;
		t = (double)(j - i);
		/* ranks i + 1 .. j share their mean */
		for (k = i; k < j; k++)
			r[s[k].i] = ((double)(i + 1) + (double)j) / 2;
		ties += t * t * t - t;
	}
	free(s);
	return ties;
}

static double two_sided_normal(double z)
{
	return 2 * pnorm(-fabs(z), 0, 1, 1, 0);
}

void ranktest_signed_rank(const double *d, size_t n, struct ranktest *out)
{
	double *a = xcalloc(n ? n : 1, sizeof(*a));
	double *r = xcalloc(n ? n : 1, sizeof(*r));
	double v = 0, ties, nn, mean, var;
	size_t i, m = 0;
	bool zeros = false;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (d[i] == 0)
			zeros = true;
		else
			a[m++] = fabs(d[i]);
	}
	ties = ranktest_rank(a, m, r);
	/* a[] lost the signs: walk d again in the same order */
	for (i = 0, m = 0; i < n; i++) {
		if (d[i] != 0 && d[i] > 0)
			v += r[m];
		if (d[i] != 0)
			m++;
	}
	out->n = m;
	out->statistic = v;
	nn = (double)m;
	if (!m) {
		out->p = NAN;
		goto out;
	}
	mean = nn * (nn + 1) / 4;
	if (m < RANKTEST_EXACT_MAX && !ties && !zeros) {
		double p = v > mean ? psignrank(v - 1, nn, 0, 0) :
				      psignrank(v, nn, 1, 0);

		out->exact = true;
		out->p = fmin(1, 2 * p);
		goto out;
	}
	var = nn * (nn + 1) * (2 * nn + 1) / 24 - ties / 48;
	if (var <= 0) {
		out->p = NAN;
		goto out;
	}
	/* continuity: half a rank towards the mean */
	out->z = (v - mean - (v > mean ? 0.5 : v < mean ? -0.5 : 0)) /
		 sqrt(var);
	out->p = fmin(1, two_sided_normal(out->z));
out:
	free(r);
	free(a);
}

void ranktest_mann_whitney(const double *x, size_t nx, const double *y,
			   size_t ny, struct ranktest *out)
{
	size_t n = nx + ny, i;
	double *v = xcalloc(n ? n : 1, sizeof(*v));
	double *r = xcalloc(n ? n : 1, sizeof(*r));
	double ties, rx = 0, u, mean, var, fx = (double)nx, fy = (double)ny;
	double fn = (double)n;

	memset(out, 0, sizeof(*out));
	if (nx)
		memcpy(v, x, nx * sizeof(*v));
	if (ny)
		memcpy(v + nx, y, ny * sizeof(*v));
	ties = ranktest_rank(v, n, r);
	for (i = 0; i < nx; i++)
		rx += r[i];
	u = rx - fx * (fx + 1) / 2;
	out->n = n;
	out->statistic = u;
	if (!nx || !ny) {
		out->p = NAN;
		goto out;
	}
	mean = fx * fy / 2;
	if (nx < RANKTEST_EXACT_MAX && ny < RANKTEST_EXACT_MAX && !ties) {
		double p = u > mean ? pwilcox(u - 1, fx, fy, 0, 0) :
				      pwilcox(u, fx, fy, 1, 0);

		out->exact = true;
		out->p = fmin(1, 2 * p);
		goto out;
	}
	var = fx * fy / 12 * ((fn + 1) - ties / (fn * (fn - 1)));
	if (var <= 0) {
		out->p = NAN;
		goto out;
	}
	out->z = (u - mean - (u > mean ? 0.5 : u < mean ? -0.5 : 0)) /
		 sqrt(var);
	out->p = fmin(1, two_sided_normal(out->z));
out:
	free(r);
	free(v);
}

/*
 * P(S <= c) for the number S of discordant pairs of a random
 * permutation of n (no ties): the Mahonian distribution, built one
 * element at a time as probabilities (each new element adds 0..j-1
 * inversions with equal chance), so nothing overflows.
 */
static double kendall_cdf(size_t n, size_t c)
{
	size_t max = n * (n - 1) / 2, j, k;
	double *p = xcalloc(max + 1, sizeof(*p));
	double *q = xcalloc(max + 1, sizeof(*q));
	double sum = 0;

	p[0] = 1;
	for (j = 2; j <= n; j++) {
		size_t top = j * (j - 1) / 2;
		double run = 0;

		/* q[k] = (p[k] + p[k-1] + ... + p[k-j+1]) / j */
		for (k = 0; k <= top; k++) {
			run += p[k];
			if (k >= j)
				run -= p[k - j];
			q[k] = run / (double)j;
		}
		memcpy(p, q, (top + 1) * sizeof(*p));
	}
	for (k = 0; k <= c && k <= max; k++)
		sum += p[k];
	free(q);
	free(p);
	return sum;
}

/* sum over tie groups of t(t-1)/2, t(t-1)(t-2), t(t-1)(2t+5) */
static void tie_terms(const double *v, size_t n, double *t0, double *t1,
		      double *t2)
{
	double *s = xcalloc(n ? n : 1, sizeof(*s));
	size_t i, j;

	if (n)
		memcpy(s, v, n * sizeof(*s));
	for (i = 1; i < n; i++) { /* insertion sort: n is small */
		double x = s[i];

		for (j = i; j > 0 && s[j - 1] > x; j--)
			s[j] = s[j - 1];
		s[j] = x;
	}
	*t0 = *t1 = *t2 = 0;
	for (i = 0; i < n; i = j) {
		double t;

		for (j = i + 1; j < n && s[j] == s[i]; j++)
			;
		t = (double)(j - i);
		*t0 += t * (t - 1) / 2;
		*t1 += t * (t - 1) * (t - 2);
		*t2 += t * (t - 1) * (2 * t + 5);
	}
	free(s);
}

void ranktest_kendall(const double *x, const double *y, size_t n,
		      struct ranktest *out)
{
	double con = 0, dis = 0, tot, xt, yt, x1, x2, y1, y2, nn = (double)n;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->p = NAN;
	out->statistic = NAN;
	/* O(n^2): n is a count of tests, not of probes */
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			double s = (x[i] - x[j]) * (y[i] - y[j]);

			con += s > 0;
			dis += s < 0;
		}
	}
	tot = nn * (nn - 1) / 2;
	tie_terms(x, n, &xt, &x1, &x2);
	tie_terms(y, n, &yt, &y1, &y2);
	if (n < 2 || xt == tot || yt == tot)
		return;
	out->statistic = (con - dis) / sqrt((tot - xt) * (tot - yt));
	if (!xt && !yt && n <= KENDALL_EXACT_MAX) {
		double c = fmin(dis, tot - dis);

		out->exact = true;
		out->p = fmin(1, 2 * kendall_cdf(n, (size_t)c));
		return;
	}
	{
		double m = nn * (nn - 1);
		double var = (m * (2 * nn + 5) - x2 - y2) / 18 +
			     2 * xt * yt / m;

		if (n > 2)
			var += x1 * y1 / (9 * m * (nn - 2));
		out->z = (con - dis) / sqrt(var);
		out->p = fmin(1, two_sided_normal(out->z));
	}
}
