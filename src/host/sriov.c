// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/sriov.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/netns.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/strv.h"

/*
 * A netdev name or a BDF becomes one path component: refuse what would
 * walk elsewhere in the tree.
 */
static int name_ok(const char *what, const char *name)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return error("'%s' is not a %s", name, what);
	return 0;
}

static int path_fmt(char *buf, size_t len, const char *sysfs,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* sysfs (NULL: /sys), then fmt: a path in the tree, or -1 said. */
static int path_fmt(char *buf, size_t len, const char *sysfs,
		    const char *fmt, ...)
{
	va_list ap;
	int n, m;

	n = snprintf(buf, len, "%s", sysfs ? sysfs : "/sys");
	if (n < 0 || (size_t)n >= len)
		return error("path too long: '%s'", buf);
	va_start(ap, fmt);
	m = vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= len - (size_t)n)
		return error("path too long: '%s'", buf);
	return 0;
}

/* A decimal number alone in a file (sysfs ends it with a newline). */
static int read_uint(const char *path, unsigned *v)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long n;
	char *end;
	int ret;

	ret = strbuf_read_file(&sb, path, 4096);
	if (ret)
		goto out;
	errno = 0;
	n = strtoul(sb.buf, &end, 10);
	if (end == sb.buf || (*end && *end != '\n') || errno || n > UINT_MAX)
		ret = -EINVAL;
	else
		*v = (unsigned)n;
out:
	strbuf_release(&sb);
	return ret;
}

/*
 * The last component of a symlink's target: sysfs links a device to its
 * driver, its IOMMU group and its VFs, and the name is all we want.
 * 0 or -errno, quietly.
 */
static int link_base(const char *path, char *out, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!*base || strlen(base) >= len)
		return -ENAMETOOLONG;
	memcpy(out, base, strlen(base) + 1);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir but "." and "..", sorted. 0 or -errno, quietly. */
static int list_dir(const char *dir, char ***out, size_t *n)
{
	struct strv v = STRV_INIT;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			strv_push(&v, e->d_name);
	}
	closedir(d);
	if (v.n)
		qsort(v.v, v.n, sizeof(*v.v), cmp_str);
	*out = v.v;
	*n = v.n;
	return 0;
}

static int pf_file(const char *sysfs, const char *pf, const char *file,
		   unsigned *v)
{
	char path[PATH_MAX];
	int ret;

	if (name_ok("netdev name", pf) ||
	    path_fmt(path, sizeof(path), sysfs, "/class/net/%s/device/%s",
		     pf, file))
		return -EINVAL;
	ret = read_uint(path, v);
	if (ret == -ENOENT)
		error("'%s' is not an SR-IOV device (no %s)", pf, file);
	else if (ret)
		error("cannot read '%s': %s", path, strerror(-ret));
	return ret;
}

int sriov_totalvfs(const char *sysfs, const char *pf, unsigned *total)
{
	return pf_file(sysfs, pf, "sriov_totalvfs", total);
}

int sriov_numvfs(const char *sysfs, const char *pf, unsigned *num)
{
	return pf_file(sysfs, pf, "sriov_numvfs", num);
}

int sriov_vf_pci(const char *sysfs, const char *pf, unsigned vf, char *bdf,
		 size_t len)
{
	char path[PATH_MAX];
	int ret;

	if (name_ok("netdev name", pf) ||
	    path_fmt(path, sizeof(path), sysfs,
		     "/class/net/%s/device/virtfn%u", pf, vf))
		return -EINVAL;
	ret = link_base(path, bdf, len);
	if (ret == -ENOENT)
		error("'%s' has no VF %u (are its VFs enabled? see "
		      "sriov_numvfs)", pf, vf);
	else if (ret)
		error("cannot read link '%s': %s", path, strerror(-ret));
	return ret;
}

int sriov_vf_netdev(const char *sysfs, const char *pf, unsigned vf,
		    char *name, size_t len)
{
	char path[PATH_MAX], **names;
	size_t n;
	int ret;

	if (name_ok("netdev name", pf) ||
	    path_fmt(path, sizeof(path), sysfs,
		     "/class/net/%s/device/virtfn%u", pf, vf))
		return -EINVAL;
	if (access(path, F_OK)) {
		error("'%s' has no VF %u (are its VFs enabled? see "
		      "sriov_numvfs)", pf, vf);
		return -ENOENT;
	}
	/* the VF driver (ixgbevf, iavf...) makes net/NAME; vfio-pci not */
	strcat(path, "/net");
	ret = list_dir(path, &names, &n);
	if (ret == -ENOENT)
		return -ENOENT;
	if (ret) {
		error("cannot list '%s': %s", path, strerror(-ret));
		return ret;
	}
	ret = -ENOENT;
	if (n && strlen(names[0]) < len) {
		memcpy(name, names[0], strlen(names[0]) + 1);
		ret = 0;
	} else if (n) {
		error("VF netdev name '%s' is too long", names[0]);
		ret = -ENAMETOOLONG;
	}
	strv_free(names, n);
	return ret;
}

