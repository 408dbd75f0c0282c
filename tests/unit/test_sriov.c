// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/sriov.h"
#include "net/netns.h"
#include "util/error.h"
#include "host/op_run.h"

/*
 * A fake sysfs in a temporary directory, laid out (and linked, with
 * relative links) the way a real one is on a server with an SR-IOV NIC:
 *
 *   0000:00:02.0   root port (pcieport), IOMMU group 44
 *   0000:3b:00.0   PF ens1f0 (ixgbe), 63 VFs, 3 enabled, group 40
 *   0000:3b:00.1   PF ens1f1 (ixgbe), SR-IOV off (totalvfs 0), group 43
 *   0000:3b:02.0   VF 0: ixgbevf, netdev ens1f0v0, group 42 alone
 *   0000:3b:02.1   VF 1: vfio-pci, group 43 with ens1f1's ixgbe
 *   0000:3b:02.2   VF 2: vfio-pci, group 44 with the root port and
 *                  0000:3b:02.3, which no driver holds
 */
#define PORT "devices/pci0000:00/0000:00:02.0"
#define PF0 "0000:3b:00.0"
#define VF0 "0000:3b:02.0"
#define VF1 "0000:3b:02.1"
#define VF2 "0000:3b:02.2"

static char root[64];
static char last_msg[512]; /* the last message */
static char msgs[4096];	   /* every message since the tree was made */

static void hook(const char *line)
{
	size_t n = strlen(msgs);

	snprintf(last_msg, sizeof(last_msg), "%s", line);
	snprintf(msgs + n, sizeof(msgs) - n, "%s\n", line);
}

/* root/fmt..., for reading what ops wrote */
static const char *at(const char *rel)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s", root, rel);
	return buf;
}

static void mkdir_p(const char *rel)
{
	char path[PATH_MAX], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
}

