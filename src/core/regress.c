// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Regression verdicts. A change must be both large (over the tolerance,
 * relative to the baseline) and real (significant): with 10^5 probes a
 * 0.1 % change is significant, and with 10 probes a 50 % one may be
 * noise; CI should fail on neither.
 */
#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "core/regress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/effect.h"
#include "core/ranktest.h"
#include "core/stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void verdict(struct regress *r, double tolerance)
{
	r->change = r->base ? r->now / r->base - 1 :
		    r->now > 0 ? INFINITY : 0;
	r->regressed = r->significant && r->change > tolerance;
	r->improved = r->significant && r->change < -tolerance;
}

static void clear(struct regress *r)
{
	memset(r, 0, sizeof(*r));
	r->base = r->now = r->change = r->lo = r->hi = r->p = NAN;
}

void regress_median(double *base, size_t nb, double *now, size_t nn,
		    double level, double tolerance, struct regress *out)
{
	struct ranktest t;
	struct estimate hl;
	double med;

	clear(out);
	if (!nb || !nn)
		return;
	ranktest_mann_whitney(base, nb, now, nn, &t);
	effect_hl_shift(base, nb, now, nn, level, &hl); /* sorts */
	med = stats_median_sorted(base, nb);
	out->base = med;
	out->now = stats_median_sorted(now, nn);
	out->lo = hl.lo;
	out->hi = hl.hi;
	out->p = t.p;
	out->significant = !isnan(t.p) && t.p < 1 - level;
	/* the shift, not the ratio of the medians, is what was tested */
	out->change = med ? hl.value / med : hl.value > 0 ? INFINITY : 0;
	out->regressed = out->significant && out->change > tolerance;
	out->improved = out->significant && out->change < -tolerance;
}

void regress_quantile(double *base, size_t nb, double *now, size_t nn,
		      double q, double level, double tolerance,
		      struct regress *out)
{
	struct estimate b, n;

	clear(out);
	if (!nb || !nn)
		return;
	qsort(base, nb, sizeof(*base), cmp_double);
	qsort(now, nn, sizeof(*now), cmp_double);
	effect_quantile_ci(base, nb, q, level, &b, NULL, NULL);
	effect_quantile_ci(now, nn, q, level, &n, NULL, NULL);
	out->base = b.value;
	out->now = n.value;
	/* the widest difference the two intervals allow */
	out->lo = n.lo - b.hi;
	out->hi = n.hi - b.lo;
	out->significant = (!isnan(n.lo) && !isnan(b.hi) && n.lo > b.hi) ||
			   (!isnan(n.hi) && !isnan(b.lo) && n.hi < b.lo);
	verdict(out, tolerance);
}

void regress_loss(double base_lost, double base_sent, double now_lost,
		  double now_sent, double level, double tolerance,
		  struct regress *out)
{
	double pb, pn, pool, se, z;

	clear(out);
	if (base_sent <= 0 || now_sent <= 0)
		return;
	pb = base_lost / base_sent;
	pn = now_lost / now_sent;
	out->base = 100 * pb;
	out->now = 100 * pn;
	pool = (base_lost + now_lost) / (base_sent + now_sent);
	se = sqrt(pool * (1 - pool) * (1 / base_sent + 1 / now_sent));
	if (se > 0) {
		double zq = qnorm((1 + level) / 2, 0, 1, 1, 0);
		double sd = sqrt(pb * (1 - pb) / base_sent +
				 pn * (1 - pn) / now_sent);

		z = (pn - pb) / se;
		out->p = 2 * pnorm(-fabs(z), 0, 1, 1, 0);
		out->lo = 100 * (pn - pb - zq * sd);
		out->hi = 100 * (pn - pb + zq * sd);
	} else {
		out->p = 1; /* no loss on either side */
		out->lo = out->hi = 0;
	}
	out->significant = out->p < 1 - level;
	verdict(out, tolerance);
}
