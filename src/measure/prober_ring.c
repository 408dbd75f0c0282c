// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ring path: the prober writes whole Ethernet frames (core/frame.h)
 * into a linear TPACKET_V2 TX ring on the interface towards the target
 * and kicks it once per send -- once per probe on schedule, once for all
 * the due probes when behind. The frames take the qdisc path (as the
 * socket's do; the testbed's links have noqueue), so that the
 * interface's taps see each as its driver is handed it.
 *
 * One RX ring of ETH_P_ALL on that interface, a tap, limited by a BPF
 * filter to our probes to the target and the target's replies to us,
 * gives both stamps: an outgoing probe's copy (PACKET_OUTGOING) is
 * stamped in dev_queue_xmit_nit() as the frame goes to the driver --
 * the transmit stamp; a reply's slot holds its receive stamp
 * (skb->tstamp, the stamp SO_TIMESTAMPING's RX_SOFTWARE reports on the
 * socket path). Reading them is reading memory, no system call. The
 * error queue (SO_TIMESTAMPING TX_SOFTWARE) was the transmit stamps'
 * way before: its skb per stamp, several per probe on veth paths, and
 * their recvmmsg() held the prober to 0.68x the rate it now sends
 * (bench/RESULTS.md). What PACKET_TIMESTAMP would write into a TX slot
 * is taken when the skb is freed, after the whole path on veth: not a
 * transmit stamp, so it is not used.
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
#include "core/ringstamp.h"
#include "measure/l2path.h"
#include "measure/pktring.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

#define TX_FRAMES 1024
/* a probe and its reply each, of a burst, and of a reader held up for
 * ~40 ms at 100 kpps */
#define RX_FRAMES 8192
/* a TX slot not released for this long: the path is stuck */
#define TX_SLOT_WAIT_NS (1 * NSEC_PER_SEC)

struct ring_path {
	struct pktring tx, rx;
	int udp_fd;
	struct l2path l2;
	size_t len; /* frame bytes, FCS excluded */
	uint64_t rx_losing; /* the RX ring said it dropped frames */
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
 * On the Ethernet frame (offset 0): IPv4, the probe's protocol, not a
 * later fragment, then either a reply to us from the target (ICMP echo
 * reply with our id, or UDP from the reflector's port to ours) or our
 * own probe to the target as the interface sends it
 * (ICMP echo request with our id, or UDP from our port to the
 * reflector's). Everything else on the interface is left out.
 */
static int attach_frame_filter(int fd, const struct prober *p,
			       const struct ring_path *rp)
{
	uint32_t target = ntohl(rp->l2.dst.s_addr);
	uint32_t self = ntohl(rp->l2.src.s_addr);
	bool icmp = p->o->kind == PROBE_ICMP;
	uint16_t reflector = icmp ? 0 : ntohs(p->o->target.sin_port);
	uint16_t ours = p->icmp_id; /* UDP: our port (open_udp_sink) */
	/* the two 16-bit fields after the IP header: ICMP type+code, id;
	 * UDP source, destination port */
	uint16_t rep0 = icmp ? 0x0000 : reflector, rep1 = ours;
	uint16_t req0 = icmp ? 0x0800 : ours, req1 = icmp ? ours : reflector;
	uint32_t field1 = icmp ? 18 : 16;
	/* jumps count from the next instruction: to ACCEPT (20), DROP (21) */
	struct sock_filter code[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 19),
		/* 2 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, icmp ? 1 : 17, 0, 17),
		/* not a later fragment: it would have no ICMP/UDP header */
		/* 4 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 15, 0),
		/* 6 */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14), /* ihl*4 */
		/* 7 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 26), /* source */
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, target, 7, 0),
		/* ours to the target */
		/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, self, 0, 11),
		/* 10 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 30),
		/* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, target, 0, 9),
		/* 12 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 14),
		/* 13 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, req0, 0, 7),
		/* 14 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, field1),
		/* 15 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, req1, 4, 5),
		/* the target's to us */
		/* 16 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 14),
		/* 17 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, rep0, 0, 3),
		/* 18 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, field1),
		/* 19 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, rep1, 0, 1),
		/* 20 ACCEPT */ BPF_STMT(BPF_RET | BPF_K, 0xffff),
		/* 21 DROP */ BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {ARRAY_SIZE(code), code};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return error_errno("cannot attach the probe filter");
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
	if (pktring_open_tx_tapped(&rp->tx, rp->l2.ifname, TX_FRAMES))
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
	/* ETH_P_ALL: only such sockets are the interface's taps, which
	 * see what it sends */
	if (pktring_open_rx_sized(&rp->rx, rp->l2.ifname, ETH_P_ALL,
				  RX_FRAMES, (unsigned)rp->len))
		return -1;
	/* frames that came before the filter are parsed and dropped */
	if (attach_frame_filter(rp->rx.fd, p, rp))
		return -1;
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
	t = prober_clock(p);
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

static bool is_outgoing(const struct tpacket2_hdr *h)
{
	const struct sockaddr_ll *sll =
		(const void *)((const uint8_t *)h +
			       TPACKET_ALIGN(sizeof(struct tpacket2_hdr)));

	return sll->sll_pkttype == PACKET_OUTGOING;
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
			t_user = prober_clock(p);
		if (status & TP_STATUS_LOSING)
			rp->rx_losing++;
		if (!frame_parse((uint8_t *)h + h->tp_mac, h->tp_snaplen, port,
				 &f) &&
		    f.kind == p->o->kind) {
			int64_t t = ringstamp_slot(status) == RINGSTAMP_SOFTWARE ?
					    slot_ns(h) :
					    0;

			if (!f.request)
				prober_reply(p, f.session, f.seq, t, 0, t_user);
			else if (is_outgoing(h))
				prober_tx_stamp(p, f.session, f.seq, t, 0);
		}
		status_set(h, TP_STATUS_KERNEL);
		r->head = (r->head + 1) % r->nframes;
	}
	return (int)n;
}

static void ring_wait(struct prober *p, int ms)
{
	struct ring_path *rp = p->path_data;
	struct pollfd pfd = {.fd = rp->rx.fd, .events = POLLIN};

	poll(&pfd, 1, ms);
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
	.doc = "Ethernet frames through AF_PACKET TX and RX rings; both "
	       "stamps from the RX ring's slots (the interface's tap)",
	.replies_free = true,
	.open = ring_open,
	.build = ring_build,
	.send = ring_send,
	.drain_replies = ring_drain_replies,
	.wait = ring_wait,
	.close = ring_close,
};
