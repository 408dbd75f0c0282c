// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One thread does everything: it spins until a probe's departure, sends
 * it, and between departures drains replies and transmit stamps with
 * non-blocking calls. A second thread sleeping on the socket would be
 * woken by the very packets being timed: on paths that process the echo
 * inside send() (veth), that wake-up lands between the transmit and the
 * receive stamp and inflated the kernel RTT 1.4-1.8x in our measurements
 * (bench/RESULTS.md). A drain starts only if the recent longest drain
 * fits before the next departure, so draining does not delay sends;
 * but after BACKLOG_MAX sends without seeing the queues empty it drains
 * regardless (at rates this host can barely or not sustain), so queued
 * replies and stamps cannot fill the socket's buffer and become fake
 * loss. Late departures then show as pacing error, never as lost probes.
 */
#include "measure/prober.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/net_tstamp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/packet.h"
#include "core/schedule.h"
#include "core/tstamp.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* Receive buffer: holds replies and error-queue frames of a burst. */
#define PROBER_BUF (32 << 20)
#define RX_BATCH 32
#define RX_BUFLEN 2048
#define CTRL_LEN 256
/* Margin added to the recent longest drain when deciding if one fits. */
#define DRAIN_MARGIN_NS (5 * NSEC_PER_USEC)
/* The longest drain is forgotten by half every this long. */
#define DRAIN_COST_HALFLIFE_NS (50 * NSEC_PER_MSEC)
/* Until a drain has been timed, assume this. */
#define DRAIN_COST_INITIAL_NS (20 * NSEC_PER_USEC)
/* Messages read per queue by a drain between departures. */
#define DRAIN_BATCH 8
/*
 * Before the schedule starts, probes of a separate session go out one at
 * a time until a reply comes back with a receive stamp: the kernel turns
 * receive timestamping on lazily (a static key flipped from a work queue
 * when the first timestamping socket opens), and without this the first
 * probes of a run, each run being a new process, lacked receive stamps.
 * It also resolves ARP: a request lost on a path not yet up is repeated
 * only a second later (retrans_time), so the budget spans several.
 */
#define PREFLIGHT_BUDGET_NS (5 * NSEC_PER_SEC)
#define PREFLIGHT_WAIT_NS (1 * NSEC_PER_MSEC)

/*
 * Sends since the queues were last seen empty after which a drain runs
 * whatever the schedule: replies and stamps (~1 KB of buffer each) can
 * then never fill the socket's buffer and show up as fake loss.
 */
#define BACKLOG_MAX 64

/*
 * The slots are a ring: probe seq's record leaves (opts->emit) when
 * probe seq + ring is about to be sent, or at the end, so a run of any
 * length holds only a ring of slots. The ring spans the reply timeout at
 * the probe rate, so every probe gets at least the timeout to be
 * answered (a reply later than that counts as lost, as after the last
 * probe), between these bounds (64 B a slot: 256 KB to 64 MB).
 */
#define RING_MIN 4096
#define RING_MAX (1u << 20)

struct rxbatch {
	struct mmsghdr msg[RX_BATCH];
	struct iovec iov[RX_BATCH];
	uint8_t buf[RX_BATCH][RX_BUFLEN];
	uint8_t ctrl[RX_BATCH][CTRL_LEN];
};

struct slot {
	int64_t t_sched;
	int64_t t_tx_user;
	int64_t tx_sw, tx_hw;
	int64_t rx_sw, rx_hw;
	int64_t t_rx_user;
	uint32_t replies;
	bool send_error;
	bool reordered;
};

