// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * split_match() on hand-built runs: probe records as a prober writes
 * them and the frames the two capture points saw, with every expected
 * time and duration written out here (not computed by the code under
 * test). The two servers' clocks differ on purpose: only differences of
 * one clock may be taken.
 */
#include "unit.h"

#include <inttypes.h>

#include "core/split.h"
#include "util/alloc.h"

#define SESSION 0x5eed0007u
#define T0 1700000000000000000LL /* the sender's clock */
#define R0 1700000031415926535LL /* the responder's, not synchronized */

/* A probe's times on each clock: probes leave 1 ms apart from seq 10. */
#define S(seq, d) (T0 + ((int64_t)(seq) - 10) * 1000000 + (d))
#define R(seq, d) (R0 + ((int64_t)(seq) - 10) * 1000000 + (d))

#define SW (PROBE_TX_SW | PROBE_RX_SW)
#define HW (PROBE_TX_HW | PROBE_RX_HW)

static struct probe_meta meta(void)
{
	return (struct probe_meta){.kind = PROBE_UDP, .target = "198.18.0.2",
				   .port = 7777, .rate = 1000, .count = 4,
				   .size = 64, .session = SESSION,
				   .started = T0};
}

/* A probe answered once: tx and rx are t_tx and t_rx (sender's clock). */
static struct probe_rec rec(uint32_t seq, uint32_t flags, int64_t tx,
			    int64_t rx)
{
	return (struct probe_rec){.seq = seq, .flags = flags, .replies = 1,
				  .t_sched = tx - 900, .t_tx_user = tx - 300,
				  .t_tx = tx, .t_rx = rx,
				  .t_rx_user = rx + 2500};
}

static struct capture_event ev(enum probe_kind kind, uint32_t session,
			       uint32_t seq, bool request, bool outgoing,
			       int64_t t)
{
	return (struct capture_event){
	    .f = {.kind = kind, .request = request, .session = session,
		  .seq = seq},
	    .outgoing = outgoing,
	    .t = t};
}

/* The frames as each point should see them. */
#define OUT(seq, t) ev(PROBE_UDP, SESSION, seq, true, true, t)	/* snd_out */
#define IN(seq, t) ev(PROBE_UDP, SESSION, seq, false, false, t) /* snd_in */
#define RIN(seq, t) ev(PROBE_UDP, SESSION, seq, true, false, t) /* rsp_in */
#define ROUT(seq, t) ev(PROBE_UDP, SESSION, seq, false, true, t) /* rsp_out */

#define N SPLIT_NONE
/* A probe's split with the NIC points only: no port times. */
#define NIC(so, si, ri, ro, rtt_nic, resp, wire, ovh)                      \
	{so, si, ri, ro, rtt_nic, resp, wire, ovh, -1, -1, -1, -1, N, N, N}

static void match(const struct probe_rec *recs, size_t n,
		  const struct capture_event *snd, size_t nsnd, bool snd_ok,
		  const struct capture_event *rsp, size_t nrsp, bool rsp_ok,
		  struct probe_split *out, struct split_counts *counts)
{
	struct probe_meta m = meta();
	struct split_input in[SPLIT_POINTS] = {
	    [SPLIT_SENDER_NIC] = {.available = snd_ok, .ev = snd, .n = nsnd},
	    [SPLIT_RESPONDER_NIC] = {.available = rsp_ok, .ev = rsp,
				     .n = nrsp},
	};

	/* nothing of out or counts may be left as it was */
	if (n)
		memset(out, 0x5a, n * sizeof(*out));
	memset(counts, 0xa5, SPLIT_POINTS * sizeof(*counts));
	split_match(&m, recs, n, in, out, counts);
}

static void check(const struct probe_split *got, uint32_t seq,
		  const struct probe_split *want)
{
	static const char *const names[] = {
	    "snd_out",	    "snd_in",	    "rsp_in",	    "rsp_out",
	    "rtt_nic",	    "response",	    "wire",	    "overhead",
	    "snd_port_req", "snd_port_rep", "rsp_port_req", "rsp_port_rep",
	    "snd_host",	    "rsp_host",	    "rsp_guest",
	};
	const int64_t *g = &got->snd_out, *w = &want->snd_out;
	size_t i;

	_Static_assert(sizeof(struct probe_split) ==
			       ARRAY_SIZE(names) * sizeof(int64_t),
		       "struct probe_split is not the int64_t named here");
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (g[i] != w[i])
			fail_msg("seq %" PRIu32 " %s: got %" PRId64
				 ", want %" PRId64,
				 seq, names[i], g[i], w[i]);
	}
}

