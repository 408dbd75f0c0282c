/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Links and addresses through rtnetlink (libnl-route), in a given network
 * namespace. Every function returns 0 or a negative error, having printed
 * what failed with the link's name; "not found" on delete is success, so
 * teardown is idempotent.
 */
#ifndef IOV_NET_LINK_H
#define IOV_NET_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl_sock;

/* A route socket inside network namespace netns (NULL: the current one). */
struct nl_sock *nl_open(const char *netns);
void nl_close(struct nl_sock *sk);

/* veth pair: name here, peer in namespace peer_netns (NULL: here too). */
int link_add_veth(struct nl_sock *sk, const char *name, const char *peer,
		  const char *peer_netns);
int link_add_bridge(struct nl_sock *sk, const char *name);
/* macvlan in bridge mode on lower, created in namespace netns. */
int link_add_macvlan(struct nl_sock *sk, const char *name, const char *lower,
		     const char *netns);
/*
 * macvtap in mode (passthru, bridge, vepa, private) on lower, with the
 * given ifindex (> 0) so that its character device /dev/tapIFINDEX, which
 * devtmpfs names after the ifindex whatever the namespace, cannot collide
 * with another server's.
 */
int link_add_macvtap(struct nl_sock *sk, const char *name, const char *lower,
		     const char *mode, int ifindex);
/*
 * A persistent tap (IFF_TAP, no packet info, vnet header) in namespace
 * netns (NULL: here), for QEMU to open by name.
 */
int link_add_tap(const char *netns, const char *name);
/* SR-IOV VF settings on PF pf; NULL / -1 leave one unchanged. */
struct vf_settings {
	const uint8_t *mac;
	int vlan;     /* 0: none */
	int trust;    /* 0, 1 */
	int spoofchk; /* 0, 1 */
};
int link_set_vf(struct nl_sock *sk, const char *pf, unsigned vf,
		const struct vf_settings *set);
int link_delete(struct nl_sock *sk, const char *name);
int link_exists(struct nl_sock *sk, const char *name);
/* An interface's byte and packet counters (the kernel's 64-bit ones). */
struct link_counters {
	uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
};
int link_counters(struct nl_sock *sk, const char *name,
		  struct link_counters *out);

int link_set_up(struct nl_sock *sk, const char *name);
/*
 * Wait until link name is operationally up, at most timeout_ns. Until
 * the kernel's link watcher has seen its carrier, a new link drops what
 * it is given to send (its qdisc is noop) and a bridge does not forward
 * to it: under load that lasts seconds, long enough for a first ARP to
 * be lost. Only for links that report carrier (veth, tap, macvlan,
 * macvtap, bridge, NICs): others stay "unknown" for ever.
 */
int link_wait_up(struct nl_sock *sk, const char *name, int64_t timeout_ns);
int link_set_master(struct nl_sock *sk, const char *name, const char *master);
/* Clear the master (leave a bridge). */
int link_set_nomaster(struct nl_sock *sk, const char *name);
int link_set_mtu(struct nl_sock *sk, const char *name, unsigned mtu);
int link_set_mac(struct nl_sock *sk, const char *name, const uint8_t mac[6]);
int link_rename(struct nl_sock *sk, const char *name, const char *newname);
/* Move a link to another network namespace, renamed newname (or not:
 * NULL) on its way in. */
int link_set_netns(struct nl_sock *sk, const char *name, const char *netns,
		   const char *newname);
/* IPv4 address addr/plen (host byte order). */
int addr_add(struct nl_sock *sk, const char *name, uint32_t addr,
	     unsigned plen);
/* Remove all neighbour (ARP) entries of this namespace. */
int neigh_flush(struct nl_sock *sk);

struct link_info {
	char name[16];
	char kind[16]; /* "veth", "bridge", "macvlan", ... or "" */
	char master[16];
	unsigned mtu;
	bool up;
	uint8_t mac[6];
	char addrs[128]; /* "198.18.0.1/16 ..." */
};
/* Links whose names start with prefix ("" for all), sorted by name. */
int link_list(struct nl_sock *sk, const char *prefix, struct link_info **out,
	      size_t *n);

#endif
