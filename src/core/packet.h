/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe packets. A probe is an ICMP echo request or a UDP datagram whose
 * payload starts with a 16-byte header (network byte order):
 *
 *   magic "IOVB" | session | seq | flags
 *
 * session is random per run, so a late reply to an earlier run is never
 * taken for a reply of this one; seq counts from 0 (warm-up probes
 * first). The rest of the payload is zero padding up to the frame size.
 *
 * Frame size counts as RFC 2544 does: Ethernet header (14) + IPv4 (20) +
 * ICMP or UDP header (8) + payload + FCS (4). Parsers take untrusted
 * bytes and are fuzzed.
 */
#ifndef IOV_CORE_PACKET_H
#define IOV_CORE_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define PROBE_MAGIC 0x494f5642u /* "IOVB" */
#define PROBE_HDR_LEN 16
/* Ethernet 14 + IPv4 20 + ICMP/UDP 8 + FCS 4 */
#define PROBE_FRAME_OVERHEAD 46
#define PROBE_MIN_FRAME (PROBE_FRAME_OVERHEAD + PROBE_HDR_LEN)
#define ICMP_HDR_LEN 8

struct probe_hdr {
	uint32_t session;
	uint32_t seq;
	uint32_t flags;
};

/* Bytes after the ICMP/UDP header for a frame of frame_size; 0 if smaller
 * than PROBE_MIN_FRAME. */
size_t packet_payload_len(unsigned frame_size);

/* RFC 1071 Internet checksum. */
uint16_t packet_csum(const void *data, size_t len);

/* Write the probe header + zero padding into buf (payload_len bytes). */
void packet_write_payload(uint8_t *buf, size_t payload_len,
			  const struct probe_hdr *h);
/* Read the probe header; 0, or -1 if len is short or the magic is wrong. */
int packet_read_payload(const uint8_t *buf, size_t len, struct probe_hdr *h);

/*
 * An ICMP echo request (header + payload; the kernel adds IPv4) of
 * ICMP_HDR_LEN + payload_len bytes.
 */
void packet_build_icmp_echo(uint8_t *buf, size_t payload_len, uint16_t id,
			    const struct probe_hdr *h);
/* Change the sequence number of a built echo, fixing the checksum. */
void packet_icmp_set_seq(uint8_t *buf, size_t payload_len, uint32_t seq);

/*
 * Parse what a raw IPPROTO_ICMP socket returns (IPv4 header + ICMP) as an
 * echo reply to one of our probes: type 0, our id, valid ICMP checksum,
 * our magic and session. 0 with *seq set, or -1.
 */
int packet_parse_icmp_reply(const uint8_t *pkt, size_t len, uint16_t id,
			    uint32_t session, uint32_t *seq);

/* A UDP probe's payload (the socket adds UDP/IP): 0 with *seq, or -1. */
int packet_parse_udp_reply(const uint8_t *pkt, size_t len, uint32_t session,
			   uint32_t *seq);

/*
 * Find our probe header in a packet returned on the error queue with a
 * transmit timestamp: the kernel hands back the whole frame, with headers
 * that depend on the device, so search for magic + session rather than
 * parse. 0 with *seq, or -1.
 */
int packet_find_probe(const uint8_t *pkt, size_t len, uint32_t session,
		      uint32_t *seq);

#endif
