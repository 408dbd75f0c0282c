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
 * With the ports captured too (the main guests' own links on their
 * servers: a VM's tap or macvtap, a container's veth port), each server's
 * part splits further:
 *
 *   snd_host  = (snd_out - snd_port_req) + (snd_port_rep - snd_in)
 *               the sender server's data plane (bridge, macvtap), both
 *               ways: the part of overhead outside the sender guest
 *   rsp_host  = (rsp_port_req - rsp_in) + (rsp_out - rsp_port_rep)
 *   rsp_guest = rsp_port_rep - rsp_port_req   the responder guest
 *               (response = rsp_host + rsp_guest)
 *
 * A port sees each frame once, going whichever way its kind of link
 * calls it (a tap receives what the guest sends, a macvtap transmits
 * it), so the way is not checked there.
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

enum split_point {
	SPLIT_SENDER_NIC,
	SPLIT_RESPONDER_NIC,
	SPLIT_SENDER_PORT,
	SPLIT_RESPONDER_PORT,
	SPLIT_POINTS
};

/* The NIC points are always taken; the ports when asked for. */
#define SPLIT_NIC_POINTS 2

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
	int64_t snd_port_req, snd_port_rep, rsp_port_req, rsp_port_rep;
	int64_t snd_host, rsp_host, rsp_guest;
};

/* The durations, by name ("rtt_nic" ... "rsp_guest"), for tables. */
enum split_duration {
	SPLIT_RTT_NIC,
	SPLIT_RESPONSE,
	SPLIT_WIRE,
	SPLIT_OVERHEAD,
	SPLIT_SND_HOST,
	SPLIT_RSP_HOST,
	SPLIT_RSP_GUEST,
	SPLIT_DURATIONS
};

const char *split_duration_name(enum split_duration d);
int64_t split_duration(const struct probe_split *ps, enum split_duration d);

/*
 * Match the points' frames to recs (the run's probes, session
 * meta->session) by sequence number. out has n entries.
 */
void split_match(const struct probe_meta *meta, const struct probe_rec *recs,
		 size_t n, const struct split_input in[SPLIT_POINTS],
		 struct probe_split *out,
		 struct split_counts counts[SPLIT_POINTS]);

/*
 * The same one event at a time, for a run streamed from files: a probe's
 * split from split_reset(), each event of the run's (split_event_of())
 * at point p given to split_event() with that point's counts, then the
 * durations by split_finish() with the probe's record.
 */
void split_reset(struct probe_split *ps);
bool split_event_of(const struct probe_meta *meta,
		    const struct capture_event *e);
void split_event(struct probe_split *ps, enum split_point p,
		 const struct capture_event *e, struct split_counts *counts);
void split_finish(struct probe_split *ps, const struct probe_rec *rec);

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
