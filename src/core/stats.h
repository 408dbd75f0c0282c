/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Descriptive statistics of a sample. Quantiles are Hyndman & Fan type 7
 * (linear interpolation between order statistics: R's and numpy's
 * default), so figures match what users compute in R or pandas from the
 * exported probes. stdev is the sample standard deviation (n - 1).
 */
#ifndef IOV_CORE_STATS_H
#define IOV_CORE_STATS_H

#include <stddef.h>

struct stats {
	size_t n;
	double min, p25, p50, p75, p90, p99, max;
	double mean, stdev;
};

/* Sorts v in place. n = 0 gives all-zero stats with n = 0. */
void stats_compute(double *v, size_t n, struct stats *s);
/* Quantile q in [0, 1] of a sorted sample (n > 0). */
double stats_quantile(const double *sorted, size_t n, double q);
/* The median of a sorted sample (n > 0). */
double stats_median_sorted(const double *sorted, size_t n);

#endif
