// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The split meter, pure half: the RTT split at the capture points
 * (core/split.h) per probe, what each point saw per run, and per test
 * the median of each duration and the share of probe frames seen
 * (docs/metrics.md). The OS half is runner/meter_split.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/meter_split.h"
#include "core/series.h"
#include "core/stats.h"
#include "core/stream_stats.h"
#include "util/alloc.h"

enum { T_SPLITS, T_CAPTURES };

/* named as split_duration_name() names them, with _ns */
static const struct meter_column split_cols[] = {
	{"seq", CELL_INT, COL_KEY},
	[1 + SPLIT_RTT_NIC] = {"rtt_nic_ns", CELL_INT, 0},
	[1 + SPLIT_RESPONSE] = {"response_ns", CELL_INT, 0},
	[1 + SPLIT_WIRE] = {"wire_ns", CELL_INT, 0},
	[1 + SPLIT_OVERHEAD] = {"overhead_ns", CELL_INT, 0},
	[1 + SPLIT_SND_HOST] = {"snd_host_ns", CELL_INT, 0},
	[1 + SPLIT_RSP_HOST] = {"rsp_host_ns", CELL_INT, 0},
	[1 + SPLIT_RSP_GUEST] = {"rsp_guest_ns", CELL_INT, 0},
};
_Static_assert(ARRAY_SIZE(split_cols) == SPLIT_PROBE_COLS, "probe_splits");

enum {
	C_POINT, C_SERVER, C_INTERFACE, C_AVAILABLE, C_REASON, C_FRAMES,
	C_DROPS, C_REQUESTS, C_REPLIES, C_EXP_REQUESTS, C_EXP_REPLIES,
	C_WRONG_WAY, C_REPEATS, C_PCAP,
};
static const struct meter_column point_cols[] = {
	[C_POINT] = {"point", CELL_TEXT, COL_KEY},
	[C_SERVER] = {"server", CELL_TEXT, 0},
	[C_INTERFACE] = {"interface", CELL_TEXT, 0},
	[C_AVAILABLE] = {"available", CELL_INT, COL_NOT_NULL},
	[C_REASON] = {"reason", CELL_TEXT, 0},
	[C_FRAMES] = {"frames", CELL_INT, 0},
	[C_DROPS] = {"drops", CELL_INT, 0},
	[C_REQUESTS] = {"requests", CELL_INT, 0},
	[C_REPLIES] = {"replies", CELL_INT, 0},
	[C_EXP_REQUESTS] = {"expected_requests", CELL_INT, 0},
	[C_EXP_REPLIES] = {"expected_replies", CELL_INT, 0},
	[C_WRONG_WAY] = {"wrong_way", CELL_INT, 0},
	[C_REPEATS] = {"repeats", CELL_INT, 0},
	[C_PCAP] = {"pcap", CELL_TEXT, 0},
};
_Static_assert(ARRAY_SIZE(point_cols) == SPLIT_POINT_COLS, "captures");

/*
 * What probe_splits stores (probe_splits_data, schema 3): every
 * duration but wire, which the view derives (rtt_nic - response, as
 * split_finish() does); a column without a derive is stored as it is.
 * overhead (rtt - rtt_nic) stays: deriving it would join the probes in
 * the view, which SQLite cannot flatten into the probes export's LEFT
 * JOIN.
 */
static const char *const split_derive[SPLIT_PROBE_COLS] = {
	[1 + SPLIT_WIRE] = "d.rtt_nic_ns - d.response_ns",
};

static const struct meter_table tables[] = {
	[T_SPLITS] = {
		.name = "probe_splits",
		.unit = "probe",
		.cols = split_cols,
		.ncols = ARRAY_SIZE(split_cols),
		.export_as = "probes",
		.fold = (COL(SPLIT_PROBE_COLS) - 1) & ~COL(0),
		.stored_in = "probe_splits_data",
		.view_from = "probe_splits_data d",
		.derive = split_derive,
	},
	[T_CAPTURES] = {
		.name = "captures",
		.unit = "capture point",
		.cols = point_cols,
		.ncols = ARRAY_SIZE(point_cols),
		.fold = COL(C_AVAILABLE) | COL(C_DROPS) | COL(C_REQUESTS) |
			COL(C_REPLIES) | COL(C_EXP_REQUESTS) |
			COL(C_EXP_REPLIES),
	},
};

enum {
	M_NIC, M_RESPONSE, M_WIRE, M_OVERHEAD, M_OVERHEAD_MIN, M_SND_HOST,
	M_RSP_HOST, M_RSP_GUEST, M_SEEN, M_EXPECTED, M_CAPTURED, M_DROPS,
	M_NOCAP, M_CAPCOST, M_COUNT
};

