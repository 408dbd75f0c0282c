// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The line a load generator prints when it stops, formatted and parsed
 * back, found among the other output of a guest, and refused in every
 * malformed form.
 */
#include "unit.h"

#include <math.h>

#include "core/load_report.h"
#include "util/alloc.h"

/*
 * The parser gets a copy of the text without its NUL, in a buffer of
 * exactly len bytes: under ASan a read past len is an error.
 */
static int parse_n(const char *text, size_t len, struct load_report *r)
{
	char *buf = xmalloc(len ? len : 1);
	int rc;

	memcpy(buf, text, len);
	rc = load_report_parse(buf, len, r);
	free(buf);
	return rc;
}

static int parse(const char *text, struct load_report *r)
{
	return parse_n(text, strlen(text), r);
}

#define GOOD "load net packets=1000 bytes=64000 errors=2 seconds=1.5 " \
	     "cpu_seconds=0.25"

static void assert_report(const struct load_report *r, enum load_role role,
			  uint64_t packets, uint64_t bytes, uint64_t errors,
			  double seconds, double cpu_seconds)
{
	assert_int_equal(r->role, role);
	assert_int_equal(r->packets, packets);
	assert_int_equal(r->bytes, bytes);
	assert_int_equal(r->errors, errors);
	assert_true(r->seconds == seconds);
	assert_true(r->cpu_seconds == cpu_seconds);
}

static void test_roles(void **state)
{
	(void)state;
	assert_string_equal(load_role_name(LOAD_ROLE_CPU), "cpu");
	assert_string_equal(load_role_name(LOAD_ROLE_NET), "net");
	assert_string_equal(load_role_name(LOAD_ROLE_SINK), "sink");
	assert_string_equal(load_role_name(LOAD_ROLE_COUNT), "?");
	assert_string_equal(load_role_name((enum load_role)-1), "?");
	assert_int_equal(load_role_find("cpu"), LOAD_ROLE_CPU);
	assert_int_equal(load_role_find("net"), LOAD_ROLE_NET);
	assert_int_equal(load_role_find("sink"), LOAD_ROLE_SINK);
	assert_int_equal(load_role_find("?"), -1);
	assert_int_equal(load_role_find(""), -1);
	assert_int_equal(load_role_find("Net"), -1);
	assert_int_equal(load_role_find("sinks"), -1);
}

static void test_format(void **state)
{
	struct load_report r = {.role = LOAD_ROLE_NET, .packets = 1000,
				.bytes = 64000, .errors = 2, .seconds = 1.5,
				.cpu_seconds = 0.25};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	load_report_format(&r, &sb);
	assert_string_equal(sb.buf, "load net packets=1000 bytes=64000 "
				    "errors=2 seconds=1.500000 "
				    "cpu_seconds=0.250000\n");
	strbuf_release(&sb);
}

/* Every role, with small, large and extreme counters, formats and parses
 * back to the same report (seconds to the microsecond). */
static void test_round_trip(void **state)
{
	static const struct {
		uint64_t packets, bytes, errors;
		double seconds, cpu_seconds;
	} v[] = {
	    {0, 0, 0, 0, 0},
	    {1, 84, 0, 0.000001, 0.5},
	    {14880952, 999999936, 3, 10.000125, 7.75},
	    {UINT64_MAX, UINT64_MAX, UINT64_MAX, 1e9, 123456.789012},
	};
	int role;
	size_t i;

	(void)state;
	for (role = 0; role < LOAD_ROLE_COUNT; role++) {
		for (i = 0; i < ARRAY_SIZE(v); i++) {
			struct load_report r = {
			    .role = (enum load_role)role,
			    .packets = v[i].packets, .bytes = v[i].bytes,
			    .errors = v[i].errors, .seconds = v[i].seconds,
			    .cpu_seconds = v[i].cpu_seconds};
			struct load_report got;
			struct strbuf sb = STRBUF_INIT;

			load_report_format(&r, &sb);
			if (parse(sb.buf, &got))
				fail_msg("cannot parse back '%s'", sb.buf);
			assert_int_equal(got.role, role);
			assert_int_equal(got.packets, v[i].packets);
			assert_int_equal(got.bytes, v[i].bytes);
			assert_int_equal(got.errors, v[i].errors);
			assert_true(fabs(got.seconds - v[i].seconds) <=
				    1e-6 * fmax(1, v[i].seconds));
			assert_true(fabs(got.cpu_seconds - v[i].cpu_seconds) <=
				    1e-6 * fmax(1, v[i].cpu_seconds));
			/* without its newline too */
			assert_int_equal(parse_n(sb.buf, sb.len - 1, &got), 0);
			assert_int_equal(got.packets, v[i].packets);
			strbuf_release(&sb);
		}
	}
}

