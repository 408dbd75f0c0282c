// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/dataplane.h"

#include <stdio.h>
#include <string.h>

#include "core/caps.h"
#include "util/alloc.h"

_Static_assert(FACTOR_COUNT <= 64, "FACTOR_BIT needs a wider mask");

/* What each guest kind is, and the guest-level factors its guests have. */
static const struct guest_kind_info {
	const char *name;
	const char *guests; /* in refusals: "container guests" */
	bool vm;
	uint64_t factors;
} guest_kinds[GUEST_KIND_COUNT] = {
	[GUEST_NETNS] = {"netns", "container guests", false, 0},
	[GUEST_QEMU] = {"qemu", "VMs", true,
			FACTOR_BIT(F_MACHINE) | FACTOR_BIT(F_QEMU) |
				FACTOR_BIT(F_VHOST) | FACTOR_BIT(F_NICS) |
				FACTOR_BIT(F_BOND) | FACTOR_BIT(F_QEMU_PROPS)},
};

const struct nic_model_info nic_model_table[NIC_MODEL_COUNT] = {
	[NIC_NONE] = {"none", NULL, "no NIC", 0},
	[NIC_E1000] = {"e1000", "e1000", "an E1000", NIC_PCI_ONLY},
	[NIC_VIRTIO] = {"virtio-net", "virtio-net", "a virtio-net",
			NIC_TRANSPORT | NIC_VHOST},
	[NIC_VFIO] = {"vfio-pci", "vfio-pci", "a VFIO device",
		      NIC_PCI_ONLY | NIC_PASSTHROUGH},
};

