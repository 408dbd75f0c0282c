// SPDX-License-Identifier: GPL-2.0-or-later
#include "testbed/attach.h"

#include <stdio.h>
#include <string.h>

/* ---- bridges: veth-bridge, e1000-bridge, virtio-bridge ---- */

static void bridge_server_up(const struct testbed *tb, enum server_id s,
			     struct op_list *ops)
{
	const char *ns = tb->server_ns[s];

	op_add(ops, s, OP_LINK_ADD, ns, tb->bridge, "bridge", NULL);
	op_addf(ops, s, OP_LINK_SET, "%s %s mtu=%u up", ns, tb->bridge,
		tb->mtu);
	op_addf(ops, s, OP_LINK_SET, "%s %s master=%s", ns, tb->nic,
		tb->bridge);
}

static void bridge_server_down(const struct testbed *tb, enum server_id s,
			       struct op_list *ops)
{
	/* release the NIC: a macvlan or macvtap cannot sit on a port */
	op_add(ops, s, OP_LINK_SET, tb->server_ns[s], tb->nic, "nomaster",
	       NULL);
	op_add(ops, s, OP_LINK_DEL, tb->server_ns[s], tb->bridge, NULL);
}

static void veth_guest_up(const struct testbed *tb, enum server_id s,
			  struct op_list *ops, struct vm_spec *vm)
{
	const char *ns = tb->server_ns[s];

	(void)vm;
	op_addf(ops, s, OP_LINK_ADD, "%s %s veth peer=eth0 peerns=%s", ns,
		tb->guest_port, tb->guests[s].name);
	op_addf(ops, s, OP_LINK_SET, "%s %s mtu=%u master=%s up", ns,
		tb->guest_port, tb->mtu, tb->bridge);
}

static void tap_guest_up(const struct testbed *tb, enum server_id s,
			 struct op_list *ops, struct vm_spec *vm)
{
	const char *ns = tb->server_ns[s];

	op_add(ops, s, OP_LINK_ADD, ns, tb->guest_port, "tap", NULL);
	op_addf(ops, s, OP_LINK_SET, "%s %s mtu=%u master=%s up", ns,
		tb->guest_port, tb->mtu, tb->bridge);
	vm->backend = VM_BACKEND_TAP;
	vm->ifname = tb->guest_port;
}

/* ---- macvlan: bridge mode on the NIC, made inside the guest ---- */

static void macvlan_guest_up(const struct testbed *tb, enum server_id s,
			     struct op_list *ops, struct vm_spec *vm)
{
	(void)vm;
	op_addf(ops, s, OP_LINK_ADD, "%s eth0 macvlan lower=%s netns=%s",
		tb->server_ns[s], tb->nic, tb->guests[s].name);
}

/*
 * ---- virtio-macvtap on an SR-IOV VF ----
 *
 * The local testbed has no SR-IOV NIC, so each server gets an emulated
 * one: an embedded switch (a bridge, PREFIX-esw) uplinked to the wire,
 * and EMULATED_VFS VFs, veth pairs whose PREFIX-vfN end is the VF's
 * netdev and whose PREFIX-vfrN end (the representor) is a switch port.
 * Results label these VFs "emulated".
 */
static void esw_server_up(const struct testbed *tb, enum server_id s,
			  struct op_list *ops)
{
	const char *ns = tb->server_ns[s];
	int v;

	op_add(ops, s, OP_LINK_ADD, ns, tb->esw, "bridge", NULL);
	op_addf(ops, s, OP_LINK_SET, "%s %s mtu=%u up", ns, tb->esw, tb->mtu);
	op_addf(ops, s, OP_LINK_SET, "%s %s master=%s", ns, tb->nic, tb->esw);
	for (v = 0; v < EMULATED_VFS; v++) {
		op_addf(ops, s, OP_LINK_ADD, "%s %s-vf%d veth peer=%s-vfr%d",
			ns, tb->prefix, v, tb->prefix, v);
		op_addf(ops, s, OP_LINK_SET, "%s %s-vfr%d mtu=%u master=%s up",
			ns, tb->prefix, v, tb->mtu, tb->esw);
		op_addf(ops, s, OP_LINK_SET, "%s %s-vf%d mtu=%u up", ns,
			tb->prefix, v, tb->mtu);
	}
}

static void esw_server_down(const struct testbed *tb, enum server_id s,
			    struct op_list *ops)
{
	const char *ns = tb->server_ns[s];
	int v;

	op_add(ops, s, OP_LINK_SET, ns, tb->nic, "nomaster", NULL);
	for (v = 0; v < EMULATED_VFS; v++)
		op_addf(ops, s, OP_LINK_DEL, "%s %s-vf%d", ns, tb->prefix, v);
	op_add(ops, s, OP_LINK_DEL, ns, tb->esw, NULL);
}

/*
 * The macvtap's character device is /dev/tapIFINDEX in the one devtmpfs
 * all namespaces share: its ifindex is chosen from the prefix and the
 * server so that two servers, or two campaigns, do not collide.
 */
static int macvtap_ifindex(const struct testbed *tb, enum server_id s)
{
	unsigned h = 0;
	const char *p;

	for (p = tb->prefix; *p; p++)
		h = h * 31 + (unsigned char)*p;
	return 10000 + (int)(h % 40000) * 2 + (int)s;
}

static void macvtap_guest_up(const struct testbed *tb, enum server_id s,
			     struct op_list *ops, struct vm_spec *vm)
{
	static char tapdev[SERVER_COUNT][32];
	const char *ns = tb->server_ns[s];
	int idx = macvtap_ifindex(tb, s);

	op_addf(ops, s, OP_LINK_ADD,
		"%s %s macvtap lower=%s-vf0 mode=%s ifindex=%d", ns,
		tb->guest_port, tb->prefix, macvtap_mode_name(tb->setup.macvtap),
		idx);
	op_addf(ops, s, OP_LINK_SET, "%s %s mtu=%u up", ns, tb->guest_port,
		tb->mtu);
	snprintf(tapdev[s], sizeof(tapdev[s]), "/dev/tap%d", idx);
	vm->backend = VM_BACKEND_TAP_FD;
	vm->tapdev = tapdev[s];
}

const struct attach_ops attach_table[ATTACH_KIND_COUNT] = {
	[ATTACH_VETH_BRIDGE] = {
		.name = "veth-bridge",
		.server_up = bridge_server_up,
		.server_down = bridge_server_down,
		.guest_up = veth_guest_up,
	},
	[ATTACH_MACVLAN] = {
		.name = "macvlan",
		.guest_up = macvlan_guest_up,
	},
	[ATTACH_TAP_BRIDGE] = {
		.name = "tap-bridge",
		.server_up = bridge_server_up,
		.server_down = bridge_server_down,
		.guest_up = tap_guest_up,
	},
	[ATTACH_MACVTAP_VF] = {
		.name = "macvtap-vf",
		.server_up = esw_server_up,
		.server_down = esw_server_down,
		.guest_up = macvtap_guest_up,
		.vf = "emulated",
	},
	[ATTACH_VFIO_VF] = {
		/* needs a real SR-IOV NIC: the plan refuses it elsewhere */
		.name = "vfio-vf",
	},
};