/* The last valid line wins, among whatever else the guest printed. */
static void test_parse_in_text(void **state)
{
	struct load_report r;

	(void)state;
	assert_int_equal(parse(GOOD, &r), 0);
	assert_report(&r, LOAD_ROLE_NET, 1000, 64000, 2, 1.5, 0.25);

	assert_int_equal(
	    parse("ready\n"
		  "load cpu packets=0 bytes=0 errors=0 seconds=30 "
		  "cpu_seconds=29.5\n"
		  "warning: sendto: No buffer space available\n"
		  "load sink packets=5 bytes=320 errors=0 seconds=2 "
		  "cpu_seconds=0.125\n"
		  "load net packets=1 bytes=2 errors=3\n" /* cut short */
		  "load net packets=1 bytes=2 errors=3 seconds=4 "
		  "cpu_seconds=5 junk\n"
		  "\n"
		  "stopped\n",
		  &r),
	    0);
	assert_report(&r, LOAD_ROLE_SINK, 5, 320, 0, 2, 0.125);

	/* the last line needs no newline; empty lines and NULs are text */
	assert_int_equal(
	    parse_n("noise\n\n" GOOD "\n\0\n" GOOD "x\nload cpu packets=7 "
		    "bytes=8 errors=9 seconds=10 cpu_seconds=11",
		    sizeof("noise\n\n" GOOD "\n\0\n" GOOD "x\nload cpu "
			   "packets=7 bytes=8 errors=9 seconds=10 "
			   "cpu_seconds=11") - 1,
		    &r),
	    0);
	assert_report(&r, LOAD_ROLE_CPU, 7, 8, 9, 10, 11);

	/* the keys in any order */
	assert_int_equal(parse("load sink cpu_seconds=1 seconds=2 errors=3 "
			       "bytes=4 packets=5\n",
			       &r),
			 0);
	assert_report(&r, LOAD_ROLE_SINK, 5, 4, 3, 2, 1);

	/* the load line is a whole line, not the end of one */
	assert_int_not_equal(parse("stderr: " GOOD "\n", &r), 0);
	assert_int_not_equal(parse("ready\nstopped\n", &r), 0);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "\n",
	    "\n\n\n",
	    "load",
	    "load ",
	    "load net",
	    "load net ",
	    "loadnet packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "Load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    /* unknown role */
	    "load dpdk packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load NET packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load network packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    /* a key missing, each in turn */
	    "load net bytes=64000 errors=2 seconds=1.5 cpu_seconds=0.25",
	    "load net packets=1000 errors=2 seconds=1.5 cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 seconds=1.5 cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5",
	    /* a key twice: instead of another one, and in addition */
	    "load net packets=1000 packets=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25 seconds=1.5",
	    /* an unknown key, a key without value, a value without key */
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25 drops=0",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_second=0.25",
	    "load net Packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets= bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds= "
	    "cpu_seconds=0.25",
	    "load net =1000 packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    /* negative numbers, signs */
	    "load net packets=-1 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=-64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=-0 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=-1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=-0.25",
	    "load net packets=+1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=+1.5 "
	    "cpu_seconds=0.25",
	    /* ... also behind white space strtoull() would skip */
	    "load net packets=\t-1 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=\t1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=\v1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=\t-1.5 "
	    "cpu_seconds=0.25",
	    /* overflowing numbers */
	    "load net packets=18446744073709551616 bytes=64000 errors=2 "
	    "seconds=1.5 cpu_seconds=0.25",
	    "load net packets=1000 bytes=99999999999999999999 errors=2 "
	    "seconds=1.5 cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 "
	    "errors=1234567890123456789012345678901234567890 "
	    "seconds=1.5 cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1e999 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1e10 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=1000000001",
	    /* not numbers */
	    "load net packets=1k bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=0x10 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1.0 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5s "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1,5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=. "
	    "cpu_seconds=0.25",
	    /* nan and inf */
	    "load net packets=1000 bytes=64000 errors=2 seconds=nan "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=NAN "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=nan(1) "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=inf",
	    "load net packets=1000 bytes=64000 errors=2 seconds=infinity "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=-inf "
	    "cpu_seconds=0.25",
	    /* white space other than one space between words */
	    "load  net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net  packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000  bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5  "
	    "cpu_seconds=0.25",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25 ",
	    " load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load\tnet packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000\tbytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets= 1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets =1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    /* trailing garbage */
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25x",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25 x",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25=",
	    "load net packets=1000 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25\t",
	    "load net packets=1000x bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	    "load net packets=1000=1 bytes=64000 errors=2 seconds=1.5 "
	    "cpu_seconds=0.25",
	};
	struct load_report r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse(bad[i], &r) != -1)
			fail_msg("parsed '%s'", bad[i]);
	}
}

