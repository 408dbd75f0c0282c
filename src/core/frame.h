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
#include "core/packet.h"

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

/*
 * The addresses of a probe frame built by frame_build_probe(): MACs and
 * IPv4 addresses as the bytes that go on the wire, ports and the ICMP
 * id as integers (written big-endian).
 */
struct frame_addrs {
	uint8_t dst_mac[6], src_mac[6];
	uint8_t src_ip[4], dst_ip[4];
	uint16_t src_port, dst_port; /* UDP */
	uint16_t icmp_id;	     /* ICMP */
};

/* The bytes a probe frame of frame_size takes without its FCS. */
#define FRAME_LEN(frame_size) ((size_t)(frame_size) - 4)

/*
 * An Ethernet + IPv4 + (ICMP echo request | UDP) frame of frame_size
 * bytes (FCS included, >= PROBE_MIN_FRAME: RFC 2544's count) carrying
 * probe h, into buf of at least FRAME_LEN(frame_size) bytes: what the
 * ring sender hands the driver. The IPv4 header has DF set and its
 * checksum; the ICMP checksum covers the message; a UDP checksum is 0
 * (RFC 768: none, allowed over IPv4). Returns the length, or 0 if
 * frame_size is too small or too large for one frame (> 1518).
 */
size_t frame_build_probe(uint8_t *buf, enum probe_kind kind,
			 unsigned frame_size, const struct frame_addrs *a,
			 const struct probe_hdr *h);
/*
 * Make a built frame (len bytes) carry probe h instead: its session and
 * seq, the IPv4 id (the seq's low 16 bits) and the checksums that cover
 * them.
 */
void frame_set_probe(uint8_t *buf, size_t len, const struct probe_hdr *h);

#endif
