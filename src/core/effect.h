/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Effect sizes and confidence intervals: what a p-value does not say.
 * With 10^5 probes every difference is "significant"; these say how
 * large it is and how well it is known (docs/metrics.md). Pure.
 */
#ifndef IOV_CORE_EFFECT_H
#define IOV_CORE_EFFECT_H

#include <stddef.h>

/* An estimate and its interval; lo/hi NaN when the sample is too small
 * for the level (the interval would reach past the sample). */
struct estimate {
	double value, lo, hi;
};

/*
 * Hodges-Lehmann shift of y against x: the median of all nx * ny
 * differences y[j] - x[i], with its distribution-free interval at level
 * (0.95) from the Mann-Whitney distribution (Moses: exact below
 * RANKTEST_EXACT_MAX a side without ties, as R's wilcox.test(conf.int =
 * TRUE), else from its normal approximation). x and y are sorted in
 * place. O((nx + ny) log) per order
 * statistic: no nx * ny array, so 10^5 probes a side are fine.
 */
void effect_hl_shift(double *x, size_t nx, double *y, size_t ny,
		     double level, struct estimate *out);

/*
 * The one-sample Hodges-Lehmann estimate of paired differences d (n):
 * the median of the Walsh averages (d[i] + d[j]) / 2, i <= j
 * (pseudomedian; R's wilcox.test(paired = TRUE, conf.int = TRUE)).
 * No interval. O(n^2) memory: for per-test medians, not probes.
 */
double effect_hl_paired(const double *d, size_t n);

/*
 * Cliff's delta of x against y: P(x > y) - P(x < y) over all pairs, in
 * [-1, 1]. Sorts x and y in place.
 */
double effect_cliff_delta(double *x, size_t nx, double *y, size_t ny);

/*
 * Quantile q of a sorted sample with its distribution-free interval at
 * level from order statistics: [x_(l), x_(u)] (1-based) with l, u the
 * binomial(n, q) quantiles (1 - level) / 2 and (1 + level) / 2, the
 * latter plus one, so that coverage is at least level whatever the
 * distribution. The value is the type-7 quantile (core/stats.h). If l
 * or u falls outside 1..n the side is NaN: more probes needed. lrank,
 * urank (if not NULL) get l and u.
 */
void effect_quantile_ci(const double *sorted, size_t n, double q,
			double level, struct estimate *out, size_t *lrank,
			size_t *urank);

#endif
