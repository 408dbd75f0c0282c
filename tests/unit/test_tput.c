// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The throughput meter's pure half: iperf3's JSON as iperf3 3.12 wrote
 * it here (tests/data/iperf3/, TCP and UDP, one and several streams, a
 * refused connection, an interrupted client, a client at --interval 0.1
 * with two streams), the throughput around events (core/event_tput.c),
 * Jain's index, and the
 * fold: per test the pairs' bitrates, Jain's index over them, the
 * counters' difference from iperf3, and the interference as pairs are
 * added.
 */
#include "unit.h"

#include <math.h>

#include "core/event_tput.h"
#include "core/fairness.h"
#include "core/iperf_report.h"
#include "core/meter_tput.h"
#include "core/series.h"

static int parse_fixture(const char *name, struct iperf_report *r,
			 char *why, size_t wlen)
{
	struct strbuf sb = STRBUF_INIT;
	char rel[128];
	int ret;

	snprintf(rel, sizeof(rel), "tests/data/iperf3/%s.json", name);
	unit_read(rel, &sb);
	ret = iperf_report_parse(sb.buf, sb.len, r, why, wlen);
	strbuf_release(&sb);
	return ret;
}

static void test_tcp_one_stream(void **state)
{
	struct iperf_report r;
	char why[200] = "";

	(void)state;
	assert_int_equal(parse_fixture("tcp-1stream", &r, why, sizeof(why)),
			 0);
	assert_string_equal(r.protocol, "TCP");
	assert_int_equal(r.streams, 1);
	assert_int_equal(r.blksize, 131072);
	assert_true(r.have_sums);
	assert_int_equal(r.sent_bytes, 1662124032);
	assert_int_equal(r.recv_bytes, 1662124032);
	assert_true(fabs(r.recv_bps - 13270212966.234138) < 1e-3);
	assert_true(fabs(r.recv_seconds - 1.002018) < 1e-9);
	assert_int_equal(r.retransmits, 12172);
	/* TCP: no datagram counts */
	assert_int_equal(r.packets, -1);
	assert_true(isnan(r.lost_pct));
	assert_true(r.tcp_rtt_us > 0);
	assert_true(r.cpu_local_pct > 0);
}

/* iperf3 -c ... --interval 0.1 --parallel 2 --time 1 -J */
static void test_intervals(void **state)
{
	struct iperf_report r;
	char why[200] = "";
	double bytes = 0;
	unsigned i;

	(void)state;
	assert_int_equal(parse_fixture("tcp-intervals", &r, why, sizeof(why)),
			 0);
	assert_int_equal(r.streams, 2);
	assert_int_equal(r.start_secs, 1796191012);
	assert_int_equal(r.nintervals, 10);
	assert_int_equal(r.dropped_intervals, 0);
	/* the sum of the two streams, not one stream's */
	assert_true(fabs(r.iv[0].bps - 20983630011.28241) < 1);
	assert_true(fabs(r.iv[1].start - 0.100442) < 1e-9);
	for (i = 0; i < r.nintervals; i++) {
		assert_true(r.iv[i].end > r.iv[i].start);
		if (i)
			assert_true(fabs(r.iv[i].start - r.iv[i - 1].end) < 1e-6);
		bytes += r.iv[i].bps * (r.iv[i].end - r.iv[i].start) / 8;
	}
	/* the intervals add up to what the sender sent (1 %) */
	assert_true(fabs(bytes - (double)r.sent_bytes) < 0.01 * r.sent_bytes);
}

/* malformed intervals are dropped, counted; the rest is kept */
static void test_intervals_bad(void **state)
{
	static const char doc[] =
		"{\"intervals\": [{\"sum\": {\"start\": 0, \"end\": 0.1, "
		"\"bits_per_second\": 1e9}}, {\"sum\": {\"start\": 0.1, "
		"\"end\": 0.2, \"bits_per_second\": -1}}, {\"sum\": "
		"{\"start\": 0.2, \"end\": 0.1, \"bits_per_second\": 1}}, "
		"{\"sum\": {\"start\": 0.2, \"end\": 0.3, "
		"\"bits_per_second\": 5e8}}, {\"sum\": {\"start\": 0.05, "
		"\"end\": 0.4, \"bits_per_second\": 1}}, {\"sum\": 3}, 7], "
		"\"start\": {\"timestamp\": {\"timesecs\": -5}}}";
	struct iperf_report r;
	char why[200] = "";

	(void)state;
	/* no end: an error, but the intervals are read */
	assert_int_equal(iperf_report_parse(doc, strlen(doc), &r, why,
					    sizeof(why)),
			 -1);
	assert_int_equal(r.nintervals, 2);
	assert_int_equal(r.dropped_intervals, 5);
	assert_true(r.iv[1].bps == 5e8);
	assert_int_equal(r.start_secs, -1);
}

