// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ring path: the prober writes whole Ethernet frames (core/frame.h)
 * into a linear TPACKET_V2 TX ring on the interface towards the target
 * and kicks it once per send -- once per probe on schedule, once for all
 * the due probes when behind -- bypassing the qdisc, as the load
 * generator does (measure/pktring.h). Replies come from an RX ring that
 * a BPF filter limits to our replies from the target
 * (PACKET_IGNORE_OUTGOING: our own frames do not come back): reading
 * them is reading memory, no system call, and each slot holds the
 * kernel's receive stamp of the frame (skb->tstamp, the stamp
 * SO_TIMESTAMPING's RX_SOFTWARE reports on the socket path).
 *
 * Transmit stamps: SO_TIMESTAMPING TX_SOFTWARE on the TX socket; the
 * driver's skb_tx_timestamp() queues one on the socket's error queue
 * with a copy of the frame (so it names its probe), read in batches.
 * The first is the guest NIC's, as on the socket path (a veth hands the
 * skb on still owned by our socket: each later stamping device adds a
 * later one, prober_tx_stamp() keeps the first). What PACKET_TIMESTAMP
 * would write into a TX slot is taken when the skb is freed, after the
 * whole path on veth: not a transmit stamp, so it is not used.
 *
 * UDP: a socket bound to the frames' source port, with a filter that
 * drops everything, so that the kernel, which also sees the replies,
 * does not answer them with port unreachables.
 */
#include "measure/prober_path.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/frame.h"
#include "core/packet.h"
#include "core/ringstamp.h"
#include "core/tstamp.h"
#include "measure/l2path.h"
#include "measure/pktring.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

#define TX_FRAMES 1024
/* replies of a burst, and of a reader held up for ~40 ms at 100 kpps */
#define RX_FRAMES 4096
/* error queue: the stamps of a burst (several per probe on veth paths) */
#define STAMP_BUF (32 << 20)
#define STAMP_BATCH 32
#define STAMP_BUFLEN 256 /* the frame's headers and probe header suffice */
#define CTRL_LEN 256
/* a TX slot not released for this long: the path is stuck */
#define TX_SLOT_WAIT_NS (1 * NSEC_PER_SEC)

struct ring_path {
	struct pktring tx, rx;
	int udp_fd;
	struct l2path l2;
	size_t len; /* frame bytes, FCS excluded */
	uint64_t rx_losing; /* the RX ring said it dropped frames */
	struct mmsghdr msg[STAMP_BATCH];
	struct iovec iov[STAMP_BATCH];
	uint8_t buf[STAMP_BATCH][STAMP_BUFLEN];
	uint8_t ctrl[STAMP_BATCH][CTRL_LEN];
};

static inline unsigned status_of(struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

static inline void status_set(struct tpacket2_hdr *h, unsigned v)
{
	__atomic_store_n(&h->tp_status, v, __ATOMIC_RELEASE);
}

/*
 * Replies to us from the target only, on the Ethernet frame (offset 0):
 * IPv4, the probe's protocol, source address the target, then ICMP echo
 * reply with our id, or UDP from the reflector's port to ours.
 */
static int attach_reply_filter(int fd, const struct prober *p,
			       const struct ring_path *rp)
{
	uint32_t target = ntohl(rp->l2.dst.s_addr);
	bool icmp = p->o->kind == PROBE_ICMP;
	uint16_t a = icmp ? 0 : ntohs(p->o->target.sin_port);
	uint16_t b = p->icmp_id; /* UDP: our port (open_udp_sink) */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 12),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, icmp ? 1 : 17, 0, 10),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, target, 0, 8),
		/* not a later fragment: it would have no ICMP/UDP header */
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 6, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14), /* x = ihl*4 */
		/* ICMP: type and code (0 0); UDP: source port */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 14),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, a, 0, 3),
		/* ICMP: id; UDP: destination port */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, icmp ? 18 : 16),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, b, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {ARRAY_SIZE(code), code};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return error_errno("cannot attach the reply filter");
	return 0;
}

/*
 * A UDP socket on the frames' source address and a free port, which it
 * holds (and the frames use: p->icmp_id doubles as the port), dropping
 * all it gets so that the kernel sends no port unreachable.
 */
