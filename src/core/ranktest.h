/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rank tests: Wilcoxon signed-rank (paired), Mann-Whitney U (unpaired)
 * and Kendall's tau-b, two-sided, computed as R's wilcox.test() and
 * cor.test(method = "kendall") and SciPy's wilcoxon(), mannwhitneyu()
 * and kendalltau() do (docs/metrics.md). The distributions come from R's
 * standalone math library (psignrank, pwilcox, pnorm); the exact
 * distribution of Kendall's statistic, which that library lacks, is
 * computed here. Pure: takes arrays, allocates scratch, never fails.
 */
#ifndef IOV_CORE_RANKTEST_H
#define IOV_CORE_RANKTEST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Below these sizes, and without ties (or zero differences), p-values
 * are exact; otherwise the normal approximation with the tie and
 * continuity corrections: R's rule.
 */
#define RANKTEST_EXACT_MAX 50
/* SciPy's rule for Kendall's exact p-value (no ties, n <= 33) */
#define KENDALL_EXACT_MAX 33

struct ranktest {
	size_t n;	  /* pairs (signed-rank: non-zero differences) */
	double statistic; /* see each function */
	double z;	  /* the normal deviate when !exact, else 0 */
	double p;	  /* two-sided; NaN when it is undefined (n = 0) */
	bool exact;
};

/*
 * Wilcoxon signed-rank test of the differences d[i] = x[i] - y[i]
 * (n of them): zeros dropped (R's and SciPy's "wilcox" method), then
 * statistic = V, the sum of the ranks of the positive differences (R's
 * V; SciPy's statistic with alternative "greater").
 */
void ranktest_signed_rank(const double *d, size_t n, struct ranktest *out);

/*
 * Mann-Whitney U of x (nx) against y (ny): statistic = U of x, the
 * number of pairs with x > y plus half those tied (R's W, SciPy's U1).
 * out->n is nx + ny.
 */
void ranktest_mann_whitney(const double *x, size_t nx, const double *y,
			   size_t ny, struct ranktest *out);

/*
 * Kendall's tau-b of (x[i], y[i]): statistic = tau-b (NaN when x or y
 * is constant). Exact p-value without ties and n <= KENDALL_EXACT_MAX,
 * else the normal approximation with the tie-corrected variance and no
 * continuity correction (SciPy's kendalltau; R corrects nothing).
 */
void ranktest_kendall(const double *x, const double *y, size_t n,
		      struct ranktest *out);

/*
 * Ranks (1-based, ties get their mean rank) of v in r; returns the sum
 * of t^3 - t over tie groups (the tie correction's term). Used by the
 * tests above, exposed for the unit tests.
 */
double ranktest_rank(const double *v, size_t n, double *r);

#endif
