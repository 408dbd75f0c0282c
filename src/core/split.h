/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RTT split: where a probe's round trip went, from the frames the
 * capture points saw (the paper's section 4.4, figure 8). Pure.
 *
 *   sender guest   sender NIC          responder NIC       responder guest
 *   t_tx ------->  snd_out  --wire-->  rsp_in  ----------> (kernel or
 *                                                           reflector)
 *   t_rx <-------  snd_in   <--wire--  rsp_out <----------
 *
 *   rtt_nic  = snd_in - snd_out      RTT at the sender NIC
 *   response = rsp_out - rsp_in      the responder's response time
 *   wire     = rtt_nic - response    both crossings of the wire
 *   overhead = rtt - rtt_nic         what the sender's guest and its data
 *                                    plane add (RTT in the guest minus
 *                                    RTT at the NIC)
 *
 * Each is a difference of two times of one clock, so the servers'
 * clocks need not agree. A capture point that cannot exist (VFIO hides
 * the VF from the host) leaves its times absent (-1) and what needs
 * them SPLIT_NONE, never zero.
 */
#ifndef IOV_CORE_SPLIT_H
#define IOV_CORE_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"
#include "core/probe.h"

enum split_point { SPLIT_SENDER_NIC, SPLIT_RESPONDER_NIC, SPLIT_POINTS };

/* A point's frames, or absent. */
struct split_input {
	bool available;
	const struct capture_event *ev;
	size_t n;
};

/* What a point saw of the run's probes: counted once per probe. */
struct split_counts {
	uint64_t requests, replies; /* distinct probes, in the right direction */
	uint64_t wrong_way;	    /* a probe frame going the wrong way */
	uint64_t repeats;	    /* a frame already seen for that probe */
};

#define SPLIT_NONE INT64_MIN

/* Per probe: times -1 where not seen, durations SPLIT_NONE. */
struct probe_split {
	int64_t snd_out, snd_in, rsp_in, rsp_out;
	int64_t rtt_nic, response, wire, overhead;
};

/*
 * Match the points' frames to recs (the run's probes, session
 * meta->session) by sequence number. out has n entries.
 */
void split_match(const struct probe_meta *meta, const struct probe_rec *recs,
		 size_t n, const struct split_input in[SPLIT_POINTS],
		 struct probe_split *out,
		 struct split_counts counts[SPLIT_POINTS]);

/*
 * The prober numbers its probes on the wire from 0, warm-up ones first,
 * and its records from 0 after the warm-up: make a point's frames of
 * session what the records call them. Frames of warm-up probes become
 * no run's (their session is changed); other sessions' (the
 * preflight's) are left alone, no run's either.
 */
void split_renumber(struct capture_event *ev, size_t n, uint32_t session,
		    uint32_t warmup);

const char *split_point_name(enum split_point p);

#endif