static void check_counts(const struct split_counts *c, uint64_t requests,
			 uint64_t replies, uint64_t wrong_way,
			 uint64_t repeats)
{
	assert_int_equal(c->requests, requests);
	assert_int_equal(c->replies, replies);
	assert_int_equal(c->wrong_way, wrong_way);
	assert_int_equal(c->repeats, repeats);
}

/*
 * The run of most tests: four probes, recorded out of seq order.
 *
 *   seq  t_tx  snd_out  rsp_in  rsp_out  snd_in  t_rx    (us after the
 *   10   0     4.0      0.0     15.0     25.0    31.0     probe's start,
 *   11   0     3.5      0.2     12.2     22.5    27.0     on each clock)
 *   12   0     5.0      0.0     40.0     52.0    60.0    (NIC stamps)
 *   13   0     4.0      0.1     -        30.0    36.0
 *
 * seq 13's reply left the responder without being captured there.
 */
static void run_recs(struct probe_rec recs[4])
{
	recs[0] = rec(12, HW, S(12, 0), S(12, 60000));
	recs[1] = rec(10, SW, S(10, 0), S(10, 31000));
	recs[2] = rec(13, SW, S(13, 0), S(13, 36000));
	recs[3] = rec(11, SW, S(11, 0), S(11, 27000));
}

static const struct probe_split run_want[4] = {
    /* 12: rtt 60, rtt_nic 47, response 40, wire 7, overhead 13 */
    NIC(S(12, 5000), S(12, 52000), R(12, 0), R(12, 40000), 47000, 40000,
	7000, 13000),
    /* 10: rtt 31, rtt_nic 21, response 15, wire 6, overhead 10 */
    NIC(S(10, 4000), S(10, 25000), R(10, 0), R(10, 15000), 21000, 15000,
	6000, 10000),
    /* 13: rtt 36, rtt_nic 26, no response time, overhead 10 */
    NIC(S(13, 4000), S(13, 30000), R(13, 100), -1, 26000, N, N, 10000),
    /* 11: rtt 27, rtt_nic 19, response 12, wire 7, overhead 8 */
    NIC(S(11, 3500), S(11, 22500), R(11, 200), R(11, 12200), 19000, 12000,
	7000, 8000),
};

/* Each point's frames in the order its ring delivers them. */
static const struct capture_event *run_snd(size_t *n)
{
	static struct capture_event e[8];

	e[0] = OUT(10, S(10, 4000));
	e[1] = IN(10, S(10, 25000));
	e[2] = OUT(11, S(11, 3500));
	e[3] = IN(11, S(11, 22500));
	e[4] = OUT(12, S(12, 5000));
	e[5] = IN(12, S(12, 52000));
	e[6] = OUT(13, S(13, 4000));
	e[7] = IN(13, S(13, 30000));
	*n = ARRAY_SIZE(e);
	return e;
}

static const struct capture_event *run_rsp(size_t *n)
{
	static struct capture_event e[7];

	e[0] = RIN(10, R(10, 0));
	e[1] = ROUT(10, R(10, 15000));
	e[2] = RIN(11, R(11, 200));
	e[3] = ROUT(11, R(11, 12200));
	e[4] = RIN(12, R(12, 0));
	e[5] = ROUT(12, R(12, 40000));
	e[6] = RIN(13, R(13, 100));
	*n = ARRAY_SIZE(e);
	return e;
}

