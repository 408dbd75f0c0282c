// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <math.h>

#include "unit.h"

#include "core/probe.h"
#include "core/records.h"
#include "util/alloc.h"

#define T0 1700000000000000000LL

static void meta_init(struct probe_meta *m, uint64_t count)
{
	memset(m, 0, sizeof(*m));
	m->kind = PROBE_UDP;
	strcpy(m->target, "198.18.0.2");
	m->port = 7;
	m->rate = 10000;
	m->count = count;
	m->size = 1518;
	m->session = 0xdeadbeef;
	m->started = T0;
}

/* Distinct, in-range values in every field of record i. */
static void rec_init(struct probe_rec *r, uint32_t i)
{
	memset(r, 0, sizeof(*r));
	r->seq = i;
	r->flags = i % 2 ? PROBE_TX_SW | PROBE_RX_SW : PROBE_SEND_ERROR;
	r->replies = i % 3;
	r->t_sched = T0 + i * 100000LL;
	r->t_tx_user = r->t_sched + 700 + i;
	r->t_tx = i % 5 ? r->t_tx_user + 900 : 0;
	r->t_rx = r->t_tx ? r->t_tx + 25000 + i * 3 : 0;
	r->t_rx_user = INT64_MAX - i;
}

/* Format m and in[0..n), parse it back: the same meta and records. */
static void round_trip(const struct probe_meta *pm, const struct probe_rec *in,
		       size_t n)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct probe_meta m = *pm, got;
	struct probe_rec *out = NULL;
	size_t i, nout = 12345;

	records_format(&m, in, n, &text);
	if (records_parse(text.buf, text.len, &got, &out, &nout, &err))
		fail_msg("%zu records: %s", n, err.buf);
	assert_string_equal(err.buf, "");
	assert_non_null(out);
	assert_int_equal(nout, n);
	assert_int_equal(got.kind, m.kind);
	assert_string_equal(got.target, m.target);
	assert_int_equal(got.port, m.port);
	assert_int_equal(got.rate, m.rate);
	assert_int_equal(got.count, m.count);
	assert_int_equal(got.size, m.size);
	assert_int_equal(got.session, m.session);
	assert_int_equal(got.started, m.started);
	for (i = 0; i < n; i++) {
		assert_int_equal(out[i].seq, in[i].seq);
		assert_int_equal(out[i].flags, in[i].flags);
		assert_int_equal(out[i].replies, in[i].replies);
		assert_int_equal(out[i].t_sched, in[i].t_sched);
		assert_int_equal(out[i].t_tx_user, in[i].t_tx_user);
		assert_int_equal(out[i].t_tx, in[i].t_tx);
		assert_int_equal(out[i].t_rx, in[i].t_rx);
		assert_int_equal(out[i].t_rx_user, in[i].t_rx_user);
	}
	free(out);
	strbuf_release(&text);
	strbuf_release(&err);
}

static void test_round_trip(void **state)
{
	static const size_t sizes[] = {0, 1, 2, 1000};
	struct probe_rec *r = xcalloc(1000, sizeof(*r));
	struct probe_meta m;
	size_t i, j;

	(void)state;
	for (i = 0; i < 1000; i++)
		rec_init(&r[i], (uint32_t)i);
	for (j = 0; j < ARRAY_SIZE(sizes); j++) {
		meta_init(&m, sizes[j]);
		round_trip(&m, r, sizes[j]);
	}
	free(r);
}

