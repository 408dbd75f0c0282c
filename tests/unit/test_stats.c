// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <math.h>

#include "core/stats.h"

/* cmocka's assert_float_equal() rounds to float: compare doubles here. */
#define assert_near(a, b, eps) near_((a), (b), (eps), #a, __LINE__)

static void near_(double got, double want, double eps, const char *what,
		  int line)
{
	if (!(fabs(got - want) <= eps))
		fail_msg("line %d: %s = %.17g, want %.17g (+-%g)", line, what,
			 got, want, eps);
}

static void test_quantiles(void **state)
{
	/* unsorted 1..10 */
	double v[] = {7, 3, 10, 1, 9, 2, 8, 5, 4, 6};
	struct stats s;
	size_t i;

	(void)state;
	stats_compute(v, 10, &s);
	assert_int_equal(s.n, 10);
	/* R: quantile(1:10, c(.25, .5, .75, .9, .99)) */
	assert_near(s.min, 1, 0);
	assert_near(s.p25, 3.25, 1e-12);
	assert_near(s.p50, 5.5, 1e-12);
	assert_near(s.p75, 7.75, 1e-12);
	assert_near(s.p90, 9.1, 1e-12);
	assert_near(s.p99, 9.91, 1e-12);
	assert_near(s.max, 10, 0);
	assert_near(s.mean, 5.5, 1e-12);
	/* R: sd(1:10) */
	assert_near(s.stdev, 3.0276503540974917, 1e-12);
	/* sorted in place */
	for (i = 0; i < 10; i++)
		assert_near(v[i], (double)(i + 1), 0);

	assert_near(stats_quantile(v, 10, 0), 1, 0);
	assert_near(stats_quantile(v, 10, 1), 10, 0);
	assert_near(stats_quantile(v, 10, 0.5), 5.5, 1e-12);
	assert_near(stats_quantile(v, 10, 1.0 / 9), 2, 1e-12);
}

static void test_quantiles_uneven(void **state)
{
	/* numpy.percentile([0.5, 20, 1, 1000, 3], [25, 50, 75, 90, 99]) */
	double v[] = {0.5, 20, 1, 1000, 3};
	double w[] = {300, 100};
	double t[] = {4, 4, 4, 4};
	struct stats s;

	(void)state;
	stats_compute(v, 5, &s);
	assert_near(s.p25, 1, 1e-12);
	assert_near(s.p50, 3, 1e-12);
	assert_near(s.p75, 20, 1e-12);
	assert_near(s.p90, 608, 1e-9);
	assert_near(s.p99, 960.8, 1e-9);
	assert_near(s.mean, 204.9, 1e-12);
	assert_near(s.min, 0.5, 0);
	assert_near(s.max, 1000, 0);

	/* two values: the quantiles interpolate between them */
	stats_compute(w, 2, &s);
	assert_near(s.p25, 150, 1e-12);
	assert_near(s.p50, 200, 1e-12);
	assert_near(s.p90, 280, 1e-12);
	assert_near(s.stdev, 141.42135623730951, 1e-9);

	/* ties */
	stats_compute(t, 4, &s);
	assert_near(s.p25, 4, 0);
	assert_near(s.p99, 4, 0);
	assert_near(s.stdev, 0, 0);
}

static void test_small(void **state)
{
	double one = 42.5;
	struct stats s;

	(void)state;
	stats_compute(&one, 1, &s);
	assert_int_equal(s.n, 1);
	assert_near(s.min, 42.5, 0);
	assert_near(s.p25, 42.5, 0);
	assert_near(s.p50, 42.5, 0);
	assert_near(s.p99, 42.5, 0);
	assert_near(s.max, 42.5, 0);
	assert_near(s.mean, 42.5, 0);
	/* the sample stdev of one value is undefined: reported as 0 */
	assert_near(s.stdev, 0, 0);

	memset(&s, 0x7f, sizeof(s));
	stats_compute(NULL, 0, &s);
	assert_int_equal(s.n, 0);
	assert_near(s.min, 0, 0);
	assert_near(s.p50, 0, 0);
	assert_near(s.max, 0, 0);
	assert_near(s.mean, 0, 0);
	assert_near(s.stdev, 0, 0);
}

static void test_stdev(void **state)
{
	double v[] = {9, 2, 4, 4, 5, 4, 5, 7};
	struct stats s;

	(void)state;
	stats_compute(v, 8, &s);
	assert_near(s.mean, 5, 1e-12);
	/* sqrt(32 / 7): the sample (n - 1) stdev; the population one is 2 */
	assert_near(s.stdev, 2.1380899352993950, 1e-12);
	assert_near(s.p50, 4.5, 1e-12);
}

/*
 * Absolute CLOCK_REALTIME ns: at 1.7e18 a double's ulp is 256 ns, so a
 * mean kept at that magnitude rounds; the stdev of a spread of a few us
 * must still come out exact. Offsets are multiples of 256 so that the
 * inputs themselves are exact.
 */
static void test_large_values(void **state)
{
	static const int k[] = {9, 2, 4, 4, 5, 4, 5, 7};
	const double base = 1.7e18, unit = 256;
	double v[8];
	struct stats s;
	size_t i;

	(void)state;
	for (i = 0; i < 8; i++)
		v[i] = base + k[i] * unit;
	stats_compute(v, 8, &s);
	assert_near(s.stdev, 2.1380899352993950 * unit, 1e-9);
	assert_near(s.mean, base + 5 * unit, 0);
	assert_near(s.min, base + 2 * unit, 0);
	assert_near(s.max, base + 9 * unit, 0);
	assert_near(s.p25, base + 4 * unit, 0);
	/* base + 4.5 units lies between two doubles */
	assert_near(s.p50, base + 4.5 * unit, unit / 2);
}

/* A million stamps, half at +0 and half at +512 ns: no drift. */
static void test_many_large_values(void **state)
{
	const double base = 1.7e18;
	size_t i, n = 1000000;
	double *v = malloc(n * sizeof(*v));
	struct stats s;

	(void)state;
	assert_non_null(v);
	for (i = 0; i < n; i++)
		v[i] = base + (double)(i % 2) * 512;
	stats_compute(v, n, &s);
	assert_near(s.mean, base + 256, 0);
	assert_near(s.stdev, 256 * sqrt((double)n / (double)(n - 1)), 1e-9);
	assert_near(s.p50, base + 256, 0);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantiles),
		cmocka_unit_test(test_quantiles_uneven),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_stdev),
		cmocka_unit_test(test_large_values),
		cmocka_unit_test(test_many_large_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
