// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The load-latency meter, pure half (autotest's method): per run what
 * the generator offered, sent and got back, and the latency histogram
 * of its latency frames; per test the rates averaged over the runs, the
 * loss of all their frames, percentiles of the histogram accumulated
 * over the runs (exactly: the sum of the counts), and across tests the
 * load limit of each series. docs/metrics.md defines every number. The
 * OS half is runner/meter_loadlat.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/loadlat_guests.h"
#include "core/meter_loadlat.h"
#include "core/search.h"
#include "core/series.h"
#include "util/alloc.h"

enum {
	C_GUEST, C_OFFERED, C_SENT_LOAD, C_SENT_LAT,
	C_RECV_LOAD, C_RECV_LAT, C_ERRORS, C_SECONDS, C_OFFERED_PPS,
	C_SENT_PPS, C_RECV_PPS, C_LOSS_PCT, C_RATE_MEAN, C_RATE_SD,
	C_SUSPECT, C_TX_STAMP, C_RX_STAMP, C_REFLECTED, C_REFL_DROPPED, C_REFL_MODE,
	C_RATE, C_SEARCH_ROLE, C_SEARCH_POINT,
	C_SENT_BPS,
};
static const struct meter_column run_cols[] = {
	[C_GUEST] = {"guest", CELL_TEXT, COL_KEY},
	[C_OFFERED] = {"offered", CELL_INT, 0},
	[C_SENT_LOAD] = {"sent_load", CELL_INT, 0},
	[C_SENT_LAT] = {"sent_latency", CELL_INT, 0},
	[C_RECV_LOAD] = {"received_load", CELL_INT, 0},
	[C_RECV_LAT] = {"received_latency", CELL_INT, 0},
	[C_ERRORS] = {"errors", CELL_INT, 0},
	[C_SECONDS] = {"seconds", CELL_REAL, 0},
	[C_OFFERED_PPS] = {"offered_pps", CELL_REAL, 0},
	[C_SENT_PPS] = {"sent_pps", CELL_REAL, 0},
	[C_RECV_PPS] = {"received_pps", CELL_REAL, 0},
	[C_LOSS_PCT] = {"loss_pct", CELL_REAL, 0},
	[C_RATE_MEAN] = {"send_rate_mean", CELL_REAL, 0},
	[C_RATE_SD] = {"send_rate_sd", CELL_REAL, 0},
	[C_SUSPECT] = {"suspect", CELL_INT, 0},
	[C_TX_STAMP] = {"tx_stamp", CELL_TEXT, 0},
	[C_RX_STAMP] = {"rx_stamp", CELL_TEXT, 0},
	[C_REFLECTED] = {"reflected", CELL_INT, 0},
	[C_REFL_DROPPED] = {"reflector_dropped", CELL_INT, 0},
	[C_REFL_MODE] = {"reflector_mode", CELL_TEXT, 0},
	/* the rate the run was asked for (a search's trial rate) */
	[C_RATE] = {"rate", CELL_INT, 0},
	/* searches: "trial" or "latency" (at search_point_pct of the rate
	 * found); NULL in a rate list's runs */
	[C_SEARCH_ROLE] = {"search_role", CELL_TEXT, 0},
	[C_SEARCH_POINT] = {"search_point_pct", CELL_INT, 0},
	[C_SENT_BPS] = {"sent_bps", CELL_REAL, 0},
};
_Static_assert(ARRAY_SIZE(run_cols) == LOADLAT_RUN_COLS, "loadlat runs");

enum { H_VALUE, H_COUNT, H_COUNT_INTENDED };
static const struct meter_column hist_cols[] = {
	[H_VALUE] = {"value_ns", CELL_INT, COL_KEY},
	[H_COUNT] = {"frames", CELL_INT, 0},
	[H_COUNT_INTENDED] = {"frames_intended", CELL_INT, 0},
};
_Static_assert(ARRAY_SIZE(hist_cols) == LOADLAT_HIST_COLS, "loadlat hist");

