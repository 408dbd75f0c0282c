/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How a guest is attached to its server's NIC: the OS half of a data
 * plane (core/dataplane.c holds the pure half). One entry per attach
 * kind, like iproute2's link_util: setup builds the attachment and leaves
 * a link named eth0, up, inside the guest's namespace; teardown removes
 * what setup added on the server side (the guest's namespace is removed
 * by the caller, which takes the guest's links with it).
 */
#ifndef IOV_TESTBED_ATTACH_H
#define IOV_TESTBED_ATTACH_H

#include "core/dataplane.h"
#include "testbed/testbed.h"

struct attach_ops {
	const char *name;
	/* per server: before any guest is attached / after all are gone */
	int (*server_setup)(struct testbed *tb, enum server_id s);
	int (*server_teardown)(struct testbed *tb, enum server_id s);
	/* one guest, whose namespace exists */
	int (*guest_setup)(struct testbed *tb, enum server_id s);
};

extern const struct attach_ops attach_table[ATTACH_KIND_COUNT];

#endif
