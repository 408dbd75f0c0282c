// SPDX-License-Identifier: GPL-2.0-or-later
#include "measure/reflector.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/reflect_rule.h"
#include "util/alloc.h"
#include "util/error.h"

#define BATCH 64
#define BUFLEN 2048

struct batch {
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in from[BATCH];
	uint8_t buf[BATCH][BUFLEN];
	/* IP_PKTINFO: the address each came to */
	uint8_t ctl[BATCH][CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct mmsghdr out[BATCH]; /* those answered */
};

static void add_addr(uint32_t *v, unsigned *n, uint32_t x)
{
	if (x && *n < REFLECT_ADDRS_MAX)
		v[(*n)++] = x;
}

/*
 * The guest's addresses and broadcast addresses, as it starts. The
 * broadcast of a subnet is its address with the host bits set, whatever
 * the interface says (with none configured, glibc reports the address
 * itself as the broadcast one).
 */
static void own_addresses(struct reflect_addrs *a)
{
	struct ifaddrs *ifa, *i;

	memset(a, 0, sizeof(*a));
	if (getifaddrs(&ifa))
		return; /* then only the general rules apply */
	for (i = ifa; i; i = i->ifa_next) {
		const struct sockaddr_in *in =
			(const struct sockaddr_in *)i->ifa_addr;
		const struct sockaddr_in *bc =
			(const struct sockaddr_in *)i->ifa_broadaddr;
		const struct sockaddr_in *nm =
			(const struct sockaddr_in *)i->ifa_netmask;
		uint32_t addr, mask;

		if (!in || in->sin_family != AF_INET)
			continue;
		addr = ntohl(in->sin_addr.s_addr);
		add_addr(a->own, &a->nown, addr);
		mask = nm && nm->sin_family == AF_INET ?
			       ntohl(nm->sin_addr.s_addr) :
			       0xffffffffu;
		/* a /31 or /32 has no broadcast address */
		if (!(i->ifa_flags & IFF_BROADCAST) || ~mask < 3)
			continue;
		add_addr(a->bcast, &a->nbcast, addr | ~mask);
		if (bc && bc->sin_family == AF_INET &&
		    ntohl(bc->sin_addr.s_addr) != addr)
			add_addr(a->bcast, &a->nbcast,
				 ntohl(bc->sin_addr.s_addr));
	}
	freeifaddrs(ifa);
}

/* Where datagram m was sent to (0 if the kernel did not say). */
static uint32_t destination(struct msghdr *m)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			return ntohl(pi.ipi_addr.s_addr);
		}
	}
	return 0;
}

int reflector_run(const struct reflector_opts *o, struct reflector_stats *st)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons(o->port),
				   .sin_addr.s_addr = htonl(INADDR_ANY)};
	/* wake at least every 100 ms to notice *stop */
	struct timeval tv = {0, 100000};
	int buf = 8 << 20, on = 1, fd, ret = 0;
	struct reflect_addrs own;
	struct batch *b;

	memset(st, 0, sizeof(*st));
	if (o->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(o->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return error_errno("cannot pin the reflector to CPU %d",
					   o->cpu);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_errno("cannot open a UDP socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (o->busy_poll) {
		/*
		 * The non-blocking spin below is what busy-polls on every
		 * device; SO_BUSY_POLL makes each recvmmsg also poll a NAPI
		 * device's queue (virtio-net in a VM) for up to 50 us, where
		 * the driver has NAPI. Without it (veth) it changes nothing.
		 */
		int us = 50;

		setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &us, sizeof(us));
	}
	if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on))) {
		ret = error_errno("cannot ask for datagrams' destinations");
		close(fd);
		return ret;
	}
	own_addresses(&own);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		ret = error_errno("cannot bind UDP port %u", o->port);
		close(fd);
		return ret;
	}
	if (o->ready)
		o->ready(o->ready_data);
	b = xmalloc(sizeof(*b));
	while (!(o->stop && *o->stop)) {
		int n, i, sent, nout = 0;

		for (i = 0; i < BATCH; i++) {
			b->iov[i].iov_base = b->buf[i];
			b->iov[i].iov_len = BUFLEN;
			memset(&b->msg[i], 0, sizeof(b->msg[i]));
			b->msg[i].msg_hdr.msg_iov = &b->iov[i];
			b->msg[i].msg_hdr.msg_iovlen = 1;
			b->msg[i].msg_hdr.msg_name = &b->from[i];
			b->msg[i].msg_hdr.msg_namelen = sizeof(b->from[i]);
			b->msg[i].msg_hdr.msg_control = b->ctl[i];
			b->msg[i].msg_hdr.msg_controllen = sizeof(b->ctl[i]);
		}
		/* MSG_WAITFORONE: return what is there once one arrived */
		n = recvmmsg(fd, b->msg, BATCH,
			     o->busy_poll ? MSG_DONTWAIT : MSG_WAITFORONE,
			     NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			ret = error_errno("reflector: cannot receive");
			break;
		}
		st->received += (uint64_t)n;
		/* send back exactly what came, to where it came from, if it
		 * is a probe (core/reflect_rule.h) */
		for (i = 0; i < n; i++) {
			struct msghdr *m = &b->msg[i].msg_hdr;
			enum reflect_verdict v = reflect_judge(
				&own, o->port, ntohl(b->from[i].sin_addr.s_addr),
				ntohs(b->from[i].sin_port), destination(m),
				b->buf[i], b->msg[i].msg_len);

			if (v != REFLECT_ANSWER) {
				st->dropped[v]++;
				continue;
			}
			b->iov[i].iov_len = b->msg[i].msg_len;
			m->msg_control = NULL;
			m->msg_controllen = 0;
			b->out[nout++] = b->msg[i];
		}
		for (i = 0; i < nout; i += sent) {
			sent = sendmmsg(fd, b->out + i, (unsigned)(nout - i), 0);
			if (sent <= 0) {
				st->send_errors += (uint64_t)(nout - i);
				break;
			}
			st->sent += (uint64_t)sent;
		}
	}
	free(b);
	close(fd);
	return ret;
}
