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
	op_addf(ops, s, OP_LINK_SET, "%s %s master=%s", ns,
		testbed_nic(tb, s), tb->bridge);
}

static void bridge_server_down(const struct testbed *tb, enum server_id s,
			       struct op_list *ops)
{
	/* release the NIC: a macvlan or macvtap cannot sit on a port */
	op_add(ops, s, OP_LINK_SET, tb->server_ns[s], testbed_nic(tb, s),
	       "nomaster", NULL);
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
		tb->server_ns[s], testbed_nic(tb, s), tb->guests[s].name);
}

/*
 * ---- SR-IOV VFs: virtio-macvtap and vfio-vf ----
 *
 * A real server (ssh testbed) enables testbed.vfs VFs on its PF, gives
 * VF 0 the guest's MAC (spoof checking off, trusted: the guest's traffic
 * is the guest's own), and hands VF 0 to the guest. VF names and PCI
 * addresses exist only after sriov_numvfs is written, so ops name them
 * @vf:PF:N and @vfpci:PF:N, resolved on the server (testbed/op.c).
 *
 * The local testbed has no SR-IOV NIC, so each server gets an emulated
 * one: an embedded switch (a bridge, PREFIX-esw) uplinked to the wire,
 * and EMULATED_VFS VFs, veth pairs whose PREFIX-vfN end is the VF's
 * netdev and whose PREFIX-vfrN end (the representor) is a switch port.
 * Results label these VFs "emulated".
 */
static const char *pf_of(const struct testbed *tb, enum server_id s)
{
	return tb->campaign->testbed.servers[s].nic;
}

static void numvfs_ops(const struct testbed *tb, enum server_id s,
		       struct op_list *ops, long long n)
{
	/* the kernel takes a new count only from 0 */
	op_addf(ops, s, OP_SYSFS_WRITE,
		"/sys/class/net/%s/device/sriov_numvfs 0", pf_of(tb, s));
	if (n)
		op_addf(ops, s, OP_SYSFS_WRITE,
			"/sys/class/net/%s/device/sriov_numvfs %lld",
			pf_of(tb, s), n);
}

static void vf0_for_guest(const struct testbed *tb, enum server_id s,
			  struct op_list *ops)
{
	uint8_t m[6];

	guest_mac(s, m);
	op_addf(ops, s, OP_VF_SET,
		"- %s 0 mac=%02x:%02x:%02x:%02x:%02x:%02x spoofchk=off "
		"trust=on",
		pf_of(tb, s), m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void esw_server_up(const struct testbed *tb, enum server_id s,
			  struct op_list *ops)
{
	const char *ns = tb->server_ns[s];
	int v;

	if (tb->remote) {
		numvfs_ops(tb, s, ops, tb->campaign->testbed.vfs);
		return;
	}

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

	if (tb->remote) {
		/* the VFs go, and with them their drivers and macvtaps */
		numvfs_ops(tb, s, ops, 0);
		return;
	}

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
	char lower[64];

	if (tb->remote) {
		vf0_for_guest(tb, s, ops);
		snprintf(lower, sizeof(lower), "@vf:%s:0", pf_of(tb, s));
		op_addf(ops, s, OP_LINK_SET, "- %s mtu=%u up", lower, tb->mtu);
	} else {
		snprintf(lower, sizeof(lower), "%s-vf0", tb->prefix);
	}
	op_addf(ops, s, OP_LINK_ADD, "%s %s macvtap lower=%s mode=%s ifindex=%d",
		ns, tb->guest_port, lower,
		macvtap_mode_name(tb->setup.macvtap), idx);
	op_addf(ops, s, OP_LINK_SET, "%s %s mtu=%u up", ns, tb->guest_port,
		tb->mtu);
	snprintf(tapdev[s], sizeof(tapdev[s]), "/dev/tap%d", idx);
	vm->backend = VM_BACKEND_TAP_FD;
	vm->tapdev = tapdev[s];
}

static void vfio_guest_up(const struct testbed *tb, enum server_id s,
			  struct op_list *ops, struct vm_spec *vm)
{
	static char pci[SERVER_COUNT][64];

	vf0_for_guest(tb, s, ops);
	snprintf(pci[s], sizeof(pci[s]), "@vfpci:%s:0", pf_of(tb, s));
	op_add(ops, s, OP_DRIVER_BIND, pci[s], "vfio-pci", NULL);
	vm->backend = VM_BACKEND_VFIO;
	vm->pci = pci[s];
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
		.vf = true,
	},
	[ATTACH_VFIO_VF] = {
		/* a real SR-IOV NIC only: the plan refuses it locally */
		.name = "vfio-vf",
		.server_up = esw_server_up,
		.server_down = esw_server_down,
		.guest_up = vfio_guest_up,
		.vf = true,
	},
};
