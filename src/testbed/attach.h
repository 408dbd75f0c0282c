/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How a guest is attached to its server's NIC: the OS half of a data
 * plane (core/dataplane.c holds the pure half), like iproute2's
 * link_util. Each entry writes the ops that give guest g its link to
 * g->lower (the PF's bridge, the PF, or a VF) and remove it, and says
 * where its capture points are. A container guest gets eth0 inside its
 * namespace; a VM guest gets the host side (a tap, a macvtap, a VF) and
 * learns, in vm, how QEMU reaches it. Main and background guests use
 * the same entries.
 */
#ifndef IOV_TESTBED_ATTACH_H
#define IOV_TESTBED_ATTACH_H

#include "core/dataplane.h"
#include "core/op.h"
#include "guest/qemu.h"
#include "testbed/base.h"

/*
 * Each hook gets the guest placed (guests.c: g->lower, g->vf, g->port,
 * g->ifindex chosen). Every phase of an attachment is here, so nothing
 * outside this file asks which kind a guest's is.
 */
struct attach_ops {
	const char *name;
	/* the ops that give g its link to g->lower; a VM's also say, in
	 * vm, how QEMU reaches it (backend, ifname, tapdev, pci) */
	void (*guest_up)(const struct testbed *tb, struct guest *g,
			 struct op_list *ops, struct vm_spec *vm);
	/* the ops that remove what guest_up made and the guest does not
	 * take with it: run after a VM stopped, before a container's
	 * namespace goes; NULL: nothing to remove */
	void (*guest_down)(const struct testbed *tb, const struct guest *g,
			   struct op_list *ops);
	/* where a capture point of g is (see attach_point()) */
	int (*point)(const struct testbed *tb, const struct guest *g,
		     bool port, char *ifname, size_t len, char *why,
		     size_t wlen);
	/*
	 * The port counts the frames it hands the guest as received (a
	 * macvtap: macvlan's receive path), not as sent (a tap, a veth's
	 * host end): which of its counters the throughput meter reads
	 */
	bool port_rx_to_guest;
};

extern const struct attach_ops attach_table[ATTACH_KIND_COUNT];

/*
 * Where guest g's capture point is on its server: with port, its own
 * link there (tap, macvtap, veth); else the function that carries its
 * frames to the wire (its VF, or the PF; a real VF's @vf:PF:N is filled
 * in on its server). 0 with ifname set, or -1 with why there is none
 * (VFIO passthrough hides the VF from the host; a macvlan guest has no
 * link of its own).
 */
int attach_point(const struct testbed *tb, const struct guest *g, bool port,
		 char *ifname, size_t len, char *why, size_t wlen);

#endif
