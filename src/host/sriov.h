/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SR-IOV and VFIO as sysfs shows them on a real server: a PF's VFs, their
 * PCI addresses and netdevs, the driver a PCI device is bound to, IOMMU
 * groups and whether one can be passed to a guest. The testbed passes VF
 * netdevs to macvtap and VF PCI addresses to QEMU (vfio-pci); `doctor`
 * reports what the host offers.
 *
 * Every function takes sysfs, the root of sysfs: "/sys" normally (NULL
 * means it too), a fake tree in tests. They read, never write: binding a
 * VF to vfio-pci is the testbed's driver-bind op. PF names are netdev
 * names ("ens1f0"); PCI addresses are full BDFs ("0000:3b:02.1").
 */
#ifndef IOV_HOST_SRIOV_H
#define IOV_HOST_SRIOV_H

#include <stdbool.h>
#include <stddef.h>

#define SRIOV_BDF_LEN 32 /* "0000:3b:02.1" with room to spare */

/*
 * The VFs PF can have (class/net/PF/device/sriov_totalvfs) and has
 * enabled (sriov_numvfs). 0, or -errno after a message (-ENOENT: PF is
 * not an SR-IOV device, or no such netdev).
 */
int sriov_totalvfs(const char *sysfs, const char *pf, unsigned *total);
int sriov_numvfs(const char *sysfs, const char *pf, unsigned *num);

/*
 * The PCI address of PF's VF number vf (the virtfnN link). 0, or -errno
 * after a message (-ENOENT: no such VF; enable VFs with sriov_numvfs).
 */
int sriov_vf_pci(const char *sysfs, const char *pf, unsigned vf, char *bdf,
		 size_t len);

/*
 * The netdev name of PF's VF number vf. 0; -ENOENT, quietly, when the VF
 * has no netdev (bound to vfio-pci, or to no driver); other -errno after
 * a message.
 */
int sriov_vf_netdev(const char *sysfs, const char *pf, unsigned vf,
		    char *name, size_t len);

/*
 * The name of the driver bound to PCI device bdf ("ixgbevf", "vfio-pci"),
 * "" when none. 0, or -errno after a message (-ENODEV: no such device).
 */
int pci_driver(const char *sysfs, const char *bdf, char *drv, size_t len);

/*
 * The IOMMU group of PCI device bdf. 0; -ENOENT, quietly, when it has
 * none (no IOMMU, or the IOMMU is off); other -errno after a message.
 */
int iommu_group(const char *sysfs, const char *bdf, int *group);

/*
 * The PCI addresses of the devices in IOMMU group, sorted. The caller
 * frees them with strv_free(*bdfs, *n) (net/netns.h). 0, or -errno after
 * a message.
 */
int iommu_group_devices(const char *sysfs, int group, char ***bdfs,
			size_t *n);

/*
 * Can bdf's IOMMU group be given to a guest? VFIO takes a group only when
 * every device in it is bound to vfio-pci, to pci-stub or to no driver;
 * bridges are excepted, whatever drives them, as the kernel excepts them.
 * 0 when viable; otherwise -errno with why saying what is in the way (the
 * device and its driver, or that there is no IOMMU group), and no message.
 */
int vfio_group_viable(const char *sysfs, const char *bdf, char *why,
		      size_t len);

/* Is the vfio-pci driver there to bind to (bus/pci/drivers/vfio-pci)? */
bool vfio_pci_loaded(const char *sysfs);

/* How many IOMMU groups the kernel made (0: no IOMMU, or it is off). */
unsigned iommu_group_count(const char *sysfs);

/* A NIC that can make VFs. */
struct sriov_nic {
	char name[16];		  /* the PF's netdev (IFNAMSIZ) */
	char pci[SRIOV_BDF_LEN];  /* the PF's PCI address */
	char driver[64];	  /* "ixgbe", "ice", "mlx5_core"... or "" */
	unsigned totalvfs, numvfs;
};

/*
 * Every netdev in class/net whose device has sriov_totalvfs > 0, sorted
 * by name; *n is 0 when there is none. The caller frees *out. 0, or
 * -errno after a message (class/net unreadable).
 */
int sriov_nics(const char *sysfs, struct sriov_nic **out, size_t *n);

#endif
