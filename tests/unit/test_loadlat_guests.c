// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Several guests under test (core/loadlat_guests.h): the generator's
 * per-guest report lines read back what it wrote and refuse what no
 * generator writes; a frame carries its guest's index; the per-guest
 * rows fold into Jain's index of each run's received rates (mean of
 * runs), each guest's loss over all runs and its 99th percentile from
 * its accumulated histogram; the plan refuses several guests to the
 * generators that take one destination; the plan of a campaign with
 * both against its golden file.
 */
#include "unit.h"

#include <math.h>

#include "core/caps.h"
#include "core/config.h"
#include "core/llframe.h"
#include "core/loadgen_report.h"
#include "core/loadlat_guests.h"
#include "core/meter_loadlat.h"
#include "core/plan.h"
#include "core/series.h"
#include "util/alloc.h"

static void test_report_guests(void **state)
{
	struct loadgen_report a, b;
	struct strbuf sb = STRBUF_INIT;
	const char *bad[] = {
		"guest 8 sent_load=1 sent_lat=1 recv_load=1 recv_lat=1\n",
		"guest 0 sent_lat=1 sent_load=1 recv_load=1 recv_lat=1\n",
		"guest 0 sent_load=1 sent_lat=1 recv_load=1\n",
		"guest 0 sent_load=1 sent_lat=1 recv_load=1 recv_lat=1 x=1\n",
		"guest -1 sent_load=1 sent_lat=1 recv_load=1 recv_lat=1\n",
		"ghist 9 1000 1\n",
		"ghist 0 1000\n",
	};
	unsigned i;

	(void)state;
	loadgen_report_init(&a);
	a.offered = a.sent_load = 2000;
	a.recv_load = 1990;
	a.sent_lat = a.recv_lat = 10;
	a.seconds = 1;
	loadgen_report_guests(&a, 2);
	a.guests[0].sent_load = 1000;
	a.guests[0].recv_load = 1000;
	a.guests[1].sent_load = 1000;
	a.guests[1].recv_load = 990;
	a.guests[0].sent_lat = a.guests[0].recv_lat = 5;
	a.guests[1].sent_lat = a.guests[1].recv_lat = 5;
	for (i = 0; i < 5; i++) {
		hist_record(&a.guests[0].actual, 10000 + i, 1);
		hist_record(&a.guests[1].actual, 90000 + 1000 * i, 1);
	}
	loadgen_report_format(&a, &sb);
	loadgen_report_init(&b);
	assert_int_equal(loadgen_report_parse(sb.buf, sb.len, &b), 0);
	assert_int_equal(b.nguests, 2);
	assert_int_equal(b.guests[1].recv_load, 990);
	assert_int_equal(b.guests[0].sent_lat, 5);
	assert_true(hist_equal(&a.guests[0].actual, &b.guests[0].actual));
	assert_true(hist_equal(&a.guests[1].actual, &b.guests[1].actual));
	loadgen_report_release(&b);
	/* one destination: no guest lines */
	loadgen_report_release(&a);
	loadgen_report_init(&a);
	strbuf_reset(&sb);
	loadgen_report_format(&a, &sb);
	assert_null(strstr(sb.buf, "guest"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		loadgen_report_init(&b);
		loadgen_report_parse(bad[i], strlen(bad[i]), &b);
		if (b.nguests)
			fail_msg("'%s' was taken", bad[i]);
		loadgen_report_release(&b);
	}
	loadgen_report_release(&a);
	strbuf_release(&sb);
}

static void test_frame_guest(void **state)
{
	const uint8_t a[6] = {2, 0, 0xc6, 0x12, 0, 1};
	const uint8_t b[6] = {2, 0, 0xc6, 0x12, 0, 2};
	struct llframe_hdr h = {.session = 5, .kind = LLFRAME_LOAD, .seq = 3},
			   got;
	uint8_t buf[128];

	(void)state;
	llframe_build(buf, 64, b, a, &h);
	assert_int_equal(llframe_parse(buf, 60, 5, &got), 0);
	assert_int_equal(got.guest, 0);
	h.guest = 7;
	llframe_restamp(buf, &h);
	assert_int_equal(llframe_parse(buf, 60, 5, &got), 0);
	assert_int_equal(got.guest, 7);
	assert_true(got.seq == 3);
	/* a reflector swaps the MACs and keeps the guest */
	llframe_swap_macs(buf);
	assert_int_equal(llframe_parse(buf, 60, 5, &got), 0);
	assert_int_equal(got.guest, 7);
}

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

/* One run: guest k received recv[k] of 1000 load frames and 10 latency. */
static void feed(struct series *s, int64_t id, const uint64_t recv[2],
		 uint64_t lat_base)
{
	struct loadgen_report r;
	struct meter_run run = {.id = id};
	struct cell c[METER_COLS_MAX];
	unsigned m = ll_index(), k, b = 0, i;
	const char *names[] = {"r-main", "r-p2"};

	loadgen_report_init(&r);
	loadgen_report_guests(&r, 2);
	r.seconds = 1;
	for (k = 0; k < 2; k++) {
		r.guests[k].sent_load = 1000;
		r.guests[k].recv_load = recv[k];
		r.guests[k].sent_lat = r.guests[k].recv_lat = 10;
		r.offered += 1000;
		r.sent_load += 1000;
		r.recv_load += recv[k];
		r.sent_lat += 10;
		r.recv_lat += 10;
		for (i = 0; i < 10; i++) {
			uint64_t v = lat_base * (k + 1) + i;

			hist_record(&r.guests[k].actual, v, 1);
			hist_record(&r.actual, v, 1);
		}
	}
	series_run(s, &run);
	{
		struct loadlat_row row = {.guest = "s-main", .rep = &r,
					  .reflected = -1};

		meter_loadlat_run_cells(&row, c);
		series_row(s, m, 0, c);
	}
	while (meter_loadlat_hist_cells(&r, &b, c))
		series_row(s, m, 1, c);
	for (k = 0; k < 2; k++) {
		struct loadlat_guest_row row = {
			.index = k + 1, .name = names[k], .g = &r.guests[k],
			.seconds = 1, .reflected = -1,
		};

		loadlat_guest_cells(&row, c);
		series_row(s, m, 2, c);
	}
	k = b = 0;
	while (loadlat_ghist_cells(&r, &k, &b, c))
		series_row(s, m, 3, c);
	loadgen_report_release(&r);
}

static const struct metric_value *value(const struct series *s,
					const char *name)
{
	int k = series_metric_find(s, name);

	assert_true(k >= 0);
	return &s->tests[0].values[k];
}

static void test_fold(void **state)
{
	const uint64_t even[2] = {1000, 1000}, uneven[2] = {1000, 500};
	struct series s;
	int64_t v[FACTOR_COUNT];
	int f;

	(void)state;
	for (f = 0; f < FACTOR_COUNT; f++)
		v[f] = factor_default((enum factor_id)f);
	v[F_MEASURE] = MEASURE_LOADLAT;
	v[F_GUESTS] = 2;
	series_init(&s);
	series_test_begin(&s, "a", v);
	feed(&s, 1, even, 10000);
	feed(&s, 2, uneven, 10000);
	series_test_end(&s);
	series_finish(&s);
	/* run 1: 1; run 2: 1500^2 / (2 (1000^2 + 500^2)) = 0.9 */
	assert_int_equal(value(&s, "loadlat_jain_index")->type, CELL_REAL);
	assert_true(fabs(value(&s, "loadlat_jain_index")->d - 0.95) < 1e-12);
	assert_true(value(&s, "loadlat_guests")->d == 2);
	/* guest 2 lost 500 of 2020 frames */
	assert_true(fabs(value(&s, "loadlat_guest_loss_max_pct")->d -
			 100.0 * 500 / 2020) < 1e-9);
	assert_string_equal(value(&s, "loadlat_guest_loss_pct")->s,
			    "0.00/24.75");
	/* guest 2's latencies are twice guest 1's: 20000.. ns */
	assert_true(value(&s, "loadlat_guest_p99_max_us")->d >= 20000 &&
		    value(&s, "loadlat_guest_p99_max_us")->d < 20300);
	series_release(&s);
}

/* A one-guest test has no per-guest values: its columns stay away. */
static void test_one_guest(void **state)
{
	struct series s;
	int64_t v[FACTOR_COUNT];
	struct loadgen_report r;
	struct meter_run run = {.id = 1};
	struct loadlat_row row = {.guest = "s-main", .reflected = -1};
	struct cell c[METER_COLS_MAX];
	int f;

	(void)state;
	for (f = 0; f < FACTOR_COUNT; f++)
		v[f] = factor_default((enum factor_id)f);
	v[F_MEASURE] = MEASURE_LOADLAT;
	loadgen_report_init(&r);
	r.offered = r.sent_load = r.recv_load = 100;
	r.seconds = 1;
	row.rep = &r;
	series_init(&s);
	series_test_begin(&s, "a", v);
	series_run(&s, &run);
	meter_loadlat_run_cells(&row, c);
	series_row(&s, ll_index(), 0, c);
	series_test_end(&s);
	series_finish(&s);
	assert_int_equal(value(&s, "loadlat_guests")->type, CELL_NULL);
	assert_int_equal(value(&s, "loadlat_jain_index")->type, CELL_NULL);
	series_release(&s);
	loadgen_report_release(&r);
}

static void test_plan_refusals(void **state)
{
	static const char text[] =
		"campaign: x\n"
		"testbed:\n"
		"  kind: ssh\n"
		"  vfs: 4\n"
		"  servers:\n"
		"    sender: {ssh: root@a.example, nic: ens1f0}\n"
		"    responder: {ssh: root@b.example, nic: ens1f0}\n"
		"matrix:\n"
		"  - measure: loadlat\n"
		"    dataplane: vfio-vf\n"
		"    machine: pc\n"
		"    reflector: testpmd\n"
		"    guests: 2\n"
		"    generator: [builtin, moongen, trex]\n"
		"    cooldown: 0\n";
	struct strbuf err = STRBUF_INIT;
	struct campaign c;
	struct plan p;
	size_t i;
	unsigned multi = 0;

	(void)state;
	if (config_parse("t.yaml", text, strlen(text), &c, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	for (i = 0; i < p.ntests; i++) {
		const struct test *t = &p.tests[i];

		if (t->reason && strstr(t->reason, "one guest under test"))
			multi++;
		if (t->reason && strstr(t->reason, "TRex could, with a load and a "
					     "latency stream per guest"))
			multi++;
	}
	/* moongen's and trex's refusals; builtin's cooldown is not 0 */
	assert_int_equal(multi, 2);
	plan_release(&p);
	config_release(&c);
	strbuf_release(&err);
}

/* The plan of tests/data/plan/loadlat-guests.yaml: its golden file. */
static void test_plan_golden(void **state)
{
	const char *yaml = "tests/data/plan/loadlat-guests.yaml";
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT, out = STRBUF_INIT;
	struct campaign c;
	struct plan p;

	(void)state;
	unit_read(yaml, &text);
	if (config_parse(yaml, text.buf, text.len, &c, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	plan_print(&p, PLAN_PRINT_RUNS, &out);
	unit_golden("tests/data/plan/loadlat-guests.golden", out.buf);
	plan_release(&p);
	config_release(&c);
	strbuf_release(&text);
	strbuf_release(&err);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_guests),
		cmocka_unit_test(test_frame_guest),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_one_guest),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_plan_golden),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
