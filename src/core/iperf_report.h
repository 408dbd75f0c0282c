/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What an iperf3 client measured, read from its JSON (`iperf3 -J`): the
 * test it ran (start.test_start), the sums of its streams as the sender
 * and the receiver counted them (end.sum_sent, end.sum_received; UDP:
 * end.sum has the receiver's loss and jitter), the senders' TCP RTT
 * (end.streams[].sender.mean_rtt), iperf3's CPU figures and the
 * per-interval sums of the streams (intervals[].sum: a client run with
 * --interval). The text
 * comes from a guest: untrusted, fuzzed (tests/fuzz/fuzz_iperf_report.c).
 */
#ifndef IOV_CORE_IPERF_REPORT_H
#define IOV_CORE_IPERF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* intervals kept: 10 min at --interval 0.1 (more are counted, dropped) */
#define IPERF_INTERVALS_MAX 6000

/* one of intervals[].sum: seconds from the test's start (after the
 * connection and the parameters' exchange), bits of payload per second */
struct iperf_interval {
	double start, end, bps;
};

struct iperf_report {
	char protocol[8]; /* "TCP", "UDP" */
	int64_t streams;  /* num_streams */
	int64_t blksize;  /* bytes per write */
	double duration;  /* seconds asked for */
	/* end.sum_sent, end.sum_received: bytes of payload */
	uint64_t sent_bytes, recv_bytes;
	double sent_seconds, recv_seconds;
	double sent_bps, recv_bps; /* bits of payload per second */
	int64_t retransmits;	   /* TCP; -1: not reported */
	/* UDP, as the receiver counted: -1 (NAN) when not reported */
	int64_t packets, lost_packets;
	double lost_pct, jitter_ms;
	/* TCP: mean of the streams' smoothed RTT (us); NAN: not reported */
	double tcp_rtt_us;
	/* cpu_utilization_percent host_total, remote_total; NAN: none */
	double cpu_local_pct, cpu_remote_pct;
	/* iperf3's "error", or "" */
	char error[160];
	bool have_sums; /* end.sum_sent and end.sum_received were there */
	/* start.timestamp.timesecs: the client's wall clock at the test's
	 * start, whole seconds; -1: not reported */
	int64_t start_secs;
	/* intervals[].sum in order, those well formed (finite, 0 <= start
	 * <= end, bps >= 0, starts not going backwards); dropped: the
	 * others and those past IPERF_INTERVALS_MAX */
	struct iperf_interval iv[IPERF_INTERVALS_MAX];
	unsigned nintervals, dropped_intervals;
};

/*
 * Parse one JSON document of `iperf3 -c ... -J`. 0: a complete test
 * without error; -1: why says what is wrong (iperf3's own error, or
 * what is missing), and r holds what could be read (an interrupted
 * test keeps its sums).
 */
int iperf_report_parse(const char *text, size_t len, struct iperf_report *r,
		       char *why, size_t wlen);

#endif