static void fill(struct iperf_interval *iv, unsigned n, double bps)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		iv[i].start = i * 0.1;
		iv[i].end = (i + 1) * 0.1;
		iv[i].bps = bps;
	}
}

static void test_event_tput(void **state)
{
	struct iperf_interval iv[30];
	struct event_tput f[2];
	double one[] = {1.0}, two[] = {1.0, 1.3};

	(void)state;
	/* 1 Gbit/s, nothing from 1.0 s to 1.3 s, then 0.2, 0.6, 1 again */
	fill(iv, 30, 1e9);
	iv[10].bps = iv[11].bps = iv[12].bps = 0;
	iv[13].bps = 2e8;
	iv[14].bps = 6e8;

	/* one event: its window is the whole run */
	event_tput_analyze(iv, 30, one, 1, f);
	assert_int_equal(f[0].intervals, 30);
	assert_true(f[0].before_bps == 1e9);
	assert_true(f[0].lowest_bps == 0);
	assert_true(f[0].dip_pct == 100);
	/* recovered at 1.5 s (>= 90 % of before): during 0 0 0 .2 .6 */
	assert_true(fabs(f[0].during_bps - 1.6e8) < 1);
	assert_true(f[0].after_bps == 1e9);

	/* down at 1.0, up at 1.3: windows split at 1.15 s */
	event_tput_analyze(iv, 30, two, 2, f);
	assert_int_equal(f[0].intervals, 11);
	assert_true(f[0].before_bps == 1e9);
	assert_true(f[0].dip_pct == 100);
	assert_true(f[0].during_bps == 0);
	assert_true(isnan(f[0].after_bps)); /* not recovered in its window */
	assert_int_equal(f[1].intervals, 19);
	assert_true(f[1].before_bps == 0);
	assert_true(isnan(f[1].dip_pct)); /* nothing before to dip from */
	assert_true(f[1].lowest_bps == 2e8);
	assert_true(f[1].during_bps == 2e8);
	assert_true(fabs(f[1].after_bps - 15.6e9 / 16) < 1);

	/* no dip: 0 %, never negative; no intervals: all NAN */
	fill(iv, 30, 1e9);
	iv[20].bps = 2e9;
	event_tput_analyze(iv, 30, one, 1, f);
	assert_true(f[0].dip_pct == 0);
	assert_true(f[0].after_bps > 1e9);
	event_tput_analyze(iv, 0, one, 1, f);
	assert_int_equal(f[0].intervals, 0);
	assert_true(isnan(f[0].before_bps) && isnan(f[0].lowest_bps) &&
		    isnan(f[0].dip_pct) && isnan(f[0].during_bps) &&
		    isnan(f[0].after_bps));
}

static void test_tcp_four_streams(void **state)
{
	struct iperf_report r;
	char why[200] = "";

	(void)state;
	assert_int_equal(parse_fixture("tcp-4streams", &r, why, sizeof(why)),
			 0);
	assert_int_equal(r.streams, 4);
	assert_int_equal(r.blksize, 16384);
	/* the sums are of the four streams */
	assert_int_equal(r.recv_bytes, 1352499200);
	assert_int_equal(r.retransmits, 316);
}

