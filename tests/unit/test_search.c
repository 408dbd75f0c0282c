// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NDR/PDR searches (core/search.c) against simulated paths: one that
 * drops above its capacity, one that loses at every rate, one that
 * never loses, a noisy non-monotone one, a generator that cannot reach
 * the rate; and the property resume relies on: each run is what
 * search_next() says after the runs before it, whatever stopped there.
 * Also the plan's side: a search test's runs, its refusal beside a
 * rate list, and its settling once the stored runs finish it.
 */
#include "unit.h"

#include <math.h>

#include "core/caps.h"
#include "core/config.h"
#include "core/plan.h"
#include "core/search.h"

#define MAX_RUNS 256

/* A path: the loss (in %) a run at rate pps sees. */
typedef double (*path_fn)(int64_t rate, unsigned trial);

static int64_t capacity;
static uint64_t rng = 88172645463325252ULL;

static double drops_above(int64_t rate, unsigned trial)
{
	(void)trial;
	return rate <= capacity ? 0 : 100.0 * (double)(rate - capacity) /
						 (double)rate;
}

static double always_loses(int64_t rate, unsigned trial)
{
	(void)rate;
	(void)trial;
	return 5;
}

static double never_loses(int64_t rate, unsigned trial)
{
	(void)rate;
	(void)trial;
	return 0;
}

/* Near capacity, loss comes and goes: 0 or 0.5 % at random. */
static double noisy(int64_t rate, unsigned trial)
{
	(void)trial;
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	if (rate > capacity * 12 / 10)
		return 3;
	if (rate < capacity * 8 / 10)
		return 0;
	return rng & 1 ? 0.5 : 0;
}

/* Run a whole search on path; the runs into r, their count returned. */
static size_t simulate(const struct search_params *p, path_fn path,
		       double sent_fraction, struct search_run *r)
{
	struct search_step st;
	size_t n = 0;

	for (;;) {
		search_next(p, r, n, &st);
		if (st.kind == STEP_DONE)
			break;
		assert_true(n < MAX_RUNS);
		assert_true(st.rate >= 1 && st.rate <= p->max_rate);
		r[n].role = st.kind == STEP_TRIAL ? SEARCH_TRIAL :
						    SEARCH_LATENCY;
		r[n].rate = st.rate;
		r[n].sent_pps = (double)st.rate * sent_fraction;
		r[n].loss_pct = path(st.rate, (unsigned)n);
		r[n].point_pct = st.point_pct;
		n++;
	}
	return n;
}

static size_t count_role(const struct search_run *r, size_t n,
			 enum search_role role)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += r[i].role == role;
	return k;
}

/* No trial rate twice: a stored trial is never measured again. */
static void assert_distinct_trials(const struct search_run *r, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (r[i].role == SEARCH_TRIAL &&
			    r[j].role == SEARCH_TRIAL)
				assert_true(r[i].rate != r[j].rate);
		}
	}
}

/* Trials first, then reps latency runs at 10, 50, 90 % of found. */
static void assert_latency_runs(const struct search_run *r, size_t n,
				const struct search_params *p, int64_t found)
{
	size_t t = count_role(r, n, SEARCH_TRIAL), i;

	assert_int_equal(n - t, SEARCH_POINTS * p->reps);
	for (i = t; i < n; i++) {
		int pct = search_point_pct[(i - t) / p->reps];

		assert_int_equal(r[i].role, SEARCH_LATENCY);
		assert_int_equal(r[i].rate, search_point_rate(found, pct));
	}
}

static void test_converges(void **state)
{
	struct search_params p = {SEARCH_PDR, 1000000, 10000, 2};
	struct search_run r[MAX_RUNS];
	struct search_result res;
	size_t n;

	(void)state;
	capacity = 437000;
	n = simulate(&p, drops_above, 1, r);
	search_result(r, n, SEARCH_PDR_LOSS_PCT, &res);
	/* PDR passes, and the failing trial above it is within 10k */
	assert_true(res.rate > 0 && res.rate <= capacity * 1001 / 1000);
	assert_true(res.above > res.rate);
	assert_true(res.above - res.rate <= p.resolution);
	assert_true(res.above_loss > SEARCH_PDR_LOSS_PCT);
	assert_true(capacity - res.rate <= p.resolution);
	assert_true(count_role(r, n, SEARCH_TRIAL) <= search_max_trials(&p));
	/* 1 at the bound, then [0, 1M] halved to <= 10k: 7 halvings */
	assert_int_equal(search_max_trials(&p), 8);
	assert_distinct_trials(r, n);
	assert_latency_runs(r, n, &p, res.rate);
	assert_int_equal(r[0].rate, 1000000);
	assert_int_equal(r[1].rate, 500000);
	assert_int_equal(r[2].rate, 250000);
}

