/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The link settings that host hygiene records (core/hygiene_link.h), read
 * from the current network namespace: each link's GRO, GSO, TSO, LRO
 * and checksum offload (the ethtool ioctl), its root qdisc (net/qdisc.c)
 * and its queue counts (sysfs). libc only: iovbench-guest has it.
 */
#ifndef IOV_NET_LINKSET_H
#define IOV_NET_LINKSET_H

#include "util/strbuf.h"

/*
 * Every link but lo as "/net/NS/NAME/KEY:VALUE" lines into out, NS
 * label ("-" for a server's own namespace). With another label, the
 * links' rps_cpus and xps_cpus too, as "/net/NS/NAME/queues/...": read
 * from /sys/class/net, which must be this namespace's (cmd/hygiene.c
 * mounts it). 0, or -1 if the links cannot be listed.
 */
int linkset_dump(const char *label, struct strbuf *out);

#endif
