/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The testbed as the rest of iovbench uses it: the base (testbed/base.h:
 * servers, names, addresses, ops) and the guests' lifecycle on top of
 * it, implemented by guests.c.
 */
#ifndef IOV_TESTBED_TESTBED_H
#define IOV_TESTBED_TESTBED_H

#include "testbed/base.h"
#include "testbed/setup.h"

/*
 * Guests for setup su: attach, boot VMs (background ones in batches)
 * and wait until each answers and its NIC has link. What su shares with
 * the guests up is kept (background guests across main data planes).
 */
int testbed_guests_up(struct testbed *tb, const struct setup *su);
int testbed_guests_down(struct testbed *tb);
/*
 * Are the setup's guests alive (the main ones, and with background the
 * background ones too)? A VM's QEMU answers on QMP and runs; a
 * container's namespace is there with its eth0 up. 0, or -1 with what
 * is wrong with the first that is not, in why. A dry run's always are.
 */
int testbed_guests_check(struct testbed *tb, bool background, char *why,
			 size_t len);
/*
 * The ops that make guest g: its namespace or its links, and a VM's
 * vm-start (for a migration's destination too: testbed/migrate.c).
 */
int testbed_guest_ops(struct testbed *tb, struct guest *g,
		      struct op_list *ops);
/* Everything this testbed built. */
int testbed_teardown(struct testbed *tb);

#endif