/* Warm-up frames leave the run, the others take the records' numbers. */
static void test_renumber(void **state)
{
	static const uint32_t session = UINT32_MAX; /* session + 1 wraps */
	struct capture_event ev[] = {
		{{PROBE_UDP, true, session, 0}, true, 1},
		{{PROBE_UDP, true, session, 2}, true, 2},
		{{PROBE_UDP, true, session, 3}, true, 3},
		{{PROBE_UDP, false, session, 7}, false, 4},
		{{PROBE_UDP, true, ~session, 0}, true, 5}, /* preflight */
		{{PROBE_UDP, true, 12345, 9}, true, 6},
	};

	(void)state;
	split_renumber(ev, ARRAY_SIZE(ev), session, 3);
	assert_true(ev[0].f.session != session && ev[0].f.seq == 0);
	assert_true(ev[1].f.session != session && ev[1].f.seq == 2);
	assert_true(ev[2].f.session == session && ev[2].f.seq == 0);
	assert_true(ev[3].f.session == session && ev[3].f.seq == 4);
	assert_true(ev[4].f.session == ~session && ev[4].f.seq == 0);
	assert_true(ev[5].f.session == 12345 && ev[5].f.seq == 9);
	/* no warm-up: nothing moves */
	split_renumber(ev, ARRAY_SIZE(ev), session, 0);
	assert_true(ev[3].f.seq == 4 && ev[2].f.seq == 0);
}

/*
 * The ports too: each server's part splits into host and guest. Ports
 * see each frame once, whichever way their link calls it (a tap
 * receives the guest's request, a macvtap transmits it): both are taken;
 * a second sighting is a repeat.
 *
 *   seq 10: snd_port_req 1.0, snd_out 4.0, snd_in 25.0, snd_port_rep 29.0
 *           rsp_in 0.0, rsp_port_req 2.0, rsp_port_rep 13.0, rsp_out 15.0
 *   seq 11: snd_port_req 1.5, snd_out 3.5, snd_in 22.5, snd_port_rep 24.0
 *           rsp_in 0.2, rsp_port_req 1.2 (its reply unseen at the port)
 */
static void test_ports(void **state)
{
	struct probe_rec recs[2] = {rec(10, SW, S(10, 0), S(10, 31000)),
				    rec(11, SW, S(11, 0), S(11, 27000))};
	const struct capture_event snd[] = {
		OUT(10, S(10, 4000)), IN(10, S(10, 25000)),
		OUT(11, S(11, 3500)), IN(11, S(11, 22500))};
	const struct capture_event rsp[] = {
		RIN(10, R(10, 0)), ROUT(10, R(10, 15000)),
		RIN(11, R(11, 200)), ROUT(11, R(11, 12200))};
	const struct capture_event snd_port[] = {
		ev(PROBE_UDP, SESSION, 10, true, false, S(10, 1000)),
		ev(PROBE_UDP, SESSION, 10, false, true, S(10, 29000)),
		ev(PROBE_UDP, SESSION, 11, true, true, S(11, 1500)),
		ev(PROBE_UDP, SESSION, 11, false, false, S(11, 24000)),
		ev(PROBE_UDP, SESSION, 11, false, true, S(11, 24100))};
	const struct capture_event rsp_port[] = {
		ev(PROBE_UDP, SESSION, 10, true, true, R(10, 2000)),
		ev(PROBE_UDP, SESSION, 10, false, false, R(10, 13000)),
		ev(PROBE_UDP, SESSION, 11, true, false, R(11, 1200))};
	struct split_input in[SPLIT_POINTS] = {
		[SPLIT_SENDER_NIC] = {true, snd, ARRAY_SIZE(snd)},
		[SPLIT_RESPONDER_NIC] = {true, rsp, ARRAY_SIZE(rsp)},
		[SPLIT_SENDER_PORT] = {true, snd_port, ARRAY_SIZE(snd_port)},
		[SPLIT_RESPONDER_PORT] = {true, rsp_port, ARRAY_SIZE(rsp_port)},
	};
	const struct probe_split want[2] = {
		{S(10, 4000), S(10, 25000), R(10, 0), R(10, 15000), 21000,
		 15000, 6000, 10000, S(10, 1000), S(10, 29000), R(10, 2000),
		 R(10, 13000),
		 /* (4 - 1) + (29 - 25), (2 - 0) + (15 - 13), 13 - 2 */
		 7000, 4000, 11000},
		{S(11, 3500), S(11, 22500), R(11, 200), R(11, 12200), 19000,
		 12000, 7000, 8000, S(11, 1500), S(11, 24000), R(11, 1200), -1,
		 /* (3.5 - 1.5) + (24 - 22.5); no reply at the port */
		 3500, N, N},
	};
	struct probe_meta m = meta();
	struct probe_split out[2];
	struct split_counts c[SPLIT_POINTS];
	int i;

	(void)state;
	split_match(&m, recs, 2, in, out, c);
	for (i = 0; i < 2; i++)
		check(&out[i], recs[i].seq, &want[i]);
	/* the responder's two parts make its response time */
	assert_true(out[0].rsp_host + out[0].rsp_guest == out[0].response);
	assert_true(split_duration(&out[0], SPLIT_SND_HOST) == 7000);
	assert_true(split_duration(&out[0], SPLIT_RSP_GUEST) == 11000);
	assert_true(split_duration(&out[1], SPLIT_OVERHEAD) == 8000);
	assert_true(split_duration(&out[1], SPLIT_DURATIONS) == N);
	check_counts(&c[SPLIT_SENDER_PORT], 2, 2, 0, 1);
	check_counts(&c[SPLIT_RESPONDER_PORT], 2, 1, 0, 0);
	check_counts(&c[SPLIT_SENDER_NIC], 2, 2, 0, 0);
}

