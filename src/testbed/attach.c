// SPDX-License-Identifier: GPL-2.0-or-later
#include "testbed/attach.h"

#include <stdio.h>
#include <string.h>

/*
 * A real VF carries the guest's MAC (spoof checking off, trusted: the
 * guest's traffic is the guest's own) and is brought up on its server.
 * The local testbed's emulated VFs (base.c) need neither.
 */
static void vf_for_guest(const struct testbed *tb, const struct guest *g,
			 struct op_list *ops)
{
	const uint8_t *m = g->mac;

	if (!tb->remote)
		return;
	op_addf(ops, g->server, OP_VF_SET,
		"- %s %d mac=%02x:%02x:%02x:%02x:%02x:%02x spoofchk=off "
		"trust=on",
		testbed_nic(tb, g->server), g->vf, m[0], m[1], m[2], m[3],
		m[4], m[5]);
}

/* ---- the PF's bridge: veth-bridge, e1000-bridge, virtio-bridge ---- */

static void veth_guest_up(const struct testbed *tb, struct guest *g,
			  struct op_list *ops, struct vm_spec *vm)
{
	const char *ns = tb->server_ns[g->server];

	(void)vm;
	op_addf(ops, g->server, OP_LINK_ADD, "%s %s veth peer=eth0 peerns=%s",
		ns, g->port, g->name);
	op_addf(ops, g->server, OP_LINK_SET, "%s %s mtu=%u master=%s up", ns,
		g->port, tb->mtu, g->lower);
}

/* A tap or macvtap stays when its VM goes. */
static void port_guest_down(const struct testbed *tb, const struct guest *g,
			    struct op_list *ops)
{
	op_add(ops, g->server, OP_LINK_DEL, tb->server_ns[g->server], g->port,
	       NULL);
}

/* The guest's own link on the host, or the function its frames take. */
static int port_point(const struct testbed *tb, const struct guest *g,
		      bool port, char *ifname, size_t len, char *why,
		      size_t wlen)
{
	(void)why;
	(void)wlen;
	snprintf(ifname, len, "%s",
		 port ? g->port :
		 g->vf >= 0 ? g->lower :
			      testbed_nic(tb, g->server));
	return 0;
}

static void tap_guest_up(const struct testbed *tb, struct guest *g,
			 struct op_list *ops, struct vm_spec *vm)
{
	const char *ns = tb->server_ns[g->server];

	op_add(ops, g->server, OP_LINK_ADD, ns, g->port, "tap", NULL);
	op_addf(ops, g->server, OP_LINK_SET, "%s %s mtu=%u master=%s up", ns,
		g->port, tb->mtu, g->lower);
	vm->backend = VM_BACKEND_TAP;
	vm->ifname = g->port;
}

/*
 * ---- macvlan: bridge mode on the PF (main guests), or on a VF
 * (background containers on VFs), made inside the guest ----
 */
static void macvlan_guest_up(const struct testbed *tb, struct guest *g,
			     struct op_list *ops, struct vm_spec *vm)
{
	(void)vm;
	if (g->vf >= 0) {
		vf_for_guest(tb, g, ops);
		if (tb->remote)
			op_addf(ops, g->server, OP_LINK_SET, "- %s mtu=%u up",
				g->lower, tb->mtu);
	}
	op_addf(ops, g->server, OP_LINK_ADD, "%s eth0 macvlan lower=%s netns=%s",
		tb->server_ns[g->server], g->lower, g->name);
}

/* A namespace's links go when the kernel gets round to it; a macvlan
 * must be gone now, or its lower stays busy. */
static void macvlan_guest_down(const struct testbed *tb,
			       const struct guest *g, struct op_list *ops)
{
	(void)tb;
	op_add(ops, g->server, OP_LINK_DEL, g->name, "eth0", NULL);
}

static int macvlan_point(const struct testbed *tb, const struct guest *g,
			 bool port, char *ifname, size_t len, char *why,
			 size_t wlen)
{
	if (port) {
		snprintf(why, wlen, "a macvlan guest has no link of its own "
				    "on the host");
		return -1;
	}
	return port_point(tb, g, port, ifname, len, why, wlen);
}

/* ---- SR-IOV VFs: virtio-macvtap and vfio-vf ---- */

static void macvtap_guest_up(const struct testbed *tb, struct guest *g,
			     struct op_list *ops, struct vm_spec *vm)
{
	const char *ns = tb->server_ns[g->server];
	/* background guests take the paper's mode */
	enum macvtap_mode mode = g->main ? tb->setup.macvtap :
					   MACVTAP_PASSTHRU;

	vf_for_guest(tb, g, ops);
	if (tb->remote)
		op_addf(ops, g->server, OP_LINK_SET, "- %s mtu=%u up",
			g->lower, tb->mtu);
	op_addf(ops, g->server, OP_LINK_ADD,
		"%s %s macvtap lower=%s mode=%s ifindex=%d", ns, g->port,
		g->lower, macvtap_mode_name(mode), g->ifindex);
	op_addf(ops, g->server, OP_LINK_SET, "%s %s mtu=%u up", ns, g->port,
		tb->mtu);
	snprintf(g->dev, sizeof(g->dev), "/dev/tap%d", g->ifindex);
	vm->backend = VM_BACKEND_TAP_FD;
	vm->tapdev = g->dev;
}

