/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host hygiene of the links (core/hygiene.h): the settings of the
 * interfaces the probes cross that move latency or might (offloads, the
 * root qdisc, XPS, queue counts; RPS is core/hygiene.c's), folded over
 * every link of a server's namespace and of its container guests' into
 * one word per setting, with the links that differ named.
 *
 * The lines come from `iovbench hygiene` (cmd/hygiene.c, net/linkset.c)
 * in the dump's "PATH:VALUE" form:
 *   /net/NS/NAME/KEY:VALUE   NS "-" (the server's own namespace) or a
 *                           label ("guest"); KEY driver, gro, gso, tso,
 *                           lro, rx-csum, tx-csum (on, off), qdisc (the
 *                           root qdisc's kind), rx_queues, tx_queues
 *   /net/NS/NAME/queues/rx-N/rps_cpus:MASK   (and tx-N/xps_cpus) the
 *                           sysfs files of a labelled namespace
 *   /sys/class/net/NAME/queues/tx-N/xps_cpus:MASK   the server's own
 * Pure; what a dump lacks is "absent" with the reason.
 */
#ifndef IOV_CORE_HYGIENE_LINK_H
#define IOV_CORE_HYGIENE_LINK_H

#include <stdbool.h>

struct hygiene_value;

#define LINK_FOLD_MAX 64

enum link_feature {
	LF_GRO,
	LF_GSO,
	LF_TSO,
	LF_LRO,
	LF_RX_CSUM,
	LF_TX_CSUM,
	LF_COUNT
};

/* the names of the features in the dump and in the values */
extern const char *const link_feature_names[LF_COUNT];

struct link_fold {
	struct {
		char name[40];	/* "iovbh-main", "guest/eth0" */
		char qdisc[16]; /* "" not said */
		signed char feat[LF_COUNT]; /* 1 on, 0 off, -1 not said */
		int rxq, txq;	/* -1 not said */
	} link[LINK_FOLD_MAX];
	unsigned n;
	bool full;	/* a link beyond LINK_FOLD_MAX was left out */
	unsigned xps_queues, xps_on;
	char xps_first[48];
};

void link_fold_init(struct link_fold *f);
/* One line of the dump (path without its root); false: not a link's. */
bool link_fold_line(struct link_fold *f, const char *path, const char *v);

void link_finish_offloads(const struct link_fold *f, struct hygiene_value *v);
void link_finish_qdisc(const struct link_fold *f, struct hygiene_value *v);
void link_finish_queues(const struct link_fold *f, struct hygiene_value *v);
void link_finish_xps(const struct link_fold *f, struct hygiene_value *v);

#endif