/* The largest value of every field survives the trip. */
static void test_round_trip_limits(void **state)
{
	struct probe_rec r = {
		.seq = 0,
		.flags = UINT32_MAX,
		.replies = UINT32_MAX,
		.t_sched = INT64_MAX,
		.t_tx_user = INT64_MAX,
		.t_tx = INT64_MAX,
		.t_rx = INT64_MAX,
		.t_rx_user = INT64_MAX,
	};
	struct probe_meta m;

	(void)state;
	meta_init(&m, 1);
	memset(m.target, 'x', sizeof(m.target) - 1);
	m.port = 65535;
	m.rate = UINT32_MAX;
	m.size = 65535;
	m.session = UINT32_MAX;
	m.started = INT64_MAX;
	round_trip(&m, &r, 1);
	m.count = 0;
	m.target[0] = '\0'; /* an empty target is still a target line */
	m.port = m.size = m.session = 0;
	m.rate = 0;
	m.started = 0;
	round_trip(&m, NULL, 0);
}

static const char header[] = "iovbench-probes 1\n"
			     "kind icmp\n"
			     "target 198.18.0.2\n"
			     "port 0\n"
			     "rate 1000\n"
			     "count 2\n"
			     "size 64\n"
			     "session 42\n"
			     "started 1700000000000000000\n"
			     "seq sched tx_user tx rx rx_user replies flags\n";

static void test_format(void **state)
{
	struct strbuf text = STRBUF_INIT;
	struct probe_meta m;
	struct probe_rec r[2] = {
		{.seq = 0, .t_sched = 10, .t_tx_user = 11, .t_tx = 12,
		 .t_rx = 20, .t_rx_user = 21, .replies = 1,
		 .flags = PROBE_TX_SW | PROBE_RX_SW},
		{.seq = 1, .t_sched = 30, .t_tx_user = 31,
		 .flags = PROBE_SEND_ERROR},
	};

	(void)state;
	meta_init(&m, 2);
	m.kind = PROBE_ICMP;
	m.port = 0;
	m.rate = 1000;
	m.size = 64;
	m.session = 42;
	records_format(&m, r, 2, &text);
	assert_int_equal(strncmp(text.buf, header, strlen(header)), 0);
	assert_string_equal(text.buf + strlen(header), "0 10 11 12 20 21 1 5\n"
						       "1 30 31 0 0 0 0 32\n");
	strbuf_release(&text);
}

/* header + rows must parse into n records, the last with flags 5. */
/* The hand-made row is printf's, digit for digit, at the limits too. */
static void test_format_row_is_printf(void **state)
{
	const int64_t edge[] = {0, 1, -1, 9, 10, -10, 999999999,
				INT64_MAX, INT64_MIN, INT64_MIN + 1,
				1764690000123456789LL};
	uint64_t x = 88172645463325252ULL;
	unsigned i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		struct probe_rec r;
		char got[RECORD_LINE_MAX], want[RECORD_LINE_MAX];
		int n;

		/* xorshift: every bit pattern is as likely */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r.seq = (uint32_t)x;
		r.t_sched = i < ARRAY_SIZE(edge) ? edge[i] : (int64_t)x;
		r.t_tx_user = (int64_t)(x >> (i % 64));
		r.t_tx = -(int64_t)(x >> 3);
		r.t_rx = i < ARRAY_SIZE(edge) ? edge[ARRAY_SIZE(edge) - 1 - i] :
						(int64_t)(x * 3);
		r.t_rx_user = (int64_t)(x ^ 0x5555);
		r.replies = (uint32_t)(x >> 32);
		r.flags = i % 2 ? UINT32_MAX : 0;
		n = records_format_row(&r, got, sizeof(got));
		assert_int_equal(
			n, snprintf(want, sizeof(want),
				    "%" PRIu32 " %" PRId64 " %" PRId64
				    " %" PRId64 " %" PRId64 " %" PRId64
				    " %" PRIu32 " %" PRIu32 "\n",
				    r.seq, r.t_sched, r.t_tx_user, r.t_tx,
				    r.t_rx, r.t_rx_user, r.replies, r.flags));
		assert_string_equal(got, want);
	}
}