struct prober {
	const struct prober_opts *o;
	int fd;
	uint16_t icmp_id;
	uint32_t session;
	uint64_t total; /* warmup + count */
	struct slot *slots; /* a ring of ring slots: slot_of() */
	uint64_t ring;
	uint64_t retired; /* probes below this one have left as records */
	uint64_t late;	  /* replies after their probe had left */
	struct prober_result *res;
	struct rxbatch *rx;
	uint64_t sent, answered, tx_stamped;
	int64_t max_seq;
	/* recent longest drain (ns, a decaying maximum): no drain starts so
	 * close to a departure that it would delay it */
	int64_t drain_cost;
	int64_t drain_cost_at; /* when drain_cost was last decayed */
	/* sends since a drain found both queues empty */
	unsigned backlog;
	uint64_t ctrunc; /* messages whose control data was cut */
	uint32_t preflight_session; /* 0 once the preflight is over */
	bool preflight_ok; /* a preflight reply had a receive stamp */
};

static struct slot *slot_of(struct prober *p, uint64_t seq)
{
	return &p->slots[seq % p->ring];
}

static int retire_below(struct prober *p, uint64_t end);

static int stopped(const struct prober *p)
{
	return p->o->stop && *p->o->stop;
}

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

static int open_socket(struct prober *p)
{
	const struct prober_opts *o = p->o;
	struct sockaddr_in dst = o->target;
	int buf = PROBER_BUF, fd;
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
	p->fd = fd;
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

/* Transmit stamps; returns messages read, or -1 on a socket error. */
static int drain_errqueue(struct prober *p, unsigned batch)
{
	struct rxbatch *b = p->rx;
	int n, i;

	rxbatch_reset(b, batch);
	n = recvmmsg(p->fd, b->msg, batch, MSG_ERRQUEUE | MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (i = 0; i < n; i++) {
		struct tstamp ts;
		uint32_t seq;
		struct slot *s;

		if (b->msg[i].msg_hdr.msg_flags & MSG_CTRUNC)
			p->ctrunc++;
		tstamp_parse(&b->msg[i].msg_hdr, &ts);
		if (!ts.has_key ||
		    packet_find_probe(b->buf[i], b->msg[i].msg_len, p->session,
				      &seq) ||
		    seq >= p->total || seq < p->retired)
			continue;
		s = slot_of(p, seq);
		if (!s->tx_sw && !s->tx_hw)
			p->tx_stamped++;
		/*
		 * The first stamp is the guest's NIC's. A veth forwards the
		 * skb still owned by its socket, so each later device on
		 * the path that stamps (the host's veths behind a bridge
		 * without netfilter) sends another, later one: keeping the
		 * last made the RTT shorter than the NIC's (by 3-4 us on
		 * veth-bridge).
		 */
		if (ts.sw && (!s->tx_sw || ts.sw < s->tx_sw))
			s->tx_sw = ts.sw;
		if (ts.hw && (!s->tx_hw || ts.hw < s->tx_hw))
			s->tx_hw = ts.hw;
	}
	return n;
}

/* Replies; returns messages read, or -1 on a socket error. */
/* A reply to a preflight probe: only its receive stamp matters. */
static void preflight_reply(struct prober *p, const uint8_t *buf, size_t len,
			    const struct msghdr *msg)
{
	struct tstamp ts;
	uint32_t seq;
	int bad;

	if (!p->preflight_session)
		return;
	if (p->o->kind == PROBE_ICMP)
		bad = packet_parse_icmp_reply(buf, len, p->icmp_id,
					      p->preflight_session, &seq);
	else
		bad = packet_parse_udp_reply(buf, len, p->preflight_session,
					     &seq);
	if (bad)
		return;
	tstamp_parse(msg, &ts);
	if (ts.sw || ts.hw)
		p->preflight_ok = true;
}

static int drain_replies(struct prober *p, unsigned batch)
{
	struct rxbatch *b = p->rx;
	int64_t t_user;
	int n, i;

	rxbatch_reset(b, batch);
	n = recvmmsg(p->fd, b->msg, batch, MSG_DONTWAIT, NULL);
	if (n < 0) {
		/* an ICMP port unreachable for a UDP probe lands here */
		return errno == EAGAIN || errno == EINTR ||
				       errno == ECONNREFUSED ?
			       0 :
			       -1;
	}
	t_user = now_real();
	for (i = 0; i < n; i++) {
		struct tstamp ts;
		uint32_t seq;
		struct slot *s;
		int bad;

		if (p->o->kind == PROBE_ICMP)
			bad = packet_parse_icmp_reply(b->buf[i],
						      b->msg[i].msg_len,
						      p->icmp_id, p->session,
						      &seq);
		else
			bad = packet_parse_udp_reply(b->buf[i],
						     b->msg[i].msg_len,
						     p->session, &seq);
		if (bad) {
			preflight_reply(p, b->buf[i], b->msg[i].msg_len,
					&b->msg[i].msg_hdr);
			continue;
		}
		if (seq >= p->total)
			continue;
		if (seq < p->retired) {
			p->late++;
			continue;
		}
		s = slot_of(p, seq);
		if (s->replies++)
			continue; /* a duplicate: counted, first times kept */
		if (b->msg[i].msg_hdr.msg_flags & MSG_CTRUNC)
			p->ctrunc++;
		tstamp_parse(&b->msg[i].msg_hdr, &ts);
		s->rx_sw = ts.sw;
		s->rx_hw = ts.hw;
		s->t_rx_user = t_user;
		p->answered++;
		if ((int64_t)seq < p->max_seq)
			s->reordered = true;
		else
			p->max_seq = seq;
	}
	return n;
}

/*
 * One pass over both queues; 1 if anything was read, -1 on error. Replies
 * first: their user-space receive time should not include reading
 * transmit stamps.
 */
static int drain(struct prober *p, unsigned batch)
{
	int r = drain_replies(p, batch), a;

	if (r < 0)
		return -1;
	a = drain_errqueue(p, batch);
	if (a < 0)
		return -1;
	if (!a && !r)
		p->backlog = 0;
	return a > 0 || r > 0;
}

/* Drain if it fits before deadline (monotonic ns); learns its cost. */
static int drain_before(struct prober *p, int64_t now, int64_t deadline)
{
	int64_t took;
	int ret;

	/*
	 * A maximum, because drains that find data (right after a send) cost
	 * several times the empty ones an average would be made of; decaying
	 * by half every DRAIN_COST_HALFLIFE_NS, so that one preempted drain
	 * does not stop draining for the rest of the run.
	 */
	while (now - p->drain_cost_at > DRAIN_COST_HALFLIFE_NS) {
		p->drain_cost /= 2;
		p->drain_cost_at += DRAIN_COST_HALFLIFE_NS;
	}
	if (deadline - now < p->drain_cost + DRAIN_MARGIN_NS)
		return 0;
	ret = drain(p, DRAIN_BATCH);
	took = now_mono() - now;
	if (took > p->drain_cost)
		p->drain_cost = took;
	return ret;
}

/* Build probe seq of session into pkt (len bytes: header + payload). */
static void build_probe(const struct prober *p, uint8_t *pkt, size_t plen,
			uint32_t session, uint32_t seq)
{
	struct probe_hdr h = {.session = session, .seq = seq};

	if (p->o->kind == PROBE_ICMP)
		packet_build_icmp_echo(pkt, plen, p->icmp_id, &h);
	else
		packet_write_payload(pkt, plen, &h);
}

static int preflight(struct prober *p)
{
	size_t plen = packet_payload_len(p->o->size);
	size_t len = p->o->kind == PROBE_ICMP ? ICMP_HDR_LEN + plen : plen;
	uint8_t *pkt = xcalloc(1, len);
	int64_t end = now_mono() + PREFLIGHT_BUDGET_NS;
	uint32_t i;
	int ret = 0;

	for (i = 0; now_mono() < end && !p->preflight_ok; i++) {
		int64_t until = now_mono() + PREFLIGHT_WAIT_NS;

		build_probe(p, pkt, plen, p->preflight_session, i);
		send(p->fd, pkt, len, 0);
		while (!p->preflight_ok && now_mono() < until) {
			if (drain(p, RX_BATCH) < 0) {
				ret = error_errno("cannot receive replies");
				goto out;
			}
			if (stopped(p)) {
				ret = -EINTR;
				goto out;
			}
		}
	}
	if (!p->preflight_ok)
		warning("no stamped reply to %u preflight probes in %.0f s: "
			"the target does not answer, or receive timestamps "
			"are off",
			i, (double)PREFLIGHT_BUDGET_NS / NSEC_PER_SEC);
out:
	/* late preflight replies and stamps are ignored from now on */
	p->preflight_session = 0;
	free(pkt);
	return ret;
}

static int send_all(struct prober *p)
{
	const struct prober_opts *o = p->o;
	size_t plen = packet_payload_len(o->size);
	size_t len = o->kind == PROBE_ICMP ? ICMP_HDR_LEN + plen : plen;
	uint8_t *pkt = xcalloc(1, len);
	struct probe_hdr h = {.session = p->session};
	struct schedule sch;
	int64_t t0, sched, now;
	uint64_t i;
	unsigned spins = 0;
	int ret = 0;

	if (o->kind == PROBE_ICMP)
		packet_build_icmp_echo(pkt, plen, p->icmp_id, &h);
	schedule_init(&sch, o->schedule, o->rate, o->seed);
	t0 = now_mono() + 100 * NSEC_PER_USEC;
	for (i = 0; i < p->total; i++) {
		struct slot *s;
		int64_t real;

		/* the probe that had this slot leaves before the wait */
		if (i >= p->ring && retire_below(p, i - p->ring + 1)) {
			ret = -1;
			goto out;
		}
		s = slot_of(p, i);

		/* build before waiting: after the wait comes only the send */
		if (o->kind == PROBE_ICMP) {
			packet_icmp_set_seq(pkt, plen, (uint32_t)i);
		} else {
			h.seq = (uint32_t)i;
			packet_write_payload(pkt, plen, &h);
		}
		sched = t0 + schedule_next(&sch);
		while ((now = now_mono()) < sched) {
			if (drain_before(p, now, sched) < 0)
				goto sock_error;
			if (!(++spins & 0x3ff) && stopped(p)) {
				ret = -EINTR;
				goto out;
			}
		}
		real = now_real();
		/* the schedule on the records' clock; the error from CLOCK_MONOTONIC */
		s->t_sched = real - (now - sched);
		s->t_tx_user = real;
		if (send(p->fd, pkt, len, 0) < 0) {
			s->send_error = true;
			if (errno == ENOBUFS || errno == EAGAIN ||
			    errno == ECONNREFUSED || errno == EINTR)
				continue;
			ret = error_errno("cannot send probe %llu",
					  (unsigned long long)i);
			goto out;
		}
		p->sent++;
		if (++p->backlog > BACKLOG_MAX && drain(p, RX_BATCH) < 0)
			goto sock_error;
	}
	goto out;
sock_error:
	ret = error_errno("cannot receive replies");
out:
	free(pkt);
	return ret;
}

/* After the last probe: drain until all is back or the timeout passes. */
static int wait_replies(struct prober *p)
{
	struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
	int64_t deadline = now_mono() + p->o->timeout_ns;

	for (;;) {
		int r = drain(p, RX_BATCH);

		if (r < 0)
			return error_errno("cannot receive replies");
		if (p->answered >= p->sent && p->tx_stamped >= p->sent)
			return 0;
		if (stopped(p))
			return -EINTR;
		if (now_mono() >= deadline)
			return 0;
		if (!r && !p->o->busy_poll)
			poll(&pfd, 1, 1);
	}
}

/* Keep hardware stamps only where both ends have one: never mix clocks. */
static void slot_to_rec(const struct slot *s, uint32_t seq,
			struct probe_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	r->t_sched = s->t_sched;
	r->t_tx_user = s->t_tx_user;
	r->replies = s->replies;
	r->t_rx_user = s->t_rx_user;
	if (s->send_error)
		r->flags |= PROBE_SEND_ERROR;
	if (s->reordered)
		r->flags |= PROBE_REORDERED;
	if (s->tx_hw && (s->rx_hw || !s->replies)) {
		r->t_tx = s->tx_hw;
		r->t_rx = s->rx_hw;
		r->flags |= PROBE_TX_HW | (s->rx_hw ? PROBE_RX_HW : 0);
	} else {
		r->t_tx = s->tx_sw;
		r->t_rx = s->rx_sw;
		r->flags |= (s->tx_sw ? PROBE_TX_SW : 0) |
			    (s->rx_sw ? PROBE_RX_SW : 0);
	}
}

/* Probes below end leave as records, in order, and free their slots. */
static int retire_below(struct prober *p, uint64_t end)
{
	const struct prober_opts *o = p->o;

	for (; p->retired < end; p->retired++) {
		struct slot *s = slot_of(p, p->retired);
		struct probe_rec r;

		if (p->retired >= o->warmup) {
			slot_to_rec(s, (uint32_t)(p->retired - o->warmup), &r);
			probe_summary_add(&p->res->sum, &r);
			if (o->emit && o->emit(&p->res->meta, &r, o->emit_data))
				return -1;
		}
		memset(s, 0, sizeof(*s));
	}
	return 0;
}

/* Slots for the reply timeout at the rate, within the ring's bounds. */
static uint64_t ring_size(const struct prober_opts *o, uint64_t total)
{
	double want = (double)o->rate * (double)o->timeout_ns / 1e9;
	uint64_t ring = want > RING_MAX ? RING_MAX : (uint64_t)want + 1;

	if (ring < RING_MIN)
		ring = RING_MIN;
	return ring < total ? ring : total;
}

int prober_run(const struct prober_opts *o, struct prober_result *res)
{
	struct prober p;
	int ret;

	memset(res, 0, sizeof(*res));
	memset(&p, 0, sizeof(p));
	p.o = o;
	p.fd = -1;
	p.max_seq = -1;
	if (!o->rate || !o->count || packet_payload_len(o->size) == 0)
		return error("prober: rate, count and a frame size of at "
			     "least %d bytes are needed",
			     PROBE_MIN_FRAME);
	if (getrandom(&p.session, sizeof(p.session), 0) != sizeof(p.session) ||
	    getrandom(&p.icmp_id, sizeof(p.icmp_id), 0) != sizeof(p.icmp_id))
		return error_errno("cannot get random bytes");
	p.total = o->warmup + o->count;
	p.ring = ring_size(o, p.total);
	p.slots = xcalloc(p.ring, sizeof(*p.slots));
	p.res = res;
	p.rx = xmalloc(sizeof(*p.rx));
	ret = open_socket(&p);
	if (ret)
		goto out;
	/* never equal to the run's session, never 0 (0: preflight over) */
	p.preflight_session = ~p.session ? ~p.session : 1;
	p.drain_cost = DRAIN_COST_INITIAL_NS;
	p.drain_cost_at = now_mono();
	ret = preflight(&p);
	if (ret)
		goto out;

	res->meta.kind = o->kind;
	inet_ntop(AF_INET, &o->target.sin_addr, res->meta.target,
		  sizeof(res->meta.target));
	res->meta.port = o->kind == PROBE_UDP ? ntohs(o->target.sin_port) : 0;
	res->meta.rate = o->rate;
	res->meta.count = o->count;
	res->meta.size = o->size;
	res->meta.session = p.session;
	res->meta.started = now_real();
	res->meta.preflight = p.preflight_ok ? PREFLIGHT_ANSWERED :
					       PREFLIGHT_SILENT;

	ret = send_all(&p);
	if (!ret)
		ret = wait_replies(&p);
	if (ret)
		goto out;
	ret = retire_below(&p, p.total);
	if (ret)
		goto out;
	res->late = p.late;
	if (p.late)
		warning("%llu replies came after their probe's wait (the "
			"timeout) and count as lost",
			(unsigned long long)p.late);
	if (p.ctrunc)
		warning("%llu timestamps lost to truncated control data",
			(unsigned long long)p.ctrunc);
out:
	if (p.fd >= 0)
		close(p.fd);
	free(p.slots);
	free(p.rx);
	return ret;
}

void prober_result_release(struct prober_result *res)
{
	memset(res, 0, sizeof(*res));
}
