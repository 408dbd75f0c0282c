// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Size mixes (core/sizemix.h): what the parser takes and refuses, the
 * canonical text, the interleaved order of one cycle (each size as often
 * as its weight, spread evenly, the same every time), the mean size, and
 * the size factor's words (a mix is kept as its interned text and
 * formatted back).
 */
#include "unit.h"

#include "core/factor.h"
#include "core/sizemix.h"
#include "util/alloc.h"

static void test_parse(void **state)
{
	struct sizemix m;
	char why[160], buf[128];
	const char *bad[] = {
		"", "imx", "64:", "64:0", ":7", "64:7,", "64;7", "63:1",
		"1519:1", "64:7,,570:4", "1:1,2:1,3:1,4:1,5:1,6:1,7:1,8:1,9:1",
		"64:999,570:2", "1234567", "64:1234567", "-64",
	};
	unsigned i;

	(void)state;
	assert_int_equal(sizemix_parse("imix", 64, 1518, &m, why, sizeof(why)),
			 0);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.size[1], 570);
	assert_int_equal(m.weight[0], 7);
	sizemix_format(&m, buf, sizeof(buf));
	assert_string_equal(buf, "imix");
	/* imix needs 1518-byte frames */
	assert_int_equal(sizemix_parse("imix", 64, 1500, &m, why, sizeof(why)),
			 -1);
	assert_int_equal(sizemix_parse("64:7/570:4,1518", 64, 1518, &m, why,
				       sizeof(why)),
			 0);
	sizemix_format(&m, buf, sizeof(buf));
	assert_string_equal(buf, "64:7,570:4,1518:1");
	assert_int_equal(sizemix_largest(&m), 1518);
	assert_int_equal(sizemix_smallest(&m), 64);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!sizemix_parse(bad[i], 64, 1518, &m, why, sizeof(why)))
			fail_msg("'%s' was taken", bad[i]);
		assert_true(why[0]);
	}
}

static void test_cycle(void **state)
{
	struct sizemix m;
	uint16_t order[SIZEMIX_CYCLE_MAX], again[SIZEMIX_CYCLE_MAX];
	char why[160];
	unsigned i, n64 = 0, n570 = 0, n1518 = 0, run = 0, longest = 0;

	(void)state;
	assert_int_equal(sizemix_parse("imix", 64, 1518, &m, why, sizeof(why)),
			 0);
	assert_int_equal(sizemix_total_weight(&m), 12);
	sizemix_cycle(&m, order);
	sizemix_cycle(&m, again);
	assert_memory_equal(order, again, 12 * sizeof(order[0]));
	{
		/* what docs/config.md says */
		const uint16_t want[12] = {64, 570, 64, 64,  570, 64,
					   1518, 64, 570, 64, 570, 64};

		assert_memory_equal(order, want, sizeof(want));
	}
	for (i = 0; i < 12; i++) {
		n64 += order[i] == 64;
		n570 += order[i] == 570;
		n1518 += order[i] == 1518;
		run = order[i] == 64 ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	assert_int_equal(n64, 7);
	assert_int_equal(n570, 4);
	assert_int_equal(n1518, 1);
	/* interleaved: never more than 2 small frames in a row */
	assert_true(longest <= 2);
	/* (7 * 64 + 4 * 570 + 1518) / 12 */
	assert_true(sizemix_mean(&m) == (7.0 * 64 + 4 * 570 + 1518) / 12);
}

static void test_factor_words(void **state)
{
	char why[160], buf[128];
	int64_t v, w;
	struct sizemix m;

	(void)state;
	assert_int_equal(factor_parse(F_SIZE, "1518", &v, why, sizeof(why)),
			 0);
	assert_int_equal(v, 1518);
	assert_null(factor_word(F_SIZE, v));
	assert_int_equal(factor_parse(F_SIZE, "64:7,570:4,1518:1", &v, why,
				      sizeof(why)),
			 0);
	assert_true(v < 0);
	assert_int_equal(factor_parse(F_SIZE, "64:7/570:4/1518:1", &w, why,
				      sizeof(why)),
			 0);
	assert_true(v == w); /* one canonical text, one value */
	factor_format(F_SIZE, v, buf, sizeof(buf));
	assert_string_equal(buf, "64:7,570:4,1518:1");
	factor_format_human(F_SIZE, v, buf, sizeof(buf));
	assert_string_equal(buf, "64:7,570:4,1518:1");
	assert_int_equal(sizemix_value_largest(v), 1518);
	assert_int_equal(sizemix_of_value(v, &m), 0);
	assert_int_equal(m.n, 3);
	assert_int_equal(sizemix_of_value(256, &m), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.size[0], 256);
	assert_int_equal(factor_parse(F_SIZE, "imix", &v, why, sizeof(why)),
			 0);
	assert_string_equal(factor_word(F_SIZE, v), "imix");
	/* words belong to the size factor alone */
	assert_int_not_equal(factor_parse(F_RATE, "64:7", &v, why,
					  sizeof(why)),
			     0);
	assert_int_not_equal(factor_parse(F_SIZE, "64:7,9000:1", &v, why,
					  sizeof(why)),
			     0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_factor_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
