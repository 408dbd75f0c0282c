/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rate searches of load-latency tests (the search factor): instead of a
 * list of rates, NDR (no drop rate: loss <= 0.001 %) and PDR (partial
 * drop rate: loss <= 0.1 %) found by binary search between 0 and the
 * rate factor, as NFVbench does, then latency runs at 10, 50 and 90 %
 * of the rate found.
 *
 * Every trial is a stored run, so the search is a pure function of the
 * runs already finished: the runner asks search_next() for the next run
 * of a test until it says done, and a campaign killed mid-search
 * resumes where it stopped, each trial measured exactly once. Pure.
 */
#ifndef IOV_CORE_SEARCH_H
#define IOV_CORE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The search factor's values; bits of what is searched. */
enum search_kind {
	SEARCH_NONE,
	SEARCH_NDR,
	SEARCH_PDR,
	SEARCH_NDR_PDR,
	SEARCH_KIND_COUNT
};
#define SEARCH_WANTS_NDR(k) ((k) == SEARCH_NDR || (k) == SEARCH_NDR_PDR)
#define SEARCH_WANTS_PDR(k) ((k) == SEARCH_PDR || (k) == SEARCH_NDR_PDR)

const char *search_kind_name(enum search_kind k);

/* NFVbench's thresholds, in % of the frames sent */
#define SEARCH_NDR_LOSS_PCT 0.001
#define SEARCH_PDR_LOSS_PCT 0.1
/*
 * A trial passes when its loss is at most the threshold and the
 * generator sent the rate asked within this much (a rate it could not
 * reach was not carried), as the load limit (core/meter_loadlat.h)
 */
#define SEARCH_SENT_TOLERANCE_PCT 1.0

/* The latency points, in % of the rate found (PDR; NDR if only NDR) */
#define SEARCH_POINTS 3
extern const int search_point_pct[SEARCH_POINTS];

struct search_params {
	enum search_kind kind;
	int64_t max_rate;   /* upper bound: the rate factor, pps */
	int64_t resolution; /* stop when the interval is this narrow, pps */
	unsigned reps;	    /* latency runs per point */
};

/* The search_resolution factor (thousandths of %) of max_rate, in pps. */
int64_t search_resolution_pps(int64_t max_rate, int64_t thousandths_pct);

enum search_role { SEARCH_TRIAL, SEARCH_LATENCY };

/* A finished run of a search test, as stored (loadlat_runs). */
struct search_run {
	enum search_role role;
	int64_t rate;	 /* the offered rate asked for, pps */
	double sent_pps; /* the load the generator sent per second */
	double loss_pct; /* NAN: nothing was sent */
	int point_pct;	 /* SEARCH_LATENCY: its point (10, 50, 90) */
};

enum search_step_kind { STEP_TRIAL, STEP_LATENCY, STEP_DONE };

struct search_step {
	enum search_step_kind kind;
	int64_t rate;	      /* of the next run */
	int point_pct;	      /* STEP_LATENCY: 10, 50 or 90 */
	unsigned point_rep;   /* STEP_LATENCY: 1..reps */
};

/*
 * The next run after the n finished ones (in run order). Trials bisect
 * [lo, hi] of each threshold: lo the highest passing trial rate (0:
 * none), hi the lowest failing one above it; a trial's rate is never
 * one already tried. PDR is searched first, then NDR inside what its
 * trials left. Then latency runs until each point has reps of them
 * (counted per point: raising reps later adds runs where they are
 * missing), then STEP_DONE.
 */
void search_next(const struct search_params *p, const struct search_run *r,
		 size_t n, struct search_step *out);

/* What the trials found for one threshold. */
struct search_result {
	int64_t rate;	  /* highest passing trial rate; 0: none passed */
	double sent_pps;  /* its achieved rate */
	double loss_pct;  /* its loss */
	int64_t above;	  /* lowest failing trial rate above it; 0: none */
	double above_loss;
};

void search_result(const struct search_run *r, size_t n, double loss_pct,
		   struct search_result *out);
bool search_trial_passes(const struct search_run *r, double loss_pct);

/* The rate latency runs are measured at percent % of (0: none). */
int64_t search_point_rate(int64_t found, int percent);

/* Trials a search may take at most (for the plan). */
unsigned search_max_trials(const struct search_params *p);
/* Runs a search test may have at most: trials and latency runs. */
unsigned search_max_runs(const struct search_params *p);

#endif
