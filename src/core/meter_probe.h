/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The probe meter's stored rows (core/meter_probe.c): the column order
 * its OS half (runner/meter_probe.c) fills.
 */
#ifndef IOV_CORE_METER_PROBE_H
#define IOV_CORE_METER_PROBE_H

#include "core/meter.h"
#include "core/probe.h"

enum {
	PROBE_COL_SEQ,
	PROBE_COL_T_SCHED,
	PROBE_COL_T_TX_USER,
	PROBE_COL_T_TX,
	PROBE_COL_T_RX,
	PROBE_COL_T_RX_USER,
	PROBE_COL_REPLIES,
	PROBE_COL_FLAGS,
	PROBE_COL_RTT,
	PROBE_COL_RTT_USER,
	PROBE_COL_PACING,
	PROBE_COLS
};

/* The row of one probe (cells[PROBE_COLS]). */
void meter_probe_cells(const struct probe_rec *r, struct cell *cells);

/* What the runner judged of a run, beside the prober's summary. */
struct probe_verdict {
	const char *suspect;  /* why the run is suspect, or NULL */
	const char *overload; /* why it is overloaded (probe_overloaded()) */
	uint64_t seed;	      /* of a poisson schedule (< 2^63), else 0 */
	const struct ad_result *ad; /* its gaps' fit, or NULL */
	const char *schedule_off;   /* why its gaps are off, or NULL */
	/* UDP: the reflector's wake-up (wakeup_mode_name()), else NULL,
	 * and the CPU it was pinned to (-1: not pinned) */
	const char *wakeup;
	int wakeup_cpu;
};

/* probe_runs' row of a run's summary (cells[PROBE_RUN_COLS]). */
#define PROBE_RUN_COLS 22
void meter_probe_run_cells(const struct probe_summary *s,
			   const struct probe_meta *m,
			   const struct probe_verdict *v, struct cell *cells);

/*
 * Why a run is suspect: it lost more than ceiling percent of its
 * probes on a path that answered its preflight. 0 if it is not.
 */
int meter_probe_suspect(const struct probe_summary *s,
			const struct probe_meta *m, int64_t ceiling,
			char *why, size_t len);

#endif
