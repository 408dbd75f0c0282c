// SPDX-License-Identifier: GPL-2.0-or-later
#include "testbed/attach.h"

#include "net/link.h"
#include "util/error.h"

/* ---- veth-bridge: a bridge holds the NIC and one veth end per guest ---- */

static int bridge_server_setup(struct testbed *tb, enum server_id s)
{
	struct nl_sock *sk = nl_open(tb->server_ns[s]);
	int ret = -1;

	if (!sk)
		return -1;
	if (!link_add_bridge(sk, tb->bridge) &&
	    !link_set_mtu(sk, tb->bridge, tb->mtu) &&
	    !link_set_master(sk, tb->nic, tb->bridge) &&
	    !link_set_up(sk, tb->bridge))
		ret = 0;
	nl_close(sk);
	return ret;
}

static int bridge_server_teardown(struct testbed *tb, enum server_id s)
{
	struct nl_sock *sk = nl_open(tb->server_ns[s]);
	int ret = -1;

	if (!sk)
		return -1;
	/* release the NIC: a macvlan cannot sit on a bridge port */
	if ((!link_exists(sk, tb->nic) || !link_set_nomaster(sk, tb->nic)) &&
	    !link_delete(sk, tb->bridge))
		ret = 0;
	nl_close(sk);
	return ret;
}

static int veth_guest_setup(struct testbed *tb, enum server_id s)
{
	struct nl_sock *sk = nl_open(tb->server_ns[s]);
	int ret = -1;

	if (!sk)
		return -1;
	if (!link_add_veth(sk, tb->guest_port, "eth0", tb->guest_ns[s]) &&
	    !link_set_mtu(sk, tb->guest_port, tb->mtu) &&
	    !link_set_master(sk, tb->guest_port, tb->bridge) &&
	    !link_set_up(sk, tb->guest_port))
		ret = 0;
	nl_close(sk);
	return ret;
}

/* ---- macvlan: bridge mode on the NIC, created inside the guest ---- */

static int macvlan_guest_setup(struct testbed *tb, enum server_id s)
{
	struct nl_sock *sk = nl_open(tb->server_ns[s]);
	int ret;

	if (!sk)
		return -1;
	ret = link_add_macvlan(sk, "eth0", tb->nic, tb->guest_ns[s]);
	nl_close(sk);
	return ret;
}

const struct attach_ops attach_table[ATTACH_KIND_COUNT] = {
	[ATTACH_VETH_BRIDGE] = {
		.name = "veth-bridge",
		.server_setup = bridge_server_setup,
		.server_teardown = bridge_server_teardown,
		.guest_setup = veth_guest_setup,
	},
	[ATTACH_MACVLAN] = {
		.name = "macvlan",
		.guest_setup = macvlan_guest_setup,
	},
};