static void test_duration_names(void **state)
{
	static const char *const want[SPLIT_DURATIONS] = {
		"rtt_nic", "response", "wire", "overhead",
		"snd_host", "rsp_host", "rsp_guest"};
	int d;

	(void)state;
	for (d = 0; d < SPLIT_DURATIONS; d++)
		assert_string_equal(split_duration_name(d), want[d]);
	assert_string_equal(split_duration_name(SPLIT_DURATIONS), "?");
}

static void test_point_names(void **state)
{
	(void)state;
	assert_string_equal(split_point_name(SPLIT_SENDER_NIC), "sender-nic");
	assert_string_equal(split_point_name(SPLIT_RESPONDER_NIC),
			    "responder-nic");
	assert_string_equal(split_point_name(SPLIT_SENDER_PORT),
			    "sender-port");
	assert_string_equal(split_point_name(SPLIT_RESPONDER_PORT),
			    "responder-port");
	assert_string_equal(split_point_name(SPLIT_POINTS), "?");
	assert_string_equal(split_point_name((enum split_point)-1), "?");
}

static void test_full(void **state)
{
	struct probe_rec recs[4];
	struct probe_split out[4];
	struct split_counts c[SPLIT_POINTS];
	const struct capture_event *snd, *rsp;
	size_t nsnd, nrsp, i;

	(void)state;
	run_recs(recs);
	snd = run_snd(&nsnd);
	rsp = run_rsp(&nrsp);
	match(recs, 4, snd, nsnd, true, rsp, nrsp, true, out, c);
	for (i = 0; i < 4; i++) {
		check(&out[i], recs[i].seq, &run_want[i]);
		/* the definitions, as the header states them */
		assert_int_equal(out[i].rtt_nic,
				 out[i].snd_in - out[i].snd_out);
		assert_int_equal(out[i].overhead,
				 probe_rtt(&recs[i]) - out[i].rtt_nic);
		if (out[i].response != SPLIT_NONE)
			assert_int_equal(out[i].wire,
					 out[i].rtt_nic - out[i].response);
	}
	check_counts(&c[SPLIT_SENDER_NIC], 4, 4, 0, 0);
	check_counts(&c[SPLIT_RESPONDER_NIC], 4, 3, 0, 0);
}

/*
 * A point that cannot exist: its frames (even if some are passed) are
 * not looked at, its times are -1, what needs them SPLIT_NONE (never 0)
 * and its counts 0.
 */