static void accept(const char *hdr, const char *rows, size_t n)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct probe_rec *r = NULL;
	struct probe_meta m;
	size_t got = 0;

	strbuf_addstr(&text, hdr);
	strbuf_addstr(&text, rows);
	if (records_parse(text.buf, text.len, &m, &r, &got, &err))
		fail_msg("rejected (%s):\n%s", err.buf, text.buf);
	assert_int_equal(got, n);
	assert_int_equal(r[n - 1].flags, 5);
	free(r);
	strbuf_release(&text);
	strbuf_release(&err);
}

/* header + rows must fail with exactly msg. */
static void reject(const char *hdr, const char *rows, const char *msg)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct probe_rec *r = NULL;
	struct probe_meta m;
	size_t n = 777;

	strbuf_addstr(&text, hdr);
	strbuf_addstr(&text, rows);
	if (records_parse(text.buf, text.len, &m, &r, &n, &err) != -1)
		fail_msg("accepted:\n%s", text.buf);
	if (strcmp(err.buf, msg))
		fail_msg("got '%s', want '%s' for:\n%s", err.buf, msg,
			 text.buf);
	assert_null(r);
	assert_int_equal(n, 777);
	strbuf_release(&text);
	strbuf_release(&err);
}

/* The header with line no. (1-based) replaced by with ("" drops it). */
static char *header_with(unsigned no, const char *with)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = header, *nl;
	unsigned line = 1;

	for (; *p; p = nl + 1, line++) {
		nl = strchr(p, '\n');
		if (line == no)
			strbuf_addstr(&sb, with);
		else
			strbuf_add(&sb, p, (size_t)(nl - p + 1));
	}
	return strbuf_detach(&sb, NULL);
}

static void reject_header(unsigned no, const char *with, const char *msg)
{
	char *h = header_with(no, with);

	reject(h, "0 1 2 3 4 5 1 5\n1 1 2 3 4 5 1 5\n", msg);
	free(h);
}

static void test_reject_header(void **state)
{
	(void)state;
	reject_header(1, "iovbench-probes 2\n", "line 1: bad records header");
	reject_header(1, "", "line 1: bad records header");
	reject_header(2, "kind tcp\n", "line 2: bad records header");
	reject_header(2, "kind\n", "line 2: bad records header");
	/* a missing field: "rate" is where "port" should be */
	reject_header(4, "", "line 4: bad records header");
	reject_header(10, "", "line 10: bad records header");
	reject_header(4, "port 65536\n", "line 4: bad records header");
	reject_header(4, "port  7\n", "line 4: bad records header");
	reject_header(5, "rate fast\n", "line 5: bad records header");
	reject_header(5, "rate 10k\n", "line 5: bad records header");
	reject_header(5, "rate +5\n", "line 5: bad records header");
	reject_header(6, "count 50000001\n", "line 6: bad records header");
	reject_header(8, "session -1\n", "line 8: bad records header");
	reject_header(8, "session 4294967296\n", "line 8: bad records header");
	reject_header(9, "started -1\n", "line 9: bad records header");
	reject_header(9, "started 9223372036854775808\n",
		      "line 9: bad records header");
	reject_header(3, "target 0123456789012345678901234567890123456789"
			 "012345678901234567890123\n",
		      "line 3: bad records header");
	/* the text ends inside the header */
	reject("", "", "line 1: bad records header");
	reject("iovbench-probes 1\nkind icmp\n", "",
	       "line 3: bad records header");
	reject("iovbench-probes 1\nkind icmp\ntarget 198.18", "",
	       "line 3: bad records header");
}

