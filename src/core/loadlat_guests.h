/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Several guests under test in a load-latency run (the guests factor):
 * the load-latency meter's per-guest tables and their fold, pure. Per
 * run and guest, what the generator sent it and got back
 * (loadlat_guests) and its latency histogram (loadlat_guest_histograms);
 * per test, Jain's index over the guests' received load rates and each
 * guest's loss and 99th percentile (core/meter_loadlat.c lists these
 * among its tables and metrics). docs/metrics.md defines the numbers.
 */
#ifndef IOV_CORE_LOADLAT_GUESTS_H
#define IOV_CORE_LOADLAT_GUESTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hist.h"
#include "core/loadgen_report.h"
#include "core/meter.h"

#define LOADLAT_GUEST_COLS 12
#define LOADLAT_GHIST_COLS 3
extern const struct meter_column loadlat_guest_cols[LOADLAT_GUEST_COLS];
extern const struct meter_column loadlat_ghist_cols[LOADLAT_GHIST_COLS];
/* the columns the fold reads (struct meter_table.fold): all */
#define LOADLAT_GUEST_FOLD (COL(LOADLAT_GUEST_COLS) - 1)
#define LOADLAT_GHIST_FOLD (COL(LOADLAT_GHIST_COLS) - 1)

/* One guest's row of a run. */
struct loadlat_guest_row {
	unsigned index;	  /* 1.., the guests factor's numbering */
	const char *name; /* the guest's namespace or VM */
	const struct loadgen_guest *g;
	double seconds; /* the run's */
	/* what its reflector said (reflected < 0: nothing) */
	int64_t reflected, refl_dropped;
};

void loadlat_guest_cells(const struct loadlat_guest_row *r, struct cell *c);
/*
 * The per-guest histogram rows of a report: *k, *b from 0; false at the
 * end, else the next bucket of some guest into c.
 */
bool loadlat_ghist_cells(const struct loadgen_report *rep, unsigned *k,
			 unsigned *b, struct cell *c);

/* The fold of a test's per-guest rows (zeroed to start). */
struct loadlat_guests_acc {
	/* the run in progress: each guest's received load rate */
	double run_pps[LOADGEN_GUESTS_MAX];
	bool run_has[LOADGEN_GUESTS_MAX];
	/* over the runs */
	double jain;
	unsigned jain_runs;
	double sent[LOADGEN_GUESTS_MAX], lost[LOADGEN_GUESTS_MAX];
	bool seen[LOADGEN_GUESTS_MAX];
	struct hist hist[LOADGEN_GUESTS_MAX];
	bool hist_init[LOADGEN_GUESTS_MAX];
};

/* its metrics, in this order among the load-latency meter's */
enum {
	LLG_M_GUESTS, LLG_M_JAIN, LLG_M_LOSS_MAX, LLG_M_P99_MAX,
	LLG_M_LOSS, LLG_M_P99, LLG_M_COUNT
};

/* A run starts (and the one before it is complete). */
void loadlat_guests_run(struct loadlat_guests_acc *a);
/* A row of loadlat_guests (hist false) or loadlat_guest_histograms. */
void loadlat_guests_row(struct loadlat_guests_acc *a, bool hist,
			const struct cell *c);
/* out: LLG_M_COUNT values, in loadlat_guest_metrics' order */
void loadlat_guests_finish(struct loadlat_guests_acc *a,
			   struct metric_value *out);
void loadlat_guests_release(struct loadlat_guests_acc *a);

#endif
