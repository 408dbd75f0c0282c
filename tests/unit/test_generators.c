// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The generators' table and its parsers against real output (MoonGen's,
 * tests/data/generators/moongen/; dpdk-testpmd's, tests/data/testpmd/)
 * and TRex's documented stats JSON (tests/data/generators/trex/), the
 * JSON reader under them, and the factors of the load-latency matrices.
 */
#include "unit.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/factor.h"
#include "core/generators.h"
#include "core/json_scan.h"
#include "core/testpmd_report.h"

static const struct generator_args args_10s = {
	.program = "MoonGen",
	.script = "l2-load-latency.lua",
	.port = "0",
	.to = "02:69:6f:00:01:01",
	.hist = "/tmp/h.csv",
	.rate = 10000,
	.size = 64,
	.runtime_s = 10,
	.lat_rate = 1000,
};

/* the fixture's run: rate pps for runtime s */
static int parse(const char *name, const char *out_file,
		 const char *hist_file, int64_t rate, int64_t runtime,
		 struct loadgen_report *r)
{
	const struct generator_def *g = generator_find(name);
	struct generator_args a = args_10s;
	struct strbuf out = STRBUF_INIT, hist = STRBUF_INIT;
	char why[128];
	int ret;

	assert_non_null(g);
	unit_read(out_file, &out);
	if (hist_file)
		unit_read(hist_file, &hist);
	a.rate = rate;
	a.runtime_s = runtime;
	loadgen_report_init(r);
	ret = g->parse(&a, out.buf, out.len,
		       hist_file ? hist.buf : NULL, hist.len, r, why,
		       sizeof(why));
	strbuf_release(&out);
	strbuf_release(&hist);
	return ret;
}

static void test_moongen_samples_line(void **state)
{
	struct loadgen_report r;

	(void)state;
	/* VFIO passthrough and MoonGen's reflector at 10 kpps */
	assert_int_equal(parse("moongen",
			       "tests/data/generators/moongen/"
			       "run-vfio-moongen.txt",
			       NULL, 10000, 38, &r),
			 0);
	/* the samples are the latency frames, the rest of TX the load */
	assert_int_equal(r.sent_lat, 63776);
	assert_int_equal(r.recv_lat, 63776);
	assert_int_equal(r.sent_load, 379080 - 63776);
	assert_int_equal(r.recv_load, 377568 - 63776);
	assert_int_equal(r.errors, 0);
	assert_true(r.seconds == 38);
	assert_int_equal(r.offered, 380000);
	assert_true(fabs(r.rate_mean - 10000) < 1e-6);
	assert_string_equal(r.tx_stamp, "hardware");
	loadgen_report_release(&r);
}

static void test_moongen_histogram(void **state)
{
	struct loadgen_report r;

	(void)state;
	/* the 1 Mpps run, with MoonGen's histogram file */
	assert_int_equal(parse("moongen",
			       "tests/data/generators/moongen/run-1mpps.txt",
			       "tests/data/generators/moongen/"
			       "histogram-head.csv",
			       1000000, 30, &r),
			 0);
	/* 6+26+9+38+138+330+85+287+419+1056 frames of the file */
	assert_int_equal(r.actual.total, 2394);
	assert_int_equal(r.sent_lat, 2394);
	assert_int_equal(r.sent_load, 30282282 - 2394);
	assert_int_equal(r.recv_load, 30282282 - 2394);
	/* the [WARN] Failed to timestamp line */
	assert_int_equal(r.errors, 1);
	assert_true(fabs(r.rate_mean - 1.01e6) < 1e-3);
	/* the lowest value, 3744 ns, within the histogram's 0.4 % */
	assert_true(fabs(hist_percentile(&r.actual, 0.1) - 3744) <
		    3744 * 0.004);
	/* 1056 of 2394 at 3776 ns: the median is 3770 (419 from 918) */
	assert_true(fabs(hist_percentile(&r.actual, 50) - 3770) < 3770 * 0.004);
	loadgen_report_release(&r);
}

