// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NDR/PDR binary searches (core/search.h). The state of a search is not
 * kept anywhere: it is recomputed from the finished trials each time,
 * so that the run that follows a SIGKILL is the one that would have
 * followed without it.
 */
#include "core/search.h"

#include <math.h>

const int search_point_pct[SEARCH_POINTS] = {10, 50, 90};

static const char *const search_names[SEARCH_KIND_COUNT] = {
	[SEARCH_NONE] = "none",
	[SEARCH_NDR] = "ndr",
	[SEARCH_PDR] = "pdr",
	[SEARCH_NDR_PDR] = "ndr+pdr",
};

const char *search_kind_name(enum search_kind k)
{
	return (unsigned)k < SEARCH_KIND_COUNT ? search_names[k] : "?";
}

int64_t search_resolution_pps(int64_t max_rate, int64_t thousandths_pct)
{
	int64_t r = max_rate * thousandths_pct / 100000;

	/* rates are whole frames per second: 1 pps is the finest step */
	return r < 1 ? 1 : r;
}

bool search_trial_passes(const struct search_run *r, double loss_pct)
{
	return !isnan(r->loss_pct) && r->loss_pct <= loss_pct &&
	       r->sent_pps >= (double)r->rate *
				      (1 - SEARCH_SENT_TOLERANCE_PCT / 100);
}

void search_result(const struct search_run *r, size_t n, double loss_pct,
		   struct search_result *out)
{
	size_t i;

	out->rate = 0;
	out->sent_pps = 0;
	out->loss_pct = NAN;
	out->above = 0;
	out->above_loss = NAN;
	for (i = 0; i < n; i++) {
		if (r[i].role == SEARCH_TRIAL && r[i].rate > out->rate &&
		    search_trial_passes(&r[i], loss_pct)) {
			out->rate = r[i].rate;
			out->sent_pps = r[i].sent_pps;
			out->loss_pct = r[i].loss_pct;
		}
	}
	/* noise may fail a rate below one that passed: hi is above lo */
	for (i = 0; i < n; i++) {
		if (r[i].role == SEARCH_TRIAL && r[i].rate > out->rate &&
		    !search_trial_passes(&r[i], loss_pct) &&
		    (!out->above || r[i].rate < out->above)) {
			out->above = r[i].rate;
			out->above_loss = r[i].loss_pct;
		}
	}
}

/* The next trial of one threshold's search, or 0 when it is done. */
static int64_t next_trial(const struct search_params *p,
			  const struct search_run *r, size_t n,
			  double loss_pct)
{
	struct search_result res;
	size_t i, trials = 0;

	for (i = 0; i < n; i++)
		trials += r[i].role == SEARCH_TRIAL;
	if (!trials)
		return p->max_rate;
	search_result(r, n, loss_pct, &res);
	if (!res.above) {
		/* nothing failed above lo: the upper bound, unless tried */
		return res.rate >= p->max_rate ? 0 : p->max_rate;
	}
	if (res.above - res.rate <= p->resolution)
		return 0;
	/* strictly inside (lo, hi), which holds no trial rate */
	return res.rate + (res.above - res.rate) / 2;
}

int64_t search_point_rate(int64_t found, int percent)
{
	int64_t r = (found * percent + 50) / 100;

	return found <= 0 ? 0 : r < 1 ? 1 : r;
}

void search_next(const struct search_params *p, const struct search_run *r,
		 size_t n, struct search_step *out)
{
	struct search_result res;
	unsigned have[SEARCH_POINTS] = {0};
	size_t i, lat = 0;
	int64_t next = 0;
	int k;

	out->kind = STEP_DONE;
	out->rate = 0;
	out->point_pct = 0;
	out->point_rep = 0;
	if (p->kind == SEARCH_NONE || p->max_rate < 1)
		return;
	for (i = 0; i < n; i++) {
		if (r[i].role != SEARCH_LATENCY)
			continue;
		lat++;
		for (k = 0; k < SEARCH_POINTS; k++)
			have[k] += r[i].point_pct == search_point_pct[k];
	}
	/* latency runs come after the last trial: no trial follows them */
	if (!lat && SEARCH_WANTS_PDR(p->kind))
		next = next_trial(p, r, n, SEARCH_PDR_LOSS_PCT);
	if (!lat && !next && SEARCH_WANTS_NDR(p->kind))
		next = next_trial(p, r, n, SEARCH_NDR_LOSS_PCT);
	if (next) {
		out->kind = STEP_TRIAL;
		out->rate = next;
		return;
	}
	search_result(r, n,
		      SEARCH_WANTS_PDR(p->kind) ? SEARCH_PDR_LOSS_PCT :
						  SEARCH_NDR_LOSS_PCT,
		      &res);
	if (!res.rate)
		return; /* nothing passed: no rate to measure latency at */
	for (k = 0; k < SEARCH_POINTS && have[k] >= p->reps; k++)
		;
	if (k == SEARCH_POINTS)
		return;
	out->kind = STEP_LATENCY;
	out->point_pct = search_point_pct[k];
	out->point_rep = have[k] + 1;
	out->rate = search_point_rate(res.rate, out->point_pct);
}

unsigned search_max_trials(const struct search_params *p)
{
	/* the first trial at the bound, then halvings of [0, bound] until
	 * no wider than the resolution (an odd width rounds up) */
	int64_t width = p->max_rate;
	unsigned one = 1;

	while (width > p->resolution) {
		width = width - width / 2;
		one++;
	}
	/* the second search starts from the first one's trials, which
	 * may leave it the whole interval: at most as many again */
	return p->kind == SEARCH_NDR_PDR ? 2 * one - 1 : one;
}

unsigned search_max_runs(const struct search_params *p)
{
	if (p->kind == SEARCH_NONE)
		return p->reps;
	return search_max_trials(p) + SEARCH_POINTS * p->reps;
}
