/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Regressions against a baseline: the change of a test's headline
 * metrics between two databases, how well it is known, and whether it
 * is a regression, i.e. larger than the tolerance AND significant at
 * the level (docs/metrics.md, "compare"). Lower is better for every
 * metric here (latency, loss). Pure.
 */
#ifndef IOV_CORE_REGRESS_H
#define IOV_CORE_REGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct regress {
	double base, now;  /* the metric in each (ns, or % for loss) */
	double change;	   /* relative: now / base - 1 (inf if base 0) */
	double lo, hi;	   /* interval of now - base; NaN: unknown */
	double p;	   /* two-sided; NaN: no test for it */
	bool significant;  /* at the level */
	bool regressed;	   /* change > tolerance and significant, worse */
	bool improved;	   /* change < -tolerance and significant */
};

/*
 * The median: the Hodges-Lehmann shift now - base with its interval
 * and the Mann-Whitney test; change is the shift relative to the
 * base's median. Sorts both samples.
 */
void regress_median(double *base, size_t nb, double *now, size_t nn,
		    double level, double tolerance, struct regress *out);

/*
 * A quantile (p99): significant when the order-statistic intervals of
 * the two samples do not overlap (conservative: no p-value). Sorts
 * both samples.
 */
void regress_quantile(double *base, size_t nb, double *now, size_t nn,
		      double q, double level, double tolerance,
		      struct regress *out);

/*
 * Loss: lost of sent in each; the two-proportion z-test (pooled),
 * values in %.
 */
void regress_loss(double base_lost, double base_sent, double now_lost,
		  double now_sent, double level, double tolerance,
		  struct regress *out);

#endif
