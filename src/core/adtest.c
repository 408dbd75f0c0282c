// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/adtest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double ad_levels_pct[AD_LEVELS] = {15, 10, 5, 2.5, 1};

/*
 * Stephens' critical values of A^2 (1 + 0.6 / n) for the exponential
 * with an estimated scale; SciPy divides them by (1 + 0.6 / n) and
 * rounds to three decimals, which is done here too so that the values
 * compare equal.
 */
static const double expon_crit[AD_LEVELS] = {0.922, 1.078, 1.341, 1.606,
					     1.957};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int ad_exponential(double *x, size_t n, struct ad_result *r)
{
	double mean = 0, s = 0;
	size_t i;
	int k;

	memset(r, 0, sizeof(*r));
	if (n < 2)
		return -1;
	for (i = 0; i < n; i++)
		mean += x[i];
	mean /= (double)n;
	if (!(mean > 0))
		return -1;
	qsort(x, n, sizeof(*x), cmp_double);
	/*
	 * A^2 = -n - sum (2i - 1) / n (ln F(w_i) + ln(1 - F(w_(n+1-i)))),
	 * w = x / mean, F(w) = 1 - e^-w: ln F = log1p(-e^-w) keeps the
	 * smallest gaps' term exact, ln(1 - F) = -w.
	 */
	for (i = 0; i < n; i++) {
		double lo = x[i] / mean, hi = x[n - 1 - i] / mean;
		double lnf = lo > 0 ? log1p(-exp(-lo)) : -INFINITY;

		s += (double)(2 * i + 1) * (lnf - hi);
	}
	r->n = n;
	r->a2 = -(double)n - s / (double)n;
	for (k = 0; k < AD_LEVELS; k++) {
		r->crit[k] = round(expon_crit[k] / (1.0 + 0.6 / (double)n) *
				   1000) /
			     1000;
		if (r->a2 > r->crit[k])
			r->rejected_at_pct = ad_levels_pct[k];
	}
	return 0;
}