static void test_loses_at_every_rate(void **state)
{
	struct search_params p = {SEARCH_NDR_PDR, 1000000, 10000, 3};
	struct search_run r[MAX_RUNS];
	struct search_result res;
	size_t n;

	(void)state;
	n = simulate(&p, always_loses, 1, r);
	search_result(r, n, SEARCH_PDR_LOSS_PCT, &res);
	assert_int_equal(res.rate, 0);
	assert_true(res.above <= p.resolution);
	/* no rate to measure latency at: trials only */
	assert_int_equal(count_role(r, n, SEARCH_LATENCY), 0);
	assert_true(n <= search_max_trials(&p));
	assert_distinct_trials(r, n);
}

static void test_never_loses(void **state)
{
	struct search_params p = {SEARCH_NDR_PDR, 2000000, 20000, 1};
	struct search_run r[MAX_RUNS];
	struct search_result res;
	size_t n;

	(void)state;
	n = simulate(&p, never_loses, 1, r);
	assert_int_equal(count_role(r, n, SEARCH_TRIAL), 1);
	search_result(r, n, SEARCH_NDR_LOSS_PCT, &res);
	assert_int_equal(res.rate, 2000000);
	assert_int_equal(res.above, 0);
	assert_latency_runs(r, n, &p, 2000000);
	assert_int_equal(r[1].rate, 200000);
	assert_int_equal(r[2].rate, 1000000);
	assert_int_equal(r[3].rate, 1800000);
}

static void test_noisy(void **state)
{
	struct search_params p = {SEARCH_NDR_PDR, 1000000, 5000, 1};
	struct search_run r[MAX_RUNS];
	struct search_result pdr, ndr;
	unsigned seed;

	(void)state;
	capacity = 300000;
	for (seed = 0; seed < 200; seed++) {
		size_t n;

		rng = 88172645463325252ULL + seed * 7919;
		n = simulate(&p, noisy, 1, r);
		assert_true(count_role(r, n, SEARCH_TRIAL) <=
			    search_max_trials(&p));
		assert_distinct_trials(r, n);
		search_result(r, n, SEARCH_PDR_LOSS_PCT, &pdr);
		search_result(r, n, SEARCH_NDR_LOSS_PCT, &ndr);
		/* each is a passing trial with a failing one just above */
		assert_true(pdr.rate > 0 && ndr.rate > 0);
		assert_true(pdr.above - pdr.rate <= p.resolution);
		assert_true(ndr.above - ndr.rate <= p.resolution);
		assert_true(pdr.loss_pct <= SEARCH_PDR_LOSS_PCT);
		assert_true(ndr.loss_pct <= SEARCH_NDR_LOSS_PCT);
		assert_latency_runs(r, n, &p, pdr.rate);
	}
}

/* A coarse resolution stops early; a fine one takes more trials. */
static void test_resolution(void **state)
{
	struct search_params p = {SEARCH_NDR, 1000000, 250000, 1};
	struct search_run r[MAX_RUNS];
	struct search_result res;
	size_t n;

	(void)state;
	capacity = 437000;
	n = simulate(&p, drops_above, 1, r);
	/* 1M fails, 500k fails, 250k passes: 250k apart, done */
	assert_int_equal(count_role(r, n, SEARCH_TRIAL), 3);
	search_result(r, n, SEARCH_NDR_LOSS_PCT, &res);
	assert_int_equal(res.rate, 250000);
	assert_int_equal(res.above, 500000);
	p.resolution = 1;
	n = simulate(&p, drops_above, 1, r);
	search_result(r, n, SEARCH_NDR_LOSS_PCT, &res);
	/* 4 frames of 437004 lost are 0.0009 %: within NDR's 0.001 % */
	assert_int_equal(res.rate, capacity + 4);
	assert_int_equal(res.above, capacity + 5);
	assert_true(count_role(r, n, SEARCH_TRIAL) <= search_max_trials(&p));
	assert_int_equal(search_resolution_pps(1000000, 1000), 10000);
	assert_int_equal(search_resolution_pps(50, 1), 1);
}