const struct dataplane dataplane_table[] = {
	{
		.name = "veth-bridge",
		.guest = GUEST_NETNS,
		.attach = ATTACH_VETH_BRIDGE,
		.bridge = true,
		.needs = CAP_NETNS,
		.doc = "container guest on a veth pair whose host end is a "
		       "port of a Linux bridge with the server's NIC",
	},
	{
		.name = "macvlan",
		.guest = GUEST_NETNS,
		.attach = ATTACH_MACVLAN,
		.owns_pf = true,
		.no_overhead = "a macvlan device takes no transmit stamp: its "
			       "probes' is the PF driver's, just after the NIC "
			       "capture point saw the frame",
		.needs = CAP_NETNS,
		.doc = "container guest on a macvlan (bridge mode) over the "
		       "server's NIC",
	},
	{
		.name = "e1000-bridge",
		.guest = GUEST_QEMU,
		.attach = ATTACH_TAP_BRIDGE,
		.nic = NIC_E1000,
		.bridge = true,
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
		.bridge = true,
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
		.vf = true,
		.factors = FACTOR_BIT(F_MACVTAP),
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
		.vf = true,
		.local_refusal = "needs a real SR-IOV NIC: the local testbed's "
				 "VFs are emulated (veth pairs), they cannot "
				 "be passed through",
		.needs = CAP_QEMU | CAP_VFIO | CAP_SRIOV,
		.paper = "SR-IOV + PCI passthrough",
		.doc = "VM with an SR-IOV VF bound to vfio-pci and passed "
		       "through",
	},
	{
		.name = "vf-netns",
		.guest = GUEST_NETNS,
		.attach = ATTACH_VF_NETNS,
		.vf = true,
		.needs = CAP_NETNS,
		.paper = "SR-IOV (containers: the paper's future work)",
		.doc = "container guest whose eth0 is an SR-IOV VF moved into "
		       "its namespace (emulated on the local testbed)",
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

bool dataplane_vm(const struct dataplane *dp)
{
	return guest_kinds[dp->guest].vm;
}

bool dataplane_passthrough(const struct dataplane *dp)
{
	return (nic_model_table[dp->nic].flags & NIC_PASSTHROUGH) != 0;
}

bool dataplane_has_factor(const struct dataplane *dp, enum factor_id f)
{
	return ((guest_kinds[dp->guest].factors | dp->factors) &
		FACTOR_BIT(f)) != 0;
}

bool dataplane_factor_restricted(enum factor_id f)
{
	uint64_t any = 0;
	unsigned k;

	for (k = 0; k < GUEST_KIND_COUNT; k++)
		any |= guest_kinds[k].factors;
	for (k = 0; k < dataplane_table_len; k++)
		any |= dataplane_table[k].factors;
	return (any & FACTOR_BIT(f)) != 0;
}

int dataplane_factor_refusal(const struct dataplane *dp, enum factor_id f,
			     char *why, size_t len)
{
	const char *fname = factor_table[f].name;
	size_t n = 0;
	unsigned k;

	if (dataplane_has_factor(dp, f))
		return 0;
	/* a factor of another guest kind: the kind is what is wrong */
	for (k = 0; k < GUEST_KIND_COUNT; k++) {
		if (guest_kinds[k].factors & FACTOR_BIT(f)) {
			snprintf(why, len, "%s has %s: %s applies to %s only",
				 dp->name, guest_kinds[dp->guest].guests,
				 fname, guest_kinds[k].guests);
			return 1;
		}
	}
	/* else a factor of some data planes: name them */
	for (k = 0; k < dataplane_table_len; k++) {
		if (!(dataplane_table[k].factors & FACTOR_BIT(f)))
			continue;
		if (!n)
			n = (size_t)snprintf(why, len, "%s applies to %s",
					     fname, dataplane_table[k].name);
		else if (n < len)
			n += (size_t)snprintf(why + n, len - n, ", %s",
					      dataplane_table[k].name);
	}
	if (!n)
		return 0; /* no data plane restricts it */
	if (n < len)
		snprintf(why + n, len - n, " only");
	return 1;
}

/*
 * Background guests take the data plane of their background_dataplane
 * and kind: the PF's bridge, or a VF each (a macvlan on it, for
 * containers).
 */
static const struct {
	const char *dataplane[2]; /* a container's, a VM's */
	bool vf;
} bg_places[BG_DATAPLANE_COUNT] = {
	[BG_BRIDGE] = {{"veth-bridge", "virtio-bridge"}, false},
	[BG_VF] = {{"macvlan", "virtio-macvtap"}, true},
};

const struct dataplane *dataplane_background(enum bg_dataplane bd, bool vm,
					     bool *vf)
{
	int k = dataplane_find(bg_places[bd].dataplane[vm]);

	*vf = bg_places[bd].vf;
	return k < 0 ? NULL : &dataplane_table[k];
}

const char *guest_kind_name(enum guest_kind kind)
{
	return (unsigned)kind < GUEST_KIND_COUNT ? guest_kinds[kind].name :
						   "?";
}

const char *nic_model_name(enum nic_model nic)
{
	return (unsigned)nic < NIC_MODEL_COUNT ? nic_model_table[nic].name :
						 "?";
}

void nic_model_list(unsigned flags, bool article, char *buf, size_t len)
{
	size_t n = 0;
	unsigned k;

	buf[0] = '\0';
	for (k = 0; k < NIC_MODEL_COUNT && n < len; k++) {
		const struct nic_model_info *m = &nic_model_table[k];

		if ((m->flags & flags) != flags || !flags)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " or " : "",
				      article ? m->article : m->name);
	}
}

int dataplane_nics_parse(const char *text, int *idx, unsigned max,
			 char *why, size_t len)
{
	const char *p = text;
	unsigned n = 0;

	if (!strcmp(text, "none"))
		return 0;
	for (;;) {
		size_t w = strcspn(p, "+");
		char name[64];
		int k;

		snprintf(name, sizeof(name), "%.*s", (int)w, p);
		k = w < sizeof(name) ? dataplane_find(name) : -1;
		if (k < 0 || !dataplane_vm(&dataplane_table[k]) ||
		    !dataplane_table[k].bridge) {
			snprintf(why, len, "'%s' is not a data plane a second "
					   "NIC can have: expected none or "
					   "bridge data planes of VMs joined by "
					   "'+' (virtio-bridge, e1000-bridge)",
				 name);
			return -1;
		}
		if (n == max) {
			snprintf(why, len, "more than %u NICs after the first",
				 max);
			return -1;
		}
		idx[n++] = k;
		p += w;
		if (!*p)
			return (int)n;
		p++;
	}
}

int dataplane_nics_check(const char *text, char *why, size_t len)
{
	int idx[8];

	return dataplane_nics_parse(text, idx, 8, why, len) < 0 ? -1 : 0;
}
