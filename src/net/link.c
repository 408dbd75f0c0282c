// SPDX-License-Identifier: GPL-2.0-or-later
#include "net/link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <linux/if.h> /* IF_OPER_UP; after net/if.h */
#include <sys/ioctl.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/macvtap.h>
#include <netlink/route/link/sriov.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/neighbour.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/netns.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

struct nl_sock *nl_open(const char *netns)
{
	struct nl_sock *sk;
	int saved = -1, err;

	if (netns && netns_enter(netns, &saved))
		return NULL;
	/* the socket belongs to the namespace it was opened in */
	sk = nl_socket_alloc();
	if (!sk) {
		error("cannot allocate a netlink socket");
		goto restore;
	}
	err = nl_connect(sk, NETLINK_ROUTE);
	if (err) {
		error("cannot open a netlink socket: %s", nl_geterror(err));
		nl_socket_free(sk);
		sk = NULL;
	}
restore:
	if (saved >= 0 && netns_restore(saved)) {
		nl_close(sk);
		return NULL;
	}
	return sk;
}

void nl_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

/* libnl returns -NLE_* codes, not errno: print them, pass them on. */
static int nl_fail(int err, const char *what, const char *name)
{
	error("cannot %s '%s': %s", what, name, nl_geterror(err));
	return err < 0 ? err : -err;
}

int link_add_veth(struct nl_sock *sk, const char *name, const char *peer,
		  const char *peer_netns)
{
	struct rtnl_link *link = rtnl_link_veth_alloc(), *p;
	int fd = -1, err;

	if (!link)
		return error("out of memory");
	p = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(link, name);
	rtnl_link_set_name(p, peer);
	if (peer_netns) {
		fd = netns_open(peer_netns);
		if (fd < 0) {
			rtnl_link_put(p);
			rtnl_link_veth_release(link);
			errno = -fd;
			return error_errno("cannot open namespace '%s'",
					   peer_netns);
		}
		rtnl_link_set_ns_fd(p, fd);
	}
	err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(p);
	rtnl_link_veth_release(link);
	if (fd >= 0)
		close(fd);
	return err ? nl_fail(err, "create veth", name) : 0;
}

int link_add_bridge(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link = rtnl_link_alloc();
	int err;

	if (!link)
		return error("out of memory");
	rtnl_link_set_name(link, name);
	rtnl_link_set_type(link, "bridge");
	/* STP is off by default, so ports forward at once */
	err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(link);
	return err ? nl_fail(err, "create bridge", name) : 0;
}

static int ifindex_of(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;
	int idx, err;

	err = rtnl_link_get_kernel(sk, 0, name, &link);
	if (err)
		return nl_fail(err, "find link", name);
	idx = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return idx;
}

int link_add_macvlan(struct nl_sock *sk, const char *name, const char *lower,
		     const char *netns)
{
	struct rtnl_link *link;
	int idx, fd = -1, err;

	idx = ifindex_of(sk, lower);
	if (idx < 0)
		return idx;
	link = rtnl_link_macvlan_alloc();
	if (!link)
		return error("out of memory");
	rtnl_link_set_name(link, name);
	rtnl_link_set_link(link, idx);
	rtnl_link_macvlan_set_mode(link, rtnl_link_macvlan_str2mode("bridge"));
	if (netns) {
		fd = netns_open(netns);
		if (fd < 0) {
			rtnl_link_put(link);
			errno = -fd;
			return error_errno("cannot open namespace '%s'", netns);
		}
		rtnl_link_set_ns_fd(link, fd);
	}
	err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(link);
	if (fd >= 0)
		close(fd);
	return err ? nl_fail(err, "create macvlan", name) : 0;
}