static void test_unavailable(void **state)
{
	struct probe_rec recs[4];
	struct probe_split out[4], want;
	struct split_counts c[SPLIT_POINTS];
	const struct capture_event *snd, *rsp;
	size_t nsnd, nrsp, i;

	(void)state;
	run_recs(recs);
	snd = run_snd(&nsnd);
	rsp = run_rsp(&nrsp);

	/* no responder NIC (VFIO there): rtt_nic and overhead only */
	match(recs, 4, snd, nsnd, true, rsp, nrsp, false, out, c);
	for (i = 0; i < 4; i++) {
		want = run_want[i];
		want.rsp_in = want.rsp_out = -1;
		want.response = want.wire = SPLIT_NONE;
		check(&out[i], recs[i].seq, &want);
	}
	check_counts(&c[SPLIT_SENDER_NIC], 4, 4, 0, 0);
	check_counts(&c[SPLIT_RESPONDER_NIC], 0, 0, 0, 0);

	/* no sender NIC: the response time only */
	match(recs, 4, snd, nsnd, false, rsp, nrsp, true, out, c);
	for (i = 0; i < 4; i++) {
		want = run_want[i];
		want.snd_out = want.snd_in = -1;
		want.rtt_nic = want.wire = want.overhead = SPLIT_NONE;
		check(&out[i], recs[i].seq, &want);
	}
	check_counts(&c[SPLIT_SENDER_NIC], 0, 0, 0, 0);
	check_counts(&c[SPLIT_RESPONDER_NIC], 4, 3, 0, 0);

	/* neither, and a point that exists but saw nothing: all absent */
	for (i = 0; i < 2; i++) {
		size_t k;

		if (i == 0)
			match(recs, 4, snd, nsnd, false, rsp, nrsp, false, out,
			      c);
		else
			match(recs, 4, NULL, 0, true, NULL, 0, true, out, c);
		for (k = 0; k < 4; k++) {
			want = (struct probe_split)NIC(-1, -1, -1, -1, N, N, N, N);
			check(&out[k], recs[k].seq, &want);
		}
		check_counts(&c[SPLIT_SENDER_NIC], 0, 0, 0, 0);
		check_counts(&c[SPLIT_RESPONDER_NIC], 0, 0, 0, 0);
	}
}

/*
 * Frames of another run (session), of the other probe kind, and of the
 * warm-up probes (sent before the recorded ones, same session, seqs not
 * in recs) change nothing and are counted nowhere.
 */
static void test_foreign(void **state)
{
	struct probe_rec recs[4];
	struct probe_split out[4];
	struct split_counts c[SPLIT_POINTS];
	struct capture_event snd[32], rsp[32];
	const struct capture_event *s0, *r0;
	size_t ns0, nr0, ns = 0, nr = 0, i;
	uint32_t seq;

	(void)state;
	run_recs(recs);
	s0 = run_snd(&ns0);
	r0 = run_rsp(&nr0);

	/* warm-up probes 7..9 before the run, one after it (seq 14) */
	for (seq = 7; seq <= 9; seq++) {
		snd[ns++] = OUT(seq, S(seq, 4000));
		snd[ns++] = IN(seq, S(seq, 20000));
		rsp[nr++] = RIN(seq, R(seq, 0));
		rsp[nr++] = ROUT(seq, R(seq, 10000));
	}
	for (i = 0; i < ns0; i++) {
		uint32_t sq = s0[i].f.seq;

		snd[ns++] = s0[i];
		/* the same seqs, as another run's or the other kind's */
		snd[ns++] = ev(PROBE_UDP, SESSION + 1, sq, s0[i].f.request,
			       s0[i].outgoing, s0[i].t - 7);
		snd[ns++] = ev(PROBE_ICMP, SESSION, sq, s0[i].f.request,
			       s0[i].outgoing, s0[i].t + 7);
	}
	for (i = 0; i < nr0; i++) {
		uint32_t sq = r0[i].f.seq;

		rsp[nr++] = ev(PROBE_ICMP, SESSION, sq, r0[i].f.request,
			       r0[i].outgoing, r0[i].t - 3);
		rsp[nr++] = ev(PROBE_UDP, ~SESSION, sq, r0[i].f.request,
			       r0[i].outgoing, r0[i].t + 3);
		rsp[nr++] = r0[i];
	}
	/* seq 13's missing reply, but of another session */
	rsp[nr++] = ev(PROBE_UDP, 0, 13, false, true, R(13, 9000));
	snd[ns++] = OUT(14, S(14, 4000));
	rsp[nr++] = RIN(14, R(14, 0));
	assert_true(ns <= ARRAY_SIZE(snd) && nr <= ARRAY_SIZE(rsp));

	match(recs, 4, snd, ns, true, rsp, nr, true, out, c);
	for (i = 0; i < 4; i++)
		check(&out[i], recs[i].seq, &run_want[i]);
	check_counts(&c[SPLIT_SENDER_NIC], 4, 4, 0, 0);
	check_counts(&c[SPLIT_RESPONDER_NIC], 4, 3, 0, 0);

	/* only foreign frames: nothing at all */
	{
		struct capture_event only[] = {
		    OUT(9, S(9, 4000)),
		    IN(9, S(9, 20000)),
		    ev(PROBE_UDP, SESSION + 1, 10, true, true, S(10, 4000)),
		    ev(PROBE_ICMP, SESSION, 10, false, false, S(10, 25000)),
		    OUT(1000, S(10, 4000)),
		};

		match(recs, 4, only, ARRAY_SIZE(only), true, only,
		      ARRAY_SIZE(only), true, out, c);
		for (i = 0; i < 4; i++) {
			struct probe_split none = NIC(-1, -1, -1, -1, N, N, N, N);

			check(&out[i], recs[i].seq, &none);
		}
		check_counts(&c[SPLIT_SENDER_NIC], 0, 0, 0, 0);
		check_counts(&c[SPLIT_RESPONDER_NIC], 0, 0, 0, 0);
	}
}

