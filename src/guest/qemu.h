/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU command lines for VM guests. vm_cmdline() is pure: a spec in, an
 * argv out, so command lines are golden-tested and shown by --dry-run.
 * The guest boots the image's kernel and initramfs directly (-kernel,
 * -initrd); its /init reads its address from the kernel command line and
 * starts the agent, which talks to the host on a virtio-serial port whose
 * other end is a unix socket.
 */
#ifndef IOV_GUEST_QEMU_H
#define IOV_GUEST_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dataplane.h"
#include "core/factor.h"
#include "util/strv.h"

enum vm_accel {
	VM_TCG,
	VM_KVM,
	VM_ACCEL_THERE, /* where vm-start runs: @accel, @cpu */
};

/* How the guest's NIC reaches the host. */
enum vm_backend {
	VM_BACKEND_TAP,	    /* a tap opened by name (ifname) */
	VM_BACKEND_TAP_FD,  /* a macvtap's /dev/tapN, opened for QEMU */
	VM_BACKEND_VFIO,    /* a PCI function passed through (pci) */
};

/* A NIC after the first (nics): NIC k is net<k>/nic<k> in QEMU. */
struct vm_nic {
	enum nic_model nic;
	uint8_t mac[6];
	enum vm_backend backend;
	const char *ifname;
	const char *tapdev;
	const char *pci;
	uint32_t ip;	/* its own address (plen as eth0's); 0: bonded */
};

#define VM_NICS_MAX 4

struct vm_spec {
	const char *name;    /* also the QEMU process name */
	const char *qemu;    /* binary */
	enum machine_kind machine;
	enum vm_accel accel;
	unsigned vcpus;
	unsigned memory_mb;
	const char *kernel;  /* bzImage (pc, q35) or vmlinux (microvm) */
	const char *initrd;
	/* a user's disk image instead of kernel + initrd, with a management
	 * NIC whose port 22 is forwarded to mgmt_port on the loopback */
	const char *disk;
	unsigned mgmt_port;
	/* extra properties of each emulated NIC's -device (qemu_props:
	 * "prop=value,..."), or NULL */
	const char *nic_props;
	/* the NICs keep the guest kernel's default root qdisc: /init
	 * leaves it (iovbench.qdisc=keep) instead of making it noqueue */
	bool keep_qdisc;
	uint32_t ip;	     /* eth0, host byte order */
	unsigned plen;
	unsigned mtu;
	uint64_t tsc_khz;    /* microvm: the guest must not calibrate;
			      * 0: where vm-start runs (@tsc) */
	enum nic_model nic;
	uint8_t mac[6];
	enum vm_backend backend;
	const char *ifname;  /* TAP */
	const char *tapdev;  /* TAP_FD: /dev/tapN */
	const char *pci;     /* VFIO: 0000:3b:02.1 */
	bool vhost;
	const char *qmp;     /* unix socket paths */
	const char *agent;
	const char *serial;  /* console log file */
	/* NICs 1.. (the nics factor), and how the guest joins them */
	struct vm_nic extra[VM_NICS_MAX - 1];
	unsigned nextra;
	enum bond_mode bond;
	/* a migration's destination: -incoming URI (unix:PATH) */
	const char *incoming;
};

/*
 * Build argv (argv[0] = spec->qemu). Returns 0, or -1 with why set when
 * the combination cannot work (e.g. an E1000 on microvm, which has no
 * PCI bus; vhost with a NIC that is not virtio).
 *
 * A TAP_FD backend appears as fd=@/dev/tapN: vm-start opens the file and
 * puts the descriptor's number there (a macvtap is reached through its
 * character device, which QEMU cannot open by interface name).
 */
int vm_cmdline(const struct vm_spec *s, struct strv *argv, char *why,
	       size_t whylen);

/*
 * The arguments of QMP device_add that plug NIC k back as vm_cmdline()
 * made it (driver, netdev, mac, id; for a VF its host), as a JSON
 * object text into buf. 0, or -1 if k is not one of its NICs.
 */
int vm_nic_device(const struct vm_spec *s, unsigned k, char *buf,
		  size_t len);

#endif
