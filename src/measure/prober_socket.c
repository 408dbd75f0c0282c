// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The socket path: a raw ICMP or a UDP socket connected to the target,
 * one send() per probe, SO_TIMESTAMPING in both directions (transmit
 * stamps from the error queue, each with its frame, so it names its
 * probe), recvmmsg() on both queues. The kernel builds the headers; a
 * hardware-stamping NIC's stamps are taken where both ends have one.
 */
#include "measure/prober_path.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/net_tstamp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/packet.h"
#include "core/tstamp.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* Receive buffer: holds replies and error-queue frames of a burst. */
#define SOCK_BUF (32 << 20)
#define RX_BATCH 32
#define RX_BUFLEN 2048
#define CTRL_LEN 256

struct rxbatch {
	struct mmsghdr msg[RX_BATCH];
	struct iovec iov[RX_BATCH];
	uint8_t buf[RX_BATCH][RX_BUFLEN];
	uint8_t ctrl[RX_BATCH][CTRL_LEN];
};

struct sock_path {
	int fd;
	size_t len, plen; /* what send() takes; its probe payload */
	uint8_t *pkt[PROBER_BATCH_MAX];
	struct rxbatch rx;
};

/*
 * Accept only echo replies carrying our id: a raw ICMP socket otherwise
 * gets every ICMP packet of the namespace. The filter sees IPv4 first.
 */
static int attach_icmp_filter(int fd, uint16_t id)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),	      /* x = ihl*4 */
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),	      /* icmp type */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3), /* echo reply */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),	      /* icmp id */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, id, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {ARRAY_SIZE(code), code};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return error_errno("cannot attach the ICMP socket filter");
	return 0;
}

static int sock_open(struct prober *p)
{
	const struct prober_opts *o = p->o;
	struct sockaddr_in dst = o->target;
	struct sock_path *sp = xcalloc(1, sizeof(*sp));
	int buf = SOCK_BUF, fd;
	unsigned k;
	/*
	 * Software and hardware stamps, both directions: hardware ones
	 * arrive only from a NIC configured to stamp (SIOCSHWTSTAMP), and
	 * each probe records which kind it got. No OPT_TSONLY: the frame
	 * comes back with its stamp and names its probe, which stays right
	 * even if a failed send consumed an OPT_ID key.
	 */
	int ts = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
		 SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_TX_HARDWARE |
		 SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE |
		 SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TX_SWHW;

	p->path_data = sp;
	sp->fd = -1;
	sp->plen = packet_payload_len(o->size);
	sp->len = o->kind == PROBE_ICMP ? ICMP_HDR_LEN + sp->plen : sp->plen;
	for (k = 0; k < PROBER_BATCH_MAX; k++)
		sp->pkt[k] = xcalloc(1, sp->len);
	if (o->kind == PROBE_ICMP) {
		fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    IPPROTO_ICMP);
		dst.sin_port = 0;
	} else {
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    0);
	}
	if (fd < 0)
		return error_errno("cannot open a %s socket%s",
				   probe_kind_name(o->kind),
				   o->kind == PROBE_ICMP ?
					   " (raw sockets need root or "
					   "CAP_NET_RAW)" :
					   "");
	sp->fd = fd;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &ts, sizeof(ts)))
		return error_errno("cannot enable SO_TIMESTAMPING");
	/* FORCE works for root; otherwise settle for what rmem_max allows */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (o->kind == PROBE_ICMP && attach_icmp_filter(fd, p->icmp_id))
		return -1;
	/* connect: replies only from the target, and cheaper sends */
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)))
		return error_errno("cannot connect to the target");
	return 0;
}

static int sock_build(struct prober *p, unsigned k, uint32_t session,
		      uint32_t seq)
{
	struct sock_path *sp = p->path_data;
	struct probe_hdr h = {.session = session, .seq = seq};

	if (p->o->kind == PROBE_ICMP)
		packet_build_icmp_echo(sp->pkt[k], sp->plen, p->icmp_id, &h);
	else
		packet_write_payload(sp->pkt[k], sp->plen, &h);
	return 0;
}

static int sock_send(struct prober *p, unsigned n)
{
	struct sock_path *sp = p->path_data;
	unsigned k;

	for (k = 0; k < n; k++) {
		int64_t t = prober_clock(p);

		if (send(sp->fd, sp->pkt[k], sp->len, 0) >= 0) {
			prober_sent(p, k, t, false);
			continue;
		}
		prober_sent(p, k, t, true);
		if (errno != ENOBUFS && errno != EAGAIN &&
		    errno != ECONNREFUSED && errno != EINTR)
			return -1;
	}
	return 0;
}