/*
 * A frame seen again for the same probe and direction (a duplicated
 * reply, a retransmitted request, the frame captured twice): counted in
 * repeats, not again in requests or replies, and the first time kept.
 */
static void test_repeats(void **state)
{
	struct probe_rec recs[4];
	struct probe_split out[4];
	struct split_counts c[SPLIT_POINTS];
	struct capture_event snd[16], rsp[16];
	const struct capture_event *s0, *r0;
	size_t ns0, nr0, ns = 0, nr = 0, i;

	(void)state;
	run_recs(recs);
	recs[3].replies = 2; /* seq 11's reply came twice */
	s0 = run_snd(&ns0);
	r0 = run_rsp(&nr0);
	for (i = 0; i < ns0; i++) {
		snd[ns++] = s0[i];
		if (s0[i].f.seq == 11 && !s0[i].f.request)
			snd[ns++] = IN(11, S(11, 23000));
		if (s0[i].f.seq == 12 && s0[i].f.request) {
			snd[ns++] = OUT(12, S(12, 5001)); /* captured twice */
			snd[ns++] = OUT(12, S(12, 9000));
		}
	}
	for (i = 0; i < nr0; i++) {
		rsp[nr++] = r0[i];
		if (r0[i].f.seq == 11 && !r0[i].f.request)
			rsp[nr++] = ROUT(11, R(11, 12300));
	}
	/* a repeat long after, when the run is over */
	rsp[nr++] = RIN(10, R(10, 900000));

	match(recs, 4, snd, ns, true, rsp, nr, true, out, c);
	for (i = 0; i < 4; i++)
		check(&out[i], recs[i].seq, &run_want[i]);
	check_counts(&c[SPLIT_SENDER_NIC], 4, 4, 0, 3);
	check_counts(&c[SPLIT_RESPONDER_NIC], 4, 3, 0, 2);
}

/*
 * A probe frame going the wrong way at a point (a request coming in at
 * the sender NIC, a reply going out of it; the opposite at the
 * responder): counted in wrong_way and not used, before or after the
 * right one.
 */
static void test_wrong_way(void **state)
{
	struct probe_rec recs[4];
	struct probe_split out[4], want;
	struct split_counts c[SPLIT_POINTS];
	struct capture_event snd[16], rsp[16];
	const struct capture_event *s0, *r0;
	size_t ns0, nr0, ns = 0, nr = 0, i;

	(void)state;
	run_recs(recs);
	s0 = run_snd(&ns0);
	r0 = run_rsp(&nr0);

	/* sender: the request of 10 coming in first, 11's reply going out */
	snd[ns++] = ev(PROBE_UDP, SESSION, 10, true, false, S(10, 3000));
	for (i = 0; i < ns0; i++) {
		snd[ns++] = s0[i];
		if (s0[i].f.seq == 11 && !s0[i].f.request)
			snd[ns++] = ev(PROBE_UDP, SESSION, 11, false, true,
				       S(11, 22600));
	}
	/*
	 * responder: 12's request going out and 13's reply coming in; only
	 * the wrong-way reply of 13 is there, so its rsp_out stays absent.
	 */
	for (i = 0; i < nr0; i++) {
		rsp[nr++] = r0[i];
		if (r0[i].f.seq == 12 && r0[i].f.request)
			rsp[nr++] = ev(PROBE_UDP, SESSION, 12, true, true,
				       R(12, 10));
	}
	rsp[nr++] = ev(PROBE_UDP, SESSION, 13, false, false, R(13, 9000));

	match(recs, 4, snd, ns, true, rsp, nr, true, out, c);
	for (i = 0; i < 4; i++)
		check(&out[i], recs[i].seq, &run_want[i]);
	check_counts(&c[SPLIT_SENDER_NIC], 4, 4, 2, 0);
	check_counts(&c[SPLIT_RESPONDER_NIC], 4, 3, 2, 0);

	/* nothing but wrong-way frames: no times at all */
	{
		struct capture_event wrong[] = {
		    ev(PROBE_UDP, SESSION, 10, true, false, S(10, 4000)),
		    ev(PROBE_UDP, SESSION, 10, false, true, S(10, 25000)),
		};
		struct capture_event rwrong[] = {
		    ev(PROBE_UDP, SESSION, 10, true, true, R(10, 0)),
		    ev(PROBE_UDP, SESSION, 10, false, false, R(10, 15000)),
		};

		match(recs, 4, wrong, ARRAY_SIZE(wrong), true, rwrong,
		      ARRAY_SIZE(rwrong), true, out, c);
		want = (struct probe_split)NIC(-1, -1, -1, -1, N, N, N, N);
		for (i = 0; i < 4; i++)
			check(&out[i], recs[i].seq, &want);
		check_counts(&c[SPLIT_SENDER_NIC], 0, 0, 2, 0);
		check_counts(&c[SPLIT_RESPONDER_NIC], 0, 0, 2, 0);
	}
}