enum { T_RUNS, T_HIST, T_GUESTS, T_GHIST };
static const struct meter_table tables[] = {
	[T_RUNS] = {
		.name = "loadlat_runs",
		.unit = "load-latency run",
		.cols = run_cols,
		.ncols = ARRAY_SIZE(run_cols),
		.fold = COL(C_SENT_LOAD) | COL(C_SENT_LAT) | COL(C_RECV_LOAD) |
			COL(C_RECV_LAT) | COL(C_OFFERED_PPS) | COL(C_SENT_PPS) |
			COL(C_RECV_PPS) | COL(C_RATE_MEAN) | COL(C_RATE_SD) |
			COL(C_SUSPECT) | COL(C_RATE) | COL(C_SEARCH_ROLE) |
			COL(C_SEARCH_POINT) | COL(C_SENT_BPS),
	},
	[T_HIST] = {
		.name = "loadlat_histograms",
		.unit = "histogram bucket",
		.cols = hist_cols,
		.ncols = ARRAY_SIZE(hist_cols),
		.fold = COL(H_VALUE) | COL(H_COUNT) | COL(H_COUNT_INTENDED),
	},
	/* rows only in runs with several guests under test */
	[T_GUESTS] = {
		.name = "loadlat_guests",
		.unit = "guest under test",
		.cols = loadlat_guest_cols,
		.ncols = LOADLAT_GUEST_COLS,
		.fold = LOADLAT_GUEST_FOLD,
	},
	[T_GHIST] = {
		.name = "loadlat_guest_histograms",
		.unit = "guest's histogram bucket",
		.cols = loadlat_ghist_cols,
		.ncols = LOADLAT_GHIST_COLS,
		.fold = LOADLAT_GHIST_FOLD,
	},
};

enum {
	M_OFFERED, M_SENT, M_RECV, M_SENT_BPS, M_LOSS, M_P50, M_P90, M_P99, M_P999,
	M_MAX, M_P99_INTENDED, M_JITTER, M_SUSPECT, M_LIMIT,
	M_TRIALS, M_NDR, M_NDR_SENT, M_PDR, M_PDR_SENT,
	M_AT10_P50, M_AT10_P99, M_AT50_P50, M_AT50_P99, M_AT90_P50,
	M_AT90_P99,
	/* several guests under test: core/loadlat_guests.h's, in order */
	M_GUESTS,
	M_JAIN = M_GUESTS + LLG_M_JAIN,
	M_GLOSS_MAX = M_GUESTS + LLG_M_LOSS_MAX,
	M_GP99_MAX = M_GUESTS + LLG_M_P99_MAX,
	M_GLOSS = M_GUESTS + LLG_M_LOSS,
	M_GP99 = M_GUESTS + LLG_M_P99,
	M_COUNT = M_GUESTS + LLG_M_COUNT
};

#define LL (METRIC_MACHINE | METRIC_HUMAN | METRIC_IF_ANY)
#define LL_GROUP GROUP_LOADLAT
#define SR_GROUP GROUP_SEARCH
/* only tests with several guests have values: their own group */
#define LG (METRIC_MACHINE | METRIC_HUMAN | METRIC_IF_ANY)