static void vfio_guest_up(const struct testbed *tb, struct guest *g,
			  struct op_list *ops, struct vm_spec *vm)
{
	vf_for_guest(tb, g, ops);
	snprintf(g->dev, sizeof(g->dev), "@vfpci:%s:%d",
		 testbed_nic(tb, g->server), g->vf);
	op_add(ops, g->server, OP_DRIVER_BIND, g->dev, "vfio-pci", NULL);
	vm->backend = VM_BACKEND_VFIO;
	vm->pci = g->dev;
}

static int vfio_point(const struct testbed *tb, const struct guest *g,
		      bool port, char *ifname, size_t len, char *why,
		      size_t wlen)
{
	(void)tb;
	(void)g;
	(void)port;
	(void)ifname;
	(void)len;
	snprintf(why, wlen, "VFIO passthrough hides the VF from the host");
	return -1;
}

/*
 * ---- vf-netns: the VF itself is the container's eth0 (the SR-IOV
 * container network of the paper's future work) ----
 */
static void vf_netns_guest_up(const struct testbed *tb, struct guest *g,
			      struct op_list *ops, struct vm_spec *vm)
{
	(void)vm;
	vf_for_guest(tb, g, ops);
	op_addf(ops, g->server, OP_LINK_SET, "%s %s netns=%s name=eth0",
		tb->server_ns[g->server], g->lower, g->name);
}

/* Back to its server before the namespace goes: a namespace's end
 * destroys a virtual link (the local testbed's VFs are veths) and
 * returns a real one to the host's first namespace, not the server's. */
static void vf_netns_guest_down(const struct testbed *tb,
				const struct guest *g, struct op_list *ops)
{
	const char *ns = tb->server_ns[g->server];

	op_addf(ops, g->server, OP_LINK_SET, "%s eth0 netns=%s name=%s",
		g->name, ns, g->lower);
	op_addf(ops, g->server, OP_LINK_SET, "%s %s mtu=%u up", ns, g->lower,
		tb->mtu);
}

/*
 * The VF is in the guest's namespace: the host sees its frames only at
 * the VF's port on the NIC's switch (its representor, P-vfrK here),
 * where they travel as at the guest's own link on a host: that is its
 * port point. The function that carries them is the guest's own eth0.
 */
static int vf_netns_point(const struct testbed *tb, const struct guest *g,
			  bool port, char *ifname, size_t len, char *why,
			  size_t wlen)
{
	if (!port) {
		snprintf(why, wlen, "the VF is the container's own eth0: the "
				    "host sees its frames at its representor "
				    "only (the port point)");
		return -1;
	}
	if (tb->remote) {
		snprintf(why, wlen, "a real NIC's VF representor is not known "
				    "here");
		return -1;
	}
	snprintf(ifname, len, "%.7s-vfr%d", tb->prefix, g->vf);
	return 0;
}

const struct attach_ops attach_table[ATTACH_KIND_COUNT] = {
	[ATTACH_VETH_BRIDGE] = {
		.name = "veth-bridge",
		.guest_up = veth_guest_up,
		/* its veth would go with the guest's namespace, but the
		 * kernel cleans a namespace up later: a new guest of the
		 * same name (the next setup's) found the port still there */
		.guest_down = port_guest_down,
		.point = port_point,
	},
	[ATTACH_VF_NETNS] = {
		.name = "vf-netns",
		.guest_up = vf_netns_guest_up,
		.guest_down = vf_netns_guest_down,
		.point = vf_netns_point,
	},
	[ATTACH_MACVLAN] = {
		.name = "macvlan",
		.guest_up = macvlan_guest_up,
		.guest_down = macvlan_guest_down,
		.point = macvlan_point,
	},
	[ATTACH_TAP_BRIDGE] = {
		.name = "tap-bridge",
		.guest_up = tap_guest_up,
		.guest_down = port_guest_down,
		.point = port_point,
	},
	[ATTACH_MACVTAP_VF] = {
		.name = "macvtap-vf",
		.guest_up = macvtap_guest_up,
		.guest_down = port_guest_down,
		.point = port_point,
		.port_rx_to_guest = true,
	},
	[ATTACH_VFIO_VF] = {
		/* a real SR-IOV NIC only: the plan refuses it locally; the
		 * VF stays on vfio-pci until the VFs go (sriov_numvfs 0) */
		.name = "vfio-vf",
		.guest_up = vfio_guest_up,
		.point = vfio_point,
	},
};

int attach_point(const struct testbed *tb, const struct guest *g, bool port,
		 char *ifname, size_t len, char *why, size_t wlen)
{
	return attach_table[g->attach].point(tb, g, port, ifname, len, why,
					     wlen);
}
