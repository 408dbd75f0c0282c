/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data planes: how a guest reaches its server's NIC. One table entry per
 * kind; this is the pure half (names, what the guest is, how it attaches,
 * what the host must offer). The OS half, which builds the attachment, is
 * testbed/attach.c, indexed by enum attach_kind.
 */
#ifndef IOV_CORE_DATAPLANE_H
#define IOV_CORE_DATAPLANE_H

#include <stdint.h>

enum guest_kind {
	GUEST_NETNS, /* a network namespace "container" */
	GUEST_QEMU,  /* a QEMU virtual machine */
};

enum attach_kind {
	ATTACH_VETH_BRIDGE, /* veth pair, host end in the server's bridge */
	ATTACH_MACVLAN,	    /* macvlan (bridge mode) on the server's NIC */
	ATTACH_TAP_BRIDGE,  /* tap in the server's bridge (QEMU) */
	ATTACH_MACVTAP_VF,  /* macvtap over an SR-IOV VF (QEMU) */
	ATTACH_VFIO_VF,	    /* an SR-IOV VF passed through with VFIO (QEMU) */
	ATTACH_KIND_COUNT,
};

/* The NIC a QEMU guest sees. */
enum nic_model {
	NIC_NONE,   /* not a VM */
	NIC_E1000,  /* emulated Intel 82540EM */
	NIC_VIRTIO, /* virtio-net: -pci, or -device on microvm */
	NIC_VFIO,   /* the VF itself, vfio-pci */
};

struct dataplane {
	const char *name;
	enum guest_kind guest;
	enum attach_kind attach;
	enum nic_model nic;
	uint32_t needs; /* enum cap bits */
	const char *paper; /* its name in the SR-IOV RTT paper, or NULL */
	const char *doc;
};

extern const struct dataplane dataplane_table[];
extern const unsigned dataplane_table_len;

/* Index into dataplane_table, or -1. */
int dataplane_find(const char *name);

const char *guest_kind_name(enum guest_kind kind);
const char *nic_model_name(enum nic_model nic);

#endif