/* only when some test had capture points (none in load-latency tests) */
#define OBS (METRIC_MACHINE | METRIC_HUMAN | METRIC_OBSERVED | METRIC_IF_ANY)
#define PORTS OBS
#define US(n, h, flags, group, what) \
	{n, h, "us", "%.3f", 1e3, NULL, 0, flags, group, what}

static const struct metric metrics[] = {
	[M_NIC] = US("nic_p50_us", "nic_p50", OBS, GROUP_SPLIT,
		     "median RTT at the sender NIC"),
	[M_RESPONSE] = US("response_p50_us", "resp_p50", OBS, GROUP_SPLIT,
			  "median response time of the responder"),
	[M_WIRE] = US("wire_p50_us", "wire_p50", OBS, GROUP_SPLIT,
		      "median time on the wire, both ways"),
	[M_OVERHEAD] = US("overhead_p50_us", "ovh_p50", OBS, GROUP_SPLIT,
			  "median overhead of the sender guest"),
	[M_OVERHEAD_MIN] = US("overhead_min_us", "ovh_min", OBS,
			      GROUP_SPLIT,
			      "least overhead of the sender guest"),
	[M_SND_HOST] = US("snd_host_p50_us", "shost_p50", PORTS, GROUP_PORTS,
			  "median time in the sender's host data plane"),
	[M_RSP_HOST] = US("rsp_host_p50_us", "rhost_p50", PORTS, GROUP_PORTS,
			  "median time in the responder's host data plane"),
	[M_RSP_GUEST] = US("rsp_guest_p50_us", "rguest_p50", PORTS, GROUP_PORTS,
			   "median time in the responder guest"),
	[M_SEEN] = {"capture_seen", NULL, "", "%.0f", 0, NULL, 0,
		    METRIC_MACHINE | METRIC_OBSERVED, 0,
		    "probe frames the capture points saw"},
	[M_EXPECTED] = {"capture_expected", NULL, "", "%.0f", 0, NULL, 0,
			METRIC_MACHINE | METRIC_OBSERVED, 0,
			"probe frames they should have seen"},
	[M_CAPTURED] = {"captured%", "captured%", "%", "%.2f", 0, NULL, 0,
			METRIC_HUMAN | METRIC_OBSERVED | METRIC_IF_ANY,
			GROUP_SPLIT,
			"seen of expected; n/a: a point cannot exist"},
	[M_DROPS] = {"capture_drops", "cap_drops", "", "%.0f", 0, NULL, 0,
		     OBS, GROUP_SPLIT,
		     "frames the capture points' rings dropped"},
	/* set across tests (split_across) */
	[M_NOCAP] = US("rtt_nocap_p50_us", "nocap_p50", OBS, GROUP_CAPCOST,
		       "median RTT of the same test with capture: off"),
	[M_CAPCOST] = US("capture_cost_us", "cap_cost", OBS, GROUP_CAPCOST,
			 "what the capture points add: p50 minus that of "
			 "the capture: off twin"),
};

struct acc {
	/* exact up to SAMPLE_EXACT_MAX, then one-pass (within 0.4 %) */
	struct sample_acc d[SPLIT_DURATIONS];
	double seen, expected, drops;
	bool unavailable;
	unsigned rows; /* none: no capture points in these runs */
};

static void split_row(void *a, unsigned table, const struct cell *c)
{
	struct acc *acc = a;
	int k;

	acc->rows++;
	if (table == T_SPLITS) {
		for (k = 0; k < SPLIT_DURATIONS; k++) {
			if (c[1 + k].type != CELL_INT)
				continue;
			sample_acc_add(&acc->d[k], c[1 + k].i);
		}
		return;
	}
	if (!cell_num(&c[C_AVAILABLE], 1)) {
		acc->unavailable = true;
		return; /* an unavailable point counted nothing */
	}
	acc->seen += cell_num(&c[C_REQUESTS], 0) + cell_num(&c[C_REPLIES], 0);
	acc->expected += cell_num(&c[C_EXP_REQUESTS], 0) +
			 cell_num(&c[C_EXP_REPLIES], 0);
	acc->drops += cell_num(&c[C_DROPS], 0);
}