static void test_udp(void **state)
{
	struct iperf_report r;
	char why[200] = "";

	(void)state;
	assert_int_equal(parse_fixture("udp-1stream", &r, why, sizeof(why)),
			 0);
	assert_string_equal(r.protocol, "UDP");
	assert_int_equal(r.sent_bytes, 24983000);
	/* the receiver's bytes: sent less the lost datagrams */
	assert_int_equal(r.recv_bytes, 24315200);
	assert_int_equal(r.sent_bytes - r.recv_bytes, 477 * 1400);
	assert_int_equal(r.packets, 17845);
	assert_int_equal(r.lost_packets, 477);
	assert_true(fabs(r.lost_pct - 2.673017652003362) < 1e-9);
	assert_true(r.jitter_ms > 0);
	assert_int_equal(r.retransmits, -1);
	assert_true(isnan(r.tcp_rtt_us));
	assert_int_equal(parse_fixture("udp-2streams", &r, why, sizeof(why)),
			 0);
	assert_int_equal(r.streams, 2);
	assert_int_equal(r.lost_packets, 4258);
}

static void test_errors(void **state)
{
	struct iperf_report r;
	char why[200] = "";

	(void)state;
	assert_int_equal(parse_fixture("error-refused", &r, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "iperf3: unable to connect to server: "
				 "Connection refused");
	assert_false(r.have_sums);
	/* interrupted: iperf3's error, and the sums of what it did */
	assert_int_equal(parse_fixture("error-interrupted", &r, why,
				       sizeof(why)),
			 -1);
	assert_string_equal(r.error, "interrupt - the client has terminated");
	assert_true(r.have_sums);
	assert_int_equal(r.sent_bytes, 895352832);
	assert_int_equal(r.recv_bytes, 0);
	/* iperf3 3.12 repeats sock_bufsize with several streams */
	/* not JSON, not an object, no sums */
	assert_int_equal(iperf_report_parse("iperf3: error", 13, &r, why,
					    sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "not iperf3's JSON"));
	assert_int_equal(iperf_report_parse("[1]", 3, &r, why, sizeof(why)),
			 -1);
	{
		const char *neg = "{\"end\":{\"sum_sent\":{\"bytes\":-5,"
				  "\"seconds\":1,\"bits_per_second\":1}}}";

		assert_int_equal(iperf_report_parse(neg, strlen(neg), &r, why,
						    sizeof(why)),
				 -1);
	}
	assert_non_null(strstr(why, "no end.sum_sent"));
}

static void test_jain(void **state)
{
	double same[4] = {5, 5, 5, 5}, one[4] = {8, 0, 0, 0};
	double mixed[2] = {1, 3};

	(void)state;
	assert_true(fabs(jain_index(same, 4) - 1) < 1e-12);
	assert_true(fabs(jain_index(one, 4) - 0.25) < 1e-12);
	/* (1+3)^2 / (2 * (1+9)) = 16/20 */
	assert_true(fabs(jain_index(mixed, 2) - 0.8) < 1e-12);
	assert_true(isnan(jain_index(same, 0)));
	assert_true(isnan(jain_index(one + 1, 3)));
}

static unsigned tput_index(void)
{
	unsigned m;

	for (m = 0; m < meter_count; m++) {
		if (meter_defs[m] == &meter_tput)
			return m;
	}
	fail_msg("throughput is not in meter_defs");
	return 0;
}

/* a run: pair k got bps[k]; the counters at the receiver said payload */
static void feed_run(struct series *s, int64_t id, const double *bps,
		     unsigned n, uint64_t counted)
{
	struct meter_run run = {.id = id};
	struct cell c[METER_COLS_MAX];
	unsigned m = tput_index(), k;

	series_run(s, &run);
	for (k = 0; k < n; k++) {
		struct iperf_report r;
		struct tput_pair_row row = {
			.pair = k + 1, .sender = "s", .responder = "r",
			.rep = &r,
		};
		struct tput_counter_row cr = {
			.pair = k + 1, .point = "responder-nic",
			.ifname = "eth0", .direction = "rx",
			.header_bytes = 66,
		};

		memset(&r, 0, sizeof(r));
		r.have_sums = true;
		r.recv_bps = r.sent_bps = bps[k];
		r.recv_bytes = r.sent_bytes = 1000000;
		r.retransmits = 2;
		r.packets = r.lost_packets = -1;
		r.tcp_rtt_us = 100;
		r.lost_pct = r.jitter_ms = NAN;
		r.cpu_local_pct = r.cpu_remote_pct = NAN;
		meter_tput_pair_cells(&row, c);
		series_row(s, m, 0, c);
		/* 1000 packets of 66 header bytes each on top */
		cr.packets = 1000;
		cr.bytes = counted + 66000;
		cr.iperf_bytes = 1000000;
		cr.iperf_sent = 1000000;
		meter_tput_counter_cells(&cr, c);
		series_row(s, m, 1, c);
	}
}

static void begin(struct series *s, const char *id, int64_t pairs)
{
	int64_t v[FACTOR_COUNT];
	int f;

	for (f = 0; f < FACTOR_COUNT; f++)
		v[f] = factor_default((enum factor_id)f);
	v[F_MEASURE] = MEASURE_THROUGHPUT;
	v[F_PAIRS] = pairs;
	series_test_begin(s, id, v);
}

static double value(const struct series *s, size_t t, const char *name)
{
	int k = series_metric_find(s, name);
	const struct metric_value *v;

	assert_true(k >= 0);
	v = &s->tests[t].values[k];
	return v->type == CELL_REAL ? v->d : NAN;
}

static void test_fold(void **state)
{
	double alone[1] = {900e6}, four[4] = {400e6, 200e6, 200e6, 200e6};
	double four2[4] = {250e6, 250e6, 250e6, 250e6};
	struct series s;

	(void)state;
	series_init(&s);
	begin(&s, "one", 1);
	feed_run(&s, 1, alone, 1, 1000000);
	feed_run(&s, 2, alone, 1, 1000000);
	series_test_end(&s);
	begin(&s, "four", 4);
	feed_run(&s, 3, four, 4, 1010000);
	feed_run(&s, 4, four2, 4, 995000);
	series_test_end(&s);
	series_finish(&s);

	assert_true(fabs(value(&s, 0, "tput_mbps") - 900e6) < 1e-3);
	/* one pair: no fairness to speak of */
	assert_true(isnan(value(&s, 0, "tput_jain")));
	assert_true(fabs(value(&s, 0, "tput_interference_pct")) < 1e-9);
	assert_true(fabs(value(&s, 0, "tput_counter_diff_pct")) < 1e-9);
	assert_true(fabs(value(&s, 0, "tput_retransmits") - 2) < 1e-9);
	/* four pairs: every run carries 1 Gbit/s */
	assert_true(fabs(value(&s, 1, "tput_mbps") - 1000e6) < 1e-3);
	assert_true(fabs(value(&s, 1, "tput_pair_mbps") - 250e6) < 1e-3);
	assert_true(fabs(value(&s, 1, "tput_pair1_mbps") - 325e6) < 1e-3);
	/* run 3: 1000^2 / (4 * 280000) (in Mbit/s); run 4: 1 */
	assert_true(fabs(value(&s, 1, "tput_jain") -
			 (1e6 / 1.12e6 + 1) / 2) < 1e-12);
	/* pair 1 went from 900 to 325 Mbit/s */
	assert_true(fabs(value(&s, 1, "tput_interference_pct") -
			 100 * (325.0 / 900 - 1)) < 1e-9);
	/* the largest difference: +1 % */
	assert_true(fabs(value(&s, 1, "tput_counter_diff_pct") - 1) < 1e-9);
	assert_true(fabs(value(&s, 1, "tput_counter_sent_diff_pct") - 1) <
		    1e-9);
	assert_true(fabs(value(&s, 1, "tput_retransmits") - 8) < 1e-9);
	series_release(&s);
}

static void test_failed_pair(void **state)
{
	struct tput_pair_row row = {
		.pair = 2, .sender = "s", .responder = "r", .rep = NULL,
		.why = "iperf3 did not start",
	};
	struct cell c[METER_COLS_MAX];

	(void)state;
	meter_tput_pair_cells(&row, c);
	assert_int_equal(c[0].type, CELL_INT);
	assert_int_equal(c[TPUT_PAIR_COLS - 1].type, CELL_TEXT);
	assert_int_equal(meter_tput_header_bytes(TPUT_TCP), 66);
	assert_int_equal(meter_tput_header_bytes(TPUT_UDP), 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_one_stream),
		cmocka_unit_test(test_tcp_four_streams),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_intervals),
		cmocka_unit_test(test_intervals_bad),
		cmocka_unit_test(test_event_tput),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_jain),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_failed_pair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