static void test_moongen_refused(void **state)
{
	const struct generator_def *g = generator_find("moongen");
	struct loadgen_report r;
	char why[128];
	const char *only_rx = "[Device: id=0] RX: 0.01 (StdDev 0.00) Mpps, 7 "
			      "(StdDev 0) Mbit/s, total 5 packets with 320 "
			      "bytes (incl. CRC)\n";

	(void)state;
	loadgen_report_init(&r);
	assert_int_equal(g->parse(&args_10s, only_rx, strlen(only_rx), NULL,
				  0, &r, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "RX and TX"));
	loadgen_report_release(&r);
	assert_int_equal(parse("moongen",
			       "tests/data/generators/moongen/run-1mpps.txt",
			       "tests/data/generators/moongen/run-1mpps.txt",
			       1000000, 30, &r),
			 -1);
	loadgen_report_release(&r);
	/* a run that sent more than twice the offered load is not this one */
	assert_int_equal(parse("moongen",
			       "tests/data/generators/moongen/run-1mpps.txt",
			       NULL, 10000, 10, &r),
			 -1);
	loadgen_report_release(&r);
}

static void test_trex(void **state)
{
	struct loadgen_report r;

	(void)state;
	assert_int_equal(parse("trex", "tests/data/generators/trex/stats.json",
			       NULL, 8000000, 10, &r),
			 0);
	assert_int_equal(r.sent_load, 80000000);
	assert_int_equal(r.recv_load, 79980020);
	assert_int_equal(r.sent_lat, 10001);
	assert_int_equal(r.recv_lat, 9992);
	/* every bucket of TRex's histogram, at its middle */
	assert_int_equal(r.actual.total, 9992);
	/* 120 in 0-10 us, 8200 in 10-20: the median is 15 us */
	assert_true(fabs(hist_percentile(&r.actual, 50) - 15000) <
		    15000 * 0.004);
	/* 12 in 200-300 us: the top is about 250 us */
	assert_true(fabs(hist_max(&r.actual) - 250000) < 250000 * 0.01);
	assert_true(r.seconds == 10);
	assert_true(r.rate_mean == 7999800.0);
	assert_true(r.rate_sd == 1500.0);
	loadgen_report_release(&r);
}

static void test_trex_refused(void **state)
{
	const struct generator_def *g = generator_find("trex");
	static const char *const bad[] = {
		"", "[]", "{\"flow_stats\": {}}", "{\"flow_stats\": ",
		"{\"flow_stats\": {\"1\": {\"tx_pkts\": {\"total\": 5}, "
		"\"rx_pkts\": {\"total\": 5}}, \"2\": {\"tx_pkts\": "
		"{\"total\": 1}, \"rx_pkts\": {\"total\": 1}}}}",
	};
	struct loadgen_report r;
	char why[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		loadgen_report_init(&r);
		assert_int_equal(g->parse(&args_10s, bad[i], strlen(bad[i]),
					  NULL, 0, &r, why, sizeof(why)),
				 -1);
		loadgen_report_release(&r);
	}
}

static void test_json_scan(void **state)
{
	const char *doc = " {\"a\": [1, {\"x\": \"}\"}], \"b\\\"\": true, "
			  "\"c\": {\"d\": -2.5e3}} ";
	struct json_span root, c, v;
	const char *pos = NULL;
	char key[8];
	double d;
	char deep[2 * (JSON_SCAN_DEPTH + 4) + 1];
	size_t i;

	(void)state;
	assert_int_equal(json_scan_root(doc, strlen(doc), &root), 0);
	assert_int_equal(json_scan_next(&root, &pos, key, sizeof(key), &v), 1);
	assert_string_equal(key, "a");
	assert_int_equal(json_scan_next(&root, &pos, key, sizeof(key), &v), 1);
	assert_string_equal(key, "b\\\"");
	assert_int_equal(json_scan_get(&root, "c", &c), 0);
	assert_int_equal(json_scan_get_number(&c, "d", &d), 0);
	assert_true(d == -2500);
	assert_int_equal(json_scan_get(&root, "e", &v), -1);
	assert_int_equal(json_scan_root("{\"a\": 1", 7, &root), -1);
	assert_int_equal(json_scan_root("{} x", 4, &root), -1);
	/* nesting beyond the bound is refused, not recursed into */
	for (i = 0; i < JSON_SCAN_DEPTH + 4; i++) {
		deep[i] = '[';
		deep[2 * (JSON_SCAN_DEPTH + 4) - 1 - i] = ']';
	}
	deep[2 * (JSON_SCAN_DEPTH + 4)] = '\0';
	assert_int_equal(json_scan_root(deep, strlen(deep), &root), -1);
}