static const struct metric metrics[] = {
	[M_OFFERED] = {"loadlat_offered_pps", "offer_kpps", "pps", "%.1f", 0,
		       "%.1f", 1e-3, LL, LL_GROUP,
		       "load frames per second the test asked for"},
	[M_SENT] = {"loadlat_sent_pps", "sent_kpps", "pps", "%.1f", 0, "%.1f",
		    1e-3, LL, LL_GROUP,
		    "load frames the generator sent per second, mean of runs"},
	[M_RECV] = {"loadlat_received_pps", "recv_kpps", "pps", "%.1f", 0,
		    "%.1f", 1e-3, LL, LL_GROUP,
		    "load frames back from the reflector per second"},
	[M_SENT_BPS] = {"loadlat_sent_bps", "sent_Mbps", "bps", "%.0f", 0,
			"%.1f", 1e-6, LL, LL_GROUP,
			"the load's bits per second on the wire as sent (its "
			"frames' bytes with the FCS, a mix's sizes as sent), "
			"mean of runs"},
	[M_LOSS] = {"loadlat_loss_pct", "loss%", "%", "%.3f", 0, "%.2f", 0, LL,
		    LL_GROUP,
		    "frames sent and not back, in % of sent, all runs"},
	[M_P50] = {"loadlat_p50_us", "lat_p50", "us", "%.3f", 1e3, "%.1f", 0,
		   LL, LL_GROUP, "median latency (accumulated histogram)"},
	[M_P90] = {"loadlat_p90_us", "lat_p90", "us", "%.3f", 1e3, "%.1f", 0,
		   LL, LL_GROUP, "90th percentile latency"},
	[M_P99] = {"loadlat_p99_us", "lat_p99", "us", "%.3f", 1e3, "%.1f", 0,
		   LL, LL_GROUP, "99th percentile latency"},
	[M_P999] = {"loadlat_p99.9_us", "lat_p99.9", "us", "%.3f", 1e3, "%.1f",
		    0, LL, LL_GROUP, "99.9th percentile latency"},
	[M_MAX] = {"loadlat_max_us", "lat_max", "us", "%.3f", 1e3, "%.1f", 0,
		   LL, LL_GROUP, "highest latency (its bucket's top)"},
	[M_P99_INTENDED] = {"loadlat_p99_intended_us", "p99_int", "us", "%.3f",
			    1e3, "%.1f", 0, LL, LL_GROUP,
			    "99th percentile from the intended send time "
			    "(coordinated omission counted)"},
	[M_JITTER] = {"loadlat_send_jitter_pct", "tx_jit%", "%", "%.2f", 0,
		      "%.1f", 0, LL, LL_GROUP,
		      "send rate's standard deviation over 10 ms intervals, "
		      "in % of its mean, mean of runs"},
	[M_SUSPECT] = {"loadlat_suspect_runs", "suspect", "", "%.0f", 0, NULL,
		       0, LL, LL_GROUP,
		       "runs whose send rate deviated more than 20 % of its "
		       "mean (autotest discards them)"},
	[M_LIMIT] = {"loadlat_load_limit_pps", "limit_kpps", "pps", "%.0f", 0,
		     "%.1f", 1e-3, LL, LL_GROUP,
		     "the series' highest offered rate sent in full (within "
		     "1 %) with at most loss_threshold (1 %) loss"},
	[M_TRIALS] = {"loadlat_search_trials", "trials", "", "%.0f", 0, NULL,
		      0, LL, SR_GROUP, "trials the search ran"},
	[M_NDR] = {"loadlat_ndr_pps", "ndr_kpps", "pps", "%.0f", 0, "%.1f",
		   1e-3, LL, SR_GROUP,
		   "NDR: the highest trial rate offered with at most 0.001 % "
		   "loss, sent in full (within 1 %)"},
	[M_NDR_SENT] = {"loadlat_ndr_achieved_pps", "ndr_sent", "pps", "%.1f",
			0, "%.1f", 1e-3, LL, SR_GROUP,
			"the load the generator sent per second at NDR"},
	[M_PDR] = {"loadlat_pdr_pps", "pdr_kpps", "pps", "%.0f", 0, "%.1f",
		   1e-3, LL, SR_GROUP,
		   "PDR: the highest trial rate offered with at most 0.1 % "
		   "loss, sent in full (within 1 %)"},
	[M_PDR_SENT] = {"loadlat_pdr_achieved_pps", "pdr_sent", "pps", "%.1f",
			0, "%.1f", 1e-3, LL, SR_GROUP,
			"the load the generator sent per second at PDR"},
	[M_AT10_P50] = {"loadlat_at10_p50_us", "@10%_p50", "us", "%.3f", 1e3,
			"%.1f", 0, LL, SR_GROUP,
			"median latency of the runs at 10 % of PDR (of NDR "
			"when only NDR is searched)"},
	[M_AT10_P99] = {"loadlat_at10_p99_us", "@10%_p99", "us", "%.3f", 1e3,
			"%.1f", 0, LL, SR_GROUP,
			"99th percentile latency at 10 % of PDR"},
	[M_AT50_P50] = {"loadlat_at50_p50_us", "@50%_p50", "us", "%.3f", 1e3,
			"%.1f", 0, LL, SR_GROUP,
			"median latency at 50 % of PDR"},
	[M_AT50_P99] = {"loadlat_at50_p99_us", "@50%_p99", "us", "%.3f", 1e3,
			"%.1f", 0, LL, SR_GROUP,
			"99th percentile latency at 50 % of PDR"},
	[M_AT90_P50] = {"loadlat_at90_p50_us", "@90%_p50", "us", "%.3f", 1e3,
			"%.1f", 0, LL, SR_GROUP,
			"median latency at 90 % of PDR"},
	[M_AT90_P99] = {"loadlat_at90_p99_us", "@90%_p99", "us", "%.3f", 1e3,
			"%.1f", 0, LL, SR_GROUP,
			"99th percentile latency at 90 % of PDR"},
	/* machine only: the text table has the guests factor's column */
	[M_GUESTS] = {"loadlat_guests", NULL, "", "%.0f", 0, NULL, 0,
			  METRIC_MACHINE, GROUP_LLGUESTS,
			  "guests under test the load was spread over"},
	[M_JAIN] = {"loadlat_jain_index", "jain", "", "%.4f", 0, "%.3f", 0,
			LG, GROUP_LLGUESTS,
			"Jain's index over the guests' received load rates, "
			"mean of runs"},
	[M_GLOSS_MAX] = {"loadlat_guest_loss_max_pct", "gloss_max%", "%",
			    "%.3f", 0, "%.2f", 0, LG, GROUP_LLGUESTS,
			    "the worst guest's loss (its frames sent and not "
			    "back, all runs)"},
	[M_GP99_MAX] = {"loadlat_guest_p99_max_us", "gp99_max", "us",
			   "%.3f", 1e3, "%.1f", 0, LG, GROUP_LLGUESTS,
			   "the worst guest's 99th percentile latency (its "
			   "accumulated histogram)"},
	[M_GLOSS] = {"loadlat_guest_loss_pct", "gloss%", "", "%s", 0,
			NULL, 0, LG | METRIC_TEXT, GROUP_LLGUESTS,
			"each guest's loss, guest 1 first, separated by slashes"},
	[M_GP99] = {"loadlat_guest_p99_us", "gp99", "", "%s", 0, NULL, 0,
		       LG | METRIC_TEXT, GROUP_LLGUESTS,
		       "each guest's 99th percentile latency, guest 1 first"},
};
_Static_assert(ARRAY_SIZE(metrics) == M_COUNT, "loadlat metrics");