int link_add_macvtap(struct nl_sock *sk, const char *name, const char *lower,
		     const char *mode, int ifindex)
{
	struct rtnl_link *link;
	int idx, m, err;

	m = rtnl_link_macvtap_str2mode(mode);
	if (m < 0)
		return error("unknown macvtap mode '%s'", mode);
	idx = ifindex_of(sk, lower);
	if (idx < 0)
		return idx;
	link = rtnl_link_macvtap_alloc();
	if (!link)
		return error("out of memory");
	rtnl_link_set_name(link, name);
	rtnl_link_set_link(link, idx);
	if (ifindex > 0)
		rtnl_link_set_ifindex(link, ifindex);
	rtnl_link_macvtap_set_mode(link, (uint32_t)m);
	err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(link);
	return err ? nl_fail(err, "create macvtap", name) : 0;
}

int link_add_tap(const char *netns, const char *name)
{
	struct ifreq ifr;
	int saved = -1, fd, ret = 0;

	if (strlen(name) >= IFNAMSIZ)
		return error("tap name '%s' is too long", name);
	/* a tun device belongs to the namespace /dev/net/tun was opened in */
	if (netns && netns_enter(netns, &saved))
		return -1;
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = error_errno("cannot open /dev/net/tun");
		goto restore;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) || ioctl(fd, TUNSETPERSIST, 1))
		ret = error_errno("cannot create tap '%s'", name);
	close(fd);
restore:
	if (saved >= 0 && netns_restore(saved))
		ret = -1;
	return ret;
}

int link_set_vf(struct nl_sock *sk, const char *pf, unsigned vf,
		const struct vf_settings *set)
{
	struct rtnl_link *link, *change;
	struct rtnl_link_vf *v;
	int err;

	err = rtnl_link_get_kernel(sk, 0, pf, &link);
	if (err)
		return nl_fail(err, "find PF", pf);
	change = rtnl_link_alloc();
	v = rtnl_link_vf_alloc();
	rtnl_link_vf_set_index(v, vf);
	if (set->mac) {
		struct nl_addr *a = nl_addr_build(AF_LLC, set->mac, 6);

		rtnl_link_vf_set_addr(v, a);
		nl_addr_put(a);
	}
	if (set->vlan >= 0) {
		nl_vf_vlans_t *vl;

		rtnl_link_vf_vlan_alloc(&vl, 1);
		vl->vlans[0].vf_vlan = (uint32_t)set->vlan;
		vl->vlans[0].vf_vlan_qos = 0;
		vl->vlans[0].vf_vlan_proto = htons(0x8100);
		rtnl_link_vf_set_vlans(v, vl);
		rtnl_link_vf_vlan_put(vl);
	}
	if (set->trust >= 0)
		rtnl_link_vf_set_trust(v, (uint32_t)set->trust);
	if (set->spoofchk >= 0)
		rtnl_link_vf_set_spoofchk(v, (uint32_t)set->spoofchk);
	rtnl_link_vf_add(change, v);
	err = rtnl_link_change(sk, link, change, 0);
	rtnl_link_vf_put(v);
	rtnl_link_put(change);
	rtnl_link_put(link);
	return err ? nl_fail(err, "configure a VF of", pf) : 0;
}

int link_delete(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;
	int err;

	err = rtnl_link_get_kernel(sk, 0, name, &link);
	if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND)
		return 0;
	if (err)
		return nl_fail(err, "find link", name);
	err = rtnl_link_delete(sk, link);
	rtnl_link_put(link);
	if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND)
		return 0;
	return err ? nl_fail(err, "delete link", name) : 0;
}

int link_counters(struct nl_sock *sk, const char *name,
		  struct link_counters *out)
{
	struct rtnl_link *link;
	int err;

	err = rtnl_link_get_kernel(sk, 0, name, &link);
	if (err < 0)
		return nl_fail(err, "read the counters of", name);
	out->rx_bytes = rtnl_link_get_stat(link, RTNL_LINK_RX_BYTES);
	out->rx_packets = rtnl_link_get_stat(link, RTNL_LINK_RX_PACKETS);
	out->tx_bytes = rtnl_link_get_stat(link, RTNL_LINK_TX_BYTES);
	out->tx_packets = rtnl_link_get_stat(link, RTNL_LINK_TX_PACKETS);
	rtnl_link_put(link);
	return 0;
}

int link_exists(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;

	if (rtnl_link_get_kernel(sk, 0, name, &link))
		return 0;
	rtnl_link_put(link);
	return 1;
}

