// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <math.h>

#include "core/hist.h"
#include "util/alloc.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v: what hist_percentile() estimates. */
static uint64_t exact(const uint64_t *v, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100 * (double)n);

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_buckets(void **state)
{
	unsigned b;

	(void)state;
	/* small values are exact */
	for (b = 0; b < HIST_SUB; b++) {
		assert_int_equal(hist_bucket(b), b);
		assert_int_equal(hist_bucket_low(b), b);
	}
	assert_int_equal(hist_bucket(128), 128);
	assert_int_equal(hist_bucket(255), 255);
	assert_int_equal(hist_bucket(256), 256);
	assert_int_equal(hist_bucket(257), 256);
	assert_int_equal(hist_bucket_low(257), 258);
	/* every bucket: low maps to itself, low+width-1 too, and the next
	 * value to the next bucket; width at most 1/128 of low */
	for (b = 0; b + 1 < HIST_BUCKETS; b++) {
		uint64_t low = hist_bucket_low(b), w = hist_bucket_width(b);

		assert_int_equal(hist_bucket(low), b);
		assert_int_equal(hist_bucket(low + w - 1), b);
		assert_int_equal(hist_bucket(low + w), b + 1);
		if (b >= HIST_SUB)
			assert_true(w * HIST_SUB <= low);
	}
}

static void test_percentiles_vs_exact(void **state)
{
	const double ps[] = {1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100};
	size_t n = 200000, i, k;
	uint64_t *v = malloc(n * sizeof(*v));
	struct hist h;

	(void)state;
	hist_init(&h);
	/* a long-tailed spread from 1 ns to ~10 ms, like latencies */
	for (i = 0; i < n; i++) {
		double u = (double)(next_rand() >> 11) / 9007199254740992.0;

		v[i] = (uint64_t)exp(u * 16.1) + (next_rand() % 3);
		hist_record(&h, v[i], 1);
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	assert_int_equal(h.total, n);
	for (k = 0; k < ARRAY_SIZE(ps); k++) {
		double want = (double)exact(v, n, ps[k]);
		double got = hist_percentile(&h, ps[k]);

		/* the stated error: at most 1 % (by design 1/256) */
		if (fabs(got - want) > want / 256 + 0.5)
			fail_msg("p%g: %.1f from the histogram, %.0f exact", ps[k],
				 got, want);
	}
	assert_true(hist_max(&h) >= (double)v[n - 1]);
	assert_true(hist_max(&h) <= (double)v[n - 1] * 1.01);
	hist_release(&h);
	free(v);
}

static void test_merge_is_sum(void **state)
{
	struct hist reps[3], acc, all, back;
	uint64_t low, count;
	unsigned r, b;
	int i;

	(void)state;
	hist_init(&acc);
	hist_init(&all);
	hist_init(&back);
	for (r = 0; r < 3; r++) {
		hist_init(&reps[r]);
		for (i = 0; i < 5000; i++) {
			uint64_t x = 1000 + next_rand() % (50000 * (r + 1));

			hist_record(&reps[r], x, 1);
			hist_record(&all, x, 1);
		}
		hist_merge(&acc, &reps[r]);
	}
	assert_true(hist_equal(&acc, &all));
	for (b = 0; b < HIST_BUCKETS; b++)
		assert_int_equal(acc.counts[b], reps[0].counts[b] +
							reps[1].counts[b] +
							reps[2].counts[b]);
	/* what is stored (lowest value, count) reads back the same */
	b = 0;
	while (hist_next(&acc, &b, &low, &count))
		assert_int_equal(hist_add_bucket(&back, low, count), 0);
	assert_true(hist_equal(&acc, &back));
	assert_int_equal(hist_add_bucket(&back, 257, 1), -1);
	for (r = 0; r < 3; r++)
		hist_release(&reps[r]);
	hist_release(&acc);
	hist_release(&all);
	hist_release(&back);
}

static void test_csv(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct hist h;

	(void)state;
	hist_init(&h);
	assert_true(isnan(hist_percentile(&h, 50)));
	hist_record(&h, 5, 2);
	hist_record(&h, 1000, 1);
	hist_write_csv(&h, &sb);
	assert_string_equal(sb.buf, "latency_ns,count\n5,2\n1000,1\n");
	assert_true(hist_percentile(&h, 50) == 5);
	assert_true(fabs(hist_percentile(&h, 100) - 1000) <= 4);
	strbuf_release(&sb);
	hist_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_percentiles_vs_exact),
		cmocka_unit_test(test_merge_is_sum),
		cmocka_unit_test(test_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
