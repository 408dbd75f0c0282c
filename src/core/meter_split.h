/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The split meter's stored rows (core/meter_split.c): where each probe's
 * RTT went (core/split.h) and what each capture point saw; the column
 * order its OS half (runner/meter_split.c) fills.
 */
#ifndef IOV_CORE_METER_SPLIT_H
#define IOV_CORE_METER_SPLIT_H

#include "core/meter.h"
#include "core/split.h"

/* A capture point of a run. */
struct point_rec {
	const char *point;  /* "sender-nic", "responder-nic", ... */
	const char *server;
	const char *ifname; /* NULL when unavailable */
	const char *reason; /* why it is unavailable, else NULL */
	uint64_t frames, drops;
	struct split_counts counts;
	uint64_t expected_requests, expected_replies;
	const char *pcap; /* its pcap file, or NULL */
};

#define SPLIT_PROBE_COLS (1 + SPLIT_DURATIONS)
#define SPLIT_POINT_COLS 14

/* probe_splits' row of probe seq; false if it has no duration at all. */
bool meter_split_probe_cells(uint32_t seq, const struct probe_split *ps,
			     struct cell *cells);
void meter_split_point_cells(const struct point_rec *p, struct cell *cells);

#endif