/* where the histogram rows of the run being folded go */
enum { ROUTE_MAIN, ROUTE_DROP, ROUTE_POINT };

struct acc {
	bool init;
	struct hist actual, intended;
	double sent, lost, offered, sent_pps, recv_pps, jitter, bps;
	unsigned runs, jitter_runs, suspect, bps_runs;
	/* a search's runs: its trials, and a histogram per latency point */
	struct search_run *trials;
	size_t ntrials, trials_alloc;
	struct hist point[SEARCH_POINTS];
	bool point_used[SEARCH_POINTS];
	int route, route_point;
	struct loadlat_guests_acc guests;
};

static int point_index(const struct cell *c)
{
	int i;

	for (i = 0; i < SEARCH_POINTS; i++) {
		if (c->type == CELL_INT && c->i == search_point_pct[i])
			return i;
	}
	return -1;
}

/* A search's run: a trial kept for the result, or a latency point's. */
static bool search_row(struct acc *a, const struct cell *c)
{
	const char *role = c[C_SEARCH_ROLE].type == CELL_TEXT ?
				   c[C_SEARCH_ROLE].s :
				   NULL;
	double sent = cell_num(&c[C_SENT_LOAD], 0) + cell_num(&c[C_SENT_LAT], 0);
	double back = cell_num(&c[C_RECV_LOAD], 0) + cell_num(&c[C_RECV_LAT], 0);
	struct search_run *r;

	a->route = ROUTE_MAIN;
	if (!role)
		return false;
	if (!strcmp(role, "latency")) {
		a->route_point = point_index(&c[C_SEARCH_POINT]);
		a->route = a->route_point < 0 ? ROUTE_DROP : ROUTE_POINT;
		return true;
	}
	a->route = ROUTE_DROP;
	ALLOC_GROW(a->trials, a->ntrials + 1, a->trials_alloc);
	r = &a->trials[a->ntrials++];
	r->role = SEARCH_TRIAL;
	r->rate = c[C_RATE].type == CELL_INT ? c[C_RATE].i : 0;
	r->sent_pps = cell_num(&c[C_SENT_PPS], 0);
	/* as meter_loadlat_loss_pct() */
	r->loss_pct = sent > 0 ? 100 * (sent > back ? sent - back : 0) / sent :
				 NAN;
	return true;
}

static void ll_run(void *p, const struct meter_run *run)
{
	struct acc *a = p;

	(void)run;
	loadlat_guests_run(&a->guests);
}