static int open_udp_sink(struct prober *p, struct ring_path *rp)
{
	struct sock_filter drop[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
	struct sock_fprog prog = {ARRAY_SIZE(drop), drop};
	struct sockaddr_in me = {.sin_family = AF_INET, .sin_addr = rp->l2.src};
	socklen_t len = sizeof(me);

	rp->udp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (rp->udp_fd < 0)
		return error_errno("cannot open a UDP socket");
	if (setsockopt(rp->udp_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) ||
	    bind(rp->udp_fd, (struct sockaddr *)&me, sizeof(me)) ||
	    getsockname(rp->udp_fd, (struct sockaddr *)&me, &len))
		return error_errno("cannot hold a UDP port for the replies");
	p->icmp_id = ntohs(me.sin_port);
	return 0;
}

static int ring_open(struct prober *p)
{
	const struct prober_opts *o = p->o;
	struct ring_path *rp = xcalloc(1, sizeof(*rp));
	int one = 1, buf = STAMP_BUF;
	int tx_ts = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
	int rx_ts = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
	struct frame_addrs a = {0};
	struct probe_hdr h = {0};
	unsigned i;

	p->path_data = rp;
	rp->udp_fd = -1;
	rp->tx.fd = rp->rx.fd = -1;
	if (l2path_find(o->target.sin_addr, &rp->l2))
		return -1;
	if (o->kind == PROBE_UDP && open_udp_sink(p, rp))
		return -1;
	memcpy(a.dst_mac, rp->l2.dst_mac, 6);
	memcpy(a.src_mac, rp->l2.src_mac, 6);
	memcpy(a.src_ip, &rp->l2.src, 4);
	memcpy(a.dst_ip, &rp->l2.dst, 4);
	a.src_port = p->icmp_id;
	a.dst_port = ntohs(o->target.sin_port);
	a.icmp_id = p->icmp_id;
	if (pktring_open_tx_linear(&rp->tx, rp->l2.ifname, TX_FRAMES))
		return -1;
	if (FRAME_LEN(o->size) > pktring_tx_max(&rp->tx))
		return error("a %u-byte frame does not fit a ring slot",
			     o->size);
	/* every slot holds the frame; a probe rewrites what differs */
	for (i = 0; i < rp->tx.nframes; i++) {
		rp->len = frame_build_probe(pktring_tx_data(&rp->tx, i),
					    o->kind, o->size, &a, &h);
		pktring_tx_set_len(&rp->tx, i, (unsigned)rp->len);
	}
	if (!rp->len)
		return error("cannot build a %u-byte frame", o->size);
	if (setsockopt(rp->tx.fd, SOL_SOCKET, SO_TIMESTAMPING, &tx_ts,
		       sizeof(tx_ts)))
		return error_errno("cannot enable transmit stamps");
	if (setsockopt(rp->tx.fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf,
		       sizeof(buf)))
		setsockopt(rp->tx.fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (pktring_open(&rp->rx, rp->l2.ifname, false, ETH_P_IP, RX_FRAMES,
			 false))
		return -1;
	/* frames that came before the filter are parsed and dropped */
	if (attach_reply_filter(rp->rx.fd, p, rp))
		return -1;
	if (setsockopt(rp->rx.fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		       sizeof(one)))
		return error_errno("cannot set PACKET_IGNORE_OUTGOING");
	/* turns the kernel's receive stamps on (net_enable_timestamp) */
	if (setsockopt(rp->rx.fd, SOL_SOCKET, SO_TIMESTAMPING, &rx_ts,
		       sizeof(rx_ts)))
		return error_errno("cannot enable receive stamps");
	return 0;
}

static int ring_build(struct prober *p, unsigned k, uint32_t session,
		      uint32_t seq)
{
	struct ring_path *rp = p->path_data;
	unsigned i = (rp->tx.head + k) % rp->tx.nframes;
	struct tpacket2_hdr *h = pktring_slot(&rp->tx, i);
	struct probe_hdr ph = {.session = session, .seq = seq};
	int64_t until = 0;

	/* the kernel releases a slot once the frame's skb is freed */
	while (status_of(h) & (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING)) {
		int64_t now = now_mono();

		if (!until)
			until = now + TX_SLOT_WAIT_NS;
		else if (now > until)
			return error("the TX ring on '%s' is not released",
				     rp->l2.ifname);
	}
	frame_set_probe(pktring_tx_data(&rp->tx, i), rp->len, &ph);
	return 0;
}

static int ring_send(struct prober *p, unsigned n)
{
	struct ring_path *rp = p->path_data;
	unsigned k, head = rp->tx.head;
	int64_t t;
	int err;

	for (k = 0; k < n; k++)
		status_set(pktring_slot(&rp->tx, (head + k) % rp->tx.nframes),
			   TP_STATUS_SEND_REQUEST);
	rp->tx.head = (head + n) % rp->tx.nframes;
	t = now_real();
	err = pktring_tx_kick(&rp->tx);
	for (k = 0; k < n; k++) {
		struct tpacket2_hdr *h =
			pktring_slot(&rp->tx, (head + k) % rp->tx.nframes);

		prober_sent(p, k, t,
			    (status_of(h) & TP_STATUS_WRONG_FORMAT) != 0);
	}
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

static int64_t slot_ns(const struct tpacket2_hdr *h)
{
	return (int64_t)h->tp_sec * NSEC_PER_SEC + h->tp_nsec;
}

static int ring_drain_replies(struct prober *p, unsigned batch)
{
	struct ring_path *rp = p->path_data;
	struct pktring *r = &rp->rx;
	uint16_t port = p->o->kind == PROBE_UDP ? ntohs(p->o->target.sin_port) :
						  0;
	int64_t t_user = 0;
	unsigned n;

	for (n = 0; n < batch; n++) {
		struct tpacket2_hdr *h = pktring_slot(r, r->head);
		unsigned status = status_of(h);
		struct probe_frame f;

		if (!(status & TP_STATUS_USER))
			break;
		if (!t_user)
			t_user = now_real();
		if (status & TP_STATUS_LOSING)
			rp->rx_losing++;
		if (!frame_parse((uint8_t *)h + h->tp_mac, h->tp_snaplen, port,
				 &f) &&
		    !f.request && f.kind == p->o->kind)
			prober_reply(p, f.session, f.seq,
				     ringstamp_slot(status) ==
						     RINGSTAMP_SOFTWARE ?
					     slot_ns(h) :
					     0,
				     0, t_user);
		status_set(h, TP_STATUS_KERNEL);
		r->head = (r->head + 1) % r->nframes;
	}
	return (int)n;
}

static int ring_drain_stamps(struct prober *p, unsigned batch)
{
	struct ring_path *rp = p->path_data;
	int n, i;

	if (batch > STAMP_BATCH)
		batch = STAMP_BATCH;
	for (i = 0; i < (int)batch; i++) {
		rp->iov[i].iov_base = rp->buf[i];
		rp->iov[i].iov_len = STAMP_BUFLEN;
		memset(&rp->msg[i], 0, sizeof(rp->msg[i]));
		rp->msg[i].msg_hdr.msg_iov = &rp->iov[i];
		rp->msg[i].msg_hdr.msg_iovlen = 1;
		rp->msg[i].msg_hdr.msg_control = rp->ctrl[i];
		rp->msg[i].msg_hdr.msg_controllen = CTRL_LEN;
	}
	n = recvmmsg(rp->tx.fd, rp->msg, batch, MSG_ERRQUEUE | MSG_DONTWAIT,
		     NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (i = 0; i < n; i++) {
		struct msghdr *m = &rp->msg[i].msg_hdr;
		struct tstamp ts;
		uint32_t seq;

		if (m->msg_flags & MSG_CTRUNC)
			p->ctrunc++;
		tstamp_parse(m, &ts);
		/* the copy is cut to STAMP_BUFLEN: the headers are in it */
		if (!ts.has_key ||
		    packet_find_probe(rp->buf[i],
				      rp->msg[i].msg_len < STAMP_BUFLEN ?
					      rp->msg[i].msg_len :
					      STAMP_BUFLEN,
				      p->session, &seq))
			continue;
		prober_tx_stamp(p, p->session, seq, ts.sw, ts.hw);
	}
	return n;
}

static void ring_wait(struct prober *p, int ms)
{
	struct ring_path *rp = p->path_data;
	struct pollfd pfd[2] = {
		{.fd = rp->rx.fd, .events = POLLIN},
		{.fd = rp->tx.fd, .events = POLLERR},
	};

	poll(pfd, 2, ms);
}

static void ring_close(struct prober *p)
{
	struct ring_path *rp = p->path_data;

	if (!rp)
		return;
	if (rp->rx_losing)
		warning("the RX ring on '%s' dropped replies (%llu times "
			"flagged): they count as lost",
			rp->l2.ifname, (unsigned long long)rp->rx_losing);
	if (rp->tx.fd >= 0)
		pktring_close(&rp->tx);
	if (rp->rx.fd >= 0)
		pktring_close(&rp->rx);
	if (rp->udp_fd >= 0)
		close(rp->udp_fd);
	free(rp);
	p->path_data = NULL;
}

const struct prober_path prober_path_ring = {
	.name = "ring",
	.doc = "Ethernet frames through AF_PACKET TX and RX rings; stamps "
	       "by the error queue and the RX ring's slots",
	.replies_free = true,
	.open = ring_open,
	.build = ring_build,
	.send = ring_send,
	.drain_replies = ring_drain_replies,
	.drain_stamps = ring_drain_stamps,
	.wait = ring_wait,
	.close = ring_close,
};