/*
 * Probes without an RTT (probe_rtt() -1): no overhead, whatever the NICs
 * saw. The NIC durations stay: a reply lost in the sender's guest
 * still crossed its NIC.
 */
static void test_no_rtt(void **state)
{
	struct probe_rec recs[4];
	struct probe_split out[4], want[4];
	struct split_counts c[SPLIT_POINTS];
	const struct capture_event *snd, *rsp;
	size_t nsnd, nrsp, i;

	(void)state;
	run_recs(recs);
	/* 12: the reply was lost after the NIC (replies 0, t_rx 0) */
	recs[0].replies = 0;
	recs[0].t_rx = recs[0].t_rx_user = 0;
	/* 10: a reply counted but no receive stamp */
	recs[1].t_rx = 0;
	/* 13: a hardware transmit and a software receive stamp */
	recs[2].flags = PROBE_TX_HW | PROBE_RX_SW;
	/* 11: a receive stamp but no reply counted */
	recs[3].replies = 0;
	for (i = 0; i < 4; i++) {
		assert_int_equal(probe_rtt(&recs[i]), -1);
		want[i] = run_want[i];
		want[i].overhead = SPLIT_NONE;
	}
	snd = run_snd(&nsnd);
	rsp = run_rsp(&nrsp);
	match(recs, 4, snd, nsnd, true, rsp, nrsp, true, out, c);
	for (i = 0; i < 4; i++)
		check(&out[i], recs[i].seq, &want[i]);
	check_counts(&c[SPLIT_SENDER_NIC], 4, 4, 0, 0);
	check_counts(&c[SPLIT_RESPONDER_NIC], 4, 3, 0, 0);

	/* lost on the wire: the request left, no reply anywhere */
	{
		struct probe_rec lost = rec(10, SW, S(10, 0), 0);
		struct capture_event s[] = {OUT(10, S(10, 4000))};
		struct capture_event r[] = {RIN(10, R(10, 0))};
		struct probe_split o,
		    w = NIC(S(10, 4000), -1, R(10, 0), -1, N, N, N, N);

		lost.replies = 0;
		lost.t_rx_user = 0;
		match(&lost, 1, s, 1, true, r, 1, true, &o, c);
		check(&o, 10, &w);
		check_counts(&c[SPLIT_SENDER_NIC], 1, 0, 0, 0);
		check_counts(&c[SPLIT_RESPONDER_NIC], 1, 0, 0, 0);
	}
	/* never sent (sendto() failed) */
	{
		struct probe_rec err = {.seq = 10, .flags = PROBE_SEND_ERROR,
					.t_sched = S(10, 0)};
		struct probe_split o,
		    w = NIC(-1, -1, -1, -1, N, N, N, N);

		match(&err, 1, NULL, 0, true, NULL, 0, true, &o, c);
		check(&o, 10, &w);
	}
}

/*
 * Many probes in shuffled order, seqs wrapping past UINT32_MAX, warm-up
 * probes before them, the responder seeing only every other probe:
 * each probe gets its own frames.
 */
#define MANY 1000
#define WARMUP 50

