// SPDX-License-Identifier: GPL-2.0-or-later
/* Probe schedules (core/schedule.c). */
#include "unit.h"

#include <math.h>
#include <stdlib.h>

#include "core/adtest.h"
#include "core/schedule.h"

static void test_fixed(void **state)
{
	struct schedule s;

	(void)state;
	schedule_init(&s, SCHEDULE_FIXED, 3, 99);
	assert_int_equal(schedule_next(&s), 0);
	assert_int_equal(schedule_next(&s), 333333333);
	assert_int_equal(schedule_next(&s), 666666666);
	assert_int_equal(schedule_next(&s), 1000000000);
}

/* Poisson: reproducible from its seed, mean gap 1/rate, exponential. */
static void test_poisson(void **state)
{
	enum { N = 20000 };
	struct schedule s, again;
	double *gap = calloc(N, sizeof(*gap)), mean = 0;
	struct ad_result ad;
	int64_t last, t;
	int i;

	(void)state;
	schedule_init(&s, SCHEDULE_POISSON, 10000, 12345);
	schedule_init(&again, SCHEDULE_POISSON, 10000, 12345);
	last = schedule_next(&s);
	assert_int_equal(last, 0);
	assert_int_equal(schedule_next(&again), 0);
	for (i = 0; i < N; i++) {
		t = schedule_next(&s);
		assert_int_equal(schedule_next(&again), t);
		assert_true(t >= last);
		gap[i] = (double)(t - last);
		mean += gap[i];
		last = t;
	}
	mean /= N;
	/* 100 us; the mean of 20000 gaps errs by ~0.7 % (1/sqrt(N)) */
	assert_true(fabs(mean - 100000) < 3000);
	assert_int_equal(ad_exponential(gap, N, &ad), 0);
	assert_true(ad.a2 < ad.crit[AD_LEVELS - 1]);
	/* another seed, another schedule */
	schedule_init(&again, SCHEDULE_POISSON, 10000, 54321);
	schedule_next(&again);
	schedule_init(&s, SCHEDULE_POISSON, 10000, 12345);
	schedule_next(&s);
	assert_int_not_equal(schedule_next(&s), schedule_next(&again));
	free(gap);
}

static void test_uniform_and_seed(void **state)
{
	struct schedule s;
	int i;

	(void)state;
	schedule_init(&s, SCHEDULE_POISSON, 1, 0);
	for (i = 0; i < 100000; i++) {
		double u = schedule_uniform(&s);

		assert_true(u >= 0 && u < 1);
	}
	assert_true(schedule_seed("a") != schedule_seed("b"));
	assert_true(schedule_seed("") != 0);
	assert_true(schedule_seed("quiet-1") < (UINT64_C(1) << 63));
	assert_true(schedule_seed("quiet-1") == schedule_seed("quiet-1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_poisson),
		cmocka_unit_test(test_uniform_and_seed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