static void ll_row(void *p, unsigned table, const struct cell *c)
{
	struct acc *a = p;

	if (!a->init) {
		hist_init(&a->actual);
		hist_init(&a->intended);
		a->init = true;
	}
	if (table == T_GUESTS || table == T_GHIST) {
		loadlat_guests_row(&a->guests, table == T_GHIST, c);
		return;
	}
	if (table == T_HIST) {
		int64_t v = c[H_VALUE].type == CELL_INT ? c[H_VALUE].i : -1;
		double n = cell_num(&c[H_COUNT], 0);
		double ni = cell_num(&c[H_COUNT_INTENDED], 0);

		if (v < 0 || a->route == ROUTE_DROP)
			return;
		if (a->route == ROUTE_POINT) {
			struct hist *h = &a->point[a->route_point];

			if (!a->point_used[a->route_point])
				hist_init(h);
			a->point_used[a->route_point] = true;
			if (n > 0)
				hist_add_bucket(h, (uint64_t)v, (uint64_t)n);
			return;
		}
		if (n > 0)
			hist_add_bucket(&a->actual, (uint64_t)v, (uint64_t)n);
		if (ni > 0)
			hist_add_bucket(&a->intended, (uint64_t)v,
					(uint64_t)ni);
		return;
	}
	if (search_row(a, c))
		return;
	{
		double sent = cell_num(&c[C_SENT_LOAD], 0) +
			      cell_num(&c[C_SENT_LAT], 0);
		double back = cell_num(&c[C_RECV_LOAD], 0) +
			      cell_num(&c[C_RECV_LAT], 0);
		double mean = cell_num(&c[C_RATE_MEAN], 0);

		a->runs++;
		a->sent += sent;
		a->lost += sent > back ? sent - back : 0;
		a->offered += cell_num(&c[C_OFFERED_PPS], 0);
		a->sent_pps += cell_num(&c[C_SENT_PPS], 0);
		a->recv_pps += cell_num(&c[C_RECV_PPS], 0);
		if (mean > 0) {
			a->jitter += 100 * cell_num(&c[C_RATE_SD], 0) / mean;
			a->jitter_runs++;
		}
		a->suspect += cell_num(&c[C_SUSPECT], 0) > 0;
		/* generators that do not say their bytes have none */
		if (c[C_SENT_BPS].type == CELL_REAL) {
			a->bps += c[C_SENT_BPS].d;
			a->bps_runs++;
		}
	}
}

static void search_finish(struct acc *a, struct metric_value *out)
{
	static const unsigned p50[SEARCH_POINTS] = {M_AT10_P50, M_AT50_P50,
						    M_AT90_P50};
	struct search_result res;
	int i;

	if (!a->ntrials)
		return;
	metric_set_num(&out[M_TRIALS], (double)a->ntrials);
	/* the test's search kind is not known here: ll_across() leaves
	 * out the one that was not searched */
	search_result(a->trials, a->ntrials, SEARCH_NDR_LOSS_PCT, &res);
	if (res.rate) {
		metric_set_num(&out[M_NDR], (double)res.rate);
		metric_set_num(&out[M_NDR_SENT], res.sent_pps);
	}
	search_result(a->trials, a->ntrials, SEARCH_PDR_LOSS_PCT, &res);
	if (res.rate) {
		metric_set_num(&out[M_PDR], (double)res.rate);
		metric_set_num(&out[M_PDR_SENT], res.sent_pps);
	}
	for (i = 0; i < SEARCH_POINTS; i++) {
		if (!a->point_used[i])
			continue;
		metric_set_measured(&out[p50[i]],
				    hist_percentile(&a->point[i], 50));
		/* the p99 follows its p50 in the table */
		metric_set_measured(&out[p50[i] + 1],
				    hist_percentile(&a->point[i], 99));
	}
}

