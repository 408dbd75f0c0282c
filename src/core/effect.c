// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Effect sizes and intervals. The Hodges-Lehmann shift is an order
 * statistic of nx * ny differences: 10^5 probes a side would be 10^10
 * of them, so it is found by bisection over the values, counting the
 * differences below a candidate with two pointers over the sorted
 * samples (O(nx + ny) a step, at most 64 steps: one per bit of a
 * double), which lands exactly on one of the computed differences.
 */
#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "core/effect.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ranktest.h"
#include "core/stats.h"
#include "util/alloc.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* a value twice in x and y together (both sorted) */
static bool has_ties(const double *x, size_t nx, const double *y, size_t ny)
{
	size_t i = 0, j = 0;
	double last = NAN;

	while (i < nx || j < ny) {
		double v = j == ny || (i < nx && x[i] <= y[j]) ? x[i++] :
								  y[j++];

		if (v == last)
			return true;
		last = v;
	}
	return false;
}

/* doubles as unsigned integers in the same order (no NaN) */
static uint64_t order_key(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static double order_value(uint64_t k)
{
	uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

/* Differences y[j] - x[i] <= d, x and y sorted. */
static uint64_t count_le(const double *x, size_t nx, const double *y,
			 size_t ny, double d)
{
	uint64_t count = 0;
	size_t i = 0, j;

	for (j = 0; j < ny; j++) {
		while (i < nx && !(y[j] - x[i] <= d))
			i++;
		count += nx - i;
	}
	return count;
}

/* The k-th smallest (1-based) difference y[j] - x[i]. */
static double kth_difference(const double *x, size_t nx, const double *y,
			     size_t ny, uint64_t k)
{
	uint64_t lo = order_key(y[0] - x[nx - 1]);
	uint64_t hi = order_key(y[ny - 1] - x[0]);

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (count_le(x, nx, y, ny, order_value(mid)) >= k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return order_value(hi) + 0.0; /* -0 is 0 */
}

void effect_hl_shift(double *x, size_t nx, double *y, size_t ny,
		     double level, struct estimate *out)
{
	uint64_t nm = (uint64_t)nx * ny, k;
	double z, c;

	out->value = out->lo = out->hi = NAN;
	if (!nx || !ny)
		return;
	qsort(x, nx, sizeof(*x), cmp_double);
	qsort(y, ny, sizeof(*y), cmp_double);
	if (nm % 2)
		out->value = kth_difference(x, nx, y, ny, nm / 2 + 1);
	else
		out->value = (kth_difference(x, nx, y, ny, nm / 2) +
			      kth_difference(x, nx, y, ny, nm / 2 + 1)) /
			     2;
	/*
	 * Moses: the bounds are the order statistics k and nm - k + 1 of
	 * the differences, k the (1 - level) / 2 quantile of U's null
	 * distribution: exact (R's qwilcox) for small samples without
	 * ties, as R's wilcox.test(conf.int = TRUE), else from its normal
	 * approximation.
	 */
	if (nx < RANKTEST_EXACT_MAX && ny < RANKTEST_EXACT_MAX &&
	    !has_ties(x, nx, y, ny)) {
		c = qwilcox((1 - level) / 2, (double)nx, (double)ny, 1, 0);
		if (c < 1)
			c = 1;
	} else {
		z = qnorm((1 + level) / 2, 0, 1, 1, 0);
		c = floor((double)nm / 2 -
			  z * sqrt((double)nm * (double)(nx + ny + 1) / 12));
		if (c < 1)
			return;
	}
	k = (uint64_t)c;
	out->lo = kth_difference(x, nx, y, ny, k);
	out->hi = kth_difference(x, nx, y, ny, nm - k + 1);
}

double effect_hl_paired(const double *d, size_t n)
{
	size_t m = n * (n + 1) / 2, i, j, k = 0;
	double *w, med;

	if (!n)
		return NAN;
	w = xcalloc(m, sizeof(*w));
	for (i = 0; i < n; i++) {
		for (j = i; j < n; j++)
			w[k++] = (d[i] + d[j]) / 2;
	}
	qsort(w, m, sizeof(*w), cmp_double);
	med = m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2;
	free(w);
	return med;
}

double effect_cliff_delta(double *x, size_t nx, double *y, size_t ny)
{
	double gt = 0, lt = 0;
	size_t i, below = 0, upto = 0;

	if (!nx || !ny)
		return NAN;
	qsort(x, nx, sizeof(*x), cmp_double);
	qsort(y, ny, sizeof(*y), cmp_double);
	for (i = 0; i < nx; i++) {
		while (below < ny && y[below] < x[i])
			below++;
		while (upto < ny && y[upto] <= x[i])
			upto++;
		gt += (double)below;	     /* y < x[i] */
		lt += (double)(ny - upto); /* y > x[i] */
	}
	return (gt - lt) / ((double)nx * (double)ny);
}

void effect_quantile_ci(const double *sorted, size_t n, double q,
			double level, struct estimate *out, size_t *lrank,
			size_t *urank)
{
	double l, u, fn = (double)n;

	out->value = out->lo = out->hi = NAN;
	if (lrank)
		*lrank = 0;
	if (urank)
		*urank = 0;
	if (!n)
		return;
	out->value = stats_quantile(sorted, n, q);
	/* P(B <= l - 1) < (1 - level) / 2 and P(B <= u - 1) >= (1 +
	 * level) / 2 for B ~ binomial(n, q): [x_(l), x_(u)) covers the
	 * quantile with probability >= level */
	l = qbinom((1 - level) / 2, fn, q, 1, 0);
	u = qbinom((1 + level) / 2, fn, q, 1, 0) + 1;
	if (lrank)
		*lrank = (size_t)l;
	if (urank)
		*urank = (size_t)u;
	if (l >= 1)
		out->lo = sorted[(size_t)l - 1];
	if (u <= fn)
		out->hi = sorted[(size_t)u - 1];
}
