/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan: the campaign's tests, in the order they run, with what is
 * already done. A pure function of (campaign, host capabilities, ids of
 * the runs complete in the results database), so `iovbench plan` can be
 * printed and golden-tested.
 *
 * Tests are the valid cross product of each matrix; a test that cannot
 * run stays in the plan with the reason (it is shown, never silently
 * dropped). Tests are ordered like autotest's test tree: by factor in
 * factor-table order (costly setup first), and within a factor by the
 * order its values first appear in the file.
 */
#ifndef IOV_CORE_PLAN_H
#define IOV_CORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/factor.h"
#include "util/strbuf.h"

#define TEST_ID_LEN 16
/* "<test id>/<repetition>" */
#define RUN_ID_MAX (TEST_ID_LEN + 12)

struct test {
	int64_t v[FACTOR_COUNT];
	/* Canonical "factor=value,..." of the factors in its identity. */
	char *key;
	/* 64-bit FNV-1a of key, in hex: stable across campaign edits. */
	char id[TEST_ID_LEN + 1];
	/* Why it cannot run on this host; NULL if it can. */
	char *reason;
	bool *done; /* done[r]: run r+1 is complete */
	unsigned ndone;
	/*
	 * Its runs: the repetitions; a search's (core/search.h) may take
	 * up to its trials and latency runs, until plan_search_settle()
	 * sees it done.
	 */
	unsigned nruns;
	const char *matrix; /* name of the first matrix that made it */
};

struct plan {
	const struct campaign *campaign;
	uint32_t caps;
	struct test *tests;
	size_t ntests;
};

struct plan_counts {
	size_t tests, runnable_tests;
	size_t runs, done, todo, not_runnable;
};

/* The largest number of tests a campaign may expand to. */
#define PLAN_MAX_TESTS 100000

int plan_build(const struct campaign *c, uint32_t caps, struct plan *p);
void plan_release(struct plan *p);

/* Mark the runs whose ids are listed (any order) as done. */
void plan_mark_done(struct plan *p, char *const *run_ids, size_t n);

static inline unsigned test_repetitions(const struct test *t)
{
	return (unsigned)t->v[F_REPETITIONS];
}

/* Runs of the test (the repetitions, or a search's runs). */
static inline unsigned test_runs(const struct test *t)
{
	return t->nruns;
}

struct search_params;
struct search_run;
/* Is t a search test (search factor not none)? Its parameters, if so. */
bool plan_search_params(const struct test *t, struct search_params *out);
/*
 * A search test whose n complete runs (in run order) finish its search
 * has those runs only: the plan counts nothing more to do.
 */
void plan_search_settle(struct test *t, const struct search_run *r,
			size_t n);

void plan_run_id(const struct test *t, unsigned rep, char *buf, size_t len);
/*
 * A throughput run's load runs this long before the probes start, so that
 * they see it steady (iperf3 connects its streams, TCP leaves slow start).
 */
#define PLAN_TPUT_SETTLE_MS 500
/* VFs a test needs on each server (its main guests', background's). */
unsigned plan_vfs_needed(const struct test *t);
/* The identity key of a set of factor values (into a new string). */
char *plan_test_key(const int64_t v[FACTOR_COUNT]);
void plan_counts(const struct plan *p, struct plan_counts *out);

/*
 * A factor that does not apply to the test's kind and keeps its default
 * (probe in a loadlat test): labels and the tree leave it out.
 */
bool plan_factor_says_nothing(const struct test *t, int f);
/* "dataplane=veth-bridge probe=icmp rate=10k" for messages/progress. */
void plan_test_label(const struct test *t, struct strbuf *out);

enum plan_print_flags {
	PLAN_PRINT_RUNS = 1u << 0, /* also list every run to do, in order */
};
/* The test tree with done/to-do counts. */
void plan_print(const struct plan *p, unsigned flags, struct strbuf *out);

#endif
