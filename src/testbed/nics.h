/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A main VM's NICs after the first (the nics and bond factors): where
 * each attaches, the ops that attach and remove it (through the data
 * planes' own attach_table entries, one NIC at a time), and what QEMU
 * gets for it. guests.c calls these beside NIC 0's own steps.
 */
#ifndef IOV_TESTBED_NICS_H
#define IOV_TESTBED_NICS_H

#include "core/op.h"
#include "guest/qemu.h"
#include "testbed/base.h"

/* Place g's NICs 1.. for setup su (main guests; others get none). */
void guest_nics_place(struct testbed *tb, struct guest *g,
		      const struct setup *su);
/* Their attach ops, and their part of vm (extra NICs, bond). */
void guest_nics_up(const struct testbed *tb, struct guest *g,
		   struct op_list *ops, struct vm_spec *vm);
/* The ops that remove what their attachments leave. */
void guest_nics_down(const struct testbed *tb, const struct guest *g,
		     struct op_list *ops);
/* The QMP device_add arguments of each NIC, once vm is complete. */
void guest_nics_plug_args(struct guest *g, const struct vm_spec *vm);
/*
 * After g's ops ran: the VF words in its device_add arguments
 * (@vfpci:PF:N) as its server resolved them.
 */
void guest_nics_resolve(struct testbed *tb, struct guest *g);
/* Setup su gives its main VMs NICs in the PF's bridge. */
bool setup_nics_need_bridge(const struct setup *su);

#endif