static void test_reject_records(void **state)
{
	char *h1 = header_with(6, "count 1\n");
	char *h3 = header_with(6, "count 3\n");
	struct strbuf long_line = STRBUF_INIT;

	(void)state;
	reject(header, "0 1 2 3 4 x 1 5\n1 1 2 3 4 5 1 5\n",
	       "line 11: bad record");
	reject(header, "0 1 2 3 4 5 1 5\n1 1 2 -3 4 5 1 5\n",
	       "line 12: bad record");
	reject(header, "-0 1 2 3 4 5 1 5\n1 1 2 3 4 5 1 5\n",
	       "line 11: bad record");
	/* seven fields, nine fields, a double space, a trailing space */
	reject(header, "0 1 2 3 4 5 1\n", "line 11: bad record");
	reject(header, "0 1 2 3 4 5 1 5 6\n", "line 11: bad record");
	reject(header, "0 1  2 3 4 5 1 5\n", "line 11: bad record");
	reject(header, "0 1 2 3 4 5 1 5 \n", "line 11: bad record");
	reject(header, "\n", "line 11: bad record");
	/* out of range: a time above INT64_MAX, replies above UINT32_MAX */
	reject(header, "0 9223372036854775808 2 3 4 5 1 5\n",
	       "line 11: bad record");
	reject(header, "0 1 2 3 4 5 4294967296 5\n", "line 11: bad record");
	reject(header, "0 1 2 3 4 5 1 99999999999999999999\n",
	       "line 11: bad record");
	/* seq must count 0, 1, 2...: out of order, repeated, skipped */
	reject(header, "1 1 2 3 4 5 1 5\n0 1 2 3 4 5 1 5\n",
	       "line 11: bad record");
	reject(header, "0 1 2 3 4 5 1 5\n0 1 2 3 4 5 1 5\n",
	       "line 12: bad record");
	reject(header, "0 1 2 3 4 5 1 5\n2 1 2 3 4 5 1 5\n",
	       "line 12: bad record");

	reject(h1, "0 1 2 3 4 5 1 5\n1 1 2 3 4 5 1 5\n",
	       "line 12: more records than the 1 announced");
	reject(h3, "0 1 2 3 4 5 1 5\n1 1 2 3 4 5 1 5\n",
	       "2 records, 3 announced");
	reject(header, "", "0 records, 2 announced");

	/* the last line lacks its newline: the prober died mid-write */
	reject(header, "0 1 2 3 4 5 1 5\n1 1 2 3 4 5 1 5",
	       "line 12: truncated or overlong line");
	reject(header, "0 1 2 3 4 5 1 5\n1",
	       "line 12: truncated or overlong line");

	/* 511 characters fit the line buffer; 512 do not */
	strbuf_addstr(&long_line, "0 1 2 3 4 5 1 5\n1 1 2 3 4 5 1 ");
	strbuf_addchars(&long_line, '0', 511 - 15);
	strbuf_addstr(&long_line, "5\n");
	accept(header, long_line.buf, 2);
	strbuf_reset(&long_line);
	strbuf_addstr(&long_line, "0 1 2 3 4 5 1 5\n1 1 2 3 4 5 1 ");
	strbuf_addchars(&long_line, '0', 512 - 15);
	strbuf_addstr(&long_line, "5\n");
	reject(header, long_line.buf, "line 12: truncated or overlong line");

	strbuf_release(&long_line);
	free(h1);
	free(h3);
}

