// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The throughput meter, pure half: per run and measured pair what
 * iperf3's client and server counted, and the counters of the
 * interfaces on the way to the pair's receiver; per test the received
 * bitrate (all pairs, per pair, the first pair's), the loss (UDP), the
 * retransmissions and TCP's RTT (TCP), Jain's fairness index over the
 * pairs, how far the interfaces' counters are from iperf3's figure, and
 * across tests the interference: the change of the first pair's
 * bitrate against the series' one-pair test. docs/metrics.md defines
 * every number. The OS half is runner/meter_tput.c.
 */
#include <math.h>
#include <string.h>

#include "core/fairness.h"
#include "core/meter_tput.h"
#include "core/series.h"
#include "util/alloc.h"

enum {
	P_PAIR, P_SENDER, P_RESPONDER, P_PROTOCOL, P_STREAMS, P_MESSAGE,
	P_SECONDS, P_SENT_BYTES, P_RECV_BYTES, P_SENT_BPS, P_RECV_BPS,
	P_RETRANSMITS, P_PACKETS, P_LOST, P_LOST_PCT, P_JITTER, P_TCP_RTT,
	P_CPU_SENDER, P_CPU_RECEIVER, P_ERROR,
};
static const struct meter_column pair_cols[] = {
	[P_PAIR] = {"pair", CELL_INT, COL_KEY},
	[P_SENDER] = {"sender", CELL_TEXT, 0},
	[P_RESPONDER] = {"responder", CELL_TEXT, 0},
	[P_PROTOCOL] = {"protocol", CELL_TEXT, 0},
	[P_STREAMS] = {"streams", CELL_INT, 0},
	[P_MESSAGE] = {"message_bytes", CELL_INT, 0},
	[P_SECONDS] = {"seconds", CELL_REAL, 0},
	[P_SENT_BYTES] = {"sent_bytes", CELL_INT, 0},
	[P_RECV_BYTES] = {"received_bytes", CELL_INT, 0},
	[P_SENT_BPS] = {"sent_bps", CELL_REAL, 0},
	[P_RECV_BPS] = {"received_bps", CELL_REAL, 0},
	[P_RETRANSMITS] = {"retransmits", CELL_INT, 0},
	[P_PACKETS] = {"packets", CELL_INT, 0},
	[P_LOST] = {"lost_packets", CELL_INT, 0},
	[P_LOST_PCT] = {"lost_pct", CELL_REAL, 0},
	[P_JITTER] = {"jitter_ms", CELL_REAL, 0},
	[P_TCP_RTT] = {"tcp_rtt_us", CELL_REAL, 0},
	[P_CPU_SENDER] = {"iperf3_cpu_sender_pct", CELL_REAL, 0},
	[P_CPU_RECEIVER] = {"iperf3_cpu_receiver_pct", CELL_REAL, 0},
	[P_ERROR] = {"error", CELL_TEXT, 0},
};
_Static_assert(ARRAY_SIZE(pair_cols) == TPUT_PAIR_COLS, "throughput pairs");

enum {
	K_PAIR, K_POINT, K_IFNAME, K_DIRECTION, K_BYTES, K_PACKETS,
	K_PAYLOAD, K_IPERF, K_DIFF, K_WHY, K_SENT_DIFF,
};
static const struct meter_column counter_cols[] = {
	[K_PAIR] = {"pair", CELL_INT, COL_KEY},
	[K_POINT] = {"point", CELL_TEXT, COL_KEY},
	[K_IFNAME] = {"ifname", CELL_TEXT, 0},
	[K_DIRECTION] = {"direction", CELL_TEXT, 0},
	[K_BYTES] = {"bytes", CELL_INT, 0},
	[K_PACKETS] = {"packets", CELL_INT, 0},
	[K_PAYLOAD] = {"payload_bytes", CELL_INT, 0},
	[K_IPERF] = {"iperf3_bytes", CELL_INT, 0},
	[K_DIFF] = {"diff_pct", CELL_REAL, 0},
	[K_WHY] = {"why", CELL_TEXT, 0},
	[K_SENT_DIFF] = {"sent_diff_pct", CELL_REAL, 0},
};
_Static_assert(ARRAY_SIZE(counter_cols) == TPUT_COUNTER_COLS,
	       "throughput counters");

enum { T_PAIRS, T_COUNTERS };
static const struct meter_table tables[] = {
	[T_PAIRS] = {
		.name = "throughput_pairs",
		.unit = "measured pair",
		.cols = pair_cols,
		.ncols = ARRAY_SIZE(pair_cols),
		.fold = COL(P_PAIR) | COL(P_SENT_BPS) | COL(P_RECV_BPS) |
			COL(P_RETRANSMITS) | COL(P_PACKETS) | COL(P_LOST) |
			COL(P_TCP_RTT) | COL(P_ERROR),
	},
	[T_COUNTERS] = {
		.name = "throughput_counters",
		.unit = "interface counter",
		.cols = counter_cols,
		.ncols = ARRAY_SIZE(counter_cols),
		.fold = COL(K_DIFF) | COL(K_SENT_DIFF),
	},
};

enum {
	M_TOTAL, M_PAIR, M_FIRST, M_SENT, M_JAIN, M_LOSS, M_RETR, M_TCP_RTT,
	M_COUNTER_DIFF, M_COUNTER_SENT_DIFF, M_INTERFERENCE, M_COUNT
};

#define TP (METRIC_MACHINE | METRIC_HUMAN | METRIC_IF_ANY)
#define TP_GROUP GROUP_TPUT
#define MBPS(n, h, what) {n, h, "Mbps", "%.2f", 1e6, "%.1f", 0, TP, \
			  TP_GROUP, what}

