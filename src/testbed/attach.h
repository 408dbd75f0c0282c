/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How a main guest is attached to its server's NIC: the OS half of a data
 * plane (core/dataplane.c holds the pure half), like iproute2's
 * link_util. Each entry writes ops: what the server needs before its
 * guest and after it is gone, and the guest's own attachment. A
 * container guest gets eth0 inside its namespace; a VM guest gets the
 * host side (a tap, a macvtap) and learns, in vm, how QEMU reaches it.
 */
#ifndef IOV_TESTBED_ATTACH_H
#define IOV_TESTBED_ATTACH_H

#include "core/dataplane.h"
#include "guest/qemu.h"
#include "testbed/op.h"
#include "testbed/testbed.h"

struct attach_ops {
	const char *name;
	void (*server_up)(const struct testbed *tb, enum server_id s,
			  struct op_list *ops);
	void (*server_down)(const struct testbed *tb, enum server_id s,
			    struct op_list *ops);
	void (*guest_up)(const struct testbed *tb, enum server_id s,
			 struct op_list *ops, struct vm_spec *vm);
	/* its guests sit on an SR-IOV VF (emulated on the local testbed) */
	bool vf;
};

extern const struct attach_ops attach_table[ATTACH_KIND_COUNT];

#endif
