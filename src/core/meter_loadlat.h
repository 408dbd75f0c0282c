/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The load-latency meter's stored rows (core/meter_loadlat.c): per run,
 * what the generator sent and got back (loadlat_runs), and its latency
 * histogram (loadlat_histograms, one row per bucket); the column order
 * its OS half (runner/meter_loadlat.c) fills.
 */
#ifndef IOV_CORE_METER_LOADLAT_H
#define IOV_CORE_METER_LOADLAT_H

#include <stdbool.h>

#include "core/hist.h"
#include "core/loadgen_report.h"
#include "core/meter.h"

/* autotest's: a run whose send rate varied more than this is suspect */
#define LOADLAT_JITTER_SUSPECT_PCT 20.0
/*
 * the load limit: the highest offered rate with at most the test's
 * loss_threshold of loss, sent in full within this much
 */
#define LOADLAT_SENT_TOLERANCE_PCT 1.0

struct loadlat_row {
	const char *guest; /* the generator's */
	const struct loadgen_report *rep;
	/* what the reflector said (reflected < 0: nothing) */
	int64_t reflected, refl_dropped;
	const char *refl_mode; /* xdp: native or generic; NULL: none */
	int64_t rate;	       /* asked for: the test's, or a search's */
	/* a search's run: "trial" or "latency" at search_point % of the
	 * rate found; NULL in a rate list's runs */
	const char *search_role;
	int search_point;
};

#define LOADLAT_RUN_COLS 24
#define LOADLAT_HIST_COLS 3

void meter_loadlat_run_cells(const struct loadlat_row *r, struct cell *c);
/*
 * The histogram rows of a report: *b from 0; false at the end, else the
 * next bucket used by either histogram into c.
 */
bool meter_loadlat_hist_cells(const struct loadgen_report *rep, unsigned *b,
			      struct cell *c);

/* A run's loss in percent of the frames sent (load and latency). */
double meter_loadlat_loss_pct(const struct loadgen_report *rep);

#endif