static const struct metric metrics[] = {
	[M_TOTAL] = MBPS("tput_mbps", "tput_Mbps",
			 "payload bits per second the receivers got, all "
			 "pairs together, mean of runs"),
	[M_PAIR] = MBPS("tput_pair_mbps", "pair_Mbps",
			"the same per pair: mean of runs and pairs"),
	[M_FIRST] = MBPS("tput_pair1_mbps", "pair1_Mbps",
			 "the same for pair 1 (the main guests) alone"),
	[M_SENT] = MBPS("tput_sent_mbps", "sent_Mbps",
			"payload bits per second the senders sent, all pairs, "
			"mean of runs"),
	[M_JAIN] = {"tput_jain", "pair_jain", "", "%.4f", 0, "%.3f", 0, TP,
		    TP_GROUP,
		    "Jain's fairness index of the pairs' received bitrates, "
		    "mean of runs (tests with 2 or more pairs)"},
	[M_LOSS] = {"tput_loss_pct", "udp_loss%", "%", "%.3f", 0, "%.2f", 0,
		    TP, TP_GROUP,
		    "UDP: datagrams lost in % of those sent, all runs and "
		    "pairs"},
	[M_RETR] = {"tput_retransmits", "retrans", "", "%.1f", 0, "%.0f", 0,
		    TP, TP_GROUP,
		    "TCP: segments retransmitted per run, all pairs"},
	[M_TCP_RTT] = {"tput_tcp_rtt_us", "tcp_rtt", "us", "%.1f", 0, "%.0f",
		       0, TP, TP_GROUP,
		       "TCP: the senders' smoothed RTT (mean_rtt), mean of "
		       "streams, pairs and runs"},
	[M_COUNTER_DIFF] = {"tput_counter_diff_pct", "cnt_diff%", "%", "%.3f",
			    0, "%.2f", 0, TP, TP_GROUP,
			    "the interface counters' payload against "
			    "iperf3's received bytes: the largest "
			    "difference of any point, pair and run"},
	[M_COUNTER_SENT_DIFF] = {"tput_counter_sent_diff_pct", "cnt_sdiff%",
				 "%", "%.3f", 0, "%.2f", 0, TP, TP_GROUP,
				 "the same against iperf3's sent bytes: UDP "
				 "datagrams the receiver's socket dropped "
				 "reached its NIC"},
	[M_INTERFERENCE] = {"tput_interference_pct", "interf%", "%", "%.2f",
			    0, "%.1f", 0, TP, TP_GROUP,
			    "pair 1's bitrate against the series' test with "
			    "one pair (the same factors but pairs): "
			    "100 * (this / alone - 1)"},
};
_Static_assert(ARRAY_SIZE(metrics) == M_COUNT, "throughput metrics");

struct acc {
	/* the run in progress: its pairs' received bitrates */
	double run_bps[TPUT_PAIRS_MAX];
	bool run_has[TPUT_PAIRS_MAX];
	bool in_run;
	/* over the runs */
	double total, sent, first, jain, rtt, retr, diff;
	unsigned runs, first_runs, jain_runs, rtt_n, retr_runs;
	double pair_sum;
	unsigned pair_n;
	int64_t packets, lost;
	double sent_diff;
	bool have_diff, have_sent_diff, run_retr;
	double run_retr_sum;
};

/* the run in progress is complete: fold its pairs */
static void run_flush(struct acc *a)
{
	double x[TPUT_PAIRS_MAX], total = 0;
	unsigned i, n = 0;

	if (!a->in_run)
		return;
	a->in_run = false;
	for (i = 0; i < TPUT_PAIRS_MAX; i++) {
		if (a->run_has[i]) {
			x[n++] = a->run_bps[i];
			total += a->run_bps[i];
		}
	}
	if (a->run_retr) {
		a->retr += a->run_retr_sum;
		a->retr_runs++;
	}
	memset(a->run_has, 0, sizeof(a->run_has));
	a->run_retr = false;
	a->run_retr_sum = 0;
	if (!n)
		return;
	a->runs++;
	a->total += total;
	if (n >= 2) {
		double j = jain_index(x, n);

		if (!isnan(j)) {
			a->jain += j;
			a->jain_runs++;
		}
	}
}

