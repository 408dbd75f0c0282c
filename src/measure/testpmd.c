// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The testpmd reflector (`iovbench macswap testpmd`): Debian's
 * dpdk-testpmd in macswap forwarding on the guest's NIC, until stopped;
 * its counters become the macswap line (measure/macswap.h). Where the
 * NIC is a kernel interface (a container's veth or macvlan) testpmd
 * reads it through DPDK's af_packet driver; with --native (a VM's
 * passed-through VF) it drives the PCI device itself, bound to vfio-pci
 * in no-IOMMU mode (a guest has no vIOMMU) and given back afterwards.
 *
 * testpmd runs under stdbuf -oL (coreutils: its output, a pipe, would
 * stay in its buffer until it exits) without hugepages (--no-huge, 64 MiB) on two lcores
 * mapped to the first CPU we may use: the main one only waits for its
 * stdin, whose end (our proc_stop) is what stops it and makes it print
 * its forward statistics. Unlike the other reflectors it swaps every
 * frame, not only load-latency ones: the generator counts only its own.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/testpmd_report.h"
#include "host/proc.h"
#include "measure/macswap.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/time.h"

#define TESTPMD "dpdk-testpmd"
/* EAL init, the af_packet port's setup; a real NIC's link takes longer */
#define START_NS (30 * NSEC_PER_SEC)
#define STOP_NS (5 * NSEC_PER_SEC)

static int first_cpu(void)
{
	cpu_set_t set;
	int i;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (i = 0; i < CPU_SETSIZE; i++) {
		if (CPU_ISSET(i, &set))
			return i;
	}
	return 0;
}

static int sysfs_write(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return error_errno("cannot open '%s'", path);
	ret = fputs(val, f) < 0 ? -1 : 0;
	if (fclose(f) || ret)
		return error_errno("cannot write '%s' to '%s'", val, path);
	return 0;
}

/* The PCI address of ifname's device ("0000:00:04.0"): 0, or -1. */
static int pci_of(const char *ifname, char *addr, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device", ifname);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return error("'%s' has no device: not a PCI NIC", ifname);
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	if (strlen(base) != 12 || base[4] != ':' || base[7] != ':')
		return error("'%s' is not on a PCI bus (%s)", ifname, base);
	snprintf(addr, len, "%s", base);
	return 0;
}

/* Hand the device at addr to vfio-pci (bind) or back to its driver. */
static int vfio_bind(const char *addr, bool bind)
{
	char path[PATH_MAX];

	if (bind) {
		/* no vIOMMU in a guest: VFIO's no-IOMMU mode */
		sysfs_write("/sys/module/vfio/parameters/"
			    "enable_unsafe_noiommu_mode", "Y");
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override",
		 addr);
	if (sysfs_write(path, bind ? "vfio-pci" : "\n"))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 addr);
	if (access(path, W_OK) == 0 && sysfs_write(path, addr))
		return -1;
	return sysfs_write("/sys/bus/pci/drivers_probe", addr);
}

/* EAL's runtime directory of our file prefix, which it leaves behind */
static void remove_runtime_dir(const char *prefix)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "/var/run/dpdk/%s", prefix);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

int macswap_testpmd_run(const struct macswap_opts *o, struct macswap_stats *st)
{
	char lcores[64], dev[PATH_MAX], prefix[64], pci[32], line[256];
	struct spawn_opts so = {.capture = true, .stop_by_eof = true};
	struct testpmd_counts c;
	struct proc p;
	int64_t end;
	int cpu = first_cpu(), ret = -1, r, n = 0;
	char *argv[20];

	memset(st, 0, sizeof(*st));
	snprintf(lcores, sizeof(lcores), "--lcores=0@%d,1@%d", cpu, cpu);
	snprintf(prefix, sizeof(prefix), "--file-prefix=iovbench-testpmd-%d",
		 (int)getpid());
	/* its stdout is a pipe: line-buffered, or "ready" waits for exit */
	argv[n++] = "stdbuf";
	argv[n++] = "-oL";
	argv[n++] = TESTPMD;
	argv[n++] = lcores;
	argv[n++] = "--no-huge";
	argv[n++] = "-m";
	argv[n++] = "64";
	argv[n++] = prefix;
	argv[n++] = "--log-level=lib.eal:warning";
	if (o->native) {
		if (pci_of(o->ifname, pci, sizeof(pci)) || vfio_bind(pci, true))
			return -1;
		snprintf(dev, sizeof(dev), "--allow=%s", pci);
		snprintf(st->mode, sizeof(st->mode), "vfio");
	} else {
		snprintf(dev, sizeof(dev), "--vdev=net_af_packet0,iface=%s",
			 o->ifname);
		argv[n++] = "--no-pci";
		snprintf(st->mode, sizeof(st->mode), "af_packet");
	}
	argv[n++] = dev;
	argv[n++] = "--";
	argv[n++] = "--forward-mode=macswap";
	argv[n++] = "--auto-start";
	argv[n++] = "--total-num-mbufs=4096";
	argv[n] = NULL;
	if (proc_spawn(argv, &so, &p)) {
		error("cannot start %s", TESTPMD);
		goto unbind;
	}
	end = now_mono() + START_NS;
	for (;;) {
		int64_t left = end - now_mono();

		r = left > 0 ? proc_read_line(&p, line, sizeof(line), left,
					      o->stop) :
			       -ETIMEDOUT;
		if (r == -EINTR) {
			proc_stop(&p, STOP_NS);
			goto release;
		}
		if (r) {
			error("%s did not start forwarding on '%s' (%s)",
			      TESTPMD, o->ifname,
			      r == -ETIMEDOUT ? "timed out" : "it exited");
			proc_stop(&p, STOP_NS);
			goto release;
		}
		if (testpmd_report_ready(line, strlen(line)))
			break;
	}
	if (o->ready)
		o->ready(o->ready_data);
	while (!*o->stop && proc_running(&p))
		usleep(20000);
	proc_stop(&p, STOP_NS);
	if (testpmd_report_parse(p.out.buf ? p.out.buf : "", p.out.len, &c)) {
		error("%s printed no forward statistics", TESTPMD);
		goto release;
	}
	st->received = c.rx;
	st->reflected = c.tx;
	st->dropped = c.rx_dropped + c.tx_dropped;
	ret = 0;
release:
	proc_release(&p);
	remove_runtime_dir(prefix + strlen("--file-prefix="));
unbind:
	if (o->native && vfio_bind(pci, false))
		ret = -1;
	return ret;
}