/*
 * Only len bytes are read, and a NUL in them is not an end: it is part
 * of the line, which it spoils.
 */
static void test_parse_len(void **state)
{
	static const char text[] = "load cpu packets=1 bytes=2 errors=3 "
				   "seconds=4 cpu_seconds=55";
	static const char nul[] = "load cpu packets=1\0 bytes=2 errors=3 "
				  "seconds=4 cpu_seconds=5";
	static const char nul2[] = "load cpu packets=1 bytes=2 errors=3 "
				   "seconds=4 cpu_seconds=5\0junk";
	struct load_report r;

	(void)state;
	assert_int_equal(parse_n(text, sizeof(text) - 1, &r), 0);
	assert_true(r.cpu_seconds == 55);
	assert_int_equal(parse_n(text, sizeof(text) - 2, &r), 0);
	assert_true(r.cpu_seconds == 5);
	assert_int_equal(parse_n(text, sizeof(text) - 3, &r), -1);
	assert_int_equal(parse_n(text, 0, &r), -1);
	assert_int_equal(parse_n(text, 5, &r), -1);
	assert_int_equal(parse_n(nul, sizeof(nul) - 1, &r), -1);
	assert_int_equal(parse_n(nul2, sizeof(nul2) - 1, &r), -1);
	assert_int_equal(parse_n(nul2, sizeof(nul2) - 6, &r), 0);
}

static void test_rates(void **state)
{
	struct load_report r = {.role = LOAD_ROLE_NET, .packets = 1000,
				.bytes = 64000, .errors = 0, .seconds = 0};

	(void)state;
	/* it did not run: 0, not a division by 0 */
	assert_true(load_report_pps(&r) == 0);
	assert_true(load_report_bps(&r) == 0);
	r.packets = r.bytes = 0;
	assert_true(load_report_pps(&r) == 0);
	assert_true(load_report_bps(&r) == 0);

	r.packets = 1000;
	r.bytes = 64000;
	r.seconds = 0.5;
	assert_true(load_report_pps(&r) == 2000);
	assert_true(load_report_bps(&r) == 1024000);

	/* 64-byte frames at line rate of 10 Gb/s for 4 s (no preamble) */
	r.packets = 4 * 14880952ull;
	r.bytes = r.packets * 64;
	r.seconds = 4;
	assert_true(load_report_pps(&r) == 14880952);
	assert_true(load_report_bps(&r) == 14880952.0 * 64 * 8);

	/* parsed, then rated */
	assert_int_equal(parse(GOOD, &r), 0);
	assert_true(load_report_pps(&r) == 1000 / 1.5);
	assert_true(load_report_bps(&r) == 64000 * 8 / 1.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_parse_in_text),
	    cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_parse_len),
	    cmocka_unit_test(test_rates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
