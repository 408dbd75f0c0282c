/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a host can do, as far as the plan is concerned. Detected by
 * host/caps.c on a real host; given explicitly by tests and by
 * `iovbench plan --assume` so that plans are a pure function of their input.
 */
#ifndef IOV_CORE_CAPS_H
#define IOV_CORE_CAPS_H

#include <stdint.h>

enum cap {
	CAP_NETNS = 1u << 0,	 /* network namespaces, veth, bridge, macvlan */
	CAP_QEMU = 1u << 1,	 /* a qemu-system-x86_64 binary */
	CAP_KVM = 1u << 2,	 /* /dev/kvm accepts KVM_CREATE_VM */
	CAP_VHOST_NET = 1u << 3, /* /dev/vhost-net */
	CAP_VFIO = 1u << 4,	 /* /dev/vfio/vfio and an IOMMU */
	CAP_SRIOV = 1u << 5,	 /* a NIC with sriov_totalvfs > 0 */
};

struct cap_info {
	enum cap cap;
	const char *name;    /* for --assume and messages */
	const char *missing; /* why a test needing it cannot run */
};

extern const struct cap_info cap_table[];
extern const unsigned cap_table_len;

/* Parse "netns,qemu,kvm" (or "all", "none") into a mask; 0 or -EINVAL. */
int caps_parse(const char *s, uint32_t *mask);
/* The reason the first cap in need but not in have is missing, or NULL. */
const char *caps_missing(uint32_t need, uint32_t have);

#endif
