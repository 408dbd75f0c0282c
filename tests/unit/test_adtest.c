// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Anderson-Darling against the exponential (core/adtest.c), checked
 * against what SciPy 1.10 computed for the samples of ad_cases.txt
 * (make_ad_cases.py beside it): the statistic to a relative 1e-9, the
 * critical values exactly (both round to three decimals).
 */
#include "unit.h"

#include <math.h>
#include <stdlib.h>

#include "core/adtest.h"
#include "util/alloc.h"

static double *parse_numbers(char *s, size_t *n)
{
	double *v = NULL;
	size_t alloc = 0;
	char *end;

	*n = 0;
	for (;;) {
		double d = strtod(s, &end);

		if (end == s)
			break;
		ALLOC_GROW(v, *n + 1, alloc);
		v[(*n)++] = d;
		s = end;
	}
	return v;
}

static void check(const char *name, double *x, size_t n, char *expect)
{
	struct ad_result r;
	double want[1 + AD_LEVELS];
	char *p = expect;
	int k;

	assert_int_equal(sscanf(p, "a2 %lf crit %lf %lf %lf %lf %lf", &want[0],
				&want[1], &want[2], &want[3], &want[4],
				&want[5]),
			 6);
	assert_int_equal(ad_exponential(x, n, &r), 0);
	if (fabs(r.a2 - want[0]) > 1e-9 * fabs(want[0]))
		fail_msg("%s: A2 %.17g, SciPy's %.17g", name, r.a2, want[0]);
	for (k = 0; k < AD_LEVELS; k++) {
		if (r.crit[k] != want[1 + k])
			fail_msg("%s: critical value %d: %.17g, SciPy's %.17g",
				 name, k, r.crit[k], want[1 + k]);
	}
	assert_int_equal(r.n, n);
}

static void test_scipy_cases(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *line, *save = NULL, name[64] = "";
	double *x = NULL;
	size_t n = 0;
	int cases = 0;

	(void)state;
	unit_read("tests/data/stats/ad_cases.txt", &sb);
	for (line = strtok_r(sb.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "case ", 5)) {
			snprintf(name, sizeof(name), "%s", line + 5);
		} else if (!strncmp(line, "x ", 2)) {
			free(x);
			x = parse_numbers(line + 2, &n);
		} else if (!strncmp(line, "expect ", 7)) {
			check(name, x, n, line + 7);
			cases++;
		}
	}
	assert_true(cases >= 7);
	free(x);
	strbuf_release(&sb);
}

/* What it rejects, and at which level. */
static void test_levels(void **state)
{
	double periodic[20], expo[4] = {1, 2, 4, 8};
	struct ad_result r;
	int i;

	(void)state;
	for (i = 0; i < 20; i++)
		periodic[i] = 100;
	assert_int_equal(ad_exponential(periodic, 20, &r), 0);
	assert_true(r.a2 > r.crit[AD_LEVELS - 1]);
	assert_true(r.rejected_at_pct == 1);
	assert_int_equal(ad_exponential(expo, 4, &r), 0);
	assert_true(r.rejected_at_pct == 0 || r.a2 > r.crit[0]);
	/* too few, or no scale */
	assert_int_equal(ad_exponential(expo, 1, &r), -1);
	for (i = 0; i < 4; i++)
		expo[i] = 0;
	assert_int_equal(ad_exponential(expo, 4, &r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scipy_cases),
		cmocka_unit_test(test_levels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