static int pci_dev_path(const char *sysfs, const char *bdf, const char *file,
			char *path, size_t len)
{
	if (name_ok("PCI address", bdf) ||
	    path_fmt(path, len, sysfs, "/bus/pci/devices/%s%s%s", bdf,
		     *file ? "/" : "", file))
		return -EINVAL;
	return 0;
}

/* pci_driver() without messages. */
static int driver_of(const char *sysfs, const char *bdf, char *drv,
		     size_t len)
{
	char path[PATH_MAX];
	int ret;

	if (pci_dev_path(sysfs, bdf, "driver", path, sizeof(path)))
		return -EINVAL;
	ret = link_base(path, drv, len);
	if (ret != -ENOENT)
		return ret;
	/* no driver link: an unbound device, or no device at all */
	if (pci_dev_path(sysfs, bdf, "", path, sizeof(path)))
		return -EINVAL;
	if (access(path, F_OK))
		return -ENODEV;
	if (len)
		drv[0] = '\0';
	return 0;
}

int pci_driver(const char *sysfs, const char *bdf, char *drv, size_t len)
{
	int ret = driver_of(sysfs, bdf, drv, len);

	if (ret == -ENODEV)
		error("no PCI device '%s'", bdf);
	else if (ret && ret != -EINVAL)
		error("cannot read the driver of '%s': %s", bdf,
		      strerror(-ret));
	return ret;
}

/* iommu_group() without messages; -ENODEV: no such device. */
static int group_of(const char *sysfs, const char *bdf, int *group)
{
	char path[PATH_MAX], name[32], *end;
	long g;
	int ret;

	if (pci_dev_path(sysfs, bdf, "iommu_group", path, sizeof(path)))
		return -EINVAL;
	ret = link_base(path, name, sizeof(name));
	if (ret == -ENOENT) {
		if (pci_dev_path(sysfs, bdf, "", path, sizeof(path)))
			return -EINVAL;
		return access(path, F_OK) ? -ENODEV : -ENOENT;
	}
	if (ret)
		return ret;
	errno = 0;
	g = strtol(name, &end, 10);
	/* not a group number: not sysfs as we know it */
	if (end == name || *end || errno || g < 0 || g > INT_MAX)
		return -EPROTO;
	*group = (int)g;
	return 0;
}

int iommu_group(const char *sysfs, const char *bdf, int *group)
{
	int ret = group_of(sysfs, bdf, group);

	if (ret == -ENODEV)
		error("no PCI device '%s'", bdf);
	else if (ret && ret != -ENOENT && ret != -EINVAL)
		error("cannot read the IOMMU group of '%s': %s", bdf,
		      strerror(-ret));
	return ret;
}

int iommu_group_devices(const char *sysfs, int group, char ***bdfs,
			size_t *n)
{
	char path[PATH_MAX];
	int ret;

	if (path_fmt(path, sizeof(path), sysfs,
		     "/kernel/iommu_groups/%d/devices", group))
		return -EINVAL;
	ret = list_dir(path, bdfs, n);
	if (ret)
		error("cannot list IOMMU group %d ('%s'): %s", group, path,
		      strerror(-ret));
	return ret;
}

/*
 * The kernel lets a group in when a device's header is not a normal one
 * (bridges: vfio_dev_driver_allowed()). The class tells the same without
 * reading config space: 0x0604 PCI bridge, 0x0607 CardBus bridge.
 */
static bool is_bridge(const char *sysfs, const char *bdf)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX];
	unsigned long cls = 0;

	if (!pci_dev_path(sysfs, bdf, "class", path, sizeof(path)) &&
	    !strbuf_read_file(&sb, path, 64))
		cls = strtoul(sb.buf, NULL, 16);
	strbuf_release(&sb);
	return (cls >> 8) == 0x0604 || (cls >> 8) == 0x0607;
}

/* Drivers the kernel accepts in a group a guest takes. */
static bool driver_allows_vfio(const char *drv)
{
	return !*drv || !strcmp(drv, "vfio-pci") || !strcmp(drv, "pci-stub");
}