/* Apply the attributes set on change to link name. */
static int link_change(struct nl_sock *sk, const char *name,
		       struct rtnl_link *change, const char *what)
{
	struct rtnl_link *link;
	int err;

	err = rtnl_link_get_kernel(sk, 0, name, &link);
	if (err) {
		rtnl_link_put(change);
		return nl_fail(err, "find link", name);
	}
	err = rtnl_link_change(sk, link, change, 0);
	rtnl_link_put(link);
	rtnl_link_put(change);
	return err ? nl_fail(err, what, name) : 0;
}

int link_set_up(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *c = rtnl_link_alloc();

	rtnl_link_set_flags(c, IFF_UP);
	return link_change(sk, name, c, "bring up");
}

#define UNKNOWN_GRACE_NS (2 * NSEC_PER_SEC)

int link_wait_up(struct nl_sock *sk, const char *name, int64_t timeout_ns)
{
	int64_t start = now_mono(), until = start + timeout_ns;
	char state[32] = "unknown";

	for (;;) {
		struct rtnl_link *link;
		unsigned flags;
		uint8_t op;
		int err = rtnl_link_get_kernel(sk, 0, name, &link);

		if (err)
			return nl_fail(err, "find link", name);
		op = rtnl_link_get_operstate(link);
		flags = rtnl_link_get_flags(link);
		rtnl_link_put(link);
		if (op == IF_OPER_UP)
			return 0;
		/*
		 * A driver that never reports its carrier (some virtual NICs)
		 * stays "unknown" with carrier: taken once the link watcher
		 * has had the time to say otherwise. A new veth is "unknown"
		 * too until then, which is why not at once.
		 */
		if (op == IF_OPER_UNKNOWN && (flags & IFF_LOWER_UP) &&
		    now_mono() - start >= UNKNOWN_GRACE_NS)
			return 0;
		rtnl_link_operstate2str(op, state, sizeof(state));
		if (now_mono() >= until)
			break;
		usleep(5000);
	}
	return error("link %s is still %s after %.0f s: no carrier (is its "
		     "other end up?)",
		     name, state, (double)timeout_ns / NSEC_PER_SEC);
}

int link_set_master(struct nl_sock *sk, const char *name, const char *master)
{
	struct rtnl_link *c;
	int idx = ifindex_of(sk, master);

	if (idx < 0)
		return idx;
	c = rtnl_link_alloc();
	rtnl_link_set_master(c, idx);
	return link_change(sk, name, c, "enslave");
}

int link_set_nomaster(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *c = rtnl_link_alloc();

	rtnl_link_set_master(c, 0);
	return link_change(sk, name, c, "release");
}

int link_set_mtu(struct nl_sock *sk, const char *name, unsigned mtu)
{
	struct rtnl_link *c = rtnl_link_alloc();

	rtnl_link_set_mtu(c, mtu);
	return link_change(sk, name, c, "set the MTU of");
}

int link_set_mac(struct nl_sock *sk, const char *name, const uint8_t mac[6])
{
	struct rtnl_link *c = rtnl_link_alloc();
	struct nl_addr *a = nl_addr_build(AF_LLC, mac, 6);

	rtnl_link_set_addr(c, a);
	nl_addr_put(a);
	return link_change(sk, name, c, "set the MAC address of");
}

int link_rename(struct nl_sock *sk, const char *name, const char *newname)
{
	struct rtnl_link *c = rtnl_link_alloc();

	rtnl_link_set_name(c, newname);
	return link_change(sk, name, c, "rename");
}

int link_set_netns(struct nl_sock *sk, const char *name, const char *netns,
		   const char *newname)
{
	struct rtnl_link *c;
	int fd = netns_open(netns), ret;

	if (fd < 0) {
		errno = -fd;
		return error_errno("cannot open namespace '%s'", netns);
	}
	c = rtnl_link_alloc();
	rtnl_link_set_ns_fd(c, fd);
	if (newname)
		rtnl_link_set_name(c, newname);
	ret = link_change(sk, name, c, "move to another namespace");
	close(fd);
	return ret;
}

