/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data planes: how a guest reaches its server's NIC. One table entry per
 * kind; this is the pure half: names, what the guest is and which NIC
 * model it sees, where it sits (the PF's bridge, a VF), which
 * guest-level factors apply to it, and why a plan refuses it. The plan
 * (core/plan.c), the labels of setups and QEMU's command line read these
 * fields; none of them asks which data plane it is.
 *
 * The OS half, which builds and removes the attachment and says where
 * its capture points are, is testbed/attach.c, indexed by enum
 * attach_kind. docs/hacking.md walks through adding one.
 */
#ifndef IOV_CORE_DATAPLANE_H
#define IOV_CORE_DATAPLANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/factor.h"

enum guest_kind {
	GUEST_NETNS, /* a network namespace "container" */
	GUEST_QEMU,  /* a QEMU virtual machine */
	GUEST_KIND_COUNT,
};

enum attach_kind {
	ATTACH_VETH_BRIDGE, /* veth pair, host end in the server's bridge */
	ATTACH_MACVLAN,	    /* macvlan (bridge mode) on the server's NIC */
	ATTACH_TAP_BRIDGE,  /* tap in the server's bridge (QEMU) */
	ATTACH_MACVTAP_VF,  /* macvtap over an SR-IOV VF (QEMU) */
	ATTACH_VFIO_VF,	    /* an SR-IOV VF passed through with VFIO (QEMU) */
	ATTACH_VF_NETNS,    /* an SR-IOV VF moved into the container */
	ATTACH_KIND_COUNT,
};

/* The NIC a QEMU guest sees: an index into nic_model_table. */
enum nic_model {
	NIC_NONE,   /* not a VM */
	NIC_E1000,  /* emulated Intel 82540EM */
	NIC_VIRTIO, /* virtio-net: -pci, or -device on microvm */
	NIC_VFIO,   /* the VF itself, vfio-pci */
	NIC_MODEL_COUNT,
};

enum nic_flags {
	NIC_PCI_ONLY = 1u << 0,	   /* needs a PCI bus: not on microvm */
	NIC_TRANSPORT = 1u << 1,   /* a virtio device: DEVICE-pci on PCI,
				    * DEVICE-device on virtio-mmio */
	NIC_VHOST = 1u << 2,	   /* vhost-net can carry its queues */
	NIC_PASSTHROUGH = 1u << 3, /* the host's device itself: the VFIO
				    * backend, and only it */
};

struct nic_model_info {
	const char *name;    /* "virtio-net" */
	const char *device;  /* QEMU's -device (before its bus suffix), or
			      * NULL: no NIC */
	const char *article; /* "an E1000", in refusals */
	unsigned flags;	     /* enum nic_flags */
};

extern const struct nic_model_info nic_model_table[NIC_MODEL_COUNT];

#define FACTOR_BIT(f) (UINT64_C(1) << (f))

struct dataplane {
	const char *name;
	enum guest_kind guest;
	enum attach_kind attach; /* its OS half: testbed/attach.c */
	enum nic_model nic;
	bool bridge; /* its guests sit in the PF's bridge */
	bool vf;     /* its guests sit on an SR-IOV VF (emulated locally) */
	/* it holds the PF: the PF cannot be a port of a bridge for others */
	bool owns_pf;
	/* guest-level factors that apply to it beyond its guest kind's */
	uint64_t factors;
	/* why the local testbed cannot build it (after its name), or NULL */
	const char *local_refusal;
	/*
	 * Why the sender's overhead (RTT minus the RTT at its NIC) means
	 * nothing on it, or NULL: the split then leaves it out.
	 */
	const char *no_overhead;
	uint32_t needs; /* enum cap bits */
	const char *paper; /* its name in the SR-IOV RTT paper, or NULL */
	const char *doc;
};

extern const struct dataplane dataplane_table[];
extern const unsigned dataplane_table_len;

/* Index into dataplane_table, or -1. */
int dataplane_find(const char *name);

/* Its guests are VMs (they boot an image, have a console, a NIC model). */
bool dataplane_vm(const struct dataplane *dp);
/* Its VMs hold the host's device itself (VFIO: vfio-vf) */
bool dataplane_passthrough(const struct dataplane *dp);
/* Factor f applies to dp's guests (its guest kind's, or its own). */
bool dataplane_has_factor(const struct dataplane *dp, enum factor_id f);
/* Factor f applies to some guest kinds or data planes only. */
bool dataplane_factor_restricted(enum factor_id f);
/*
 * Why factor f, set away from its default, does not fit data plane dp:
 * 1 with why filled ("veth-bridge has container guests: machine applies
 * to VMs only", "macvtap applies to virtio-macvtap only"), or 0.
 */
int dataplane_factor_refusal(const struct dataplane *dp, enum factor_id f,
			     char *why, size_t len);

/*
 * The nics factor: a main VM's NICs after its data plane's, as data
 * planes joined by '+' ("virtio-bridge+e1000-bridge"; "none"). Each
 * must be a VM data plane whose guests sit in the PF's bridge (a tap
 * per NIC: VFs stay the main and background guests'). Fills idx[] with
 * dataplane_table indexes; returns how many, or -1 with why.
 */
int dataplane_nics_parse(const char *text, int *idx, unsigned max,
			 char *why, size_t len);
int dataplane_nics_check(const char *text, char *why, size_t len);

/*
 * The data plane of a background guest (a container, or a VM) with
 * background_dataplane bd; *vf: each sits on a VF of its own.
 */
const struct dataplane *dataplane_background(enum bg_dataplane bd, bool vm,
					     bool *vf);

const char *guest_kind_name(enum guest_kind kind);
const char *nic_model_name(enum nic_model nic);
/*
 * The NIC models with all of flags, joined by " or ": their names, or
 * with article, their articles ("an E1000 or a VFIO device").
 */
void nic_model_list(unsigned flags, bool article, char *buf, size_t len);

#endif