static void split_fold_finish(void *a, struct metric_value *out)
{
	struct acc *acc = a;
	struct stats st[SPLIT_DURATIONS];
	double p999, p9999;
	int k;

	if (!acc->rows)
		return; /* nothing, not zeros */
	for (k = 0; k < SPLIT_DURATIONS; k++)
		sample_acc_stats(&acc->d[k], &st[k], &p999, &p9999);
	for (k = 0; k < SPLIT_DURATIONS; k++) {
		int m = k <= SPLIT_OVERHEAD ? k : k + 1;

		if (st[k].n)
			metric_set_num(&out[m], st[k].p50);
	}
	if (st[SPLIT_OVERHEAD].n)
		metric_set_num(&out[M_OVERHEAD_MIN], st[SPLIT_OVERHEAD].min);
	metric_set_num(&out[M_SEEN], acc->seen);
	metric_set_num(&out[M_EXPECTED], acc->expected);
	if (acc->expected)
		metric_set_num(&out[M_CAPTURED],
			       100.0 * acc->seen / acc->expected);
	else
		metric_set_text(&out[M_CAPTURED],
				acc->unavailable ? "n/a" : "-",
				!acc->unavailable);
	metric_set_num(&out[M_DROPS], acc->drops);
}

static void split_release(void *a)
{
	struct acc *acc = a;
	int k;

	for (k = 0; k < SPLIT_DURATIONS; k++)
		sample_acc_release(&acc->d[k]);
}

bool meter_split_probe_cells(uint32_t seq, const struct probe_split *ps,
			     struct cell *c)
{
	bool any = false;
	int k;

	c[0] = cell_int(seq);
	for (k = 0; k < SPLIT_DURATIONS; k++) {
		int64_t v = split_duration(ps, (enum split_duration)k);

		c[1 + k] = v != SPLIT_NONE ? cell_int(v) : cell_null();
		any |= v != SPLIT_NONE;
	}
	return any;
}

void meter_split_point_cells(const struct point_rec *p, struct cell *c)
{
	bool avail = !p->reason;
	int k;

	for (k = 0; k < SPLIT_POINT_COLS; k++)
		c[k] = cell_null();
	c[C_POINT] = cell_text(p->point);
	c[C_SERVER] = cell_text(p->server);
	c[C_INTERFACE] = cell_text(p->ifname);
	c[C_AVAILABLE] = cell_int(avail);
	c[C_REASON] = cell_text(p->reason);
	if (avail) {
		c[C_FRAMES] = cell_int((int64_t)p->frames);
		c[C_DROPS] = cell_int((int64_t)p->drops);
		c[C_REQUESTS] = cell_int((int64_t)p->counts.requests);
		c[C_REPLIES] = cell_int((int64_t)p->counts.replies);
		c[C_EXP_REQUESTS] = cell_int((int64_t)p->expected_requests);
		c[C_EXP_REPLIES] = cell_int((int64_t)p->expected_replies);
		c[C_WRONG_WAY] = cell_int((int64_t)p->counts.wrong_way);
		c[C_REPEATS] = cell_int((int64_t)p->counts.repeats);
	}
	c[C_PCAP] = cell_text(p->pcap);
}

/*
 * The capture points' own cost: a test's RTT p50 beside its capture:
 * off twin's (every other factor the same), from the same campaign, so
 * the split says how much the observer added (docs/metrics.md).
 */
static void split_across(struct series *s, unsigned first)
{
	int p50 = series_metric_find(s, "rtt_p50_us");
	size_t i, j;

	if (p50 < 0)
		return;
	for (i = 0; i < s->ntests; i++) {
		struct series_test *t = &s->tests[i];
		const struct metric_value *mine = &t->values[p50];
		int64_t twin[FACTOR_COUNT];

		if (t->v[F_CAPTURE] != CAPTURE_ON || mine->type == CELL_NULL)
			continue;
		memcpy(twin, t->v, sizeof(twin));
		twin[F_CAPTURE] = CAPTURE_OFF;
		for (j = 0; j < s->ntests; j++) {
			const struct series_test *q = &s->tests[j];

			if (q->values[p50].type == CELL_NULL ||
			    memcmp(q->v, twin, sizeof(twin)))
				continue;
			metric_set_num(&t->values[first + M_NOCAP],
				       q->values[p50].d);
			metric_set_num(&t->values[first + M_CAPCOST],
				       mine->d - q->values[p50].d);
			break;
		}
	}
}

const struct meter_def meter_split = {
	.name = "split",
	.doc = "capture points at the NICs (and ports): where the RTT went",
	.tables = tables,
	.ntables = ARRAY_SIZE(tables),
	.metrics = metrics,
	.nmetrics = M_COUNT,
	.acc_size = sizeof(struct acc),
	.row = split_row,
	.finish = split_fold_finish,
	.release = split_release,
	.across = split_across,
	.note = "where the RTT went (p50 in microseconds: at the sender NIC, "
		"the responder's response time, the wire, the sender's "
		"overhead), the share of probe frames the capture points saw",
	.note_alt = "where the RTT went (p50 in microseconds: at the sender "
		    "NIC, the responder's response time, the wire, the "
		    "sender's overhead; with the ports: the sender's and the "
		    "responder's host data plane, the responder guest), the "
		    "share of probe frames the capture points saw",
	.note_group = 2,
};
