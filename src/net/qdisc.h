/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Root qdiscs over rtnetlink, on a raw NETLINK_ROUTE socket (tc(8)'s
 * messages; libnl-route's qdisc cache would hide the reply that
 * core/qdisc_reply.c parses, and the fuzzer with it).
 */
#ifndef IOV_NET_QDISC_H
#define IOV_NET_QDISC_H

#include <stddef.h>

#include "core/qdisc_reply.h"

/*
 * The root qdisc of every link of network namespace netns (NULL: the
 * current one) into out (at most max; *n used). 0 or -errno, said.
 */
int qdisc_roots(const char *netns, struct qdisc_root *out, size_t max,
		size_t *n);

/*
 * Make link name's root qdisc noqueue (`tc qdisc replace dev NAME root
 * noqueue`) unless it is already; in netns (NULL: here). 0 or -errno.
 */
int qdisc_set_noqueue(const char *netns, const char *name);

#endif
