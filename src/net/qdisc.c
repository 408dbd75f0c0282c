// SPDX-License-Identifier: GPL-2.0-or-later
#include "net/qdisc.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/netns.h"
#include "util/error.h"

/* a raw route socket in netns (the socket stays in it) */
static int route_socket(const char *netns)
{
	int saved = -1, fd, err;

	if (netns && netns_enter(netns, &saved))
		return -EINVAL;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	err = errno;
	if (saved >= 0 && netns_restore(saved)) {
		if (fd >= 0)
			close(fd);
		return -EINVAL;
	}
	if (fd < 0) {
		errno = err;
		return error_errno("cannot open a netlink socket");
	}
	return fd;
}

/* the dump's replies, one datagram at a time, into the parser */
static int read_dump(int fd, struct qdisc_root *out, size_t max, size_t *n)
{
	/* a dump datagram is at most 32 KiB (the kernel's cap) */
	static _Thread_local uint8_t buf[65536];

	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		int err;

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return error_errno("cannot read the qdiscs");
		switch (qdisc_reply_parse(buf, (size_t)len, out, max, n, &err)) {
		case QDISC_REPLY_DONE:
			return 0;
		case QDISC_REPLY_ERROR:
			errno = err ? -err : EPROTO;
			return error_errno("the qdisc dump failed");
		case QDISC_REPLY_MORE:
			if (!len)
				return error("the qdisc dump ended early");
			break;
		}
	}
}

int qdisc_roots(const char *netns, struct qdisc_root *out, size_t max,
		size_t *n)
{
	struct {
		struct nlmsghdr h;
		struct tcmsg tc;
	} req = {
		.h = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg)),
			.nlmsg_type = RTM_GETQDISC,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.tc = {.tcm_family = AF_UNSPEC},
	};
	int fd = route_socket(netns), ret;

	*n = 0;
	if (fd < 0)
		return fd;
	if (send(fd, &req, req.h.nlmsg_len, 0) < 0)
		ret = error_errno("cannot ask for the qdiscs");
	else
		ret = read_dump(fd, out, max, n);
	close(fd);
	return ret;
}

#define QDISC_MAX 256

int qdisc_set_noqueue(const char *netns, const char *name)
{
	struct {
		struct nlmsghdr h;
		struct tcmsg tc;
		struct rtattr kind;
		char name[8];
	} req;
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} ack;
	struct qdisc_root roots[QDISC_MAX];
	const char *kind;
	int saved = -1, ifindex, fd;
	size_t n;
	ssize_t len;

	if (qdisc_roots(netns, roots, QDISC_MAX, &n))
		return -1;
	if (netns && netns_enter(netns, &saved))
		return -1;
	ifindex = (int)if_nametoindex(name);
	if (saved >= 0 && netns_restore(saved))
		return -1;
	if (!ifindex)
		return error_errno("no link '%s'", name);
	kind = qdisc_root_kind(roots, n, ifindex);
	if (kind && !strcmp(kind, "noqueue"))
		return 0;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = RTM_NEWQDISC;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			    NLM_F_REPLACE;
	req.h.nlmsg_seq = 2;
	req.tc.tcm_family = AF_UNSPEC;
	req.tc.tcm_ifindex = ifindex;
	req.tc.tcm_parent = TC_H_ROOT;
	req.kind.rta_type = TCA_KIND;
	req.kind.rta_len = RTA_LENGTH(sizeof("noqueue"));
	memcpy(req.name, "noqueue", sizeof("noqueue"));
	fd = route_socket(netns);
	if (fd < 0)
		return fd;
	if (send(fd, &req, sizeof(req), 0) < 0) {
		close(fd);
		return error_errno("cannot set the qdisc of '%s'", name);
	}
	len = recv(fd, &ack, sizeof(ack), 0);
	close(fd);
	if (len < (ssize_t)sizeof(ack) || ack.h.nlmsg_type != NLMSG_ERROR)
		return error("cannot set the qdisc of '%s': no answer", name);
	if (ack.e.error) {
		errno = -ack.e.error;
		return error_errno("cannot make the qdisc of '%s' noqueue",
				   name);
	}
	return 0;
}