static void put(const char *rel, const char *text)
{
	char dir[PATH_MAX];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", rel);
	*strrchr(dir, '/') = '\0';
	mkdir_p(dir);
	f = fopen(at(rel), "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A link at rel to target, as given ("../0000:3b:02.0"). */
static void ln(const char *target, const char *rel)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", rel);
	*strrchr(dir, '/') = '\0';
	mkdir_p(dir);
	assert_int_equal(symlink(target, at(rel)), 0);
}

/* A link at rel to to (both from the root), relative as sysfs makes it. */
static void ln_up(const char *to, const char *rel)
{
	char target[PATH_MAX] = "";
	const char *p;

	for (p = rel; (p = strchr(p, '/')); p++)
		strcat(target, "../");
	strcat(target, to);
	ln(target, rel);
}

/* A PCI device under parent: class, driver ("" none), IOMMU group. */
static void pci_dev(const char *parent, const char *bdf, const char *cls,
		    const char *drv, int group)
{
	char dev[256], rel[512], to[512];

	snprintf(dev, sizeof(dev), "%s/%s", parent, bdf);
	mkdir_p(dev);
	snprintf(rel, sizeof(rel), "%s/class", dev);
	put(rel, cls);
	snprintf(rel, sizeof(rel), "%s/driver_override", dev);
	put(rel, "");
	if (*drv) {
		snprintf(rel, sizeof(rel), "%s/driver", dev);
		snprintf(to, sizeof(to), "bus/pci/drivers/%s", drv);
		ln_up(to, rel);
	}
	snprintf(rel, sizeof(rel), "%s/iommu_group", dev);
	snprintf(to, sizeof(to), "kernel/iommu_groups/%d", group);
	ln_up(to, rel);
	snprintf(rel, sizeof(rel), "kernel/iommu_groups/%d/devices/%s", group,
		 bdf);
	ln_up(dev, rel);
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s", bdf);
	ln_up(dev, rel);
}

/* A netdev name of the device at dev, in class/net. */
static void netdev(const char *dev, const char *name)
{
	char rel[512], to[512];

	snprintf(rel, sizeof(rel), "%s/net/%s/device", dev, name);
	snprintf(to, sizeof(to), "../../..%s", strrchr(dev, '/'));
	ln(to, rel);
	snprintf(rel, sizeof(rel), "%s/net/%s/address", dev, name);
	put(rel, "02:00:00:00:00:01\n");
	snprintf(rel, sizeof(rel), "class/net/%s", name);
	snprintf(to, sizeof(to), "%s/net/%s", dev, name);
	ln_up(to, rel);
}

static void make_root(void)
{
	snprintf(root, sizeof(root), "/tmp/iov-sysfs.XXXXXX");
	assert_non_null(mkdtemp(root));
	mkdir_p("class/net");
	put("bus/pci/drivers_probe", "");
	/* lo: a virtual netdev, no device */
	mkdir_p("devices/virtual/net/lo");
	ln_up("devices/virtual/net/lo", "class/net/lo");
	last_msg[0] = msgs[0] = '\0';
	error_set_hook(hook);
}

static int setup(void **state)
{
	const char *pf0 = PORT "/" PF0, *pf1 = PORT "/0000:3b:00.1";

	(void)state;
	make_root();
	put("bus/pci/drivers/ixgbe/unbind", "");
	put("bus/pci/drivers/ixgbevf/unbind", "");
	put("bus/pci/drivers/vfio-pci/unbind", "");
	put("bus/pci/drivers/pcieport/unbind", "");
	pci_dev("devices/pci0000:00", "0000:00:02.0", "0x060400\n",
		"pcieport", 44);
	pci_dev(PORT, PF0, "0x020000\n", "ixgbe", 40);
	put(PORT "/" PF0 "/sriov_totalvfs", "63\n");
	put(PORT "/" PF0 "/sriov_numvfs", "3\n");
	netdev(pf0, "ens1f0");
	pci_dev(PORT, "0000:3b:00.1", "0x020000\n", "ixgbe", 43);
	put(PORT "/0000:3b:00.1/sriov_totalvfs", "0\n");
	put(PORT "/0000:3b:00.1/sriov_numvfs", "0\n");
	netdev(pf1, "ens1f1");
	pci_dev(PORT, VF0, "0x020000\n", "ixgbevf", 42);
	netdev(PORT "/" VF0, "ens1f0v0");
	pci_dev(PORT, VF1, "0x020000\n", "vfio-pci", 43);
	pci_dev(PORT, VF2, "0x020000\n", "vfio-pci", 44);
	pci_dev(PORT, "0000:3b:02.3", "0x020000\n", "", 44);
	ln("../" VF0, PORT "/" PF0 "/virtfn0");
	ln("../" VF1, PORT "/" PF0 "/virtfn1");
	ln("../" VF2, PORT "/" PF0 "/virtfn2");
	ln("../" PF0, PORT "/" VF0 "/physfn");
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	error_set_hook(NULL);
	return nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void test_vf_counts(void **state)
{
	unsigned v = 0;

	(void)state;
	assert_int_equal(sriov_totalvfs(root, "ens1f0", &v), 0);
	assert_int_equal(v, 63);
	assert_int_equal(sriov_numvfs(root, "ens1f0", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(sriov_totalvfs(root, "ens1f1", &v), 0);
	assert_int_equal(v, 0);
	/* a virtual netdev, and no netdev at all */
	assert_int_equal(sriov_totalvfs(root, "lo", &v), -ENOENT);
	assert_non_null(strstr(last_msg, "'lo' is not an SR-IOV device"));
	assert_int_equal(sriov_numvfs(root, "nope0", &v), -ENOENT);
	assert_int_equal(sriov_numvfs(root, "../..", &v), -EINVAL);
}

static void test_vf_pci(void **state)
{
	char bdf[SRIOV_BDF_LEN];

	(void)state;
	assert_int_equal(sriov_vf_pci(root, "ens1f0", 0, bdf, sizeof(bdf)),
			 0);
	assert_string_equal(bdf, VF0);
	assert_int_equal(sriov_vf_pci(root, "ens1f0", 2, bdf, sizeof(bdf)),
			 0);
	assert_string_equal(bdf, VF2);
	assert_int_equal(sriov_vf_pci(root, "ens1f0", 3, bdf, sizeof(bdf)),
			 -ENOENT);
	assert_non_null(strstr(last_msg, "'ens1f0' has no VF 3"));
	assert_int_equal(sriov_vf_pci(root, "ens1f1", 0, bdf, sizeof(bdf)),
			 -ENOENT);
}

static void test_vf_netdev(void **state)
{
	char name[16];

	(void)state;
	assert_int_equal(sriov_vf_netdev(root, "ens1f0", 0, name,
					 sizeof(name)),
			 0);
	assert_string_equal(name, "ens1f0v0");
	/* bound to vfio-pci: no netdev, and nothing said */
	last_msg[0] = '\0';
	assert_int_equal(sriov_vf_netdev(root, "ens1f0", 1, name,
					 sizeof(name)),
			 -ENOENT);
	assert_string_equal(last_msg, "");
	/* no such VF is an error */
	assert_int_equal(sriov_vf_netdev(root, "ens1f0", 7, name,
					 sizeof(name)),
			 -ENOENT);
	assert_non_null(strstr(last_msg, "no VF 7"));
}

static void test_driver(void **state)
{
	char drv[64];

	(void)state;
	assert_int_equal(pci_driver(root, PF0, drv, sizeof(drv)), 0);
	assert_string_equal(drv, "ixgbe");
	assert_int_equal(pci_driver(root, VF0, drv, sizeof(drv)), 0);
	assert_string_equal(drv, "ixgbevf");
	assert_int_equal(pci_driver(root, VF1, drv, sizeof(drv)), 0);
	assert_string_equal(drv, "vfio-pci");
	assert_int_equal(pci_driver(root, "0000:3b:02.3", drv, sizeof(drv)),
			 0);
	assert_string_equal(drv, "");
	assert_int_equal(pci_driver(root, "0000:99:00.0", drv, sizeof(drv)),
			 -ENODEV);
	assert_non_null(strstr(last_msg, "no PCI device '0000:99:00.0'"));
}

static void test_iommu(void **state)
{
	char **devs;
	size_t n;
	int g = -1;

	(void)state;
	assert_int_equal(iommu_group(root, VF0, &g), 0);
	assert_int_equal(g, 42);
	assert_int_equal(iommu_group(root, VF2, &g), 0);
	assert_int_equal(g, 44);
	assert_int_equal(iommu_group_devices(root, 44, &devs, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(devs[0], "0000:00:02.0");
	assert_string_equal(devs[1], VF2);
	assert_string_equal(devs[2], "0000:3b:02.3");
	strv_free(devs, n);
	assert_int_equal(iommu_group_count(root), 4);
	assert_true(vfio_pci_loaded(root));
	assert_int_equal(iommu_group_devices(root, 7, &devs, &n), -ENOENT);
}

static void test_viable(void **state)
{
	char why[256] = "";

	(void)state;
	/* vfio-pci, a root port (pcieport) and an unbound device */
	assert_int_equal(vfio_group_viable(root, VF2, why, sizeof(why)), 0);
	/* a sibling bound to ixgbe */
	assert_int_equal(vfio_group_viable(root, VF1, why, sizeof(why)),
			 -EBUSY);
	assert_non_null(strstr(why, "'0000:3b:00.1' in IOMMU group 43 is "
				    "bound to ixgbe"));
	/* the VF itself still on its own driver */
	assert_int_equal(vfio_group_viable(root, VF0, why, sizeof(why)),
			 -EBUSY);
	assert_non_null(strstr(why, "bound to ixgbevf"));
}

static void test_viable_no_iommu(void **state)
{
	char why[256] = "";

	(void)state;
	unlink(at(PORT "/" VF2 "/iommu_group"));
	assert_int_equal(vfio_group_viable(root, VF2, why, sizeof(why)),
			 -ENOENT);
	assert_non_null(strstr(why, "has no IOMMU group"));
	assert_int_equal(vfio_group_viable(root, "0000:99:00.0", why,
					   sizeof(why)),
			 -ENODEV);
}

static void test_nics(void **state)
{
	struct sriov_nic *nics;
	size_t n;

	(void)state;
	assert_int_equal(sriov_nics(root, &nics, &n), 0);
	/* ens1f1 (totalvfs 0), the VF's netdev and lo are not PFs */
	assert_int_equal(n, 1);
	assert_string_equal(nics[0].name, "ens1f0");
	assert_string_equal(nics[0].pci, PF0);
	assert_string_equal(nics[0].driver, "ixgbe");
	assert_int_equal(nics[0].totalvfs, 63);
	assert_int_equal(nics[0].numvfs, 3);
	free(nics);
}

/* A host like a cloud VM: a virtio NIC, no SR-IOV, no IOMMU. */
static int setup_plain(void **state)
{
	(void)state;
	make_root();
	mkdir_p("devices/pci0000:00/0000:00:03.0/virtio2/net/eth0");
	ln("../../../virtio2", "devices/pci0000:00/0000:00:03.0/virtio2/net/"
			       "eth0/device");
	ln_up("devices/pci0000:00/0000:00:03.0/virtio2/net/eth0",
	      "class/net/eth0");
	return 0;
}

static void test_no_sriov(void **state)
{
	struct sriov_nic *nics = NULL;
	size_t n = 1;

	(void)state;
	assert_int_equal(sriov_nics(root, &nics, &n), 0);
	assert_int_equal(n, 0);
	free(nics);
	assert_int_equal(iommu_group_count(root), 0);
	assert_false(vfio_pci_loaded(root));
}

static void test_no_sysfs(void **state)
{
	struct sriov_nic *nics;
	size_t n;

	(void)state;
	assert_int_equal(sriov_nics("/nonexistent-sysfs", &nics, &n), -ENOENT);
	assert_non_null(strstr(last_msg, "cannot list"));
}

/* ---- driver-bind, carried out on the fake tree ---- */

static char *slurp(const char *rel)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(strbuf_read_file(&sb, at(rel), 0), 0);
	return strbuf_detach(&sb, NULL);
}

static void assert_file(const char *rel, const char *want)
{
	char *got = slurp(rel);

	assert_string_equal(got, want);
	free(got);
}

static int bind_op(const char *bdf, const char *drv)
{
	struct op_list l = {0};
	struct op_env env = {.sysfs = root};
	int ret;

	op_add(&l, 0, OP_DRIVER_BIND, bdf, drv, NULL);
	ret = op_run_local(&l.v[0], &env);
	op_list_clear(&l);
	return ret;
}

static void test_bind(void **state)
{
	(void)state;
	/*
	 * A fake tree has no kernel to act on the writes: VF 0 stays with
	 * ixgbevf, and driver-bind's check that its IOMMU group can go to
	 * a guest says so, as it would on a host where the bind failed.
	 */
	assert_int_not_equal(bind_op(VF0, "vfio-pci"), 0);
	assert_non_null(strstr(msgs, "bound to ixgbevf"));
	assert_file(PORT "/" VF0 "/driver_override", "vfio-pci");
	/* through the driver link, as the kernel wants it */
	assert_file("bus/pci/drivers/ixgbevf/unbind", VF0);
	assert_file("bus/pci/drivers_probe", VF0);
	assert_file("bus/pci/drivers/vfio-pci/unbind", "");
}

static void test_bind_unbound(void **state)
{
	(void)state;
	/* its group (a root port, VF 2 on vfio-pci, itself) can go whole */
	assert_int_equal(bind_op("0000:3b:02.3", "vfio-pci"), 0);
	assert_file(PORT "/0000:3b:02.3/driver_override", "vfio-pci");
	assert_file("bus/pci/drivers_probe", "0000:3b:02.3");
	/* no driver to unbind from */
	assert_file("bus/pci/drivers/ixgbevf/unbind", "");
	assert_file("bus/pci/drivers/vfio-pci/unbind", "");
}

static void test_bind_already(void **state)
{
	(void)state;
	assert_int_equal(bind_op(VF1, "vfio-pci"), 0);
	assert_file(PORT "/" VF1 "/driver_override", "");
	assert_file("bus/pci/drivers/vfio-pci/unbind", "");
	assert_file("bus/pci/drivers_probe", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vf_counts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_vf_pci, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vf_netdev, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_driver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iommu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_viable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_viable_no_iommu, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_sriov, setup_plain,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_sysfs, setup_plain,
						teardown),
		cmocka_unit_test_setup_teardown(test_bind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_unbound, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bind_already, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
