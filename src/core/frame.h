/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe packets as a capture point sees them: Ethernet frames. Pure and
 * fuzzed (frames come off the wire). Recognizes the probes and replies
 * of core/packet.h: ICMP echo requests and replies, and UDP datagrams to
 * or from the reflector's port, whose payload starts with the probe
 * header (magic, session, seq).
 */
#ifndef IOV_CORE_FRAME_H
#define IOV_CORE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/factor.h"

struct probe_frame {
	enum probe_kind kind;
	bool request; /* echo request / to the reflector; else the reply */
	uint32_t session;
	uint32_t seq;
};

/* A probe frame seen at a capture point (measure/capture.h). */
struct capture_event {
	struct probe_frame f;
	bool outgoing; /* sent by this interface (PACKET_OUTGOING) */
	int64_t t;     /* ns, CLOCK_REALTIME (the ring's timestamp) */
};

/*
 * Parse an Ethernet frame (802.1Q tag allowed) carrying a probe or its
 * reply; udp_port is the reflector's. 0, or -1 for anything else.
 */
int frame_parse(const uint8_t *frame, size_t len, uint16_t udp_port,
		struct probe_frame *pf);

#endif