/* A rate the generator could not send is not carried. */
static void test_generator_short(void **state)
{
	struct search_params p = {SEARCH_PDR, 1000000, 10000, 1};
	struct search_run r[MAX_RUNS];
	struct search_result res;
	size_t n;

	(void)state;
	n = simulate(&p, never_loses, 0.9, r);
	search_result(r, n, SEARCH_PDR_LOSS_PCT, &res);
	assert_int_equal(res.rate, 0);
	assert_int_equal(count_role(r, n, SEARCH_LATENCY), 0);
}

/* What resume relies on: run k is a function of runs 0..k-1 alone. */
static void test_replay(void **state)
{
	struct search_params p = {SEARCH_NDR_PDR, 1000000, 10000, 2};
	struct search_run r[MAX_RUNS];
	struct search_step st;
	size_t n, k;

	(void)state;
	capacity = 612345;
	n = simulate(&p, drops_above, 1, r);
	for (k = 0; k < n; k++) {
		search_next(&p, r, k, &st);
		assert_int_equal(st.rate, r[k].rate);
		assert_int_equal(st.kind == STEP_TRIAL,
				 r[k].role == SEARCH_TRIAL);
	}
	search_next(&p, r, n, &st);
	assert_int_equal(st.kind, STEP_DONE);
	assert_true(n <= search_max_runs(&p));
	/* repetitions raised later: one more run at each point, in order */
	p.reps = 3;
	for (k = 0; k < SEARCH_POINTS; k++) {
		search_next(&p, r, n, &st);
		assert_int_equal(st.kind, STEP_LATENCY);
		assert_int_equal(st.point_pct, search_point_pct[k]);
		assert_int_equal(st.point_rep, 3);
		r[n].role = SEARCH_LATENCY;
		r[n].rate = st.rate;
		r[n].point_pct = st.point_pct;
		n++;
	}
	search_next(&p, r, n, &st);
	assert_int_equal(st.kind, STEP_DONE);
}

static void load(const char *text, struct campaign *c)
{
	struct strbuf err = STRBUF_INIT;

	if (config_parse("t.yaml", text, strlen(text), c, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&err);
}

static void test_plan(void **state)
{
	struct campaign c;
	struct search_params sp;
	struct search_run r[MAX_RUNS];
	struct strbuf out = STRBUF_INIT;
	struct plan p;
	char *ids[MAX_RUNS];
	size_t n, i;

	(void)state;
	load("campaign: x\n"
	     "matrix:\n"
	     "  - {name: a, measure: loadlat, search: pdr, rate: 1M, "
	     "repetitions: 2}\n"
	     "  - {name: b, measure: loadlat, search: ndr, rate: [1M, 2M]}\n"
	     "  - {name: c, measure: loadlat, search_resolution: 2%, "
	     "rate: 3M}\n",
	     &c);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	assert_int_equal(p.ntests, 4);
	assert_null(p.tests[0].reason);
	assert_true(plan_search_params(&p.tests[0], &sp));
	assert_int_equal(test_runs(&p.tests[0]), 8 + 3 * 2);
	assert_string_equal(p.tests[1].reason,
			    "search ndr takes one rate, its upper bound; "
			    "matrix b lists 2 (a rate list or a search, not "
			    "both)");
	assert_string_equal(p.tests[3].reason,
			    "search_resolution applies to searches only "
			    "(search: ndr, pdr or ndr+pdr)");
	plan_print(&p, 0, &out);
	assert_non_null(strstr(out.buf, "search pdr: up to 8 trials"));
	/* the stored runs of a finished search: nothing left to do */
	capacity = 437000;
	n = simulate(&sp, drops_above, 1, r);
	for (i = 0; i < n; i++) {
		ids[i] = malloc(RUN_ID_MAX);
		plan_run_id(&p.tests[0], (unsigned)i + 1, ids[i], RUN_ID_MAX);
	}
	plan_mark_done(&p, ids, n - 1);
	plan_search_settle(&p.tests[0], r, n - 1);
	assert_int_equal(test_runs(&p.tests[0]), 8 + 3 * 2);
	plan_mark_done(&p, ids, n);
	plan_search_settle(&p.tests[0], r, n);
	assert_int_equal(test_runs(&p.tests[0]), n);
	assert_int_equal(p.tests[0].ndone, n);
	for (i = 0; i < n; i++)
		free(ids[i]);
	strbuf_release(&out);
	plan_release(&p);
	config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_converges),
		cmocka_unit_test(test_loses_at_every_rate),
		cmocka_unit_test(test_never_loses),
		cmocka_unit_test(test_noisy),
		cmocka_unit_test(test_resolution),
		cmocka_unit_test(test_generator_short),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
