/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How a guest is attached to its server's NIC: the OS half of a data
 * plane (core/dataplane.c holds the pure half), like iproute2's
 * link_util. Each entry writes the ops that give guest g its link to
 * g->lower (the PF's bridge, the PF, or a VF). A container guest gets
 * eth0 inside its namespace; a VM guest gets the host side (a tap, a
 * macvtap, a VF) and learns, in vm, how QEMU reaches it. Main and
 * background guests use the same entries.
 */
#ifndef IOV_TESTBED_ATTACH_H
#define IOV_TESTBED_ATTACH_H

#include "core/dataplane.h"
#include "core/op.h"
#include "guest/qemu.h"
#include "testbed/base.h"

struct attach_ops {
	const char *name;
	void (*guest_up)(const struct testbed *tb, struct guest *g,
			 struct op_list *ops, struct vm_spec *vm);
	bool bridge; /* its guests sit in the PF's bridge */
	bool vf;     /* its guests sit on an SR-IOV VF (emulated locally) */
};

extern const struct attach_ops attach_table[ATTACH_KIND_COUNT];

#endif
