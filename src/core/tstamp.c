// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/tstamp.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <string.h>
#include <time.h>

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

void tstamp_parse(const struct msghdr *msg, struct tstamp *ts)
{
	struct cmsghdr *c;

	memset(ts, 0, sizeof(*ts));
	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR((struct msghdr *)msg,
							 c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPING &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct scm_timestamping))) {
			struct scm_timestamping st;

			memcpy(&st, CMSG_DATA(c), sizeof(st));
			ts->sw = ts_ns(&st.ts[0]);
			ts->hw = ts_ns(&st.ts[2]);
		} else if (((c->cmsg_level == SOL_IP &&
			     c->cmsg_type == IP_RECVERR) ||
			    (c->cmsg_level == SOL_PACKET &&
			     c->cmsg_type == PACKET_TX_TIMESTAMP) ||
			    (c->cmsg_level == SOL_IPV6 &&
			     c->cmsg_type == IPV6_RECVERR)) &&
			   c->cmsg_len >=
				   CMSG_LEN(sizeof(struct sock_extended_err))) {
			struct sock_extended_err ee;

			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			if (ee.ee_errno == ENOMSG &&
			    ee.ee_origin == SO_EE_ORIGIN_TIMESTAMPING) {
				ts->has_key = true;
				ts->key = ee.ee_data;
			}
		}
	}
}
