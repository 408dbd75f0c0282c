/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Load-latency frames: what `iovbench loadgen` sends and a reflector
 * bounces back. Layer 2 only, so no guest's IP stack answers or counts
 * them: Ethernet with EtherType 0x88B5 (IEEE 802 local experimental),
 * then a 36-byte header (network byte order), as a probe's (packet.h):
 *
 *   magic "IOVL" | session | kind | guest | 2 zero bytes | seq (64) |
 *   intended send time (64, ns) | send time (64, ns)
 *
 * session is random per run: the signature that nothing else on the
 * wire (an earlier run's late frames, other traffic) is counted. kind:
 * load or latency frame. guest: which of a generator's destinations
 * (reflector guests) the frame was sent to, from 0, so that the receive
 * side counts per guest what comes back. The rest is zero up to the frame size, counted
 * with the FCS as RFC 2544 does (a 64-byte frame is 60 bytes on a veth).
 * Parsers take untrusted bytes and are fuzzed.
 */
#ifndef IOV_CORE_LLFRAME_H
#define IOV_CORE_LLFRAME_H

#include <stddef.h>
#include <stdint.h>

#define LLFRAME_ETHERTYPE 0x88b5
#define LLFRAME_MAGIC 0x494f564cu /* "IOVL" */
#define LLFRAME_HDR_LEN 36
#define LLFRAME_MIN_FRAME 64
#define LLFRAME_FCS 4

enum llframe_kind { LLFRAME_LOAD, LLFRAME_LATENCY };

struct llframe_hdr {
	uint32_t session;
	uint8_t kind; /* enum llframe_kind */
	uint8_t guest; /* the destination's index */
	uint64_t seq;
	int64_t intended_ns, sent_ns; /* CLOCK_REALTIME */
};

/*
 * Write a frame of frame_size bytes (FCS included, >= LLFRAME_MIN_FRAME)
 * into buf; returns the bytes written (frame_size - LLFRAME_FCS).
 */
size_t llframe_build(uint8_t *buf, unsigned frame_size, const uint8_t dst[6],
		     const uint8_t src[6], const struct llframe_hdr *h);
/* Rewrite the times of a built frame (just before it goes). */
void llframe_set_times(uint8_t *buf, int64_t intended_ns, int64_t sent_ns);
/*
 * Make a built frame (of this session, MACs and size) frame h: its kind,
 * guest, seq and times; the rest stays. What a generator does to a template
 * instead of building every frame anew.
 */
void llframe_restamp(uint8_t *buf, const struct llframe_hdr *h);
/*
 * Parse a received frame: our EtherType and magic, and the session
 * unless session is 0 (a reflector takes any). 0 with *h, or -1.
 */
int llframe_parse(const uint8_t *buf, size_t len, uint32_t session,
		  struct llframe_hdr *h);
/* Is it one of ours (any session)? What a reflector asks. */
int llframe_is_ours(const uint8_t *buf, size_t len);
void llframe_swap_macs(uint8_t *buf);
/* "02:00:c6:12:00:02": 0, or -1 */
int llframe_mac_parse(const char *s, uint8_t mac[6]);
/* into buf of at least 18 bytes */
void llframe_mac_format(const uint8_t mac[6], char *buf, size_t len);
/*
 * The MAC of IPv4 address ip (dotted) on ifname in the text of
 * /proc/net/arp (len bytes), complete entries only: 0, or -1.
 */
int llframe_arp_find(const char *text, size_t len, const char *ip,
		     const char *ifname, uint8_t mac[6]);

#endif