static void test_rtt(void **state)
{
	struct probe_rec r = {
		.replies = 1,
		.t_sched = 1000,
		.t_tx_user = 1100,
		.t_tx = 1200,
		.t_rx = 31200,
		.t_rx_user = 35100,
		.flags = PROBE_TX_SW | PROBE_RX_SW,
	};

	(void)state;
	assert_int_equal(probe_rtt(&r), 30000);
	assert_int_equal(probe_rtt_user(&r), 34000);
	assert_int_equal(probe_pacing_error(&r), 100);
	r.flags = PROBE_TX_HW | PROBE_RX_HW;
	assert_int_equal(probe_rtt(&r), 30000);
	/* never a software stamp subtracted from a hardware one */
	r.flags = PROBE_TX_HW | PROBE_RX_SW;
	assert_int_equal(probe_rtt(&r), -1);
	r.flags = PROBE_TX_SW | PROBE_RX_HW;
	assert_int_equal(probe_rtt(&r), -1);
	r.flags = PROBE_TX_SW;
	assert_int_equal(probe_rtt(&r), -1);
	r.flags = 0;
	assert_int_equal(probe_rtt(&r), -1);
	/* the user-space RTT needs no stamps */
	assert_int_equal(probe_rtt_user(&r), 34000);

	r.flags = PROBE_TX_SW | PROBE_RX_SW;
	r.t_rx = 0;
	assert_int_equal(probe_rtt(&r), -1);
	r.t_rx = 31200;
	r.t_tx = 0;
	assert_int_equal(probe_rtt(&r), -1);
	r.t_tx = 1200;
	r.replies = 0; /* unanswered */
	assert_int_equal(probe_rtt(&r), -1);
	assert_int_equal(probe_rtt_user(&r), -1);
	r.replies = 2; /* duplicated: the first reply counts */
	assert_int_equal(probe_rtt(&r), 30000);
	r.t_rx_user = 0;
	assert_int_equal(probe_rtt_user(&r), -1);

	/* late departures are positive, early ones negative */
	r.t_tx_user = 950;
	assert_int_equal(probe_pacing_error(&r), -50);
	r.flags |= PROBE_SEND_ERROR;
	assert_int_equal(probe_pacing_error(&r), -1);
	r.flags = 0;
	r.t_sched = 0;
	assert_int_equal(probe_pacing_error(&r), -1);
	r.t_sched = 1000;
	r.t_tx_user = 0;
	assert_int_equal(probe_pacing_error(&r), -1);
}

static void test_ts_source(void **state)
{
	(void)state;
	assert_string_equal(probe_ts_source(0), "none");
	assert_string_equal(probe_ts_source(PROBE_REORDERED |
					    PROBE_SEND_ERROR), "none");
	assert_string_equal(probe_ts_source(PROBE_TX_SW), "software");
	assert_string_equal(probe_ts_source(PROBE_TX_SW | PROBE_RX_SW),
			    "software");
	assert_string_equal(probe_ts_source(PROBE_RX_HW), "hardware");
	assert_string_equal(probe_ts_source(PROBE_TX_HW | PROBE_RX_HW),
			    "hardware");
	assert_string_equal(probe_ts_source(PROBE_TX_SW | PROBE_RX_HW),
			    "mixed");
	assert_string_equal(probe_ts_source(PROBE_TX_HW | PROBE_RX_SW |
					    PROBE_REORDERED), "mixed");
}

static void test_summarize(void **state)
{
	const uint32_t sw = PROBE_TX_SW | PROBE_RX_SW;
	const struct probe_rec r[] = {
		/* answered, stamped at both ends; not the first to leave */
		{.seq = 0, .t_tx_user = 2000, .t_tx = 2100, .t_rx = 9000,
		 .replies = 1, .flags = sw},
		/* sendto() failed after the user time was taken */
		{.seq = 1, .t_tx_user = 99000, .flags = PROBE_SEND_ERROR},
		/* lost, with a transmit stamp */
		{.seq = 2, .t_tx_user = 1000, .t_tx = 1100,
		 .flags = PROBE_TX_SW},
		/* answered twice, after a later probe's reply */
		{.seq = 3, .t_tx_user = 4000, .t_tx = 4100, .t_rx = 9500,
		 .replies = 2, .flags = sw | PROBE_REORDERED},
		/* answered, hardware receive stamp, no transmit stamp */
		{.seq = 4, .t_tx_user = 5000, .t_rx = 9900, .replies = 1,
		 .flags = PROBE_RX_HW},
		/* lost, no stamp */
		{.seq = 5, .t_tx_user = 4500},
	};
	struct probe_summary s;

	(void)state;
	probe_summarize(r, ARRAY_SIZE(r), &s);
	assert_int_equal(s.count, 6);
	assert_int_equal(s.sent, 5);
	assert_int_equal(s.send_errors, 1);
	assert_int_equal(s.received, 3);
	assert_int_equal(s.lost, 2);
	assert_int_equal(s.duplicated, 1);
	assert_int_equal(s.reordered, 1);
	assert_int_equal(s.tx_stamped, 3);
	assert_int_equal(s.rx_stamped, 3);
	assert_int_equal(s.ts_flags, sw | PROBE_RX_HW);
	assert_int_equal(s.first_tx, 1000);
	assert_int_equal(s.last_tx, 5000);

	memset(&s, 0xff, sizeof(s));
	probe_summarize(r, 0, &s);
	assert_int_equal(s.count, 0);
	assert_int_equal(s.sent, 0);
	assert_int_equal(s.lost, 0);
	assert_int_equal(s.ts_flags, 0);
	assert_int_equal(s.first_tx, 0);
	assert_int_equal(s.last_tx, 0);

	/* only send errors: nothing left, no departure times */
	probe_summarize(&r[1], 1, &s);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.sent, 0);
	assert_int_equal(s.send_errors, 1);
	assert_int_equal(s.lost, 0);
	assert_int_equal(s.first_tx, 0);
	assert_int_equal(s.last_tx, 0);
}