int addr_add(struct nl_sock *sk, const char *name, uint32_t addr,
	     unsigned plen)
{
	struct rtnl_addr *a;
	struct nl_addr *local;
	uint32_t be = htonl(addr);
	int idx = ifindex_of(sk, name), err;

	if (idx < 0)
		return idx;
	a = rtnl_addr_alloc();
	local = nl_addr_build(AF_INET, &be, 4);
	nl_addr_set_prefixlen(local, (int)plen);
	rtnl_addr_set_ifindex(a, idx);
	rtnl_addr_set_local(a, local);
	err = rtnl_addr_add(sk, a, 0);
	nl_addr_put(local);
	rtnl_addr_put(a);
	return err ? nl_fail(err, "add an address to", name) : 0;
}

static void neigh_delete_one(struct nl_object *obj, void *arg)
{
	struct nl_sock *sk = arg;

	/* permanent entries were put there by someone on purpose */
	if (rtnl_neigh_get_state((struct rtnl_neigh *)obj) & NUD_PERMANENT)
		return;
	rtnl_neigh_delete(sk, (struct rtnl_neigh *)obj, 0);
}

int neigh_flush(struct nl_sock *sk)
{
	struct nl_cache *cache;
	int err;

	err = rtnl_neigh_alloc_cache(sk, &cache);
	if (err)
		return nl_fail(err, "read", "neighbour table");
	nl_cache_foreach(cache, neigh_delete_one, sk);
	nl_cache_free(cache);
	return 0;
}

static int cmp_link_info(const void *a, const void *b)
{
	return strcmp(((const struct link_info *)a)->name,
		      ((const struct link_info *)b)->name);
}

int link_list(struct nl_sock *sk, const char *prefix, struct link_info **out,
	      size_t *n)
{
	struct nl_cache *links, *addrs;
	struct nl_object *o;
	size_t alloc = 0, plen = strlen(prefix);
	int err;

	*out = NULL;
	*n = 0;
	err = rtnl_link_alloc_cache(sk, AF_UNSPEC, &links);
	if (err)
		return nl_fail(err, "list", "links");
	err = rtnl_addr_alloc_cache(sk, &addrs);
	if (err) {
		nl_cache_free(links);
		return nl_fail(err, "list", "addresses");
	}
	for (o = nl_cache_get_first(links); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		const char *name = rtnl_link_get_name(l);
		const char *kind = rtnl_link_get_type(l);
		struct nl_addr *mac = rtnl_link_get_addr(l);
		struct link_info *li;
		struct nl_object *ao;
		int master = rtnl_link_get_master(l);

		if (!name || strncmp(name, prefix, plen))
			continue;
		ALLOC_GROW(*out, *n + 1, alloc);
		li = &(*out)[(*n)++];
		memset(li, 0, sizeof(*li));
		snprintf(li->name, sizeof(li->name), "%s", name);
		snprintf(li->kind, sizeof(li->kind), "%s", kind ? kind : "");
		li->mtu = rtnl_link_get_mtu(l);
		li->up = rtnl_link_get_flags(l) & IFF_UP;
		if (mac && nl_addr_get_len(mac) == 6)
			memcpy(li->mac, nl_addr_get_binary_addr(mac), 6);
		if (master)
			rtnl_link_i2name(links, master, li->master,
					 sizeof(li->master));
		for (ao = nl_cache_get_first(addrs); ao;
		     ao = nl_cache_get_next(ao)) {
			struct rtnl_addr *a = (struct rtnl_addr *)ao;
			char buf[64];
			size_t used = strlen(li->addrs);

			if (rtnl_addr_get_ifindex(a) !=
				    rtnl_link_get_ifindex(l) ||
			    rtnl_addr_get_family(a) != AF_INET)
				continue;
			nl_addr2str(rtnl_addr_get_local(a), buf, sizeof(buf));
			snprintf(li->addrs + used, sizeof(li->addrs) - used,
				 "%s%s", used ? " " : "", buf);
		}
	}
	nl_cache_free(addrs);
	nl_cache_free(links);
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_link_info);
	return 0;
}
