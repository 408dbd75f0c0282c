// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe meter, pure half: the prober's records (a row per probe) and
 * its summary of each run, and per test the loss and the RTT
 * distribution over all repetitions (docs/metrics.md). The RTT is
 * qualified by how the guests ran (the VMs' accelerator, emulated VFs),
 * from the runs' setup. The OS half is runner/meter_probe.c.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/meter_probe.h"
#include "core/stats.h"
#include "core/stream_stats.h"
#include "util/alloc.h"

enum { T_PROBE_RUNS, T_PROBES };

/* probe_runs: the prober's summary of a run (core/probe.h) */
enum {
	R_COUNT, R_SENT, R_RECEIVED, R_LOST, R_DUPLICATED, R_REORDERED,
	R_SEND_ERRORS, R_TX_STAMPED, R_RX_STAMPED, R_TS_SOURCE, R_SESSION,
	R_SUSPECT, R_SCHED_PPS, R_ACHIEVED_PPS, R_LATE, R_OVERLOAD,
	R_SEED, R_AD_A2, R_AD_CRIT, R_SCHEDULE_OFF, R_WAKEUP, R_WAKEUP_CPU,
};
static const struct meter_column run_cols[] = {
	[R_COUNT] = {"count", CELL_INT, 0},
	[R_SENT] = {"sent", CELL_INT, 0},
	[R_RECEIVED] = {"received", CELL_INT, 0},
	[R_LOST] = {"lost", CELL_INT, 0},
	[R_DUPLICATED] = {"duplicated", CELL_INT, 0},
	[R_REORDERED] = {"reordered", CELL_INT, 0},
	[R_SEND_ERRORS] = {"send_errors", CELL_INT, 0},
	[R_TX_STAMPED] = {"tx_stamped", CELL_INT, 0},
	[R_RX_STAMPED] = {"rx_stamped", CELL_INT, 0},
	[R_TS_SOURCE] = {"ts_source", CELL_TEXT, 0},
	[R_SESSION] = {"session", CELL_INT, 0},
	[R_SUSPECT] = {"suspect", CELL_TEXT, 0},
	[R_SCHED_PPS] = {"sched_pps", CELL_REAL, 0},
	[R_ACHIEVED_PPS] = {"achieved_pps", CELL_REAL, 0},
	[R_LATE] = {"late", CELL_INT, 0},
	[R_OVERLOAD] = {"overload", CELL_TEXT, 0},
	[R_SEED] = {"seed", CELL_INT, 0},
	[R_AD_A2] = {"ad_a2", CELL_REAL, 0},
	[R_AD_CRIT] = {"ad_crit_1pct", CELL_REAL, 0},
	[R_SCHEDULE_OFF] = {"schedule_off", CELL_TEXT, 0},
	/* UDP probes: how the reflector waited (the wakeup factor resolved) */
	[R_WAKEUP] = {"wakeup", CELL_TEXT, 0},
	[R_WAKEUP_CPU] = {"wakeup_cpu", CELL_INT, 0},
};
_Static_assert(ARRAY_SIZE(run_cols) == PROBE_RUN_COLS, "probe_runs");

/* probes: one row per probe; times realtime ns, NULL if not taken */
static const struct meter_column probe_cols[] = {
	[PROBE_COL_SEQ] = {"seq", CELL_INT, COL_KEY},
	[PROBE_COL_T_SCHED] = {"t_sched", CELL_INT, 0},
	[PROBE_COL_T_TX_USER] = {"t_tx_user", CELL_INT, 0},
	[PROBE_COL_T_TX] = {"t_tx", CELL_INT, 0},
	[PROBE_COL_T_RX] = {"t_rx", CELL_INT, 0},
	[PROBE_COL_T_RX_USER] = {"t_rx_user", CELL_INT, 0},
	[PROBE_COL_REPLIES] = {"replies", CELL_INT, COL_NOT_NULL},
	[PROBE_COL_FLAGS] = {"flags", CELL_INT, COL_NOT_NULL},
	[PROBE_COL_RTT] = {"rtt_ns", CELL_INT, 0},
	[PROBE_COL_RTT_USER] = {"rtt_user_ns", CELL_INT, 0},
	[PROBE_COL_PACING] = {"pacing_ns", CELL_INT, 0},
};

/*
 * What probes stores (probes_data, schema 3): the stamps as differences
 * (a small difference is a short SQLite integer: 2-3 bytes, not 8),
 * t_sched from its run's start and the others from t_sched (from the
 * run's start if a probe has none), replies and flags; the view probes
 * gives back the columns above, and derives the three durations from
 * the stamps as core/probe.c does (probe_rtt(), probe_rtt_user(),
 * probe_pacing_error()).
 */
#define FROM_SCHED(t) ":" t " - coalesce(:t_sched, :base)"
static const struct stored_column probe_stored[] = {
	{"seq", CELL_INT, COL_KEY, ":seq"},
	{"d_sched", CELL_INT, 0, ":t_sched - :base"},
	{"d_tx_user", CELL_INT, 0, FROM_SCHED("t_tx_user")},
	{"d_tx", CELL_INT, 0, FROM_SCHED("t_tx")},
	{"d_rx", CELL_INT, 0, FROM_SCHED("t_rx")},
	{"d_rx_user", CELL_INT, 0, FROM_SCHED("t_rx_user")},
	{"replies", CELL_INT, COL_NOT_NULL, ":replies"},
	{"flags", CELL_INT, COL_NOT_NULL, ":flags"},
};

_Static_assert((PROBE_TX_HW | PROBE_RX_HW) == 10 &&
		       (PROBE_TX_SW | PROBE_RX_SW) == 5 &&
		       PROBE_SEND_ERROR == 32,
	       "the flags the view's SQL names");
#define ANCHOR "coalesce(b.started_ns, 0) + coalesce(d.d_sched, 0)"
static const char *const probe_derive[] = {
	[PROBE_COL_T_SCHED] = "coalesce(b.started_ns, 0) + d.d_sched",
	[PROBE_COL_T_TX_USER] = ANCHOR " + d.d_tx_user",
	[PROBE_COL_T_TX] = ANCHOR " + d.d_tx",
	[PROBE_COL_T_RX] = ANCHOR " + d.d_rx",
	[PROBE_COL_T_RX_USER] = ANCHOR " + d.d_rx_user",
	/* probe_rtt(): answered, both stamps, never a software stamp
	 * minus a hardware one */
	[PROBE_COL_RTT] = "CASE WHEN d.replies > 0 AND ((d.flags & 10) = 10 "
			  "OR (d.flags & 5) = 5) AND d.d_rx - d.d_tx >= 0 "
			  "THEN d.d_rx - d.d_tx END",
	[PROBE_COL_RTT_USER] = "CASE WHEN d.replies > 0 AND d.d_rx_user - "
			       "d.d_tx_user >= 0 THEN d.d_rx_user - "
			       "d.d_tx_user END",
	/* probe_pacing_error(): sent, with both times; d_tx_user is then
	 * from t_sched */
	[PROBE_COL_PACING] = "CASE WHEN (d.flags & 32) = 0 AND d.d_sched IS "
			     "NOT NULL AND d.d_tx_user >= 0 THEN d.d_tx_user "
			     "END",
};
_Static_assert(ARRAY_SIZE(probe_derive) == PROBE_COLS, "a derive per column");

static const struct meter_table tables[] = {
	[T_PROBE_RUNS] = {
		.name = "probe_runs",
		.unit = "run",
		.cols = run_cols,
		.ncols = ARRAY_SIZE(run_cols),
		.export_as = "runs",
		.fold = (COL(R_TS_SOURCE + 1) - 1) | COL(R_SUSPECT) |
			COL(R_SCHED_PPS) | COL(R_ACHIEVED_PPS) | COL(R_LATE) |
			COL(R_OVERLOAD) | COL(R_SCHEDULE_OFF),
	},
	[T_PROBES] = {
		.name = "probes",
		.unit = "probe",
		.cols = probe_cols,
		.ncols = ARRAY_SIZE(probe_cols),
		.fold = COL(PROBE_COL_RTT) | COL(PROBE_COL_RTT_USER) |
			COL(PROBE_COL_T_SCHED) | COL(PROBE_COL_T_RX) |
			COL(PROBE_COL_T_RX_USER) | COL(PROBE_COL_REPLIES) |
			COL(PROBE_COL_FLAGS),
		.stored_in = "probes_data",
		.stored = probe_stored,
		.nstored = ARRAY_SIZE(probe_stored),
		.view_from = "probes_data d JOIN runs b ON b.id = d.run",
		.derive = probe_derive,
	},
};

enum {
	M_SENT, M_LOSS, M_DUP, M_REORD, M_TS, M_ACCEL, M_VF, M_NOTES,
	M_MIN, M_P25, M_P50, M_P75, M_P90, M_P99, M_P999, M_P9999, M_MAX,
	M_MEAN, M_STDEV,
	M_USER_P50, M_USER_P99, M_SUSPECT,
	M_ACHIEVED, M_RATE_RATIO, M_LATE, M_OVERLOADED, M_SCHED_P50, M_SCHED_P99,
	M_SCHEDULE_OFF, M_COUNT
};

#define BOTH (METRIC_MACHINE | METRIC_HUMAN)
/* none of these in a series without probes (load-latency tests) */
#define PROBES (BOTH | METRIC_IF_ANY)
#define RTT(n, h, what) \
	{n, h, "us", "%.3f", 1e3, NULL, 0, PROBES, GROUP_PROBES, what}

static const struct metric metrics[] = {
	[M_SENT] = {"sent", "sent", "", "%.0f", 0, NULL, 0, PROBES,
		    GROUP_PROBES,
		    "probes that left the socket"},
	[M_LOSS] = {"loss_pct", "loss%", "%", "%.2f", 0, NULL, 0, PROBES,
		    GROUP_PROBES,
		    "sent and never answered, of those sent"},
	[M_DUP] = {"duplicated", "dup", "", "%.0f", 0, NULL, 0, PROBES,
		    GROUP_PROBES,
		   "probes answered more than once"},
	[M_REORD] = {"reordered", "reord", "", "%.0f", 0, NULL, 0, PROBES,
		     GROUP_PROBES,
		     "probes answered after a later one"},
	[M_TS] = {"ts_source", "ts", "", "%s", 0, NULL, 0,
		  PROBES | METRIC_TEXT, GROUP_PROBES,
		  "where the RTT's stamps came from: software, hardware"},
	[M_ACCEL] = {"accel", NULL, "", "%s", 0, NULL, 0,
		     METRIC_MACHINE | METRIC_TEXT, 0,
		     "the VMs' accelerator: tcg, kvm, mixed; empty: "
		     "containers"},
	[M_VF] = {"vf", NULL, "", "%s", 0, NULL, 0,
		  METRIC_MACHINE | METRIC_TEXT, 0,
		  "emulated where the VFs were, else empty"},
	[M_NOTES] = {"notes", "notes", "", "%s", 0, NULL, 0,
		     METRIC_HUMAN | METRIC_TEXT | METRIC_IF_ANY, GROUP_NOTES,
		     "accel and vf, for people"},
	[M_MIN] = RTT("rtt_min_us", "min", "RTT minimum"),
	[M_P25] = RTT("rtt_p25_us", "p25", "RTT 25th percentile"),
	[M_P50] = RTT("rtt_p50_us", "p50", "RTT median"),
	[M_P75] = RTT("rtt_p75_us", "p75", "RTT 75th percentile"),
	[M_P90] = RTT("rtt_p90_us", "p90", "RTT 90th percentile"),
	[M_P99] = RTT("rtt_p99_us", "p99", "RTT 99th percentile"),
	[M_P999] = {"rtt_p999_us", NULL, "us", "%.3f", 1e3, NULL, 0,
		    METRIC_MACHINE, 0, "RTT 99.9th percentile"},
	[M_P9999] = {"rtt_p9999_us", NULL, "us", "%.3f", 1e3, NULL, 0,
		     METRIC_MACHINE, 0, "RTT 99.99th percentile"},
	[M_MAX] = RTT("rtt_max_us", "max", "RTT maximum"),
	[M_MEAN] = RTT("rtt_mean_us", "mean", "RTT mean"),
	[M_STDEV] = RTT("rtt_stdev_us", "stdev", "RTT sample deviation"),
	[M_USER_P50] = RTT("rtt_user_p50_us", "user_p50",
			   "RTT median from user-space times"),
	[M_USER_P99] = RTT("rtt_user_p99_us", "user_p99",
			   "RTT 99th percentile from user-space times"),
	[M_SUSPECT] = {"suspect_runs", "suspect", "", "%.0f", 0, NULL, 0,
		       BOTH | METRIC_IF_ANY, GROUP_SUSPECT,
		       "runs that lost more than prober.suspect_loss of their "
		       "probes on a path that answered their preflight"},
	[M_ACHIEVED] = {"achieved_pps", NULL, "pps", "%.0f", 0, NULL, 0,
			METRIC_MACHINE, 0,
			"probes per second that left, over all runs: "
			"(sent - 1) / (last - first departure), averaged"},
	[M_RATE_RATIO] = {"achieved_ratio", "achieved", "", "%.3f", 0, NULL,
			  0, BOTH | METRIC_IF_ANY, GROUP_OVERLOAD,
			  "the lowest run's achieved rate / its schedule's "
			  "rate"},
	[M_LATE] = {"late_pct", "late%", "%", "%.2f", 0, NULL, 0,
		    BOTH | METRIC_IF_ANY, GROUP_OVERLOAD,
		    "probes sent later than one mean scheduled interval "
		    "after their scheduled time, of those sent"},
	[M_OVERLOADED] = {"overloaded_runs", "overload", "", "%.0f", 0, NULL,
			  0, BOTH | METRIC_IF_ANY, GROUP_OVERLOAD,
			  "runs whose achieved rate was off their schedule's "
			  "by more than prober.rate_tolerance, or with more "
			  "than prober.late_tolerance late probes"},
	[M_SCHED_P50] = {"rtt_sched_p50_us", "sched_p50", "us", "%.3f", 1e3,
			 NULL, 0, BOTH | METRIC_IF_ANY, GROUP_OVERLOAD,
			 "RTT median from the scheduled departure "
			 "(coordinated omission)"},
	[M_SCHED_P99] = {"rtt_sched_p99_us", "sched_p99", "us", "%.3f", 1e3,
			 NULL, 0, BOTH | METRIC_IF_ANY, GROUP_OVERLOAD,
			 "RTT 99th percentile from the scheduled departure "
			 "(coordinated omission)"},
	[M_SCHEDULE_OFF] = {"schedule_off_runs", "sched_off", "", "%.0f", 0,
			    NULL, 0, BOTH | METRIC_IF_ANY, GROUP_SCHEDULE,
			    "poisson runs whose inter-departure gaps "
			    "Anderson-Darling rejects as exponential at 1%"},
};

/* A word all runs share: the word, "mixed", or none. */
struct distinct {
	char v[16];
	bool set, mixed;
};

static void distinct_add(struct distinct *d, const char *v)
{
	if (!v)
		return;
	if (!d->set)
		snprintf(d->v, sizeof(d->v), "%s", v);
	else if (strcmp(d->v, v))
		d->mixed = true;
	d->set = true;
}

static const char *distinct_get(const struct distinct *d, const char *none)
{
	return !d->set ? none : d->mixed ? "mixed" : d->v;
}

struct acc {
	double sum[R_TS_SOURCE]; /* the summary's counts, over runs */
	struct distinct ts, accel, vf;
	unsigned suspect;
	unsigned probed; /* rows of the prober's: none in loadlat */
	/* exact up to SAMPLE_EXACT_MAX, then one-pass (within 0.4 %) */
	struct sample_acc rtt, user, sched;
	/* the overload: runs with a rate, their sum, the lowest ratio */
	unsigned rated, overloaded, schedule_off;
	double achieved, late, min_ratio;
};

static void probe_run(void *a, const struct meter_run *run)
{
	struct acc *acc = a;
	json_t *o;

	if (!run->setup || !(o = json_loads(run->setup, 0, NULL)))
		return;
	distinct_add(&acc->accel, json_string_value(json_object_get(o, "accel")));
	distinct_add(&acc->vf, json_string_value(json_object_get(o, "vf")));
	json_decref(o);
}

/* The RTT from the scheduled departure, from a stored probe's row. */
static void probe_sched_row(struct acc *acc, const struct cell *c)
{
	struct probe_rec r = {
		.replies = (uint32_t)cell_num(&c[PROBE_COL_REPLIES], 0),
		.flags = (uint32_t)cell_num(&c[PROBE_COL_FLAGS], 0),
		.t_sched = (int64_t)cell_num(&c[PROBE_COL_T_SCHED], 0),
		.t_rx = (int64_t)cell_num(&c[PROBE_COL_T_RX], 0),
		.t_rx_user = (int64_t)cell_num(&c[PROBE_COL_T_RX_USER], 0),
	};
	int64_t v = probe_rtt_sched(&r);

	if (v >= 0)
		sample_acc_add(&acc->sched, v);
}

static void probe_row(void *a, unsigned table, const struct cell *c)
{
	struct acc *acc = a;
	int k;

	acc->probed++;
	if (table == T_PROBE_RUNS) {
		for (k = 0; k < R_TS_SOURCE; k++)
			acc->sum[k] += cell_num(&c[k], 0);
		distinct_add(&acc->ts, c[R_TS_SOURCE].type == CELL_TEXT ?
					       c[R_TS_SOURCE].s :
					       "mixed");
		acc->suspect += c[R_SUSPECT].type == CELL_TEXT;
		acc->overloaded += c[R_OVERLOAD].type == CELL_TEXT;
		acc->schedule_off += c[R_SCHEDULE_OFF].type == CELL_TEXT;
		acc->late += cell_num(&c[R_LATE], 0);
		if (cell_num(&c[R_ACHIEVED_PPS], 0) > 0 &&
		    cell_num(&c[R_SCHED_PPS], 0) > 0) {
			double ratio = cell_num(&c[R_ACHIEVED_PPS], 0) /
				       cell_num(&c[R_SCHED_PPS], 0);

			if (!acc->rated || ratio < acc->min_ratio)
				acc->min_ratio = ratio;
			acc->achieved += cell_num(&c[R_ACHIEVED_PPS], 0);
			acc->rated++;
		}
		return;
	}
	probe_sched_row(acc, c);
	if (c[PROBE_COL_RTT].type == CELL_INT)
		sample_acc_add(&acc->rtt, c[PROBE_COL_RTT].i);
	if (c[PROBE_COL_RTT_USER].type == CELL_INT)
		sample_acc_add(&acc->user, c[PROBE_COL_RTT_USER].i);
}

static void rtt_value(struct metric_value *v, const struct stats *s, double x)
{
	if (s->n)
		metric_set_num(v, x);
	else
		v->type = CELL_NULL;
}

static void probe_finish(void *a, struct metric_value *out)
{
	struct acc *acc = a;
	const char *accel = distinct_get(&acc->accel, "");
	const char *vf = distinct_get(&acc->vf, "");
	char notes[40];
	struct stats r, u, sc;
	double p999, p9999, up999, up9999, sp999, sp9999;

	if (!acc->probed)
		return; /* no prober in these runs: nothing, not zeros */

	metric_set_num(&out[M_SENT], acc->sum[R_SENT]);
	metric_set_num(&out[M_LOSS], acc->sum[R_SENT] ?
					     100.0 * acc->sum[R_LOST] /
						     acc->sum[R_SENT] :
					     0);
	metric_set_num(&out[M_DUP], acc->sum[R_DUPLICATED]);
	metric_set_num(&out[M_REORD], acc->sum[R_REORDERED]);
	metric_set_text(&out[M_TS], distinct_get(&acc->ts, "mixed"), false);
	metric_set_text(&out[M_ACCEL], accel, false);
	metric_set_text(&out[M_VF], vf, false);
	snprintf(notes, sizeof(notes), "%s%s%s", *accel ? accel : "-",
		 *vf ? ", VF " : "", vf);
	metric_set_text(&out[M_NOTES], notes, !*accel && !*vf);
	sample_acc_stats(&acc->rtt, &r, &p999, &p9999);
	sample_acc_stats(&acc->user, &u, &up999, &up9999);
	rtt_value(&out[M_MIN], &r, r.min);
	rtt_value(&out[M_P25], &r, r.p25);
	rtt_value(&out[M_P50], &r, r.p50);
	rtt_value(&out[M_P75], &r, r.p75);
	rtt_value(&out[M_P90], &r, r.p90);
	rtt_value(&out[M_P99], &r, r.p99);
	rtt_value(&out[M_P999], &r, p999);
	rtt_value(&out[M_P9999], &r, p9999);
	rtt_value(&out[M_MAX], &r, r.max);
	rtt_value(&out[M_MEAN], &r, r.mean);
	rtt_value(&out[M_STDEV], &r, r.stdev);
	rtt_value(&out[M_USER_P50], &u, u.p50);
	rtt_value(&out[M_USER_P99], &u, u.p99);
	metric_set_num(&out[M_SUSPECT], acc->suspect);
	/* people get the column when a run was suspect */
	out[M_SUSPECT].placeholder = !acc->suspect;
	sample_acc_stats(&acc->sched, &sc, &sp999, &sp9999);
	rtt_value(&out[M_SCHED_P50], &sc, sc.p50);
	rtt_value(&out[M_SCHED_P99], &sc, sc.p99);
	if (acc->rated) {
		metric_set_num(&out[M_ACHIEVED], acc->achieved / acc->rated);
		metric_set_num(&out[M_RATE_RATIO], acc->min_ratio);
	} else {
		out[M_ACHIEVED].type = CELL_NULL;
		out[M_RATE_RATIO].type = CELL_NULL;
	}
	metric_set_num(&out[M_LATE], acc->sum[R_SENT] ?
					     100.0 * acc->late /
						     acc->sum[R_SENT] :
					     0);
	metric_set_num(&out[M_OVERLOADED], acc->overloaded);
	/* people get the overload's columns when a run was overloaded */
	out[M_RATE_RATIO].placeholder = !acc->overloaded;
	out[M_LATE].placeholder = !acc->overloaded;
	out[M_OVERLOADED].placeholder = !acc->overloaded;
	out[M_SCHED_P50].placeholder = !acc->overloaded;
	out[M_SCHED_P99].placeholder = !acc->overloaded;
	metric_set_num(&out[M_SCHEDULE_OFF], acc->schedule_off);
	out[M_SCHEDULE_OFF].placeholder = !acc->schedule_off;
}

static struct cell time_cell(int64_t t)
{
	return t > 0 ? cell_int(t) : cell_null();
}

static struct cell measured_cell(int64_t v)
{
	return v >= 0 ? cell_int(v) : cell_null();
}

void meter_probe_cells(const struct probe_rec *r, struct cell *c)
{
	c[PROBE_COL_SEQ] = cell_int(r->seq);
	c[PROBE_COL_T_SCHED] = time_cell(r->t_sched);
	c[PROBE_COL_T_TX_USER] = time_cell(r->t_tx_user);
	c[PROBE_COL_T_TX] = time_cell(r->t_tx);
	c[PROBE_COL_T_RX] = time_cell(r->t_rx);
	c[PROBE_COL_T_RX_USER] = time_cell(r->t_rx_user);
	c[PROBE_COL_REPLIES] = cell_int(r->replies);
	c[PROBE_COL_FLAGS] = cell_int(r->flags);
	c[PROBE_COL_RTT] = measured_cell(probe_rtt(r));
	c[PROBE_COL_RTT_USER] = measured_cell(probe_rtt_user(r));
	c[PROBE_COL_PACING] = measured_cell(probe_pacing_error(r));
}

int meter_probe_suspect(const struct probe_summary *s,
			const struct probe_meta *m, int64_t ceiling,
			char *why, size_t len)
{
	double lost = s->sent ? 100.0 * (double)s->lost / (double)s->sent : 0;

	if (m->preflight != PREFLIGHT_ANSWERED || lost <= (double)ceiling)
		return 0;
	snprintf(why, len,
		 "lost %.1f%% of its probes (more than prober.suspect_loss, "
		 "%lld%%) on a path that answered its preflight",
		 lost, (long long)ceiling);
	return 1;
}

void meter_probe_run_cells(const struct probe_summary *s,
			   const struct probe_meta *m,
			   const struct probe_verdict *v, struct cell *c)
{
	const struct ad_result *ad = v->ad && v->ad->n ? v->ad : NULL;

	double sched = probe_scheduled_rate(s), got = probe_achieved_rate(s);

	c[R_COUNT] = cell_int((int64_t)s->count);
	c[R_SENT] = cell_int((int64_t)s->sent);
	c[R_RECEIVED] = cell_int((int64_t)s->received);
	c[R_LOST] = cell_int((int64_t)s->lost);
	c[R_DUPLICATED] = cell_int((int64_t)s->duplicated);
	c[R_REORDERED] = cell_int((int64_t)s->reordered);
	c[R_SEND_ERRORS] = cell_int((int64_t)s->send_errors);
	c[R_TX_STAMPED] = cell_int((int64_t)s->tx_stamped);
	c[R_RX_STAMPED] = cell_int((int64_t)s->rx_stamped);
	c[R_TS_SOURCE] = cell_text(probe_ts_source(s->ts_flags));
	c[R_SESSION] = m ? cell_int(m->session) : cell_null();
	c[R_SUSPECT] = cell_text(v->suspect);
	c[R_SCHED_PPS] = sched > 0 ? cell_real(sched) : cell_null();
	c[R_ACHIEVED_PPS] = got > 0 ? cell_real(got) : cell_null();
	c[R_LATE] = cell_int((int64_t)s->late);
	c[R_OVERLOAD] = cell_text(v->overload);
	c[R_SEED] = v->seed ? cell_int((int64_t)v->seed) : cell_null();
	c[R_AD_A2] = ad ? cell_real(ad->a2) : cell_null();
	c[R_AD_CRIT] = ad ? cell_real(ad->crit[AD_LEVELS - 1]) : cell_null();
	c[R_SCHEDULE_OFF] = cell_text(v->schedule_off);
	c[R_WAKEUP] = cell_text(v->wakeup);
	c[R_WAKEUP_CPU] = v->wakeup && v->wakeup_cpu >= 0 ?
				  cell_int(v->wakeup_cpu) :
				  cell_null();
}

static void probe_release(void *a)
{
	struct acc *acc = a;

	sample_acc_release(&acc->rtt);
	sample_acc_release(&acc->user);
	sample_acc_release(&acc->sched);
}

const struct meter_def meter_probe = {
	.name = "probe",
	.doc = "timestamped probes between the main guests: RTT, loss",
	.tables = tables,
	.ntables = ARRAY_SIZE(tables),
	.metrics = metrics,
	.nmetrics = M_COUNT,
	.acc_size = sizeof(struct acc),
	.run = probe_run,
	.row = probe_row,
	.finish = probe_finish,
	.release = probe_release,
	.note = "RTT in microseconds, from kernel (software) or NIC "
		"(hardware) timestamps, over all probes of all runs; user_* "
		"from user-space times",
	.note_alt = "RTT in microseconds, from kernel (software) or NIC "
		    "(hardware) timestamps, over all probes of all runs; "
		    "user_* from user-space times; notes: the VMs' "
		    "accelerator (tcg: software emulation) and emulated "
		    "SR-IOV VFs",
	.note_group = GROUP_NOTES,
};