static void tp_run(void *p, const struct meter_run *run)
{
	struct acc *a = p;

	(void)run;
	run_flush(a);
	a->in_run = true;
}

static void pair_row(struct acc *a, const struct cell *c)
{
	int64_t pair = c[P_PAIR].type == CELL_INT ? c[P_PAIR].i : 0;
	double recv = cell_num(&c[P_RECV_BPS], -1);
	double rtt = cell_num(&c[P_TCP_RTT], -1);
	double retr = cell_num(&c[P_RETRANSMITS], -1);

	/* a pair whose iperf3 failed has no figure, not a zero */
	if (pair < 1 || pair > TPUT_PAIRS_MAX || recv < 0 ||
	    c[P_ERROR].type == CELL_TEXT)
		return;
	a->in_run = true;
	a->run_has[pair - 1] = true;
	a->run_bps[pair - 1] = recv;
	a->sent += cell_num(&c[P_SENT_BPS], 0);
	a->pair_sum += recv;
	a->pair_n++;
	if (pair == 1) {
		a->first += recv;
		a->first_runs++;
	}
	if (rtt >= 0) {
		a->rtt += rtt;
		a->rtt_n++;
	}
	if (retr >= 0) {
		a->run_retr = true;
		a->run_retr_sum += retr;
	}
	if (cell_num(&c[P_PACKETS], -1) > 0 && cell_num(&c[P_LOST], -1) >= 0) {
		a->packets += c[P_PACKETS].i;
		a->lost += c[P_LOST].i;
	}
}

static void tp_row(void *p, unsigned table, const struct cell *c)
{
	struct acc *a = p;
	double d;

	if (table == T_PAIRS) {
		pair_row(a, c);
		return;
	}
	if (c[K_SENT_DIFF].type == CELL_REAL) {
		d = c[K_SENT_DIFF].d;
		if (!a->have_sent_diff || fabs(d) > fabs(a->sent_diff))
			a->sent_diff = d;
		a->have_sent_diff = true;
	}
	if (c[K_DIFF].type != CELL_REAL)
		return;
	d = c[K_DIFF].d;
	if (!a->have_diff || fabs(d) > fabs(a->diff))
		a->diff = d;
	a->have_diff = true;
}

static void tp_finish(void *p, struct metric_value *out)
{
	struct acc *a = p;

	run_flush(a);
	if (!a->runs)
		return;
	metric_set_num(&out[M_TOTAL], a->total / a->runs);
	metric_set_num(&out[M_SENT], a->sent / a->runs);
	if (a->pair_n)
		metric_set_num(&out[M_PAIR], a->pair_sum / a->pair_n);
	if (a->first_runs)
		metric_set_num(&out[M_FIRST], a->first / a->first_runs);
	if (a->jain_runs)
		metric_set_num(&out[M_JAIN], a->jain / a->jain_runs);
	if (a->packets > 0)
		metric_set_num(&out[M_LOSS],
			       100.0 * (double)a->lost / (double)a->packets);
	if (a->retr_runs)
		metric_set_num(&out[M_RETR], a->retr / a->retr_runs);
	if (a->rtt_n)
		metric_set_num(&out[M_TCP_RTT], a->rtt / a->rtt_n);
	if (a->have_diff)
		metric_set_num(&out[M_COUNTER_DIFF], a->diff);
	if (a->have_sent_diff)
		metric_set_num(&out[M_COUNTER_SENT_DIFF], a->sent_diff);
}

static bool same_but_pairs(const int64_t *x, const int64_t *y)
{
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		if (f != F_PAIRS && f != F_REPETITIONS && x[f] != y[f])
			return false;
	}
	return true;
}

/*
 * Interference: each test's pair 1 against the test of its series that
 * has pair 1 alone (the same factors, pairs 1); none: not measured.
 */
static void tp_across(struct series *s, unsigned first)
{
	size_t i, j;

	for (i = 0; i < s->ntests; i++) {
		struct series_test *t = &s->tests[i];
		const struct metric_value *x = &t->values[first + M_FIRST];

		if (x->type != CELL_REAL)
			continue;
		for (j = 0; j < s->ntests; j++) {
			const struct series_test *q = &s->tests[j];
			const struct metric_value *alone =
				&q->values[first + M_FIRST];

			if (q->v[F_PAIRS] != 1 || alone->type != CELL_REAL ||
			    alone->d <= 0 || !same_but_pairs(t->v, q->v))
				continue;
			metric_set_num(&t->values[first + M_INTERFERENCE],
				       100 * (x->d / alone->d - 1));
			break;
		}
	}
}

