// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checksums are not verified: a capture point sees outgoing frames before
 * the NIC (or nobody, on veth) fills in offloaded UDP checksums, and the
 * probe header's magic and session already tell our frames from others.
 */
#include "core/frame.h"

#include "core/packet.h"

#include <string.h>

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_VLAN 0x8100
#define IPV4_MIN_HLEN 20
#define IPV4_MF 0x2000
#define IPV4_OFFSET 0x1fff
#define IPPROTO_ICMP_ 1
#define IPPROTO_UDP_ 17
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define UDP_HLEN 8

#define IPV4_DF 0x4000
#define IPV4_TTL 64
#define FRAME_MAX 1518

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * The ICMP or UDP part of an IPv4 packet (l4, len bytes, fragment says
 * whether more fragments follow): where the probe header is, and which
 * way the frame goes. 0 or -1.
 */
static int parse_l4(const uint8_t *l4, size_t len, unsigned proto,
		    bool fragment, uint16_t udp_port, struct probe_frame *pf,
		    const uint8_t **payload, size_t *plen)
{
	size_t ulen;

	if (proto == IPPROTO_ICMP_) {
		if (len < ICMP_HDR_LEN || l4[1] != 0)
			return -1;
		if (l4[0] == ICMP_ECHO_REQUEST)
			pf->request = true;
		else if (l4[0] == ICMP_ECHO_REPLY)
			pf->request = false;
		else
			return -1;
		pf->kind = PROBE_ICMP;
		*payload = l4 + ICMP_HDR_LEN;
		*plen = len - ICMP_HDR_LEN;
		return 0;
	}
	if (proto != IPPROTO_UDP_ || len < UDP_HLEN || !udp_port)
		return -1;
	/* a datagram from the port to the port reads as a request */
	if (get16(l4 + 2) == udp_port)
		pf->request = true;
	else if (get16(l4) == udp_port)
		pf->request = false;
	else
		return -1;
	/*
	 * The UDP length covers the whole datagram, which a first fragment
	 * holds only part of: there, the fragment's end bounds the payload.
	 */
	ulen = get16(l4 + 4);
	if (ulen < UDP_HLEN || (!fragment && ulen > len))
		return -1;
	if (ulen > len)
		ulen = len;
	pf->kind = PROBE_UDP;
	*payload = l4 + UDP_HLEN;
	*plen = ulen - UDP_HLEN;
	return 0;
}

int frame_parse(const uint8_t *frame, size_t len, uint16_t udp_port,
		struct probe_frame *pf)
{
	struct probe_hdr h;
	const uint8_t *ip, *payload;
	size_t off = ETH_HLEN, ihl, tot, plen;
	uint16_t type, frag;

	if (len < ETH_HLEN)
		return -1;
	type = get16(frame + 12);
	if (type == ETHERTYPE_VLAN) {
		if (len < ETH_HLEN + VLAN_HLEN)
			return -1;
		type = get16(frame + 16);
		off += VLAN_HLEN;
	}
	if (type != ETHERTYPE_IPV4 || len - off < IPV4_MIN_HLEN)
		return -1;
	ip = frame + off;
	len -= off;
	if (ip[0] >> 4 != 4)
		return -1;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	/* frames shorter than 60 bytes come padded: the IPv4 length rules */
	tot = get16(ip + 2);
	if (ihl < IPV4_MIN_HLEN || tot < ihl || tot > len)
		return -1;
	/* only the first fragment carries the ICMP/UDP and probe headers */
	frag = get16(ip + 6);
	if (frag & IPV4_OFFSET)
		return -1;
	if (parse_l4(ip + ihl, tot - ihl, ip[9], (frag & IPV4_MF) != 0,
		     udp_port, pf, &payload, &plen))
		return -1;
	if (packet_read_payload(payload, plen, &h))
		return -1;
	pf->session = h.session;
	pf->seq = h.seq;
	return 0;
}

size_t frame_build_probe(uint8_t *buf, enum probe_kind kind,
			 unsigned frame_size, const struct frame_addrs *a,
			 const struct probe_hdr *h)
{
	size_t len = FRAME_LEN(frame_size), plen = packet_payload_len(frame_size);
	uint8_t *ip = buf + ETH_HLEN, *l4 = ip + IPV4_MIN_HLEN;

	if (!plen || frame_size > FRAME_MAX)
		return 0;
	memset(buf, 0, len);
	memcpy(buf, a->dst_mac, 6);
	memcpy(buf + 6, a->src_mac, 6);
	put16(buf + 12, ETHERTYPE_IPV4);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(len - ETH_HLEN));
	put16(ip + 6, IPV4_DF);
	ip[8] = IPV4_TTL;
	ip[9] = kind == PROBE_ICMP ? IPPROTO_ICMP_ : IPPROTO_UDP_;
	memcpy(ip + 12, a->src_ip, 4);
	memcpy(ip + 16, a->dst_ip, 4);
	if (kind == PROBE_ICMP) {
		l4[0] = ICMP_ECHO_REQUEST;
		put16(l4 + 4, a->icmp_id);
	} else {
		put16(l4, a->src_port);
		put16(l4 + 2, a->dst_port);
		put16(l4 + 4, (uint16_t)(UDP_HLEN + plen));
	}
	frame_set_probe(buf, len, h);
	return len;
}

void frame_set_probe(uint8_t *buf, size_t len, const struct probe_hdr *h)
{
	uint8_t *ip = buf + ETH_HLEN, *l4 = ip + IPV4_MIN_HLEN;
	size_t l4len = len - ETH_HLEN - IPV4_MIN_HLEN;

	put16(ip + 4, (uint16_t)h->seq);
	put16(ip + 10, 0);
	put16(ip + 10, packet_csum(ip, IPV4_MIN_HLEN));
	/* both kinds: 8 header bytes, then the probe header */
	packet_write_payload(l4 + UDP_HLEN, l4len - UDP_HLEN, h);
	if (ip[9] == IPPROTO_ICMP_) {
		/* the echo's seq, as ping's: what a capture shows */
		put16(l4 + 6, (uint16_t)h->seq);
		put16(l4 + 2, 0);
		put16(l4 + 2, packet_csum(l4, l4len));
	}
}
