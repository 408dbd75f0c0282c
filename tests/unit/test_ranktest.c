// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rank tests and effect sizes against SciPy: tests/data/stats/
 * cases.txt holds the samples and what SciPy 1.10 and numpy computed
 * from them (make_cases.py beside it). Relative tolerance 1e-9 where
 * the distribution is exact (and for every statistic), 1e-6 for the
 * normal approximations.
 */
#include "unit.h"

#include <math.h>

#include "core/effect.h"
#include "core/ranktest.h"
#include "core/stats.h"

#define MAXV 1200

struct kase {
	char kind[32], name[64];
	double x[MAXV], y[MAXV];
	size_t nx, ny;
	double q, level;
	/* expectations, by key; NaN: absent */
	double statistic, p, value, lo, hi, lrank, urank, exact;
};

static void near_rel(const struct kase *k, const char *what, double got,
		     double want, double tol)
{
	if (isnan(want) && isnan(got))
		return;
	if (!(fabs(got - want) <= tol * fmax(fabs(want), 1e-300)) &&
	    got != want)
		fail_msg("%s %s: %s = %.17g, want %.17g (rel %g)", k->kind,
			 k->name, what, got, want, tol);
}

static size_t read_values(char *p, double *v)
{
	size_t n = 0;
	char *end;

	for (;;) {
		double d = strtod(p, &end);

		if (end == p)
			break;
		assert_true(n < MAXV);
		v[n++] = d;
		p = end;
	}
	return n;
}

static void read_expect(char *p, struct kase *k)
{
	char key[32];
	int used;
	double v;

	while (sscanf(p, " %31s %lf%n", key, &v, &used) == 2) {
		p += used;
		if (!strcmp(key, "statistic"))
			k->statistic = v;
		else if (!strcmp(key, "p"))
			k->p = v;
		else if (!strcmp(key, "value"))
			k->value = v;
		else if (!strcmp(key, "lo"))
			k->lo = v;
		else if (!strcmp(key, "hi"))
			k->hi = v;
		else if (!strcmp(key, "lrank"))
			k->lrank = v;
		else if (!strcmp(key, "urank"))
			k->urank = v;
		else if (!strcmp(key, "exact"))
			k->exact = v;
		else
			fail_msg("unknown key '%s'", key);
	}
}

static void check(struct kase *k)
{
	double tol = k->exact ? 1e-9 : 1e-6;
	struct ranktest t;
	struct estimate e;

	if (!strcmp(k->kind, "signed_rank")) {
		double d[MAXV];
		size_t i;

		for (i = 0; i < k->nx; i++)
			d[i] = k->x[i] - k->y[i];
		ranktest_signed_rank(d, k->nx, &t);
	} else if (!strcmp(k->kind, "mann_whitney")) {
		ranktest_mann_whitney(k->x, k->nx, k->y, k->ny, &t);
	} else if (!strcmp(k->kind, "kendall")) {
		ranktest_kendall(k->x, k->y, k->nx, &t);
	} else if (!strcmp(k->kind, "hl_shift")) {
		effect_hl_shift(k->x, k->nx, k->y, k->ny, k->level, &e);
		near_rel(k, "value", e.value, k->value, 1e-9);
		near_rel(k, "lo", e.lo, k->lo, 1e-9);
		near_rel(k, "hi", e.hi, k->hi, 1e-9);
		return;
	} else if (!strcmp(k->kind, "hl_paired")) {
		near_rel(k, "value", effect_hl_paired(k->x, k->nx), k->value,
			 1e-9);
		return;
	} else if (!strcmp(k->kind, "cliff")) {
		near_rel(k, "value",
			 effect_cliff_delta(k->x, k->nx, k->y, k->ny),
			 k->value, 1e-9);
		return;
	} else if (!strcmp(k->kind, "quantile_ci")) {
		size_t l, u;

		effect_quantile_ci(k->x, k->nx, k->q, k->level, &e, &l, &u);
		near_rel(k, "value", e.value, k->value, 1e-9);
		near_rel(k, "lo", e.lo, k->lo, 1e-9);
		near_rel(k, "hi", e.hi, k->hi, 1e-9);
		near_rel(k, "lrank", (double)l, k->lrank, 0);
		near_rel(k, "urank", (double)u, k->urank, 0);
		return;
	} else {
		fail_msg("unknown kind '%s'", k->kind);
	}
	if ((k->exact != 0) != t.exact)
		fail_msg("%s %s: exact = %d, SciPy's was %g", k->kind,
			 k->name, t.exact, k->exact);
	near_rel(k, "statistic", t.statistic, k->statistic, 1e-9);
	near_rel(k, "p", t.p, k->p, tol);
}

static void test_scipy_cases(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct kase *k = calloc(1, sizeof(*k));
	char *line, *save = NULL;
	int cases = 0;

	(void)state;
	unit_read("tests/data/stats/cases.txt", &sb);
	for (line = strtok_r(sb.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "case ", 5)) {
			memset(k, 0, sizeof(*k));
			k->statistic = k->p = k->value = NAN;
			k->lo = k->hi = k->lrank = k->urank = NAN;
			assert_int_equal(sscanf(line, "case %31s %63s",
						k->kind, k->name), 2);
		} else if (!strncmp(line, "x ", 2)) {
			k->nx = read_values(line + 2, k->x);
		} else if (!strncmp(line, "y ", 2)) {
			k->ny = read_values(line + 2, k->y);
		} else if (!strncmp(line, "q ", 2)) {
			k->q = strtod(line + 2, NULL);
		} else if (!strncmp(line, "level ", 6)) {
			k->level = strtod(line + 6, NULL);
		} else if (!strncmp(line, "expect ", 7)) {
			read_expect(line + 7, k);
			check(k);
			cases++;
		}
	}
	/* every kind is there: a truncated fixture fails */
	assert_int_equal(cases, 24);
	free(k);
	strbuf_release(&sb);
}

static void test_ranks_and_ties(void **state)
{
	double v[] = {3, 1, 3, 2, 3}, r[5];
	double ties = ranktest_rank(v, 5, r);

	(void)state;
	/* 1 -> 1, 2 -> 2, the three 3s share (3 + 4 + 5) / 3 */
	assert_true(r[1] == 1 && r[3] == 2);
	assert_true(r[0] == 4 && r[2] == 4 && r[4] == 4);
	assert_true(ties == 24); /* 3^3 - 3 */
}

static void test_degenerate(void **state)
{
	double zeros[] = {0, 0, 0}, c[] = {1, 1, 1}, x[] = {1, 2, 3};
	struct ranktest t;
	struct estimate e;
	double one = 5;

	(void)state;
	ranktest_signed_rank(zeros, 3, &t);
	assert_int_equal(t.n, 0);
	assert_true(isnan(t.p));
	ranktest_kendall(x, c, 3, &t);
	assert_true(isnan(t.statistic) && isnan(t.p));
	ranktest_mann_whitney(x, 3, NULL, 0, &t);
	assert_true(isnan(t.p));
	/* one probe: a median, but no interval */
	effect_quantile_ci(&one, 1, 0.5, 0.95, &e, NULL, NULL);
	assert_true(e.value == 5 && isnan(e.lo) && isnan(e.hi));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scipy_cases),
		cmocka_unit_test(test_ranks_and_ties),
		cmocka_unit_test(test_degenerate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
