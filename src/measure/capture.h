/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Capture points: where probe packets are timestamped on their way, apart
 * from the prober itself. A capture reads an interface of a namespace
 * through an AF_PACKET TPACKET_V3 ring, with a classic-BPF filter that
 * passes only IPv4 ICMP echo and UDP to/from the reflector's port, in a
 * thread of its own, from capture_start() to capture_stop(). Every probe
 * frame seen becomes an event with the frame's kernel (nanosecond)
 * timestamp and its direction; the ring's drop count says whether the
 * capture kept up.
 */
#ifndef IOV_MEASURE_CAPTURE_H
#define IOV_MEASURE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"
#include "util/strbuf.h"

struct capture_result {
	struct capture_event *ev; /* in capture order */
	size_t n;
	uint64_t frames;  /* frames the filter passed */
	uint64_t drops;	  /* frames the ring lost (PACKET_STATISTICS) */
	uint64_t streamed; /* events given to opts->emit, not in ev */
	struct strbuf pcap; /* with keep_pcap: a nanosecond pcap file */
};

struct capture;

struct capture_opts {
	const char *netns; /* NULL: here */
	const char *ifname;
	uint16_t udp_port;
	bool keep_pcap;	   /* also write the frames as a pcap file */
	/*
	 * If set, each event as it is seen (in the capture's thread), kept
	 * nowhere: a capture of any length in constant memory.
	 */
	void (*emit)(const struct capture_event *e, void *data);
	void *emit_data;
};

/* Start capturing; 0 or -1 (printed). */
int capture_start(const struct capture_opts *o, struct capture **out);
/*
 * Wait until every frame the interface saw before this call has been
 * read (and given to opts->emit): one drain of the ring, 24 ms; or,
 * sooner, until ready(data) says so (asked in the capture's thread after
 * each read of the ring: e.g. every frame the caller expects is in).
 * *frames: the frames passed so far; *drops: the ring's drops since the
 * last call (or the start). 0 or -1. A capture that lives for many runs
 * marks each run's end with it.
 */
int capture_sync(struct capture *c, bool (*ready)(void *data), void *data,
		 uint64_t *frames, uint64_t *drops);
/*
 * Whether the capture still reads its interface: 0, or -errno when the
 * interface went (-ENODEV: another of its name is there now, made
 * since). A capture that lives for many runs asks before each.
 */
int capture_bound(struct capture *c);
/*
 * What is still in the ring is nobody's (a capture of many runs, between
 * runs): the next capture_stop() skips its final drain (24 ms).
 */
void capture_drop_drain(struct capture *c);
/* Stop, hand over what was seen, free the capture. 0 or -1. */
int capture_stop(struct capture *c, struct capture_result *res);
void capture_result_release(struct capture_result *res);

#endif