/* Late probes, the rates, and Lancet's rule on them. */

/* the rate rule alone: no share of late probes flags */
#define RATE_ONLY(pct) (&(struct probe_tolerance){(pct), 100})

static void test_overload(void **state)
{
	struct probe_rec r[5];
	struct probe_summary s;
	char why[200];
	int i;

	(void)state;
	/* 1 kpps scheduled; the last two leave 1.5 ms and 3 ms late */
	memset(r, 0, sizeof(r));
	for (i = 0; i < 5; i++) {
		r[i].seq = (uint32_t)i;
		r[i].t_sched = 1000000000 + i * 1000000LL;
		r[i].t_tx_user = r[i].t_sched + 100;
	}
	r[3].t_tx_user = r[3].t_sched + 1500000;
	r[4].t_tx_user = r[4].t_sched + 3000000;
	probe_summarize(r, 5, &s);
	assert_int_equal(s.first_sched, 1000000000);
	assert_int_equal(s.last_sched, 1004000000);
	assert_int_equal(s.late, 2);
	assert_true(probe_scheduled_rate(&s) == 1000);
	/* 4 intervals in 7 ms - 100 ns */
	assert_true(fabs(probe_achieved_rate(&s) - 4e9 / 6999900) < 1e-9);
	assert_int_equal(probe_overloaded(&s, RATE_ONLY(10), why, sizeof(why)), 1);
	assert_string_equal(why, "achieved 571 pps of a 1000 pps schedule "
				 "(42.9% off, more than "
				 "prober.rate_tolerance, 10%); 2 of 5 probes "
				 "left later than one interval");
	assert_int_equal(probe_overloaded(&s, RATE_ONLY(43), why, sizeof(why)), 0);
	/* on time: not late, not overloaded */
	r[3].t_tx_user = r[3].t_sched + 100;
	r[4].t_tx_user = r[4].t_sched + 100;
	probe_summarize(r, 5, &s);
	assert_int_equal(s.late, 0);
	assert_true(probe_achieved_rate(&s) == 1000);
	assert_int_equal(probe_overloaded(&s, RATE_ONLY(0), why, sizeof(why)), 0);
	/* faster than the schedule is off it too */
	r[4].t_tx_user = r[3].t_tx_user + 100;
	probe_summarize(r, 5, &s);
	assert_int_equal(probe_overloaded(&s, RATE_ONLY(10), why, sizeof(why)), 1);
	/*
	 * The rate kept, the schedule not: of 200 probes at 1 kpps, 3 leave
	 * 1.5 ms late (1.5 %), each caught up at once.
	 */
	{
		struct probe_rec q[200];
		const struct probe_tolerance def = {PROBE_RATE_TOLERANCE,
						    PROBE_LATE_TOLERANCE};

		memset(q, 0, sizeof(q));
		for (i = 0; i < 200; i++) {
			q[i].seq = (uint32_t)i;
			q[i].t_sched = 1000000000 + i * 1000000LL;
			q[i].t_tx_user = q[i].t_sched + 100;
		}
		for (i = 50; i < 53; i++)
			q[i].t_tx_user = q[i].t_sched + 1500000;
		probe_summarize(q, 200, &s);
		assert_int_equal(s.late, 3);
		assert_int_equal(probe_overloaded(&s, &def, why, sizeof(why)),
				 1);
		assert_string_equal(why, "3 of 200 probes (1.5%) left later "
					 "than one interval, more than "
					 "prober.late_tolerance, 1% (achieved "
					 "1000 pps of a 1000 pps schedule)");
		/* 2 of 200 is 1 %: not more than the tolerance */
		q[52].t_tx_user = q[52].t_sched + 100;
		probe_summarize(q, 200, &s);
		assert_int_equal(probe_overloaded(&s, &def, why, sizeof(why)),
				 0);
	}
	/* one probe: no rate, no judgement */
	probe_summarize(r, 1, &s);
	assert_true(probe_achieved_rate(&s) == 0);
	assert_true(probe_scheduled_rate(&s) == 0);
	assert_int_equal(s.late, 0);
	assert_int_equal(probe_overloaded(&s, RATE_ONLY(0), why, sizeof(why)), 0);
}

