// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The load-latency meter's pure half through the series: the rows its OS
 * half stores (meter_loadlat_run_cells, meter_loadlat_hist_cells) fold
 * into a test whose histogram is exactly the sum of its runs' (the
 * percentiles of the test equal those of the merged histogram), whose
 * loss counts every frame of every run, and whose series' load limit is
 * the highest rate carried with at most 1 % loss. And the generator's
 * report reads back what it wrote.
 */
#include "unit.h"

#include <math.h>

#include "core/llframe.h"
#include "core/loadgen_report.h"
#include "core/meter_loadlat.h"
#include "core/search.h"
#include "core/series.h"
#include "measure/pktring.h"
#include "util/alloc.h"

static unsigned ll_index(void)
{
	unsigned m;

	for (m = 0; m < meter_count; m++) {
		if (meter_defs[m] == &meter_loadlat)
			return m;
	}
	fail_msg("loadlat is not in meter_defs");
	return 0;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A run's report: rate offered, lost frames of load, latencies. */
static void fake_run(struct loadgen_report *r, uint64_t rate, uint64_t lost,
		     uint64_t spread)
{
	unsigned i;

	loadgen_report_init(r);
	r->offered = r->sent_load = rate;
	r->recv_load = rate - lost;
	r->sent_lat = r->recv_lat = 1000;
	r->seconds = 1;
	r->rate_mean = (double)rate;
	r->rate_sd = (double)rate * 0.01;
	snprintf(r->tx_stamp, sizeof(r->tx_stamp), "kernel");
	for (i = 0; i < 1000; i++) {
		uint64_t v = 10000 + next_rand() % spread;

		hist_record(&r->actual, v, 1);
		hist_record(&r->intended, v + 500, 1);
	}
}

static void feed(struct series *s, const struct loadgen_report *r,
		 int64_t id)
{
	struct loadlat_row row = {
		.guest = "s-main", .rep = r, .reflected = -1,
	};
	struct meter_run run = {.id = id};
	struct cell c[METER_COLS_MAX];
	unsigned b = 0, m = ll_index();

	series_run(s, &run);
	meter_loadlat_run_cells(&row, c);
	series_row(s, m, 0, c);
	while (meter_loadlat_hist_cells(r, &b, c))
		series_row(s, m, 1, c);
}

/* threshold: loss_threshold as kept (thousandths of a percent); -1 default */
static void begin_at(struct series *s, const char *id, int64_t rate,
		     int64_t threshold)
{
	int64_t v[FACTOR_COUNT];
	int f;

	for (f = 0; f < FACTOR_COUNT; f++)
		v[f] = factor_default((enum factor_id)f);
	v[F_MEASURE] = MEASURE_LOADLAT;
	v[F_RATE] = rate;
	if (threshold >= 0)
		v[F_LOSS_THRESHOLD] = threshold;
	series_test_begin(s, id, v);
}

static void begin(struct series *s, const char *id, int64_t rate)
{
	begin_at(s, id, rate, -1);
}

static double value(const struct series *s, size_t t, const char *name)
{
	int k = series_metric_find(s, name);
	const struct metric_value *v;

	assert_true(k >= 0);
	v = &s->tests[t].values[k];
	return v->type == CELL_REAL ? v->d : NAN;
}

static size_t test_at(const struct series *s, int64_t rate)
{
	size_t i;

	for (i = 0; i < s->ntests; i++) {
		if (s->tests[i].v[F_RATE] == rate)
			return i;
	}
	fail_msg("no test at %lld", (long long)rate);
	return 0;
}

static void test_accumulation(void **state)
{
	struct loadgen_report reps[3];
	struct hist sum;
	struct series s;
	unsigned r;
	size_t t;

	(void)state;
	hist_init(&sum);
	series_init(&s);
	/* 10k: 3 runs, nothing lost; the histogram differs run to run */
	begin(&s, "a", 10000);
	for (r = 0; r < 3; r++) {
		fake_run(&reps[r], 10000, 0, 20000 * (r + 1));
		hist_merge(&sum, &reps[r].actual);
		feed(&s, &reps[r], r + 1);
		loadgen_report_release(&reps[r]);
	}
	series_test_end(&s);
	/* 20k: 0.5 % lost, still within the limit; 40k: 5 % lost */
	begin(&s, "b", 20000);
	fake_run(&reps[0], 20000, 100, 1000);
	feed(&s, &reps[0], 10);
	loadgen_report_release(&reps[0]);
	series_test_end(&s);
	begin(&s, "c", 40000);
	fake_run(&reps[1], 40000, 2000, 1000);
	feed(&s, &reps[1], 11);
	loadgen_report_release(&reps[1]);
	series_test_end(&s);
	series_finish(&s);

	t = test_at(&s, 10000);
	/* the test's percentiles are the merged histogram's, exactly */
	assert_true(value(&s, t, "loadlat_p50_us") ==
		    hist_percentile(&sum, 50));
	assert_true(value(&s, t, "loadlat_p99_us") ==
		    hist_percentile(&sum, 99));
	assert_true(value(&s, t, "loadlat_p99.9_us") ==
		    hist_percentile(&sum, 99.9));
	assert_true(value(&s, t, "loadlat_max_us") == hist_max(&sum));
	assert_true(value(&s, t, "loadlat_loss_pct") == 0);
	assert_true(value(&s, t, "loadlat_offered_pps") == 10000);
	assert_true(fabs(value(&s, t, "loadlat_send_jitter_pct") - 1) < 1e-9);
	/* 100 of 21000 frames */
	assert_true(fabs(value(&s, test_at(&s, 20000), "loadlat_loss_pct") -
			 100.0 * 100 / 21000) < 1e-9);
	/* the limit: the highest rate with at most 1 % loss, for all three */
	for (t = 0; t < s.ntests; t++)
		assert_true(value(&s, t, "loadlat_load_limit_pps") == 20000);
	assert_int_equal(sum.total, 3000);
	series_release(&s);
	hist_release(&sum);
}

/*
 * The loss_threshold factor moves the load limit: at 0.1 % the 20k test
 * (0.48 % lost) is over it, so the limit is 10k; at 10 %, 40k (4.8 %)
 * is within. A series is the tests that differ only in rate, so each
 * threshold is its own series.
 */
static void test_threshold(void **state)
{
	static const int64_t thresholds[] = {100, 10000};
	static const double limits[] = {10000, 40000};
	struct loadgen_report rep;
	struct series s;
	char id[16];
	unsigned k, i;
	size_t t;
	int64_t v;
	char why[128];

	(void)state;
	assert_int_equal(factor_parse(F_LOSS_THRESHOLD, "0.1%", &v, why,
				      sizeof(why)),
			 0);
	assert_int_equal(v, thresholds[0]);
	series_init(&s);
	for (k = 0; k < 2; k++) {
		static const int64_t rates[] = {10000, 20000, 40000};
		static const uint64_t lost[] = {0, 100, 2000};

		for (i = 0; i < 3; i++) {
			snprintf(id, sizeof(id), "%u%u", k, i);
			begin_at(&s, id, rates[i], thresholds[k]);
			fake_run(&rep, rates[i], lost[i], 1000);
			feed(&s, &rep, 20 + k * 3 + i);
			loadgen_report_release(&rep);
			series_test_end(&s);
		}
	}
	series_finish(&s);
	for (t = 0; t < s.ntests; t++) {
		k = s.tests[t].v[F_LOSS_THRESHOLD] == thresholds[0] ? 0 : 1;
		assert_true(value(&s, t, "loadlat_load_limit_pps") ==
			    limits[k]);
	}
	series_release(&s);
}

static void test_report_round_trip(void **state)
{
	struct loadgen_report a, b;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	fake_run(&a, 50000, 7, 100000);
	a.errors = 2;
	loadgen_report_format(&a, &sb);
	loadgen_report_init(&b);
	assert_int_equal(loadgen_report_parse(sb.buf, sb.len, &b), 0);
	assert_int_equal(b.offered, 50000);
	assert_int_equal(b.recv_load, 49993);
	assert_int_equal(b.errors, 2);
	assert_string_equal(b.tx_stamp, "kernel");
	assert_true(hist_equal(&a.actual, &b.actual));
	assert_true(hist_equal(&a.intended, &b.intended));
	loadgen_report_release(&b);
	/* garbage, a key twice, a missing key: no report */
	loadgen_report_init(&b);
	assert_int_equal(loadgen_report_parse("loadgen offered=1\n", 18, &b),
			 -1);
	assert_int_equal(loadgen_report_parse("hist actual 257 1\n", 18, &b),
			 -1);
	assert_int_equal(b.actual.total, 0); /* 257 names no bucket */
	loadgen_report_release(&b);
	loadgen_report_release(&a);
	strbuf_release(&sb);
}

static void test_frames(void **state)
{
	const uint8_t a[6] = {2, 0, 0xc6, 0x12, 0, 1}, b[6] = {2, 0, 0xc6, 0x12, 0, 2};
	struct llframe_hdr h = {.session = 77, .kind = LLFRAME_LATENCY,
				.seq = 1ull << 40, .intended_ns = 5,
				.sent_ns = 6}, got;
	const char arp[] =
		"IP address       HW type     Flags       HW address            Mask     Device\n"
		"198.18.0.9       0x1         0x0         00:00:00:00:00:00     *        eth0\n"
		"198.18.0.2       0x1         0x2         02:00:c6:12:00:02     *        eth0\n";
	uint8_t buf[128], mac[6];

	(void)state;
	assert_int_equal(llframe_build(buf, 64, b, a, &h), 60);
	assert_int_equal(llframe_parse(buf, 60, 77, &got), 0);
	assert_true(got.seq == h.seq && got.kind == LLFRAME_LATENCY &&
		    got.intended_ns == 5 && got.sent_ns == 6);
	{
		/* a template restamped parses as the frame built anew */
		struct llframe_hdr t = {.session = 77, .kind = LLFRAME_LOAD},
				   n = h;
		uint8_t tpl[128];

		n.seq = 9;
		n.intended_ns = -3;
		n.sent_ns = 1ll << 62;
		llframe_build(tpl, 64, b, a, &t);
		llframe_restamp(tpl, &n);
		llframe_build(buf, 64, b, a, &n);
		assert_memory_equal(tpl, buf, 60);
		llframe_build(buf, 64, b, a, &h);
	}
	assert_int_equal(llframe_parse(buf, 60, 78, &got), -1); /* session */
	assert_int_equal(llframe_parse(buf, 49, 0, &got), -1);	/* short */
	llframe_swap_macs(buf);
	assert_memory_equal(buf, a, 6);
	assert_memory_equal(buf + 6, b, 6);
	assert_int_equal(llframe_arp_find(arp, sizeof(arp) - 1, "198.18.0.2",
					  "eth0", mac), 0);
	assert_memory_equal(mac, b, 6);
	/* incomplete entry, other device */
	assert_int_equal(llframe_arp_find(arp, sizeof(arp) - 1, "198.18.0.9",
					  "eth0", mac), -1);
	assert_int_equal(llframe_arp_find(arp, sizeof(arp) - 1, "198.18.0.2",
					  "eth1", mac), -1);
}

/* One run of a search: its role and rate in the row, as the runner's. */
static void feed_search(struct series *s, const struct loadgen_report *r,
			int64_t id, const char *role, int point)
{
	struct loadlat_row row = {
		.guest = "s-main", .rep = r, .reflected = -1,
		.rate = (int64_t)r->offered, .search_role = role,
		.search_point = point,
	};
	struct meter_run run = {.id = id};
	struct cell c[METER_COLS_MAX];
	unsigned b = 0, m = ll_index();

	series_run(s, &run);
	meter_loadlat_run_cells(&row, c);
	series_row(s, m, 0, c);
	while (meter_loadlat_hist_cells(r, &b, c))
		series_row(s, m, 1, c);
}

/*
 * A search test's runs fold into its NDR, PDR (the highest passing
 * trial rates: 0.0005 % and 0.05 % lost pass, 0.5 % does not), the
 * trial count, and per point the percentiles of that point's runs'
 * histogram alone; its rate-list metrics stay empty. A PDR-only search
 * shows no NDR.
 */
static void test_search_fold(void **state)
{
	/* rate, frames lost of rate + 1000 sent */
	static const uint64_t trials[][2] = {
		{800000, 4010}, {400000, 2}, {600000, 301}, {700000, 3510},
	};
	static const int points[] = {10, 50, 90};
	struct loadgen_report rep;
	struct hist at50;
	struct series s;
	unsigned i, k, kind;
	int64_t id = 1;

	(void)state;
	series_init(&s);
	for (kind = 0; kind < 2; kind++) {
		int64_t v[FACTOR_COUNT];
		int f;

		for (f = 0; f < FACTOR_COUNT; f++)
			v[f] = factor_default((enum factor_id)f);
		v[F_MEASURE] = MEASURE_LOADLAT;
		v[F_RATE] = 800000;
		v[F_SEARCH] = kind ? SEARCH_PDR : SEARCH_NDR_PDR;
		series_test_begin(&s, kind ? "p" : "n", v);
		for (i = 0; i < ARRAY_SIZE(trials); i++) {
			fake_run(&rep, trials[i][0], trials[i][1], 1000);
			feed_search(&s, &rep, id++, "trial", 0);
			loadgen_report_release(&rep);
		}
		for (k = 0; k < ARRAY_SIZE(points); k++) {
			/* each point's latencies apart: 10 us + k * 100 us */
			for (i = 0; i < 2; i++) {
				unsigned j;

				fake_run(&rep, 6000 * (uint64_t)points[k], 0,
					 1000);
				hist_reset(&rep.actual);
				for (j = 0; j < 1000; j++)
					hist_record(&rep.actual,
						    10000 + 100000 * k + j, 1);
				if (!kind && k == 1) {
					if (!i)
						hist_init(&at50);
					hist_merge(&at50, &rep.actual);
				}
				feed_search(&s, &rep, id++, "latency",
					    points[k]);
				loadgen_report_release(&rep);
			}
		}
		series_test_end(&s);
	}
	series_finish(&s);
	for (i = 0; i < s.ntests; i++) {
		bool ndr = !strcmp(s.tests[i].id, "n");

		assert_true(value(&s, i, "loadlat_search_trials") == 4);
		assert_true(value(&s, i, "loadlat_pdr_pps") == 600000);
		assert_true(value(&s, i, "loadlat_pdr_achieved_pps") == 600000);
		if (ndr)
			assert_true(value(&s, i, "loadlat_ndr_pps") == 400000);
		else
			assert_true(isnan(value(&s, i, "loadlat_ndr_pps")));
		/* the rate list's figures: not averaged over many rates */
		assert_true(isnan(value(&s, i, "loadlat_offered_pps")));
		assert_true(isnan(value(&s, i, "loadlat_p50_us")));
		assert_true(isnan(value(&s, i, "loadlat_load_limit_pps")));
		assert_true(value(&s, i, "loadlat_at10_p99_us") < 11100);
		assert_true(value(&s, i, "loadlat_at90_p50_us") > 210000);
		if (ndr) {
			assert_true(value(&s, i, "loadlat_at50_p50_us") ==
				    hist_percentile(&at50, 50));
			assert_true(value(&s, i, "loadlat_at50_p99_us") ==
				    hist_percentile(&at50, 99));
		}
	}
	hist_release(&at50);
	series_release(&s);
}

/*
 * The TX slot layout the kernel reads (packet_mmap.rst, TPACKET_V2): the
 * data starts after the 32-byte aligned tpacket2_hdr; a linear ring
 * (PACKET_VNET_HDR) puts a 10-byte virtio_net_hdr there first, whose
 * hdr_len (little-endian, bytes 2-3) is the frame's length and whose
 * flags and gso_type are 0 (no offloads), and tp_len counts both.
 */
static void test_tx_slot_layout(void **state)
{
	/* aligned as the kernel's ring is: the header is read as a struct */
	static _Alignas(64) uint8_t map[PKTRING_FRAME];
	struct pktring r = {
		.fd = -1, .map = map, .nframes = 1, .frame = PKTRING_FRAME};
	const uint8_t vh[10] = {0, 0, 60, 0, 0, 0, 0, 0, 0, 0};

	(void)state;
	memset(map, 0xaa, sizeof(map));
	assert_ptr_equal(pktring_tx_data(&r, 0), map + 32);
	assert_int_equal(pktring_tx_max(&r), PKTRING_FRAME - 32);
	pktring_tx_set_len(&r, 0, 60);
	assert_int_equal(pktring_slot(&r, 0)->tp_len, 60);
	assert_int_equal(map[32], 0xaa); /* nothing before the frame */

	memset(map, 0xaa, sizeof(map));
	r.tx_off = 10;
	assert_ptr_equal(pktring_tx_data(&r, 0), map + 42);
	assert_int_equal(pktring_tx_max(&r), PKTRING_FRAME - 42);
	pktring_tx_set_len(&r, 0, 60);
	assert_int_equal(pktring_slot(&r, 0)->tp_len, 70);
	assert_memory_equal(map + 32, vh, sizeof(vh));
	assert_int_equal(map[42], 0xaa); /* the frame is the caller's */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accumulation),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_report_round_trip),
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_search_fold),
		cmocka_unit_test(test_tx_slot_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