static void ll_finish(void *p, struct metric_value *out)
{
	struct acc *a = p;

	search_finish(a, out);
	if (!a->runs)
		return;
	metric_set_num(&out[M_OFFERED], a->offered / a->runs);
	metric_set_num(&out[M_SENT], a->sent_pps / a->runs);
	metric_set_num(&out[M_RECV], a->recv_pps / a->runs);
	if (a->bps_runs)
		metric_set_num(&out[M_SENT_BPS], a->bps / a->bps_runs);
	if (a->sent > 0)
		metric_set_num(&out[M_LOSS], 100 * a->lost / a->sent);
	if (a->init) {
		metric_set_measured(&out[M_P50], hist_percentile(&a->actual, 50));
		metric_set_measured(&out[M_P90], hist_percentile(&a->actual, 90));
		metric_set_measured(&out[M_P99], hist_percentile(&a->actual, 99));
		metric_set_measured(&out[M_P999],
				    hist_percentile(&a->actual, 99.9));
		metric_set_measured(&out[M_MAX], hist_max(&a->actual));
		metric_set_measured(&out[M_P99_INTENDED],
				    hist_percentile(&a->intended, 99));
	}
	if (a->jitter_runs)
		metric_set_num(&out[M_JITTER], a->jitter / a->jitter_runs);
	metric_set_num(&out[M_SUSPECT], a->suspect);
	loadlat_guests_finish(&a->guests, &out[M_GUESTS]);
}

static void ll_release(void *p)
{
	struct acc *a = p;

	int i;

	if (a->init) {
		hist_release(&a->actual);
		hist_release(&a->intended);
	}
	for (i = 0; i < SEARCH_POINTS; i++) {
		if (a->point_used[i])
			hist_release(&a->point[i]);
	}
	free(a->trials);
	loadlat_guests_release(&a->guests);
}

/*
 * The load limit of a series: the tests that differ only in rate. Each
 * test of it gets the highest offered rate of the series whose loss is
 * at most its loss_threshold (1 % by default) and whose generator sent
 * what was offered, less LOADLAT_SENT_TOLERANCE_PCT (a rate the generator could not reach was not
 * carried: its loss is of less load); none such: not measured.
 */
static bool carried(const struct series_test *q, unsigned first)
{
	const struct metric_value *loss = &q->values[first + M_LOSS];
	const struct metric_value *sent = &q->values[first + M_SENT];
	const struct metric_value *offered = &q->values[first + M_OFFERED];
	/* the test's loss_threshold, kept in thousandths of a percent */
	double limit = (double)q->v[F_LOSS_THRESHOLD] /
		       (double)factor_table[F_LOSS_THRESHOLD].scale;

	return loss->type == CELL_REAL && sent->type == CELL_REAL &&
	       offered->type == CELL_REAL && loss->d <= limit &&
	       sent->d >= offered->d * (1 - LOADLAT_SENT_TOLERANCE_PCT / 100);
}

static bool same_but_rate(const int64_t *x, const int64_t *y)
{
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		if (f != F_RATE && f != F_REPETITIONS && x[f] != y[f])
			return false;
	}
	return true;
}

static void ll_across(struct series *s, unsigned first)
{
	size_t i, j;

	for (i = 0; i < s->ntests; i++) {
		struct series_test *t = &s->tests[i];
		int64_t limit = -1;

		/* a search's trials give both; the search had one or both */
		if (!SEARCH_WANTS_NDR(t->v[F_SEARCH])) {
			t->values[first + M_NDR].type = CELL_NULL;
			t->values[first + M_NDR_SENT].type = CELL_NULL;
		}
		if (!SEARCH_WANTS_PDR(t->v[F_SEARCH])) {
			t->values[first + M_PDR].type = CELL_NULL;
			t->values[first + M_PDR_SENT].type = CELL_NULL;
		}
		if (t->values[first + M_LOSS].type == CELL_NULL)
			continue;
		for (j = 0; j < s->ntests; j++) {
			const struct series_test *q = &s->tests[j];

			if (carried(q, first) && same_but_rate(t->v, q->v) &&
			    q->v[F_RATE] > limit)
				limit = q->v[F_RATE];
		}
		if (limit > 0)
			metric_set_num(&t->values[first + M_LIMIT],
				       (double)limit);
	}
}

double meter_loadlat_loss_pct(const struct loadgen_report *r)
{
	double sent = (double)(r->sent_load + r->sent_lat);
	double back = (double)(r->recv_load + r->recv_lat);

	return sent > 0 ? 100 * (sent > back ? sent - back : 0) / sent : NAN;
}

