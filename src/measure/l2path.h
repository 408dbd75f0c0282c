/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The link-layer path to an IPv4 address, as the kernel would send to
 * it: the interface, its source address and MAC, and the neighbour's MAC
 * (ARP). What a sender of whole Ethernet frames (the load generator, the
 * prober's ring) needs to address them as the kernel would.
 */
#ifndef IOV_MEASURE_L2PATH_H
#define IOV_MEASURE_L2PATH_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

struct l2path {
	char ifname[IF_NAMESIZE];
	int ifindex;
	struct in_addr src, dst;
	uint8_t src_mac[6], dst_mac[6];
};

/*
 * The MAC the kernel resolves for ip (dotted) on ifname: a datagram to
 * the discard port makes it ask, /proc/net/arp says the answer, within
 * 3 s. 0, or -1 (printed).
 */
int l2path_resolve_mac(const char *ifname, const char *ip, uint8_t mac[6]);

/*
 * The path to dst: the source address the kernel picks (a connected UDP
 * socket's), the interface holding it, and dst's MAC on it. dst must be
 * on that interface's subnet (no gateway: frames go to dst's own MAC).
 * 0, or -1 (printed).
 */
int l2path_find(struct in_addr dst, struct l2path *out);

#endif