unsigned meter_tput_header_bytes(enum tput_protocol p)
{
	/* Ethernet 14, IPv4 20, TCP 20 + 12 of timestamps, or UDP 8 */
	return p == TPUT_UDP ? 14 + 20 + 8 : 14 + 20 + 32;
}

static struct cell count_or_null(int64_t v)
{
	return v < 0 ? cell_null() : cell_int(v);
}

static struct cell real_or_null(double v)
{
	return isnan(v) ? cell_null() : cell_real(v);
}

void meter_tput_pair_cells(const struct tput_pair_row *r, struct cell *c)
{
	const struct iperf_report *p = r->rep;
	bool sums = p && p->have_sums;
	unsigned i;

	for (i = 0; i < TPUT_PAIR_COLS; i++)
		c[i] = cell_null();
	c[P_PAIR] = cell_int(r->pair);
	c[P_SENDER] = cell_text(r->sender);
	c[P_RESPONDER] = cell_text(r->responder);
	c[P_ERROR] = cell_text(r->why);
	if (!p)
		return;
	c[P_PROTOCOL] = cell_text(p->protocol[0] ? p->protocol : NULL);
	c[P_STREAMS] = cell_int(p->streams);
	c[P_MESSAGE] = cell_int(p->blksize);
	if (sums) {
		c[P_SECONDS] = cell_real(p->recv_seconds);
		c[P_SENT_BYTES] = cell_int((int64_t)p->sent_bytes);
		c[P_RECV_BYTES] = cell_int((int64_t)p->recv_bytes);
		c[P_SENT_BPS] = cell_real(p->sent_bps);
		c[P_RECV_BPS] = cell_real(p->recv_bps);
	}
	c[P_RETRANSMITS] = count_or_null(p->retransmits);
	c[P_PACKETS] = count_or_null(p->packets);
	c[P_LOST] = count_or_null(p->lost_packets);
	c[P_LOST_PCT] = real_or_null(p->lost_pct);
	c[P_JITTER] = real_or_null(p->jitter_ms);
	c[P_TCP_RTT] = real_or_null(p->tcp_rtt_us);
	c[P_CPU_SENDER] = real_or_null(p->cpu_local_pct);
	c[P_CPU_RECEIVER] = real_or_null(p->cpu_remote_pct);
}

void meter_tput_counter_cells(const struct tput_counter_row *r,
			      struct cell *c)
{
	uint64_t hdr = (uint64_t)r->header_bytes * r->packets;
	uint64_t payload = r->bytes > hdr ? r->bytes - hdr : 0;
	unsigned i;

	for (i = 0; i < TPUT_COUNTER_COLS; i++)
		c[i] = cell_null();
	c[K_PAIR] = cell_int(r->pair);
	c[K_POINT] = cell_text(r->point);
	c[K_WHY] = cell_text(r->why);
	c[K_IPERF] = cell_int((int64_t)r->iperf_bytes);
	if (!r->ifname)
		return;
	c[K_IFNAME] = cell_text(r->ifname);
	c[K_DIRECTION] = cell_text(r->direction);
	c[K_BYTES] = cell_int((int64_t)r->bytes);
	c[K_PACKETS] = cell_int((int64_t)r->packets);
	c[K_PAYLOAD] = cell_int((int64_t)payload);
	if (r->iperf_bytes)
		c[K_DIFF] = cell_real(100.0 *
				      ((double)payload -
				       (double)r->iperf_bytes) /
				      (double)r->iperf_bytes);
	if (r->iperf_sent)
		c[K_SENT_DIFF] = cell_real(100.0 *
					   ((double)payload -
					    (double)r->iperf_sent) /
					   (double)r->iperf_sent);
}

const struct meter_def meter_tput = {
	.name = "throughput",
	.doc = "throughput: iperf3 between each measured pair, its figures "
	       "cross-checked against the interfaces' byte counters, "
	       "fairness over the pairs, interference as pairs are added",
	.tables = tables,
	.ntables = ARRAY_SIZE(tables),
	.metrics = metrics,
	.nmetrics = M_COUNT,
	.acc_size = sizeof(struct acc),
	.run = tp_run,
	.row = tp_row,
	.finish = tp_finish,
	.across = tp_across,
	.note_group = TP_GROUP,
	.note_alt = "throughput: iperf3's payload bitrate at the receivers "
		    "(all pairs, per pair, pair 1), Jain's index over the "
		    "pairs, UDP loss, TCP retransmissions and RTT, the "
		    "interface counters' difference from iperf3, pair 1's "
		    "change against the one-pair test (interference)",
};