int vfio_group_viable(const char *sysfs, const char *bdf, char *why,
		      size_t len)
{
	char path[PATH_MAX], drv[64], **devs;
	size_t n, i;
	int group, ret;

	ret = group_of(sysfs, bdf, &group);
	if (ret == -ENODEV) {
		snprintf(why, len, "no PCI device '%s'", bdf);
		return ret;
	}
	if (ret == -ENOENT) {
		snprintf(why, len, "'%s' has no IOMMU group (no IOMMU, or it "
			 "is off: boot with intel_iommu=on or amd_iommu=on)",
			 bdf);
		return ret;
	}
	if (ret) {
		snprintf(why, len, "cannot read the IOMMU group of '%s': %s",
			 bdf, strerror(-ret));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/kernel/iommu_groups/%d/devices",
		 sysfs ? sysfs : "/sys", group);
	ret = list_dir(path, &devs, &n);
	if (ret) {
		snprintf(why, len, "cannot list IOMMU group %d: %s", group,
			 strerror(-ret));
		return ret;
	}
	for (i = 0; i < n; i++) {
		ret = driver_of(sysfs, devs[i], drv, sizeof(drv));
		if (ret) {
			snprintf(why, len, "cannot read the driver of '%s' in "
				 "IOMMU group %d: %s", devs[i], group,
				 strerror(-ret));
			break;
		}
		if (driver_allows_vfio(drv) || is_bridge(sysfs, devs[i]))
			continue;
		snprintf(why, len, "'%s' in IOMMU group %d is bound to %s "
			 "(bind it to vfio-pci too, or unbind it)",
			 devs[i], group, drv);
		ret = -EBUSY;
		break;
	}
	strv_free(devs, n);
	return ret;
}

bool vfio_pci_loaded(const char *sysfs)
{
	char path[PATH_MAX];

	return !path_fmt(path, sizeof(path), sysfs,
			 "/bus/pci/drivers/vfio-pci") &&
	       !access(path, F_OK);
}

unsigned iommu_group_count(const char *sysfs)
{
	char path[PATH_MAX], **groups;
	size_t n;

	if (path_fmt(path, sizeof(path), sysfs, "/kernel/iommu_groups") ||
	    list_dir(path, &groups, &n))
		return 0;
	strv_free(groups, n);
	return (unsigned)n;
}

/* Fill nic for netdev name; 0, or -ENOENT when it is not an SR-IOV PF. */
static int nic_read(const char *sysfs, const char *name,
		    struct sriov_nic *nic)
{
	char path[PATH_MAX];
	unsigned total;

	if (strlen(name) >= sizeof(nic->name) ||
	    path_fmt(path, sizeof(path), sysfs, "/class/net/%s/device", name))
		return -ENOENT;
	memset(nic, 0, sizeof(*nic));
	/* virtual netdevs have no device; most NICs no sriov_totalvfs */
	strcat(path, "/sriov_totalvfs");
	if (read_uint(path, &total) || !total)
		return -ENOENT;
	memcpy(nic->name, name, strlen(name) + 1);
	nic->totalvfs = total;
	strcpy(strrchr(path, '/'), "/sriov_numvfs");
	if (read_uint(path, &nic->numvfs))
		nic->numvfs = 0;
	strcpy(strrchr(path, '/'), "/driver");
	if (link_base(path, nic->driver, sizeof(nic->driver)))
		nic->driver[0] = '\0';
	*strrchr(path, '/') = '\0';
	if (link_base(path, nic->pci, sizeof(nic->pci)))
		nic->pci[0] = '\0';
	return 0;
}

int sriov_nics(const char *sysfs, struct sriov_nic **out, size_t *n)
{
	struct sriov_nic *v = NULL;
	size_t count = 0, alloc = 0, i, nnames;
	char path[PATH_MAX], **names;
	int ret;

	if (path_fmt(path, sizeof(path), sysfs, "/class/net"))
		return -EINVAL;
	ret = list_dir(path, &names, &nnames);
	if (ret) {
		error("cannot list '%s': %s", path, strerror(-ret));
		return ret;
	}
	/* names come sorted, so the NICs do too */
	for (i = 0; i < nnames; i++) {
		ALLOC_GROW(v, count + 1, alloc);
		if (!nic_read(sysfs, names[i], &v[count]))
			count++;
	}
	strv_free(names, nnames);
	*out = v;
	*n = count;
	return 0;
}
