// SPDX-License-Identifier: GPL-2.0-or-later
/* core/stalls.h: stall statistics and the late-probe model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/stalls.h"

static void test_stats(void **state)
{
	/* 1 s watched: 3 stalls of 10, 20, 40 us; a gap at the threshold
	 * and a shorter one are not stalls */
	const int64_t gaps[] = {10000, STALL_MIN_NS, 20000, 3000, 40000};
	struct stall_stats s;

	(void)state;
	/* at 100 kpps (10 us): 0 + 10 + 30 us beyond an interval */
	stall_stats_compute(gaps, 5, 1000000000, 100000, &s);
	assert_int_equal(s.stalls, 3);
	assert_int_equal(s.lost_ns, 70000);
	assert_int_equal(s.longest_ns, 40000);
	assert_int_equal(s.span_ns, 1000000000);
	assert_true(s.per_s > 2.999 && s.per_s < 3.001);
	assert_true(s.share > 69.9e-6 && s.share < 70.1e-6);
	assert_true(s.late_bare > 39.9e-6 && s.late_bare < 40.1e-6);
	/* at 1 Mpps (1 us) nearly all of it */
	stall_stats_compute(gaps, 5, 1000000000, 1e6, &s);
	assert_true(s.late_bare > 66.9e-6 && s.late_bare < 67.1e-6);
	/* at 10 kpps (100 us) none: every probe leaves within an interval */
	stall_stats_compute(gaps, 5, 1000000000, 1e4, &s);
	assert_true(s.late_bare == 0);

	stall_stats_compute(NULL, 0, 0, 1e5, &s);
	assert_int_equal(s.stalls, 0);
	assert_true(s.share == 0 && s.per_s == 0);
}

static void test_model(void **state)
{
	(void)state;
	/* 0.6 % lost, 1 % tolerated: 40 % of the CPU at most */
	assert_true(stall_busy_limit(0.006, 0.01) > 0.3999 &&
		    stall_busy_limit(0.006, 0.01) < 0.4001);
	assert_true(stall_busy_limit(0.02, 0.01) == 0);
	assert_true(stall_busy_limit(0, 0.01) == 1);
	assert_true(stall_busy_limit(0.001, 0) == 0);
	/* bench/latemodel's veth-bridge: f 0.45 % at 100 kpps: 55 % */
	assert_true(stall_busy_limit(0.0045, 0.01) > 0.5499 &&
		    stall_busy_limit(0.0045, 0.01) < 0.5501);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
