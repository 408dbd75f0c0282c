// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/reflectors.h"

#include "core/guest_prog.h"

#include "util/alloc.h"

const struct reflector_def reflector_table[] = {
	{
		.name = "afpacket",
		.guests = GUEST_BIT(GUEST_NETNS) | GUEST_BIT(GUEST_QEMU),
		.doc = "user space: a TPACKET_V2 RX ring, swaps the MACs and "
		       "sends the frames back through a TX ring; in "
		       "iovbench-guest too, so VMs reflect with it",
	},
	{
		.name = "xdp",
		.guests = GUEST_BIT(GUEST_NETNS) | GUEST_BIT(GUEST_QEMU),
		.doc = "a BPF program that swaps the MACs and returns XDP_TX, "
		       "generic mode, loaded with libbpf (linked into "
		       "iovbench-guest, so VMs reflect with it too)",
	},
	{
		.name = "testpmd",
		.guests = GUEST_BIT(GUEST_NETNS) | GUEST_BIT(GUEST_QEMU),
		.vm_pci_device = "a PCI device bound to vfio-pci",
		.image_set = GUEST_PROG_SET_DPDK,
		.doc = "Debian's dpdk-testpmd in macswap forwarding: DPDK's "
		       "af_packet driver on the guest's eth0, or a VM's "
		       "passed-through NIC bound to vfio-pci (in the guest "
		       "image with its libraries)",
	},
};
const size_t reflector_table_len = ARRAY_SIZE(reflector_table);
