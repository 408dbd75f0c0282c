// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_quantile(const double *v, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

double stats_median_sorted(const double *v, size_t n)
{
	return stats_quantile(v, n, 0.5);
}

void stats_compute(double *v, size_t n, struct stats *s)
{
	double mean = 0, m2 = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_double);
	/*
	 * Welford: no catastrophic cancellation with ns-sized values. It
	 * runs on offsets from the minimum: at realtime ns (1.7e18) a
	 * double's ulp is 256 ns, so a running mean kept at that magnitude
	 * rounds every step (and stops moving once d / i < 128 ns), while
	 * the offsets are exact and small.
	 */
	for (i = 0; i < n; i++) {
		double x = v[i] - v[0];
		double d = x - mean;

		mean += d / (double)(i + 1);
		m2 += d * (x - mean);
	}
	s->n = n;
	s->min = v[0];
	s->max = v[n - 1];
	s->p25 = stats_quantile(v, n, 0.25);
	s->p50 = stats_quantile(v, n, 0.50);
	s->p75 = stats_quantile(v, n, 0.75);
	s->p90 = stats_quantile(v, n, 0.90);
	s->p99 = stats_quantile(v, n, 0.99);
	s->mean = v[0] + mean;
	s->stdev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0;
}
