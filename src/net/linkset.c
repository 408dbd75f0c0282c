// SPDX-License-Identifier: GPL-2.0-or-later
#include "net/linkset.h"

#include <glob.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/hygiene_link.h"
#include "net/qdisc.h"

/* the legacy ethtool commands, one per feature: every kernel has them */
static const struct {
	enum link_feature f;
	__u32 cmd;
	__u32 flag; /* ETHTOOL_GFLAGS: the bit; else 0 */
} feature_cmds[] = {
	{LF_GRO, ETHTOOL_GGRO, 0},	   {LF_GSO, ETHTOOL_GGSO, 0},
	{LF_TSO, ETHTOOL_GTSO, 0},	   {LF_LRO, ETHTOOL_GFLAGS, ETH_FLAG_LRO},
	{LF_RX_CSUM, ETHTOOL_GRXCSUM, 0}, {LF_TX_CSUM, ETHTOOL_GTXCSUM, 0},
};

static void features(int fd, const char *ns, const char *name,
		     struct strbuf *out)
{
	size_t i;

	for (i = 0; i < sizeof(feature_cmds) / sizeof(feature_cmds[0]); i++) {
		struct ethtool_value ev = {.cmd = feature_cmds[i].cmd};
		struct ifreq ifr;
		bool on;

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
		ifr.ifr_data = (void *)&ev;
		/* EOPNOTSUPP: the driver does not say; so neither do we */
		if (ioctl(fd, SIOCETHTOOL, &ifr))
			continue;
		on = feature_cmds[i].flag ? (ev.data & feature_cmds[i].flag) != 0 :
					    ev.data != 0;
		strbuf_addf(out, "/net/%s/%s/%s:%s\n", ns, name,
			    link_feature_names[feature_cmds[i].f],
			    on ? "on" : "off");
	}
}

/* a labelled namespace's queue masks, renamed into its /net/ paths */
static void queue_masks(const char *ns, const char *name, struct strbuf *out)
{
	static const char *const pats[] = {"rx-[0-9]*/rps_cpus",
					   "tx-[0-9]*/xps_cpus"};
	size_t k, i;

	for (k = 0; k < 2; k++) {
		char pat[128];
		glob_t gl;

		snprintf(pat, sizeof(pat), "/sys/class/net/%s/queues/%s", name,
			 pats[k]);
		if (glob(pat, 0, NULL, &gl))
			continue;
		for (i = 0; i < gl.gl_pathc; i++) {
			struct strbuf sb = STRBUF_INIT;
			const char *q = strstr(gl.gl_pathv[i], "/queues/");

			if (!strbuf_read_file(&sb, gl.gl_pathv[i], 4096) && q)
				strbuf_addf(out, "/net/%s/%s%s:%.*s\n", ns, name,
					    q, (int)strcspn(sb.buf, "\n"),
					    sb.buf);
			strbuf_release(&sb);
		}
		globfree(&gl);
	}
}

/*
 * The queues in use: sysfs lists those (ethtool -l's current count);
 * rtnetlink's IFLA_NUM_*_QUEUES would be the allocated ones (a veth has
 * one per CPU). -1: sysfs does not show the link.
 */
static int queues(const char *name, const char *dir)
{
	char pat[96];
	glob_t gl;
	int n;

	snprintf(pat, sizeof(pat), "/sys/class/net/%s/queues/%s-[0-9]*", name,
		 dir);
	if (glob(pat, GLOB_ONLYDIR, NULL, &gl))
		return -1;
	n = (int)gl.gl_pathc;
	globfree(&gl);
	return n;
}

/* the driver (veth, bridge, tun, virtio_net, mlx5_core): the link's kind */
static void driver(int fd, const char *ns, const char *name,
		   struct strbuf *out)
{
	struct ethtool_drvinfo di = {.cmd = ETHTOOL_GDRVINFO};
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&di;
	strbuf_addf(out, "/net/%s/%s/driver:%.*s\n", ns, name,
		    (int)sizeof(di.driver),
		    ioctl(fd, SIOCETHTOOL, &ifr) || !di.driver[0] ? "?" :
								     di.driver);
}

static bool loopback(int fd, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	return !ioctl(fd, SIOCGIFFLAGS, &ifr) && (ifr.ifr_flags & IFF_LOOPBACK);
}

#define ROOTS_MAX 256

/* libc only (if_nameindex, ioctl, a raw netlink socket, sysfs): it runs
 * in iovbench-guest too, for a VM's own NIC */
int linkset_dump(const char *label, struct strbuf *out)
{
	struct qdisc_root roots[ROOTS_MAX];
	struct if_nameindex *links = if_nameindex(), *l;
	size_t nroots = 0;
	int fd;

	if (!links)
		return -1;
	/* no qdiscs said is "absent" in the fold, not a failure here */
	if (qdisc_roots(NULL, roots, ROOTS_MAX, &nroots))
		nroots = 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (l = links; l->if_index; l++) {
		const char *name = l->if_name, *qd;
		int rxq = queues(name, "rx"), txq = queues(name, "tx");

		if (fd >= 0 && loopback(fd, name))
			continue;
		if (fd >= 0)
			driver(fd, label, name, out);
		qd = qdisc_root_kind(roots, nroots, (int)l->if_index);
		if (qd)
			strbuf_addf(out, "/net/%s/%s/qdisc:%s\n", label, name,
				    qd);
		if (rxq >= 0)
			strbuf_addf(out, "/net/%s/%s/rx_queues:%d\n", label,
				    name, rxq);
		if (txq >= 0)
			strbuf_addf(out, "/net/%s/%s/tx_queues:%d\n", label,
				    name, txq);
		if (fd >= 0)
			features(fd, label, name, out);
		if (strcmp(label, "-"))
			queue_masks(label, name, out);
	}
	if (fd >= 0)
		close(fd);
	if_freenameindex(links);
	return 0;
}