static void rxbatch_reset(struct rxbatch *b, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		b->iov[i].iov_base = b->buf[i];
		b->iov[i].iov_len = RX_BUFLEN;
		memset(&b->msg[i], 0, sizeof(b->msg[i]));
		b->msg[i].msg_hdr.msg_iov = &b->iov[i];
		b->msg[i].msg_hdr.msg_iovlen = 1;
		b->msg[i].msg_hdr.msg_control = b->ctrl[i];
		b->msg[i].msg_hdr.msg_controllen = CTRL_LEN;
	}
}

static int sock_drain_stamps(struct prober *p, unsigned batch)
{
	struct sock_path *sp = p->path_data;
	struct rxbatch *b = &sp->rx;
	int n, i;

	if (batch > RX_BATCH)
		batch = RX_BATCH;
	rxbatch_reset(b, batch);
	n = recvmmsg(sp->fd, b->msg, batch, MSG_ERRQUEUE | MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (i = 0; i < n; i++) {
		struct tstamp ts;
		uint32_t seq;

		if (b->msg[i].msg_hdr.msg_flags & MSG_CTRUNC)
			p->ctrunc++;
		tstamp_parse(&b->msg[i].msg_hdr, &ts);
		if (!ts.has_key ||
		    packet_find_probe(b->buf[i], b->msg[i].msg_len, p->session,
				      &seq))
			continue;
		prober_tx_stamp(p, p->session, seq, ts.sw, ts.hw);
	}
	return n;
}

static int sock_drain_replies(struct prober *p, unsigned batch)
{
	struct sock_path *sp = p->path_data;
	struct rxbatch *b = &sp->rx;
	int64_t t_user;
	int n, i;

	if (batch > RX_BATCH)
		batch = RX_BATCH;
	rxbatch_reset(b, batch);
	n = recvmmsg(sp->fd, b->msg, batch, MSG_DONTWAIT, NULL);
	if (n < 0) {
		/* an ICMP port unreachable for a UDP probe lands here */
		return errno == EAGAIN || errno == EINTR ||
				       errno == ECONNREFUSED ?
			       0 :
			       -1;
	}
	t_user = prober_clock(p);
	for (i = 0; i < n; i++) {
		const uint8_t *buf = b->buf[i];
		size_t len = b->msg[i].msg_len;
		struct probe_hdr h;
		struct tstamp ts;
		int bad;

		/* the preflight's session or the run's: prober_reply sorts */
		if (p->o->kind == PROBE_ICMP) {
			bad = packet_parse_icmp_reply(buf, len, p->icmp_id,
						      p->session, &h.seq);
			h.session = p->session;
			if (bad && p->preflight_session) {
				bad = packet_parse_icmp_reply(
					buf, len, p->icmp_id,
					p->preflight_session, &h.seq);
				h.session = p->preflight_session;
			}
		} else {
			bad = packet_read_payload(buf, len, &h);
		}
		if (bad)
			continue;
		if (b->msg[i].msg_hdr.msg_flags & MSG_CTRUNC)
			p->ctrunc++;
		tstamp_parse(&b->msg[i].msg_hdr, &ts);
		prober_reply(p, h.session, h.seq, ts.sw, ts.hw, t_user);
	}
	return n;
}

static void sock_wait(struct prober *p, int ms)
{
	struct sock_path *sp = p->path_data;
	struct pollfd pfd = {.fd = sp->fd, .events = POLLIN};

	poll(&pfd, 1, ms);
}

static void sock_close(struct prober *p)
{
	struct sock_path *sp = p->path_data;
	unsigned k;

	if (!sp)
		return;
	if (sp->fd >= 0)
		close(sp->fd);
	for (k = 0; k < PROBER_BATCH_MAX; k++)
		free(sp->pkt[k]);
	free(sp);
	p->path_data = NULL;
}

const struct prober_path prober_path_socket = {
	.name = "socket",
	.doc = "a raw ICMP or UDP socket, a send() per probe; stamps by "
	       "SO_TIMESTAMPING",
	.open = sock_open,
	.build = sock_build,
	.send = sock_send,
	.drain_replies = sock_drain_replies,
	.drain_stamps = sock_drain_stamps,
	.wait = sock_wait,
	.close = sock_close,
};