static uint32_t many_seq(size_t k) /* k < WARMUP: a warm-up probe */
{
	return (uint32_t)(UINT32_MAX - 400 + (uint32_t)k);
}

static void test_unsorted_many(void **state)
{
	struct probe_rec *recs = xcalloc(MANY, sizeof(*recs));
	struct probe_split *out = xcalloc(MANY, sizeof(*out));
	struct capture_event *snd = xcalloc(2 * (MANY + WARMUP), sizeof(*snd));
	struct capture_event *rsp = xcalloc(2 * (MANY + WARMUP), sizeof(*rsp));
	struct split_counts c[SPLIT_POINTS];
	size_t ns = 0, nr = 0, i, k;
	uint64_t rnd = 88172645463325252ull;

	(void)state;
	/* probe k (from 0): rtt 30 + k, rtt_nic 20 + k, response 10 (us) */
	for (k = 0; k < MANY + WARMUP; k++) {
		uint32_t seq = many_seq(k);
		int64_t s = T0 + (int64_t)k * 1000000;
		int64_t r = R0 + (int64_t)k * 1000000;
		int64_t d = (int64_t)k * 1000;

		snd[ns++] = OUT(seq, s + 5000);
		snd[ns++] = IN(seq, s + 25000 + d);
		if (k % 2 == 0) {
			rsp[nr++] = RIN(seq, r);
			rsp[nr++] = ROUT(seq, r + 10000);
		}
		if (k >= WARMUP)
			recs[k - WARMUP] = rec(seq, SW, s, s + 30000 + d);
	}
	/* Fisher-Yates with a fixed xorshift */
	for (i = MANY - 1; i > 0; i--) {
		struct probe_rec tmp;
		size_t j;

		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		j = (size_t)(rnd % (i + 1));
		tmp = recs[i];
		recs[i] = recs[j];
		recs[j] = tmp;
	}

	match(recs, MANY, snd, ns, true, rsp, nr, true, out, c);
	for (i = 0; i < MANY; i++) {
		uint32_t seq = recs[i].seq;
		size_t kk = (size_t)(seq - many_seq(0)); /* wraps back */
		int64_t s = T0 + (int64_t)kk * 1000000;
		int64_t r = R0 + (int64_t)kk * 1000000;
		int64_t d = (int64_t)kk * 1000;
		struct probe_split w = NIC(s + 5000, s + 25000 + d, -1, -1,
					  20000 + d, N, N, 10000);

		assert_true(kk >= WARMUP && kk < MANY + WARMUP);
		if (kk % 2 == 0) {
			w.rsp_in = r;
			w.rsp_out = r + 10000;
			w.response = 10000;
			w.wire = 10000 + d;
		}
		check(&out[i], seq, &w);
	}
	check_counts(&c[SPLIT_SENDER_NIC], MANY, MANY, 0, 0);
	check_counts(&c[SPLIT_RESPONDER_NIC], MANY / 2, MANY / 2, 0, 0);
	free(recs);
	free(out);
	free(snd);
	free(rsp);
}

/* No probes: nothing is written to out, and all frames are ignored. */
static void test_empty(void **state)
{
	struct split_counts c[SPLIT_POINTS];
	const struct capture_event *snd, *rsp;
	size_t nsnd, nrsp;

	(void)state;
	snd = run_snd(&nsnd);
	rsp = run_rsp(&nrsp);
	match(NULL, 0, snd, nsnd, true, rsp, nrsp, true, NULL, c);
	check_counts(&c[SPLIT_SENDER_NIC], 0, 0, 0, 0);
	check_counts(&c[SPLIT_RESPONDER_NIC], 0, 0, 0, 0);
	match(NULL, 0, NULL, 0, false, NULL, 0, false, NULL, c);
	check_counts(&c[SPLIT_SENDER_NIC], 0, 0, 0, 0);
	check_counts(&c[SPLIT_RESPONDER_NIC], 0, 0, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_point_names),
	    cmocka_unit_test(test_renumber),
	    cmocka_unit_test(test_ports),
	    cmocka_unit_test(test_duration_names),
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_unavailable),
	    cmocka_unit_test(test_foreign),
	    cmocka_unit_test(test_repeats),
	    cmocka_unit_test(test_wrong_way),
	    cmocka_unit_test(test_no_rtt),
	    cmocka_unit_test(test_unsorted_many),
	    cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
