// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One-pass statistics: the histogram's percentiles stay within the
 * 0.4 % that docs/metrics.md states of the exact nearest-rank ones, and
 * a sample past SAMPLE_EXACT_MAX (what `report` folds of a 10 M-probe
 * run) keeps min, max and mean and its percentiles within that bound,
 * negative values (a split's durations) included.
 */
#include "unit.h"

#include <math.h>

#include "core/stats.h"
#include "core/stream_stats.h"
#include "util/alloc.h"

/* A reproducible, skewed sample: most near 10 us, a long tail. */
static int64_t value(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	uint64_t r = *x >> 33;
	return 9000 + (int64_t)(r % 2000) + (r % 97 == 0 ? (int64_t)(r % 900000) : 0);
}

/* Nearest rank, as hist_percentile: the ceil(p/100 n)-th smallest. */
static double nearest_rank(const double *sorted, size_t n, double p)
{
	size_t k = (size_t)ceil(p / 100 * (double)n);

	return sorted[(k ? k : 1) - 1];
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void test_percentiles_within_bound(void **state)
{
	const double ps[] = {1, 25, 50, 90, 99, 99.9};
	size_t n = 200000, i;
	double *v = xcalloc(n, sizeof(*v));
	struct stream_stats s;
	uint64_t x = 42;

	(void)state;
	stream_stats_init(&s);
	for (i = 0; i < n; i++) {
		v[i] = (double)value(&x);
		stream_stats_add(&s, (uint64_t)v[i]);
	}
	qsort(v, n, sizeof(*v), cmp_double);
	assert_true(s.min == v[0] && s.max == v[n - 1]);
	for (i = 0; i < ARRAY_SIZE(ps); i++) {
		double exact = nearest_rank(v, n, ps[i]);
		double got = stream_stats_percentile(&s, ps[i]);

		if (fabs(got - exact) > exact / 256 + 0.5)
			fail_msg("p%g: %f, exact %f", ps[i], got, exact);
	}
	stream_stats_release(&s);
	free(v);
}

/* Past SAMPLE_EXACT_MAX the fold streams; signed values keep their order. */
static void test_sample_acc_streams_signed(void **state)
{
	size_t n = SAMPLE_EXACT_MAX + 300000, i;
	double *v = xcalloc(n, sizeof(*v)), p999, p9999, mean = 0;
	struct sample_acc a = {0};
	struct stats st;
	uint64_t x = 7;

	(void)state;
	for (i = 0; i < n; i++) {
		int64_t y = value(&x) - (i % 4 == 0 ? 15000 : 0);

		v[i] = (double)y;
		mean += (double)y / (double)n;
		sample_acc_add(&a, y);
	}
	assert_true(a.streamed);
	assert_null(a.v);
	sample_acc_stats(&a, &st, &p999, &p9999);
	qsort(v, n, sizeof(*v), cmp_double);
	assert_int_equal(st.n, n);
	assert_true(st.min == v[0] && st.max == v[n - 1]);
	assert_true(fabs(st.mean - mean) < 1e-6 * fabs(mean) + 1e-3);
	{
		const double want[] = {nearest_rank(v, n, 25),
				       nearest_rank(v, n, 50),
				       nearest_rank(v, n, 99),
				       nearest_rank(v, n, 99.9)};
		const double got[] = {st.p25, st.p50, st.p99, p999};

		for (i = 0; i < ARRAY_SIZE(want); i++) {
			if (fabs(got[i] - want[i]) > fabs(want[i]) / 256 + 0.5)
				fail_msg("#%zu: %f, exact %f", i, got[i],
					 want[i]);
		}
	}
	sample_acc_release(&a);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles_within_bound),
		cmocka_unit_test(test_sample_acc_streams_signed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
