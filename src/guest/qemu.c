// SPDX-License-Identifier: GPL-2.0-or-later
#include "guest/qemu.h"

#include <stdio.h>
#include <string.h>

#include "core/agent_proto.h"

static int invalid(char *why, size_t len, const char *msg)
{
	snprintf(why, len, "%s", msg);
	return -1;
}

static void ip_text(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
		 a & 255);
}

/*
 * Devices on microvm sit on virtio-mmio; on pc and q35 on PCI:
 * "virtio-net" is virtio-net-device there, virtio-net-pci here.
 */
static const char *virtio_device(const struct vm_spec *s, const char *dev)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s-%s", dev,
		 s->machine == MACHINE_MICROVM ? "device" : "pci");
	return buf;
}

static void mac_text(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}

/* NIC k of s: 0 is the spec's own fields, 1.. its extra NICs. */
static void nic_of(const struct vm_spec *s, unsigned k, struct vm_nic *n)
{
	if (k) {
		*n = s->extra[k - 1];
		return;
	}
	memset(n, 0, sizeof(*n));
	n->nic = s->nic;
	memcpy(n->mac, s->mac, 6);
	n->backend = s->backend;
	n->ifname = s->ifname;
	n->tapdev = s->tapdev;
	n->pci = s->pci;
	n->ip = s->ip;
}

/*
 * NIC k's -netdev and -device. NIC 0 keeps the names it always had
 * (net0, no device id: command lines stored with runs stay the same);
 * NICs after it have ids (nicK) for hotplug, and so does the VF of a
 * failover pair, which QEMU unplugs by it.
 */
static void nic_args(const struct vm_spec *s, unsigned k,
		     const struct vm_nic *n, struct strv *argv)
{
	const struct nic_model_info *m = &nic_model_table[n->nic];
	bool failover = s->bond == BOND_FAILOVER;
	char mac[32], id[32] = "";

	mac_text(n->mac, mac, sizeof(mac));
	if (k || failover)
		snprintf(id, sizeof(id), ",id=nic%u", k);
	switch (n->backend) {
	case VM_BACKEND_TAP:
		strv_push(argv, "-netdev");
		strv_pushf(argv,
			   "tap,id=net%u,ifname=%s,script=no,downscript=no,"
			   "vhost=%s",
			   k, n->ifname, s->vhost ? "on" : "off");
		break;
	case VM_BACKEND_TAP_FD:
		strv_push(argv, "-netdev");
		strv_pushf(argv, "tap,id=net%u,fd=@%s,vhost=%s", k, n->tapdev,
			   s->vhost ? "on" : "off");
		break;
	case VM_BACKEND_VFIO:
		strv_push(argv, "-device");
		strv_pushf(argv, "vfio-pci,host=%s%s%s", n->pci, id,
			   failover ? ",failover_pair_id=nic1" : "");
		return;
	}
	strv_push(argv, "-device");
	strv_pushf(argv, "%s,netdev=net%u,mac=%s%s%s%s%s",
		   m->flags & NIC_TRANSPORT ? virtio_device(s, m->device) :
					       m->device,
		   k, mac, id, failover && k == 1 ? ",failover=on" : "",
		   s->nic_props ? "," : "", s->nic_props ? s->nic_props : "");
}