/* The RTT from the schedule: to a software stamp, else to user space. */
static void test_rtt_sched(void **state)
{
	struct probe_rec r = {.t_sched = 1000, .t_tx_user = 3000,
			      .t_tx = 3500, .t_rx = 9000, .t_rx_user = 12000,
			      .replies = 1,
			      .flags = PROBE_TX_SW | PROBE_RX_SW};

	(void)state;
	assert_int_equal(probe_rtt_sched(&r), 8000);
	assert_int_equal(probe_rtt(&r), 5500);
	/* a NIC's stamp is on the NIC's clock */
	r.flags = PROBE_TX_HW | PROBE_RX_HW;
	assert_int_equal(probe_rtt_sched(&r), 11000);
	/* lost, never sent, or no schedule */
	r.replies = 0;
	assert_int_equal(probe_rtt_sched(&r), -1);
	r.replies = 1;
	r.flags = PROBE_SEND_ERROR;
	assert_int_equal(probe_rtt_sched(&r), -1);
	r.flags = PROBE_RX_SW;
	r.t_sched = 0;
	assert_int_equal(probe_rtt_sched(&r), -1);
	/* a reply before its schedule is no measurement */
	r.t_sched = 10000;
	assert_int_equal(probe_rtt_sched(&r), -1);
}

/* The gaps between sent probes, tested; a periodic schedule is off. */
static void test_gaps_ad(void **state)
{
	struct probe_rec r[40];
	struct ad_result ad;
	char why[200];
	int i;

	(void)state;
	memset(r, 0, sizeof(r));
	for (i = 0; i < 40; i++)
		r[i].t_tx_user = T0 + i * 1000LL + (i % 3);
	r[5].flags = PROBE_SEND_ERROR; /* never left: not a departure */
	assert_int_equal(probe_gaps_ad(r, 40, &ad), 0);
	assert_int_equal(ad.n, 38);
	assert_int_equal(probe_schedule_off(&ad, why, sizeof(why)), 1);
	assert_true(strstr(why, "its 38 inter-departure gaps are not "
				"exponential: Anderson-Darling A2 ") == why);
	/* too few to say */
	assert_int_equal(probe_gaps_ad(r, 2, &ad), -1);
	memset(&ad, 0, sizeof(ad));
	assert_int_equal(probe_schedule_off(&ad, why, sizeof(why)), 0);
	/* rejected at 15 % only: not off */
	ad.n = 10;
	ad.rejected_at_pct = 15;
	assert_int_equal(probe_schedule_off(&ad, why, sizeof(why)), 0);
}

