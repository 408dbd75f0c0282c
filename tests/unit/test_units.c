// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <errno.h>

#include "core/units.h"

static void test_si(void **state)
{
	static const struct {
		const char *in;
		const char *unit;
		int ret;
		int64_t out;
	} cases[] = {
		{"1000", NULL, 0, 1000},   {"1k", NULL, 0, 1000},
		{"10k", "pps", 0, 10000},  {"10kpps", "pps", 0, 10000},
		{"1M", NULL, 0, 1000000},  {"1.5k", NULL, 0, 1500},
		{"0.5M", NULL, 0, 500000}, {"1pps", "pps", 0, 1},
		{"1.5", NULL, -EINVAL, 0}, {"", NULL, -EINVAL, 0},
		{"k", NULL, -EINVAL, 0},   {"10x", NULL, -EINVAL, 0},
		{"-1", NULL, -EINVAL, 0},  {"1e3", NULL, -EINVAL, 0},
		{"10kbps", "pps", -EINVAL, 0},
		{"99999999999G", NULL, -ERANGE, 0},
		{" 1", NULL, -EINVAL, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t v = -1;
		int ret = units_parse_si(cases[i].in, cases[i].unit, &v);

		if (ret != cases[i].ret)
			fail_msg("'%s': ret %d, want %d", cases[i].in, ret,
				 cases[i].ret);
		if (!ret && v != cases[i].out)
			fail_msg("'%s': %lld, want %lld", cases[i].in,
				 (long long)v, (long long)cases[i].out);
	}
}

static void test_duration(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(units_parse_duration("1s", &v), 0);
	assert_int_equal(v, 1000000000);
	assert_int_equal(units_parse_duration("250us", &v), 0);
	assert_int_equal(v, 250000);
	assert_int_equal(units_parse_duration("1.5ms", &v), 0);
	assert_int_equal(v, 1500000);
	assert_int_equal(units_parse_duration("2", &v), 0);
	assert_int_equal(v, 2000000000);
	assert_int_equal(units_parse_duration("1m", &v), 0);
	assert_int_equal(v, 60000000000LL);
	assert_int_equal(units_parse_duration("1h", &v), -EINVAL);
	assert_int_equal(units_parse_duration("ms", &v), -EINVAL);
}

static void test_format_si(void **state)
{
	char buf[32];

	(void)state;
	units_format_si(10000, buf, sizeof(buf));
	assert_string_equal(buf, "10k");
	units_format_si(1000000, buf, sizeof(buf));
	assert_string_equal(buf, "1M");
	units_format_si(1500, buf, sizeof(buf));
	assert_string_equal(buf, "1500");
	units_format_si(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
}

static void test_cpulist(void **state)
{
	uint64_t m;

	(void)state;
	assert_int_equal(units_parse_cpulist("1", &m), 0);
	assert_int_equal(m, 2);
	assert_int_equal(units_parse_cpulist("0-3,6", &m), 0);
	assert_int_equal(m, 0x4f);
	assert_int_equal(units_parse_cpulist("3-1", &m), -EINVAL);
	assert_int_equal(units_parse_cpulist("1,", &m), -EINVAL);
	assert_int_equal(units_parse_cpulist("64", &m), -EINVAL);
	assert_int_equal(units_parse_cpulist("a", &m), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_si),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_format_si),
		cmocka_unit_test(test_cpulist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
