/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The root qdisc of each link, from the kernel's answer to an
 * RTM_GETQDISC dump (rtnetlink(7), tc(8)): a buffer of netlink messages,
 * each an RTM_NEWQDISC with a struct tcmsg (ifindex, handle, parent)
 * and attributes, of which TCA_KIND is the qdisc's name ("noqueue",
 * "pfifo_fast", "mq", "fq_codel", ...).
 *
 * Pure: the bytes come from a socket (net/qdisc.c) and are untrusted;
 * a fuzz target (tests/fuzz/fuzz_qdisc_reply.c) feeds it anything.
 */
#ifndef IOV_CORE_QDISC_REPLY_H
#define IOV_CORE_QDISC_REPLY_H

#include <stdbool.h>
#include <stddef.h>

struct qdisc_root {
	int ifindex;
	char kind[16];
};

enum qdisc_reply_end {
	QDISC_REPLY_MORE,  /* the dump goes on in the next buffer */
	QDISC_REPLY_DONE,  /* NLMSG_DONE seen */
	QDISC_REPLY_ERROR, /* NLMSG_ERROR with a non-zero error, or garbage */
};

/*
 * Add the root qdiscs of buf (len bytes) to out (n of max used; one per
 * ifindex, a later message replacing an earlier one's kind). Messages
 * of other types, child qdiscs (parent not TC_H_ROOT) and qdiscs
 * without a TCA_KIND are skipped; a message that does not fit its
 * buffer ends the parse as QDISC_REPLY_ERROR. *err gets the kernel's
 * error (negative errno) of an NLMSG_ERROR, else 0.
 */
enum qdisc_reply_end qdisc_reply_parse(const void *buf, size_t len,
				       struct qdisc_root *out, size_t max,
				       size_t *n, int *err);

/* The kind of ifindex's root qdisc in roots, or NULL. */
const char *qdisc_root_kind(const struct qdisc_root *roots, size_t n,
			    int ifindex);

#endif