/* The preflight's outcome rides in the header, when the prober says it. */
static void test_preflight_line(void **state)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct probe_meta m, got;
	struct probe_rec *r = NULL;
	size_t n;

	(void)state;
	meta_init(&m, 0);
	m.preflight = PREFLIGHT_ANSWERED;
	records_format(&m, NULL, 0, &text);
	assert_non_null(strstr(text.buf, "\npreflight answered\nseq sched"));
	assert_int_equal(records_parse(text.buf, text.len, &got, &r, &n, &err),
			 0);
	assert_int_equal(got.preflight, PREFLIGHT_ANSWERED);
	free(r);
	r = NULL;
	strbuf_reset(&text);
	m.preflight = PREFLIGHT_SILENT;
	records_format(&m, NULL, 0, &text);
	assert_int_equal(records_parse(text.buf, text.len, &got, &r, &n, &err),
			 0);
	assert_int_equal(got.preflight, PREFLIGHT_SILENT);
	free(r);
	strbuf_release(&text);
	strbuf_release(&err);
}

/*
 * The stream reader gives what the whole-text parser gives, one record
 * at a time, and refuses the same damage with the same line numbers.
 */
static int stream_all(const char *text, size_t len, struct probe_rec *out,
		      size_t max, size_t *n, struct strbuf *err)
{
	FILE *f = fmemopen((void *)text, len, "r");
	struct records_stream rs;
	int ret;

	assert_non_null(f);
	*n = 0;
	ret = records_stream_open(&rs, f, err);
	while (!ret && *n < max) {
		int r = records_stream_next(&rs, &out[*n], err);

		if (r != 1) {
			ret = r;
			break;
		}
		++*n;
	}
	fclose(f);
	return ret;
}

static void test_stream(void **state)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct probe_rec in[40], out[41];
	struct probe_meta m;
	size_t i, n;

	(void)state;
	meta_init(&m, 40);
	m.preflight = PREFLIGHT_ANSWERED;
	for (i = 0; i < 40; i++)
		rec_init(&in[i], (uint32_t)i);
	records_format(&m, in, 40, &text);
	assert_int_equal(stream_all(text.buf, text.len, out, 41, &n, &err), 0);
	assert_int_equal(n, 40);
	for (i = 0; i < 40; i++) {
		assert_int_equal(in[i].seq, out[i].seq);
		assert_int_equal(in[i].flags, out[i].flags);
		assert_int_equal(in[i].replies, out[i].replies);
		assert_true(in[i].t_sched == out[i].t_sched &&
			    in[i].t_tx_user == out[i].t_tx_user &&
			    in[i].t_tx == out[i].t_tx &&
			    in[i].t_rx == out[i].t_rx &&
			    in[i].t_rx_user == out[i].t_rx_user);
	}
	/* the last line cut short: named, as records_parse names it */
	assert_int_equal(stream_all(text.buf, text.len - 3, out, 41, &n, &err),
			 -1);
	assert_string_equal(err.buf, "line 51: truncated or overlong line");
	strbuf_reset(&err);
	/* a record missing at the end */
	meta_init(&m, 41);
	strbuf_reset(&text);
	records_format(&m, in, 40, &text);
	assert_int_equal(stream_all(text.buf, text.len, out, 41, &n, &err), -1);
	assert_string_equal(err.buf, "40 records, 41 announced");
	strbuf_release(&text);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_limits),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_row_is_printf),
		cmocka_unit_test(test_preflight_line),
		cmocka_unit_test(test_reject_header),
		cmocka_unit_test(test_reject_records),
		cmocka_unit_test(test_rtt),
		cmocka_unit_test(test_ts_source),
		cmocka_unit_test(test_summarize),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_overload),
		cmocka_unit_test(test_rtt_sched),
		cmocka_unit_test(test_gaps_ad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
