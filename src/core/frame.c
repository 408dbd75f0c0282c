// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checksums are not verified: a capture point sees outgoing frames before
 * the NIC (or nobody, on veth) fills in offloaded UDP checksums, and the
 * probe header's magic and session already tell our frames from others.
 */
#include "core/frame.h"

#include "core/packet.h"

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

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
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