int vm_cmdline(const struct vm_spec *s, struct strv *argv, char *why,
	       size_t whylen)
{
	const struct nic_model_info *m = &nic_model_table[s->nic];
	char ip[32], append[512], list[128];
	unsigned k;

	if (s->machine == MACHINE_MICROVM && (m->flags & NIC_PCI_ONLY)) {
		nic_model_list(NIC_PCI_ONLY, true, list, sizeof(list));
		snprintf(why, whylen, "microvm has no PCI bus: it cannot hold %s",
			 list);
		return -1;
	}
	/* no firmware boots from virtio-mmio (QEMU's microvm.rst), and
	 * -drive if=virtio would ask for a virtio-blk-pci */
	if (s->machine == MACHINE_MICROVM && s->disk)
		return invalid(why, whylen,
			       "microvm cannot boot a disk image: it has no "
			       "PCI bus and no firmware for virtio-mmio disks");
	if (s->vhost && !(m->flags & NIC_VHOST)) {
		nic_model_list(NIC_VHOST, false, list, sizeof(list));
		snprintf(why, whylen, "vhost accelerates %s only", list);
		return -1;
	}
	if (!!(m->flags & NIC_PASSTHROUGH) != (s->backend == VM_BACKEND_VFIO))
		return invalid(why, whylen,
			       "a VFIO NIC needs a VFIO backend and only it");
	if (!m->device)
		return invalid(why, whylen, "a VM needs a NIC");
	for (k = 0; k < s->nextra; k++) {
		const struct nic_model_info *x = &nic_model_table[s->extra[k].nic];

		if (!x->device || (x->flags & NIC_PASSTHROUGH) ||
		    s->extra[k].backend == VM_BACKEND_VFIO)
			return invalid(why, whylen,
				       "a NIC after the first is a tap's");
		if (s->machine == MACHINE_MICROVM && (x->flags & NIC_PCI_ONLY)) {
			nic_model_list(NIC_PCI_ONLY, true, list, sizeof(list));
			snprintf(why, whylen,
				 "microvm has no PCI bus: it cannot hold %s",
				 list);
			return -1;
		}
	}

	strv_push(argv, s->qemu);
	strv_pushf(argv, "-name");
	strv_pushf(argv, "guest=%s,process=%s", s->name, s->name);
	strv_push(argv, "-machine");
	/* microvm keeps its ACPI tables: they list the virtio-mmio devices
	 * (Debian's kernel cannot take them from the command line, it lacks
	 * VIRTIO_MMIO_CMDLINE_DEVICES) */
	strv_push(argv, s->machine == MACHINE_MICROVM ?
				"microvm,x-option-roms=off" :
				machine_name(s->machine));
	strv_push(argv, "-accel");
	switch (s->accel) {
	case VM_TCG:
		strv_push(argv, "tcg");
		/*
		 * TCG's default model (qemu64) lacks SSE4.2, the baseline
		 * of Debian's DPDK (dpdk-testpmd dies on an invalid
		 * opcode); max is every feature TCG emulates, as on a
		 * remote server without KVM (host/op_run.c's @cpu)
		 */
		strv_push(argv, "-cpu");
		strv_push(argv, "max");
		break;
	case VM_KVM:
		strv_push(argv, "kvm");
		strv_push(argv, "-cpu");
		strv_push(argv, "host");
		break;
	case VM_ACCEL_THERE:
		/* a remote server decides: core/op.h */
		strv_push(argv, "@accel");
		strv_push(argv, "-cpu");
		strv_push(argv, "@cpu");
		break;
	}
	strv_push(argv, "-smp");
	strv_pushf(argv, "%u", s->vcpus ? s->vcpus : 1);
	strv_push(argv, "-m");
	strv_pushf(argv, "%u", s->memory_mb);
	/* only the devices listed here: no VGA, no default NIC, no config */
	strv_push(argv, "-nodefaults");
	strv_push(argv, "-no-user-config");
	strv_push(argv, "-display");
	strv_push(argv, "none");
	strv_push(argv, "-no-reboot");
	strv_push(argv, "-serial");
	strv_pushf(argv, "file:%s", s->serial);

	ip_text(s->ip, ip, sizeof(ip));
	/*
	 * tsc=reliable: the guest's timestamps are the measurement. On a
	 * busy host a starved vCPU makes the clocksource watchdog call the
	 * TSC unstable and switch to jiffies (4 ms steps): RTTs turn to
	 * noise. QEMU's TSC follows the host's (TCG) or is the host's (KVM)
	 * and never goes backwards: the watchdog is wrong here.
	 */
	snprintf(append, sizeof(append),
		 "console=ttyS0 panic=-1 tsc=reliable iovbench.ip=%s/%u "
		 "iovbench.mtu=%u",
		 ip, s->plen, s->mtu);
	/* microvm hangs 1 boot in 4 calibrating the TSC under TCG */
	if (s->machine == MACHINE_MICROVM && s->tsc_khz)
		snprintf(append + strlen(append), sizeof(append) - strlen(append),
			 " tsc_early_khz=%llu", (unsigned long long)s->tsc_khz);
	else if (s->machine == MACHINE_MICROVM)
		snprintf(append + strlen(append), sizeof(append) - strlen(append),
			 " tsc_early_khz=@tsc");
	/* the image's /init gives NIC k its address, or makes the bond */
	for (k = 0; k < s->nextra; k++) {
		if (!s->extra[k].ip)
			continue;
		ip_text(s->extra[k].ip, ip, sizeof(ip));
		snprintf(append + strlen(append), sizeof(append) - strlen(append),
			 " iovbench.ip%u=%s/%u", k + 1, ip, s->plen);
	}
	/* a failover pair is the guest kernel's to join (net_failover):
	 * /init sees one NIC */
	if (s->nextra && s->bond != BOND_FAILOVER)
		snprintf(append + strlen(append), sizeof(append) - strlen(append),
			 " iovbench.nics=%u", s->nextra + 1);
	if (s->bond == BOND_ACTIVE_BACKUP)
		snprintf(append + strlen(append), sizeof(append) - strlen(append),
			 " iovbench.bond=active-backup");
	if (s->keep_qdisc)
		snprintf(append + strlen(append), sizeof(append) - strlen(append),
			 " iovbench.qdisc=keep");
	if (s->disk) {
		/* snapshot: runs never change the user's image */
		strv_push(argv, "-drive");
		strv_pushf(argv, "file=%s,if=virtio,snapshot=on", s->disk);
		strv_push(argv, "-netdev");
		strv_pushf(argv,
			   "user,id=mgmt,restrict=off,hostfwd=tcp:127.0.0.1:"
			   "%u-:22",
			   s->mgmt_port);
		strv_push(argv, "-device");
		strv_pushf(argv, "%s,netdev=mgmt",
			   virtio_device(s, "virtio-net"));
	} else {
		strv_push(argv, "-kernel");
		strv_push(argv, s->kernel);
		strv_push(argv, "-initrd");
		strv_push(argv, s->initrd);
		strv_push(argv, "-append");
		strv_push(argv, append);
	}
	strv_push(argv, "-qmp");
	strv_pushf(argv, "unix:%s,server=on,wait=off", s->qmp);
	strv_push(argv, "-chardev");
	strv_pushf(argv, "socket,id=agent,path=%s,server=on,wait=off",
		   s->agent);
	strv_push(argv, "-device");
	strv_pushf(argv, "%s,id=vser0", virtio_device(s, "virtio-serial"));
	strv_push(argv, "-device");
	strv_pushf(argv, "virtserialport,bus=vser0.0,chardev=agent,name=%s",
		   AGENT_PORT_NAME);

	for (k = 0; k <= s->nextra; k++) {
		struct vm_nic n;

		nic_of(s, k, &n);
		nic_args(s, k, &n, argv);
	}
	if (s->incoming) {
		strv_push(argv, "-incoming");
		strv_push(argv, s->incoming);
	}
	return 0;
}

int vm_nic_device(const struct vm_spec *s, unsigned k, char *buf,
		  size_t len)
{
	const struct nic_model_info *m;
	struct vm_nic n;
	char mac[32];

	if (k > s->nextra)
		return -1;
	nic_of(s, k, &n);
	m = &nic_model_table[n.nic];
	mac_text(n.mac, mac, sizeof(mac));
	if (n.backend == VM_BACKEND_VFIO)
		snprintf(buf, len,
			 "{\"driver\": \"vfio-pci\", \"host\": \"%s\", "
			 "\"id\": \"nic%u\"%s}",
			 n.pci, k,
			 s->bond == BOND_FAILOVER ?
				 ", \"failover_pair_id\": \"nic1\"" : "");
	else
		snprintf(buf, len,
			 "{\"driver\": \"%s\", \"netdev\": \"net%u\", "
			 "\"mac\": \"%s\", \"id\": \"nic%u\"%s}",
			 m->flags & NIC_TRANSPORT ? virtio_device(s, m->device) :
						    m->device,
			 k, mac, k,
			 s->bond == BOND_FAILOVER && k == 1 ?
				 ", \"failover\": true" : "");
	return 0;
}
