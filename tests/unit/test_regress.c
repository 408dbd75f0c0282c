// SPDX-License-Identifier: GPL-2.0-or-later
/* Regression verdicts: tolerance and significance both decide. */
#include "unit.h"

#include <math.h>

#include "core/regress.h"

#define N 2000

/* a latency-like sample: 20 us and a tail, deterministic */
static void sample(double *v, size_t n, double scale, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double u = (double)((i * 7919 + seed * 104729) % n + 1) /
			   (double)(n + 1);

		v[i] = scale * (20000 - 3000 * log(1 - u));
	}
}

static void test_median(void **state)
{
	static double a[N], b[N];
	struct regress r;

	(void)state;
	sample(a, N, 1, 1);
	sample(b, N, 1, 2);
	regress_median(a, N, b, N, 0.95, 0.05, &r);
	assert_false(r.regressed);
	assert_false(r.significant);
	/* 20 % worse: regressed at 5 %, not at 25 % */
	sample(a, N, 1, 1);
	sample(b, N, 1.2, 2);
	regress_median(a, N, b, N, 0.95, 0.05, &r);
	assert_true(r.significant && r.regressed);
	assert_true(r.change > 0.15 && r.change < 0.25);
	assert_true(r.lo > 0 && r.hi > r.lo);
	sample(a, N, 1, 1);
	sample(b, N, 1.2, 2);
	regress_median(a, N, b, N, 0.95, 0.25, &r);
	assert_true(r.significant && !r.regressed);
	/* better is not a regression */
	regress_median(b, N, a, N, 0.95, 0.05, &r);
	assert_true(r.improved && !r.regressed);
}

static void test_quantile(void **state)
{
	static double a[N], b[N];
	struct regress r;

	(void)state;
	sample(a, N, 1, 1);
	sample(b, N, 1.2, 2);
	regress_quantile(a, N, b, N, 0.99, 0.95, 0.05, &r);
	assert_true(r.regressed);
	sample(a, N, 1, 1);
	sample(b, N, 1, 3);
	regress_quantile(a, N, b, N, 0.99, 0.95, 0.05, &r);
	assert_false(r.significant);
	/* 10 probes: no interval of p99, never a verdict */
	regress_quantile(a, 10, b, 10, 0.99, 0.95, 0.05, &r);
	assert_false(r.significant);
}

static void test_loss(void **state)
{
	struct regress r;

	(void)state;
	regress_loss(0, 1000, 0, 1000, 0.95, 0.05, &r);
	assert_false(r.regressed);
	assert_true(r.p == 1);
	regress_loss(10, 10000, 100, 10000, 0.95, 0.05, &r);
	assert_true(r.regressed);
	assert_true(fabs(r.base - 0.1) < 1e-12 && fabs(r.now - 1) < 1e-12);
	/* one probe more lost of 1000 is noise */
	regress_loss(1, 1000, 2, 1000, 0.95, 0.05, &r);
	assert_false(r.significant);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_loss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