static void test_argv(void **state)
{
	struct strv argv = STRV_INIT;
	struct strbuf line = STRBUF_INIT;
	struct generator_args a = args_10s;

	(void)state;
	a.rate = 2500000;
	generator_find("moongen")->argv(&a, &argv);
	strv_join(&argv, &line);
	/* autotest's script: kpps, sizes without the FCS */
	assert_string_equal(line.buf,
			    "MoonGen l2-load-latency.lua 0 02:69:6f:00:01:01 "
			    "-r 2500 -s 60 -f /tmp/h.csv -T 10");
	strv_clear(&argv);
	strbuf_release(&line);
}

/* the builtin generator's --threads: only when more than one */
static void test_argv_threads(void **state)
{
	struct strv argv = STRV_INIT;
	struct strbuf line = STRBUF_INIT;
	struct generator_args a = args_10s;

	(void)state;
	a.threads = 1;
	generator_find("builtin")->argv(&a, &argv);
	strv_join(&argv, &line);
	assert_null(strstr(line.buf, "--threads"));
	strv_clear(&argv);
	strbuf_reset(&line);
	a.threads = 2;
	generator_find("builtin")->argv(&a, &argv);
	strv_join(&argv, &line);
	assert_non_null(strstr(line.buf, " --threads 2 --ready"));
	strv_clear(&argv);
	strbuf_release(&line);
}

static void test_testpmd(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct testpmd_counts c;
	const char *per_port = "  ---- Forward statistics for port 0 ----\n"
			       "  RX-packets: 7 RX-dropped: 1 RX-total: 8\n"
			       "  TX-packets: 6 TX-dropped: 2 TX-total: 8\n";

	(void)state;
	/* real output of dpdk-testpmd 22.11 on af_packet, here */
	unit_read("tests/data/testpmd/macswap-af_packet.out", &out);
	assert_true(testpmd_report_ready(out.buf, out.len));
	assert_int_equal(testpmd_report_parse(out.buf, out.len, &c), 0);
	assert_int_equal(c.rx, 2);
	assert_int_equal(c.tx, 2);
	assert_int_equal(c.rx_dropped + c.tx_dropped, 0);
	assert_int_equal(testpmd_report_parse(per_port, strlen(per_port), &c),
			 0);
	assert_int_equal(c.rx, 7);
	assert_int_equal(c.tx_dropped, 2);
	/* cut before its TX line: nothing */
	assert_int_equal(testpmd_report_parse(per_port, 80, &c), -1);
	assert_false(testpmd_report_ready(per_port, strlen(per_port)));
	strbuf_release(&out);
}

static void test_factors(void **state)
{
	char why[128], buf[32];
	int64_t v;

	(void)state;
	assert_int_equal(factor_parse(F_LOSS_THRESHOLD, "0.001%", &v, why,
				      sizeof(why)),
			 0);
	assert_int_equal(v, 1);
	assert_int_equal(factor_parse(F_LOSS_THRESHOLD, "1", &v, why,
				      sizeof(why)),
			 0);
	assert_int_equal(v, 1000);
	assert_true(factor_is_implicit(F_LOSS_THRESHOLD, 1000));
	factor_format_human(F_LOSS_THRESHOLD, 100, buf, sizeof(buf));
	assert_string_equal(buf, "0.1%");
	assert_int_equal(factor_parse(F_LOSS_THRESHOLD, "0.0001%", &v, why,
				      sizeof(why)),
			 -EINVAL);
	assert_int_equal(factor_parse(F_LOSS_THRESHOLD, "101%", &v, why,
				      sizeof(why)),
			 -ERANGE);
	assert_int_equal(factor_parse(F_COOLDOWN, "50ms", &v, why,
				      sizeof(why)),
			 0);
	assert_int_equal(v, 50);
	assert_int_equal(factor_parse(F_GENERATOR, "pktgen", &v, why,
				      sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "builtin, moongen, trex"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_moongen_samples_line),
		cmocka_unit_test(test_moongen_histogram),
		cmocka_unit_test(test_moongen_refused),
		cmocka_unit_test(test_trex),
		cmocka_unit_test(test_trex_refused),
		cmocka_unit_test(test_json_scan),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_argv_threads),
		cmocka_unit_test(test_testpmd),
		cmocka_unit_test(test_factors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
