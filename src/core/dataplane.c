// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/dataplane.h"

#include <string.h>

#include "core/caps.h"
#include "util/alloc.h"

const struct dataplane dataplane_table[] = {
	{
		.name = "veth-bridge",
		.guest = GUEST_NETNS,
		.attach = ATTACH_VETH_BRIDGE,
		.needs = CAP_NETNS,
		.doc = "container guest on a veth pair whose host end is a "
		       "port of a Linux bridge with the server's NIC",
	},
	{
		.name = "macvlan",
		.guest = GUEST_NETNS,
		.attach = ATTACH_MACVLAN,
		.needs = CAP_NETNS,
		.doc = "container guest on a macvlan (bridge mode) over the "
		       "server's NIC",
	},
	{
		.name = "e1000-bridge",
		.guest = GUEST_QEMU,
		.attach = ATTACH_TAP_BRIDGE,
		.nic = NIC_E1000,
		.needs = CAP_NETNS | CAP_QEMU,
		.paper = "E1000",
		.doc = "VM with an emulated E1000 on a tap in a Linux bridge "
		       "with the server's NIC",
	},
	{
		.name = "virtio-bridge",
		.guest = GUEST_QEMU,
		.attach = ATTACH_TAP_BRIDGE,
		.nic = NIC_VIRTIO,
		.needs = CAP_NETNS | CAP_QEMU,
		.paper = "Bridge",
		.doc = "VM with virtio-net on a tap in a Linux bridge with the "
		       "server's NIC",
	},
	{
		.name = "virtio-macvtap",
		.guest = GUEST_QEMU,
		.attach = ATTACH_MACVTAP_VF,
		.nic = NIC_VIRTIO,
		.needs = CAP_NETNS | CAP_QEMU,
		.paper = "SR-IOV",
		.doc = "VM with virtio-net on a macvtap over an SR-IOV VF "
		       "(emulated on the local testbed)",
	},
	{
		.name = "vfio-vf",
		.guest = GUEST_QEMU,
		.attach = ATTACH_VFIO_VF,
		.nic = NIC_VFIO,
		.needs = CAP_QEMU | CAP_VFIO | CAP_SRIOV,
		.paper = "SR-IOV + PCI passthrough",
		.doc = "VM with an SR-IOV VF bound to vfio-pci and passed "
		       "through",
	},
};
const unsigned dataplane_table_len =
	sizeof(dataplane_table) / sizeof(dataplane_table[0]);

int dataplane_find(const char *name)
{
	unsigned i;

	for (i = 0; i < dataplane_table_len; i++) {
		if (!strcmp(dataplane_table[i].name, name))
			return (int)i;
	}
	return -1;
}

const char *guest_kind_name(enum guest_kind kind)
{
	return kind == GUEST_QEMU ? "qemu" : "netns";
}

const char *nic_model_name(enum nic_model nic)
{
	static const char *const names[] = {
		[NIC_NONE] = "none", [NIC_E1000] = "e1000",
		[NIC_VIRTIO] = "virtio-net", [NIC_VFIO] = "vfio-pci",
	};

	return (unsigned)nic < ARRAY_SIZE(names) ? names[nic] : "?";
}
