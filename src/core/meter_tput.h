/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The throughput meter's stored rows (core/meter_tput.c): per run, what
 * iperf3 measured between each measured pair (throughput_pairs), and
 * the byte counters of the interfaces its traffic crossed on the way to
 * the pair's receiver (throughput_counters); the column order its OS
 * half (runner/meter_tput.c) fills.
 */
#ifndef IOV_CORE_METER_TPUT_H
#define IOV_CORE_METER_TPUT_H

#include <stdint.h>

#include "core/iperf_report.h"
#include "core/meter.h"

/* Measured pairs a test may have (the pairs factor's maximum). */
#define TPUT_PAIRS_MAX 8

struct tput_pair_row {
	unsigned pair; /* 1: the main guests */
	const char *sender, *responder;
	const struct iperf_report *rep; /* NULL: iperf3 said nothing */
	const char *why;		/* why it failed, or NULL */
};

/* An interface's counters over a run, where the traffic crossed it. */
struct tput_counter_row {
	unsigned pair;
	const char *point;  /* "responder-nic", "responder-port" */
	const char *ifname; /* NULL: not read (see why) */
	const char *direction; /* "rx" or "tx" */
	uint64_t bytes, packets;
	unsigned header_bytes; /* of each packet, to subtract for payload */
	uint64_t iperf_bytes;  /* what iperf3's receiver counted */
	uint64_t iperf_sent;   /* what iperf3's sender counted */
	const char *why;
};

#define TPUT_PAIR_COLS 20
#define TPUT_COUNTER_COLS 11

void meter_tput_pair_cells(const struct tput_pair_row *r, struct cell *c);
void meter_tput_counter_cells(const struct tput_counter_row *r,
			      struct cell *c);

/*
 * Bytes of headers per packet that interface counters include and
 * iperf3's byte counts do not: Ethernet, IPv4, and TCP with the
 * timestamp option (Linux's default) or UDP.
 */
unsigned meter_tput_header_bytes(enum tput_protocol p);

#endif
