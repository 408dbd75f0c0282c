/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reflectors of load-latency tests, pure half: what bounces the
 * generator's frames back from the responder guest, by swapping their
 * MAC addresses. One entry each, the `reflector` factor's values; the
 * plan's refusals read the fields, and the OS half (measure/macswap.c,
 * `iovbench macswap NAME`) has the code. docs/hacking.md: "Adding a
 * reflector".
 */
#ifndef IOV_CORE_REFLECTORS_H
#define IOV_CORE_REFLECTORS_H

#include <stddef.h>

#include "core/dataplane.h"

struct reflector_def {
	const char *name;
	unsigned guests; /* GUEST_BIT()s it runs in */
	/* why it cannot run in the guests it lacks (after its name) */
	const char *guest_refusal;
	/*
	 * In a VM whose NIC is passed through (vfio-vf) it drives the NIC
	 * itself (DPDK): what that takes ("a PCI device bound to
	 * vfio-pci"). Elsewhere it uses the guest's kernel NIC, as in a
	 * container (testpmd: DPDK's af_packet driver on eth0). NULL: it
	 * always uses the kernel's NIC.
	 */
	const char *vm_pci_device;
	/* the guest image's program set its VMs need (core/guest_prog.h) */
	const char *image_set;
	const char *doc;
};

#define GUEST_BIT(k) (1u << (k))

extern const struct reflector_def reflector_table[];
extern const size_t reflector_table_len;

#endif