void meter_loadlat_run_cells(const struct loadlat_row *r, struct cell *c)
{
	const struct loadgen_report *p = r->rep;
	double secs = p->seconds, loss = meter_loadlat_loss_pct(p);

	c[C_GUEST] = cell_text(r->guest);
	c[C_OFFERED] = cell_int((int64_t)p->offered);
	c[C_SENT_LOAD] = cell_int((int64_t)p->sent_load);
	c[C_SENT_LAT] = cell_int((int64_t)p->sent_lat);
	c[C_RECV_LOAD] = cell_int((int64_t)p->recv_load);
	c[C_RECV_LAT] = cell_int((int64_t)p->recv_lat);
	c[C_ERRORS] = cell_int((int64_t)p->errors);
	c[C_SECONDS] = cell_real(secs);
	c[C_OFFERED_PPS] = cell_real(secs > 0 ? (double)p->offered / secs : 0);
	c[C_SENT_PPS] = cell_real(secs > 0 ? (double)p->sent_load / secs : 0);
	c[C_RECV_PPS] = cell_real(secs > 0 ? (double)p->recv_load / secs : 0);
	c[C_LOSS_PCT] = isnan(loss) ? cell_null() : cell_real(loss);
	c[C_RATE_MEAN] = cell_real(p->rate_mean);
	c[C_RATE_SD] = cell_real(p->rate_sd);
	c[C_SUSPECT] = cell_int(p->rate_mean > 0 &&
				100 * p->rate_sd / p->rate_mean >
					LOADLAT_JITTER_SUSPECT_PCT);
	c[C_TX_STAMP] = cell_text(p->tx_stamp[0] ? p->tx_stamp : NULL);
	c[C_RX_STAMP] = cell_text(p->rx_stamp[0] ? p->rx_stamp : NULL);
	c[C_REFLECTED] = r->reflected < 0 ? cell_null() :
					    cell_int(r->reflected);
	c[C_REFL_DROPPED] = r->reflected < 0 ? cell_null() :
					       cell_int(r->refl_dropped);
	c[C_REFL_MODE] = cell_text(r->refl_mode && r->refl_mode[0] ?
					   r->refl_mode :
					   NULL);
	c[C_RATE] = cell_int(r->rate);
	c[C_SEARCH_ROLE] = cell_text(r->search_role);
	c[C_SEARCH_POINT] = r->search_point ? cell_int(r->search_point) :
					      cell_null();
	/* L2 bits with the FCS, as RFC 2544 counts frame sizes */
	c[C_SENT_BPS] = p->sent_bytes && secs > 0 ?
				cell_real(8.0 * (double)p->sent_bytes / secs) :
				cell_null();
}

bool meter_loadlat_hist_cells(const struct loadgen_report *rep, unsigned *b,
			      struct cell *c)
{
	for (; *b < HIST_BUCKETS; (*b)++) {
		uint64_t n = rep->actual.counts[*b];
		uint64_t ni = rep->intended.counts[*b];

		if (!n && !ni)
			continue;
		c[H_VALUE] = cell_int((int64_t)hist_bucket_low(*b));
		c[H_COUNT] = cell_int((int64_t)n);
		c[H_COUNT_INTENDED] = cell_int((int64_t)ni);
		(*b)++;
		return true;
	}
	return false;
}

const struct meter_def meter_loadlat = {
	.name = "loadlat",
	.doc = "load-latency: a constant-rate load to a reflector, its loss "
	       "and the latency histogram of its latency frames",
	.tables = tables,
	.ntables = ARRAY_SIZE(tables),
	.metrics = metrics,
	.nmetrics = M_COUNT,
	.acc_size = sizeof(struct acc),
	.run = ll_run,
	.row = ll_row,
	.finish = ll_finish,
	.release = ll_release,
	.across = ll_across,
	/* only with its columns: note_alt when a rate list's are shown */
	.note_group = LL_GROUP,
	.note_alt = "load-latency: offered, sent and received load, loss of all "
		"frames, latency percentiles from the histogram accumulated "
		"over the runs, the load limit of the series (at most "
		"loss_threshold, 1 % by default, of loss); searches: NDR "
		"(<= 0.001 % loss) and PDR (<= 0.1 %), offered and sent, "
		"latency at 10, 50 and 90 % of PDR",
	/* a report of searches only: no rate list's columns */
	.note = "load-latency searches: NDR (<= 0.001 % loss) and PDR "
		"(<= 0.1 %) by bisection, offered and sent, latency at 10, 50 "
		"and 90 % of PDR",
};
