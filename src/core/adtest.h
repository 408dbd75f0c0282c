/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Anderson-Darling test of a sample against the exponential
 * distribution with its scale estimated from the sample (Stephens 1974;
 * D'Agostino and Stephens, Goodness-of-Fit Techniques, 1986, table
 * 4.11), as SciPy's scipy.stats.anderson(x, 'expon') computes it: how a
 * Poisson schedule's realised inter-departure gaps are checked (Lancet,
 * Kogias et al., USENIX ATC 2019, does the same).
 */
#ifndef IOV_CORE_ADTEST_H
#define IOV_CORE_ADTEST_H

#include <stddef.h>

#define AD_LEVELS 5

/* The significance levels of the critical values, in percent. */
extern const double ad_levels_pct[AD_LEVELS]; /* 15 10 5 2.5 1 */

struct ad_result {
	size_t n;
	double a2;		    /* the statistic A^2 */
	double crit[AD_LEVELS];	    /* critical values of A^2 for this n */
	/* the smallest level (percent) at which the fit is rejected, or 0
	 * if A^2 is below every critical value */
	double rejected_at_pct;
};

/*
 * Test x[0..n-1] (n >= 2, all >= 0, sorted in place) against the
 * exponential of mean mean(x). -1 if n < 2 or the mean is not > 0.
 */
int ad_exponential(double *x, size_t n, struct ad_result *r);

#endif
