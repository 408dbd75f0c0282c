// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/packet.h"

#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

size_t packet_payload_len(unsigned frame_size)
{
	if (frame_size < PROBE_MIN_FRAME)
		return 0;
	return frame_size - PROBE_FRAME_OVERHEAD;
}

uint16_t packet_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; len -= 2, p += 2)
		sum += get16(p);
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void packet_write_payload(uint8_t *buf, size_t payload_len,
			  const struct probe_hdr *h)
{
	memset(buf, 0, payload_len);
	if (payload_len < PROBE_HDR_LEN)
		return;
	put32(buf, PROBE_MAGIC);
	put32(buf + 4, h->session);
	put32(buf + 8, h->seq);
	put32(buf + 12, h->flags);
}

int packet_read_payload(const uint8_t *buf, size_t len, struct probe_hdr *h)
{
	if (len < PROBE_HDR_LEN || get32(buf) != PROBE_MAGIC)
		return -1;
	h->session = get32(buf + 4);
	h->seq = get32(buf + 8);
	h->flags = get32(buf + 12);
	return 0;
}

void packet_build_icmp_echo(uint8_t *buf, size_t payload_len, uint16_t id,
			    const struct probe_hdr *h)
{
	buf[0] = 8; /* echo request */
	buf[1] = 0;
	put16(buf + 2, 0);
	put16(buf + 4, id);
	put16(buf + 6, (uint16_t)h->seq);
	packet_write_payload(buf + ICMP_HDR_LEN, payload_len, h);
	put16(buf + 2, packet_csum(buf, ICMP_HDR_LEN + payload_len));
}

void packet_icmp_set_seq(uint8_t *buf, size_t payload_len, uint32_t seq)
{
	/*
	 * Recomputing over 18..1472 bytes costs at most a few hundred ns;
	 * RFC 1624's incremental update would be faster but this runs
	 * before the departure time is taken, off the measured path.
	 */
	put16(buf + 2, 0);
	put16(buf + 6, (uint16_t)seq);
	if (payload_len >= PROBE_HDR_LEN)
		put32(buf + ICMP_HDR_LEN + 8, seq);
	put16(buf + 2, packet_csum(buf, ICMP_HDR_LEN + payload_len));
}

int packet_parse_icmp_reply(const uint8_t *pkt, size_t len, uint16_t id,
			    uint32_t session, uint32_t *seq)
{
	struct probe_hdr h;
	size_t ihl, tot;

	if (len < 20 || (pkt[0] >> 4) != 4)
		return -1;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	tot = get16(pkt + 2);
	if (ihl < 20 || tot < ihl || tot > len)
		return -1;
	if (pkt[9] != 1) /* IPPROTO_ICMP */
		return -1;
	pkt += ihl;
	len = tot - ihl;
	if (len < ICMP_HDR_LEN || pkt[0] != 0 || pkt[1] != 0 ||
	    get16(pkt + 4) != id)
		return -1;
	if (packet_csum(pkt, len) != 0)
		return -1;
	if (packet_read_payload(pkt + ICMP_HDR_LEN, len - ICMP_HDR_LEN, &h) ||
	    h.session != session)
		return -1;
	*seq = h.seq;
	return 0;
}

int packet_parse_udp_reply(const uint8_t *pkt, size_t len, uint32_t session,
			   uint32_t *seq)
{
	struct probe_hdr h;

	if (packet_read_payload(pkt, len, &h) || h.session != session)
		return -1;
	*seq = h.seq;
	return 0;
}

int packet_find_probe(const uint8_t *pkt, size_t len, uint32_t session,
		      uint32_t *seq)
{
	struct probe_hdr h;
	size_t o;

	for (o = 0; o + PROBE_HDR_LEN <= len; o++) {
		if (pkt[o] != (PROBE_MAGIC >> 24) ||
		    packet_read_payload(pkt + o, len - o, &h) ||
		    h.session != session)
			continue;
		*seq = h.seq;
		return 0;
	}
	return -1;
}
