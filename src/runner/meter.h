/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The OS half of the meters (core/meter.h holds the pure half): how each
 * kind of measurement is taken during a run. The runner knows a meter
 * only through this entry; run_one() is a loop over the meters a test
 * takes:
 *
 *   prepare   in table order: what must be there first (the reflector)
 *   begin     in table order: start observing (load, captures, CPU)
 *   measure   in table order: the timed part (the prober)
 *   end       in reverse order: stop and collect; a meter may read what
 *             an earlier-ending one left in the context (the probes)
 *   rows      the rows of its tables, for the store (core/meter_*.h)
 *
 * A dry run (ctx->dry) goes through the same phases; each says what it
 * would do instead of doing it. A failing hook returns -1 with the
 * reason in ctx->why (or lets the run's error trap keep the last error);
 * -EINTR when the user stopped the campaign.
 */
#ifndef IOV_RUNNER_METER_H
#define IOV_RUNNER_METER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/meter.h"
#include "core/plan.h"
#include "core/probe.h"
#include "core/search.h"
#include "store/store.h"
#include "testbed/testbed.h"
#include "util/strbuf.h"

struct event_row;

struct run_ctx {
	struct testbed *tb;
	const struct campaign *c;
	const struct test *t;
	unsigned rep;
	/* a search's run (core/search.h): what it is; NULL otherwise */
	const struct search_step *step;
	const char *exe; /* this iovbench, for processes on the servers */
	volatile sig_atomic_t *stop;
	struct strbuf *dry; /* a dry run's account, else NULL */
	/* the probes, once the probe meter has them: n struct probe_rec
	 * in seq order in a file, read back in chunks, never whole */
	const struct probe_meta *meta;
	const struct probe_summary *sum;
	FILE *recs;
	size_t n;
	/* the run's events, once the events meter's end has analysed them
	 * (before the throughput meter's end: the ends run in reverse):
	 * their rows, which the throughput meter completes with what its
	 * load saw of each, and when their schedule started (now_mono) */
	struct event_row *ev_rows;
	unsigned nev;
	int64_t ev_t0;
	/* why the run failed */
	struct strbuf why;
};

/* Fail the run: print the reason and keep it; returns -1. */
int run_fail(struct run_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct meter_ops {
	const struct meter_def *def;
	size_t state_size; /* its state, zeroed, kept for the campaign */
	/* whether test t takes it (NULL: every test) */
	bool (*wanted)(const struct campaign *c, const struct test *t);
	int (*prepare)(struct run_ctx *ctx, void *st);
	int (*begin)(struct run_ctx *ctx, void *st);
	int (*measure)(struct run_ctx *ctx, void *st);
	int (*end)(struct run_ctx *ctx, void *st);
	int (*rows)(void *st, unsigned table, struct row_sink *sink);
	/* the run is over (saved or not): stop what still runs, free its data */
	void (*run_done)(void *st);
	/*
	 * the setup's guests are up, ctx->t its first test: what the
	 * setup's first run should not pay for alone (failures are
	 * warnings: the run tells)
	 */
	void (*setup_begin)(struct run_ctx *ctx, void *st);
	/*
	 * every meter's setup_begin ran: settle what they disturbed (the
	 * split meter's captures drop the probe meter's exchange)
	 */
	void (*setup_ready)(struct run_ctx *ctx, void *st);
	/* a run that does not take it: stop what it keeps for the setup's
	 * runs, if that would disturb this one */
	void (*skip)(struct run_ctx *ctx, void *st);
	/* the setup's guests go: stop what was started in them */
	void (*setup_done)(struct run_ctx *ctx, void *st);
	/* the campaign is over */
	void (*release)(void *st);
	/* seconds a run of t takes, besides the fixed overhead (or 0) */
	double (*seconds)(const struct campaign *c, const struct test *t);
};

/* ---- for the runner ---- */

#define METERS_MAX 8

/* The meters' states, for a campaign. */
struct meters {
	const struct meter_ops *const *ops; /* meter_ops_table, or a test's */
	unsigned n;
	void *state[METERS_MAX];
	bool on[METERS_MAX]; /* the run in progress takes it */
};

/* ops: n entries in begin order (NULL: meter_ops_table). */
void meters_init(struct meters *m, const struct meter_ops *const *ops,
		 unsigned n);
void meters_release(struct meters *m);
/*
 * Run ctx->t's meters: prepare, begin and measure in table order, end in
 * reverse. 0, -1 (the reason in ctx->why or the run's trap) or -EINTR.
 * Call meters_done() afterwards in every case.
 */
int meters_run(struct meters *m, struct run_ctx *ctx);
/* What the run's meters store (out: METERS_MAX entries); their count. */
size_t meters_rows(struct meters *m, struct meter_rows *out);
/* The run is over: every meter stops what still runs, frees its data. */
void meters_done(struct meters *m);
/* The setup's guests are up (ctx->t: its first test): setup_begin, in
 * the table's order, then setup_ready. */
void meters_setup_begin(struct meters *m, struct run_ctx *ctx);
/* The setup's guests go. */
void meters_setup_done(struct meters *m, struct run_ctx *ctx);
/* Seconds a run of t takes measuring. */
double meters_seconds(const struct meters *m, const struct campaign *c,
		      const struct test *t);

/* Every meter a run may take, in the order of their begin phases. */
extern const struct meter_ops *const meter_ops_table[];
extern const unsigned meter_ops_count;

extern const struct meter_ops meter_probe_ops, meter_split_ops,
	meter_cpu_ops, meter_load_ops, meter_loadlat_ops, meter_tput_ops,
	meter_events_ops, meter_hygiene_ops;

#endif
