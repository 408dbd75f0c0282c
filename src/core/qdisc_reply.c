// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The root qdiscs of an RTM_GETQDISC dump (core/qdisc_reply.h). The
 * buffer is read with memcpy into aligned headers: a datagram's bytes
 * carry no alignment promise once they are in an arbitrary buffer.
 */
#include "core/qdisc_reply.h"

#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <string.h>

/* TCA_KIND of the attributes at a (alen bytes) into kind; false: none */
static bool find_kind(const uint8_t *a, size_t alen, char *kind, size_t klen)
{
	while (alen >= sizeof(struct rtattr)) {
		struct rtattr ra;
		size_t step;

		memcpy(&ra, a, sizeof(ra));
		if (ra.rta_len < sizeof(ra) || ra.rta_len > alen)
			return false;
		if ((ra.rta_type & NLA_TYPE_MASK) == TCA_KIND) {
			size_t vlen = ra.rta_len - sizeof(ra);
			const uint8_t *v = a + RTA_LENGTH(0);
			const uint8_t *nul = memchr(v, '\0', vlen);

			/* a name, NUL-terminated, that fits */
			if (!nul || nul == v || (size_t)(nul - v) >= klen)
				return false;
			memcpy(kind, v, (size_t)(nul - v) + 1);
			return true;
		}
		step = RTA_ALIGN(ra.rta_len);
		if (step >= alen)
			break;
		a += step;
		alen -= step;
	}
	return false;
}

static void add_root(struct qdisc_root *out, size_t max, size_t *n,
		     int ifindex, const char *kind)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (out[i].ifindex == ifindex)
			break;
	}
	if (i == *n) {
		if (*n == max)
			return;
		(*n)++;
	}
	out[i].ifindex = ifindex;
	memcpy(out[i].kind, kind, sizeof(out[i].kind));
}

enum qdisc_reply_end qdisc_reply_parse(const void *buf, size_t len,
				       struct qdisc_root *out, size_t max,
				       size_t *n, int *err)
{
	const uint8_t *p = buf;

	*err = 0;
	while (len >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		size_t step;

		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
			return QDISC_REPLY_ERROR;
		if (h.nlmsg_type == NLMSG_DONE)
			return QDISC_REPLY_DONE;
		if (h.nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr e;

			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(e)))
				return QDISC_REPLY_ERROR;
			memcpy(&e, p + NLMSG_HDRLEN, sizeof(e));
			if (e.error) {
				*err = e.error < 0 ? e.error : -e.error;
				return QDISC_REPLY_ERROR;
			}
		} else if (h.nlmsg_type == RTM_NEWQDISC &&
			   h.nlmsg_len >= NLMSG_LENGTH(sizeof(struct tcmsg))) {
			struct tcmsg tc;
			size_t off = NLMSG_LENGTH(NLMSG_ALIGN(sizeof(tc)));
			char kind[sizeof(out->kind)];

			memcpy(&tc, p + NLMSG_HDRLEN, sizeof(tc));
			if (tc.tcm_parent == TC_H_ROOT && off <= h.nlmsg_len &&
			    find_kind(p + off, h.nlmsg_len - off, kind,
				      sizeof(kind)))
				add_root(out, max, n, tc.tcm_ifindex, kind);
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return QDISC_REPLY_MORE;
}

const char *qdisc_root_kind(const struct qdisc_root *roots, size_t n,
			    int ifindex)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (roots[i].ifindex == ifindex)
			return roots[i].kind;
	}
	return NULL;
}
