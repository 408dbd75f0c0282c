// SPDX-License-Identifier: GPL-2.0-or-later
#include "measure/loadgen.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/llframe.h"
#include "core/ringstamp.h"
#include "measure/l2path.h"
#include "measure/pktring.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

#define TX_FRAMES 2048
#define RX_FRAMES 4096
/* frames per kick of the TX ring: a kick is a system call, so few of them
 * (trafgen kicks only when its ring is full); a latency frame cuts a
 * batch short */
#define BATCH 256
/* the send rate is sampled over intervals of this many ns */
#define RATE_INTERVAL_NS (10 * 1000 * 1000)
/* frames still in flight when the load stops get this long to return */
#define DRAIN_NS (200 * 1000 * 1000)

struct gen {
	const struct loadgen_opts *o;
	unsigned ndst;
	/* per destination: what was sent and what came back */
	uint64_t sent_load_g[LOADGEN_GUESTS_MAX], sent_lat_g[LOADGEN_GUESTS_MAX];
	uint64_t recv_load_g[LOADGEN_GUESTS_MAX], recv_lat_g[LOADGEN_GUESTS_MAX];
	struct pktring rx;
	uint32_t session;
	struct ringstamp_lat *lat;
	uint64_t nlat_max;
	volatile int rx_stop;
	uint64_t recv_load, recv_lat;
	/* the NIC stamps in hardware and the TX slots hold its stamps */
	bool hw_tx;
	/* what every sender shares, set before they start */
	uint8_t dst[LOADGEN_GUESTS_MAX][6];
	uint16_t cycle[SIZEMIX_CYCLE_MAX];
	unsigned ncycle, lat_len;
	int64_t t0, end, off;
	double lat_iv;
	uint64_t niv;
};

/*
 * One sending thread (--threads): its own TX ring (on a multi-queue NIC,
 * XPS maps the CPU it runs on to a queue), its share of the load rate;
 * sender 0 also sends the latency frames (autotest's one timer).
 */
struct sender {
	struct gen *g;
	struct pktring tx;
	int64_t *slot_lat; /* the latency frame a TX slot holds, or -1 */
	double load_iv;
	bool timer;
	int cpu; /* -1: anywhere */
	pthread_t thread;
	uint64_t nload, nlat, sent_bytes, errors, *iv;
	uint64_t sent_load_g[LOADGEN_GUESTS_MAX], sent_lat_g[LOADGEN_GUESTS_MAX];
};

static int64_t slot_ns(const struct tpacket2_hdr *h)
{
	return (int64_t)h->tp_sec * NSEC_PER_SEC + h->tp_nsec;
}

static inline unsigned status_of(struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

static inline void status_set(struct tpacket2_hdr *h, unsigned v)
{
	__atomic_store_n(&h->tp_status, v, __ATOMIC_RELEASE);
}

static bool tx_free(struct tpacket2_hdr *h)
{
	return !(status_of(h) & (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING));
}

static void *rx_thread(void *arg)
{
	struct gen *g = arg;
	struct pktring *r = &g->rx;

	while (!g->rx_stop) {
		struct tpacket2_hdr *h = pktring_slot(r, r->head);
		const struct sockaddr_ll *sll;
		struct llframe_hdr f;

		if (!(status_of(h) & TP_STATUS_USER)) {
			struct pollfd p = {.fd = r->fd, .events = POLLIN};

			poll(&p, 1, 10);
			continue;
		}
		sll = (const struct sockaddr_ll *)((uint8_t *)h +
						   TPACKET_ALIGN(sizeof(*h)));
		if (sll->sll_pkttype != PACKET_OUTGOING &&
		    !llframe_parse((uint8_t *)h + h->tp_mac, h->tp_snaplen,
				   g->session, &f)) {
			/* a frame of a guest we did not send to is not ours */
			if (f.kind == LLFRAME_LOAD && f.guest < g->ndst) {
				g->recv_load++;
				g->recv_load_g[f.guest]++;
			} else if (f.seq < g->nlat_max && !g->lat[f.seq].rx &&
				   f.seq % g->ndst == f.guest) {
				struct ringstamp_lat *l = &g->lat[f.seq];
				int64_t ts = slot_ns(h);

				/*
				 * A hardware stamp is the NIC's clock: kept for
				 * a hardware pair, and the clock now in case
				 * the send had none (core/ringstamp.h).
				 */
				if (ringstamp_slot(status_of(h)) ==
				    RINGSTAMP_HARDWARE) {
					l->rx_hw = ts;
					ts = 0;
				}
				/*
				 * A stamp before the frame left is an old one
				 * the skb kept, not a receive stamp: then the
				 * clock now, and the report says so.
				 */
				if (ts <= f.sent_ns) {
					ts = now_real();
					l->rx_user = true;
				}
				l->rx = ts;
				g->recv_lat++;
				g->recv_lat_g[f.guest]++;
			}
		}
		status_set(h, TP_STATUS_KERNEL);
		r->head = (r->head + 1) % r->nframes;
	}
	return NULL;
}

/*
 * A free slot's latency frame has gone: with hardware stamps on, the
 * slot holds the NIC's transmit stamp if its status says so (a test of a
 * constant per frame on the software path; the slot's status is read
 * only for a latency frame's slot).
 */
static void reclaim(struct gen *g, struct sender *s, unsigned i)
{
	if (g->hw_tx && s->slot_lat[i] >= 0) {
		struct tpacket2_hdr *h = pktring_slot(&s->tx, i);

		if (ringstamp_slot(status_of(h)) == RINGSTAMP_HARDWARE)
			g->lat[s->slot_lat[i]].sent_hw = slot_ns(h);
	}
	s->slot_lat[i] = -1;
}

static void rate_stats(const uint64_t *iv, size_t n, double *mean, double *sd)
{
	double s = 0, sq = 0;
	size_t i;

	*mean = *sd = 0;
	if (!n)
		return;
	for (i = 0; i < n; i++)
		s += (double)iv[i];
	s /= (double)n;
	for (i = 0; i < n; i++)
		sq += ((double)iv[i] - s) * ((double)iv[i] - s);
	*mean = s * (NSEC_PER_SEC / RATE_INTERVAL_NS);
	*sd = (n > 1 ? sqrt(sq / (double)(n - 1)) : 0) *
	      (NSEC_PER_SEC / RATE_INTERVAL_NS);
}

static void histograms(struct gen *g, uint64_t nlat, struct loadgen_report *out)
{
	struct ringstamp_tally tx = {0}, rx = {0};
	uint64_t i;

	for (i = 0; i < nlat; i++) {
		struct ringstamp_used used;
		int64_t actual, intended;

		if (!ringstamp_latency(&g->lat[i], &actual, &intended, &used))
			continue;
		ringstamp_count(&tx, &rx, &used);
		hist_record(&out->actual, (uint64_t)actual, 1);
		/* latency frame i went to guest i % ndst */
		if (out->nguests)
			hist_record(&out->guests[i % g->ndst].actual,
				    (uint64_t)actual, 1);
		hist_record(&out->intended, (uint64_t)intended, 1);
	}
	snprintf(out->tx_stamp, sizeof(out->tx_stamp), "%s",
		 ringstamp_word(&tx, "user"));
	snprintf(out->rx_stamp, sizeof(out->rx_stamp), "%s",
		 ringstamp_word(&rx, "kernel"));
}

/* The send loop of one sender (its counters in locals: the frame
 * writes may alias anything a pointer reaches). */
static void *send_loop(void *arg)
{
	struct sender *s = arg;
	struct gen *g = s->g;
	const struct loadgen_opts *o = g->o;
	struct pktring *tx = &s->tx;
	int64_t t0 = g->t0, end = g->end, off = g->off, now;
	double load_iv = s->load_iv, lat_iv = g->lat_iv;
	uint64_t nload = 0, nlat = 0, sent_bytes = 0, errors = 0;
	/* only the timer's sender sends latency frames */
	uint64_t nlat_max = s->timer ? g->nlat_max : 0;
	unsigned ncycle = g->ncycle, lat_len = g->lat_len, ndst = g->ndst;
	/* where the next load frame is in the mix's cycle, and the next
	 * load and latency frames' guests: counters, not a division per
	 * frame in the send loop */
	unsigned at_cycle = 0, load_guest = 0, lat_guest = 0;

	if (s->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(s->cpu, &set);
		if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
			warning("cannot run a sender on CPU %d", s->cpu);
	}
	/*
	 * Until the end, and past it for latency frames that were due
	 * before it: a stall near the end (a preempted sender) must not
	 * drop the last ones from the stream, which would read as loss.
	 */
	while (!*o->stop &&
	       ((now = now_mono()) < end ||
		(nlat < nlat_max &&
		 t0 + (int64_t)(((double)nlat + 0.5) * lat_iv) < end))) {
		unsigned filled = 0;

		while (filled < BATCH) {
			int64_t due_load = t0 + (int64_t)((double)nload * load_iv);
			int64_t due_lat = t0 + (int64_t)(((double)nlat + 0.5) *
							 lat_iv);
			/*
			 * The latency frames keep their own timer (MoonGen's):
			 * one is sent as soon as it is due, even when the load
			 * has fallen behind its schedule (at a rate above what
			 * the path takes, it always has), so their stream
			 * stays at its rate and their intended times on it.
			 */
			bool lat = nlat < nlat_max && due_lat <= now &&
				   due_lat < end;
			int64_t due = lat ? due_lat : due_load;
			struct tpacket2_hdr *h = pktring_slot(tx, tx->head);
			struct llframe_hdr f = {.session = g->session};
			uint8_t *frame = pktring_tx_data(tx, tx->head);

			if (due > now || due >= end || !tx_free(h))
				break;
			/*
			 * A latency frame leads a kick of its own: the load
			 * frames filled before it go first, so that it does
			 * not wait behind up to a batch of them between its
			 * send time and its departure.
			 */
			if (lat && filled)
				break;
			reclaim(g, s, tx->head);
			f.kind = lat ? LLFRAME_LATENCY : LLFRAME_LOAD;
			f.seq = lat ? nlat : nload;
			/* round robin, frame by frame, each kind on its own:
			 * every guest gets its share of both streams (frame
			 * seq goes to guest seq % ndst) */
			f.guest = (uint8_t)(lat ? lat_guest : load_guest);
			if (ndst > 1)
				memcpy(frame, g->dst[f.guest], 6);
			f.intended_ns = due + off;
			/* one clock read per batch for the load frames: only
			 * the latency frames' send times are measurements */
			f.sent_ns = lat ? now_real() : now + off;
			/* every slot holds the template (built once, below):
			 * only what differs between frames is written */
			llframe_restamp(frame, &f);
			if (lat) {
				pktring_tx_set_len(tx, tx->head, lat_len);
				g->lat[nlat].intended = f.intended_ns;
				g->lat[nlat].sent_user = f.sent_ns;
				s->slot_lat[tx->head] = (int64_t)nlat++;
				s->sent_lat_g[f.guest]++;
				lat_guest = lat_guest + 1 == ndst ? 0 :
								    lat_guest + 1;
			} else {
				/* the mix's next size (and, on the linear
				 * ring, its virtio_net_hdr's hdr_len) */
				pktring_tx_set_len(tx, tx->head,
						   g->cycle[at_cycle] -
							   LLFRAME_FCS);
				sent_bytes += g->cycle[at_cycle];
				at_cycle = at_cycle + 1 == ncycle ? 0 :
								    at_cycle + 1;
				nload++;
				s->sent_load_g[f.guest]++;
				load_guest = load_guest + 1 == ndst ?
						     0 :
						     load_guest + 1;
			}
			status_set(h, TP_STATUS_SEND_REQUEST);
			tx->head = (tx->head + 1) % tx->nframes;
			filled++;
			if (lat)
				break;
		}
		if (filled) {
			if (pktring_tx_kick(tx))
				errors++;
			if (now >= t0 && (uint64_t)((now - t0) /
						    RATE_INTERVAL_NS) < g->niv)
				s->iv[(now - t0) / RATE_INTERVAL_NS] += filled;
		}
	}
	/* the last frames: sent (their stamps come back to the slots) */
	pktring_tx_kick(tx);
	s->nload = nload;
	s->nlat = nlat;
	s->sent_bytes = sent_bytes;
	s->errors = errors;
	return NULL;
}

int loadgen_run(const struct loadgen_opts *o, struct loadgen_report *out)
{
	struct gen g = {.o = o, .ndst = o->ndst ? o->ndst : 1};
	unsigned nsend = o->threads ? o->threads : 1;
	struct sender *snd;
	uint8_t src[6];
	int ifindex, ret = -1;
	struct hwtstamp_config hw_saved;
	bool hw = false;
	uint64_t nlat, *iv, k;
	int64_t now;
	pthread_t rx;
	unsigned i, j, opened = 0, started = 0;
	unsigned largest = sizemix_largest(&o->mix);

	if (!o->mix.n || sizemix_smallest(&o->mix) < LLFRAME_MIN_FRAME)
		return error("no frame size of %d bytes or more",
			     LLFRAME_MIN_FRAME);
	if (nsend > LOADGEN_THREADS_MAX)
		return error("%u sending threads: at most %d", nsend,
			     LOADGEN_THREADS_MAX);
	g.lat_len = sizemix_smallest(&o->mix) - LLFRAME_FCS;
	g.ncycle = sizemix_total_weight(&o->mix);
	sizemix_cycle(&o->mix, g.cycle);
	/* a TX slot takes one frame (jumbo frames need larger slots); the
	 * linear ring's virtio_net_hdr fits in the sockaddr_ll's room this
	 * leaves (pktring_tx_max) */
	if (largest - LLFRAME_FCS > PKTRING_FRAME - TPACKET2_HDRLEN)
		return error("frames of %u bytes do not fit a TX ring slot "
			     "(at most %u)",
			     largest,
			     (unsigned)(PKTRING_FRAME - TPACKET2_HDRLEN +
					LLFRAME_FCS));
	if (pktring_if_info(o->ifname, src, &ifindex))
		return -1;
	if (g.ndst > LOADGEN_GUESTS_MAX)
		return error("%u destinations: at most %d", g.ndst,
			     LOADGEN_GUESTS_MAX);
	for (i = 0; i < g.ndst; i++) {
		if (o->resolve[i] &&
		    l2path_resolve_mac(o->ifname, o->resolve[i], g.dst[i]))
			return -1;
		if (!o->resolve[i])
			memcpy(g.dst[i], o->dst[i], 6);
	}
	if (getrandom(&g.session, sizeof(g.session), 0) != sizeof(g.session))
		g.session = (uint32_t)now_real();
	g.session |= 1; /* 0 means any session to the parser */
	g.lat_iv = (double)NSEC_PER_SEC / (double)o->lat_rate;
	g.nlat_max = (uint64_t)((double)o->runtime_ns / g.lat_iv) + 2;
	g.lat = xcalloc(g.nlat_max, sizeof(*g.lat));
	g.niv = (uint64_t)(o->runtime_ns / RATE_INTERVAL_NS) + 1;
	iv = xcalloc(g.niv, sizeof(*iv));
	snd = xcalloc(nsend, sizeof(*snd));
	/*
	 * No software TX ring stamps: the stamp the kernel writes back into
	 * a slot is skb->tstamp when the skb is freed, and a frame crossing
	 * namespaces is stamped again on every receive: after a
	 * reflector that copies it, that is its arrival there; after
	 * generic XDP_TX, which returns the same skb, its arrival back
	 * here. Neither is a transmit time. (The error queue's
	 * SOF_TIMESTAMPING_TX_SOFTWARE stamps would be: not yet.) A
	 * hardware stamp in the slot is the NIC's: that one is (below).
	 */
	for (i = 0; i < nsend; i++) {
		struct sender *s = &snd[i];

		s->g = &g;
		s->timer = i == 0;
		s->cpu = i < o->ncpus ? o->cpus[i] : -1;
		/* each its share of the rate: its frames 1/nsend as often */
		s->load_iv = (double)NSEC_PER_SEC * nsend / (double)o->rate;
		s->iv = xcalloc(g.niv, sizeof(*s->iv));
		/* linear frames: pktring.h says why (10 % more frames per
		 * second) */
		if (pktring_open_tx_linear(&s->tx, o->ifname, TX_FRAMES))
			goto close_tx;
		opened++;
		s->slot_lat = xcalloc(s->tx.nframes, sizeof(*s->slot_lat));
		for (j = 0; j < s->tx.nframes; j++) {
			struct llframe_hdr t = {.session = g.session};

			s->slot_lat[j] = -1;
			/* the largest: a smaller frame is its first bytes */
			llframe_build(pktring_tx_data(&s->tx, j), largest,
				      g.dst[0], src, &t);
		}
	}
	if (pktring_open(&g.rx, o->ifname, false, LLFRAME_ETHERTYPE,
			 RX_FRAMES, false))
		goto close_tx;
	/*
	 * Hardware stamps where the NIC gives them (the RX ring: receive
	 * stamps; the TX ring: the NIC's transmit stamp written back into
	 * the slot as the kernel returns it). A device that refuses (veth
	 * here) leaves the rings as they were: the software stamps below.
	 * Only the timer's ring carries latency frames.
	 */
	hw = !o->no_hwstamp && pktring_hwstamp_on(o->ifname, &hw_saved) == 1;
	if (hw && pktring_hwstamp_ring(&g.rx, false))
		info("no hardware stamps in the RX ring on '%s'", o->ifname);
	g.hw_tx = hw && !pktring_hwstamp_ring(&snd[0].tx, true);
	/*
	 * No SO_TIMESTAMPING on the RX ring: the kernel stamps every frame
	 * the ring takes in as it delivers it (tpacket_rcv), in softirq,
	 * not when the RX thread reads it. Asking for
	 * SOF_TIMESTAMPING_RX_SOFTWARE would only move the stamp to the
	 * frame's arrival at the interface, before its backlog wait, and
	 * it turns on the stamping of every frame on every hop for the
	 * whole host: ~3 % of the generator's CPU at full load
	 * (docs/metrics.md).
	 */
	if (pthread_create(&rx, NULL, rx_thread, &g)) {
		error("cannot start the receive thread");
		goto close_rx;
	}
	if (o->ready)
		o->ready(o->ready_data);
	g.off = clock_real_minus_mono();
	g.t0 = now_mono() + 1000000;
	g.end = g.t0 + o->runtime_ns;
	/* one sender: this thread, as before threads (no thread start
	 * between the schedule's start and the first frame) */
	for (i = 1; i < nsend; i++) {
		if (pthread_create(&snd[i].thread, NULL, send_loop, &snd[i]))
			break;
		started++;
	}
	if (started + 1 < nsend)
		warning("%u of %u sending threads started", started + 1,
			nsend);
	send_loop(&snd[0]);
	for (i = 1; i <= started; i++)
		pthread_join(snd[i].thread, NULL);
	now = now_mono();
	out->seconds =
		(double)((now < g.end ? now : g.end) - g.t0) / NSEC_PER_SEC;
	/* the last frames: back, and their stamps in the slots */
	while (now_mono() < now + DRAIN_NS)
		usleep(10000);
	for (j = 0; j < snd[0].tx.nframes; j++) {
		if (tx_free(pktring_slot(&snd[0].tx, j)))
			reclaim(&g, &snd[0], j);
	}
	g.rx_stop = 1;
	pthread_join(rx, NULL);
	/* totals over the senders */
	nlat = snd[0].nlat;
	for (i = 0; i < nsend; i++) {
		out->sent_load += snd[i].nload;
		out->sent_bytes += snd[i].sent_bytes;
		out->errors += snd[i].errors;
		for (k = 0; k < g.niv; k++)
			iv[k] += snd[i].iv[k];
		for (j = 0; j < g.ndst; j++) {
			g.sent_load_g[j] += snd[i].sent_load_g[j];
			g.sent_lat_g[j] += snd[i].sent_lat_g[j];
		}
	}
	out->offered = (uint64_t)(out->seconds * (double)o->rate + 0.5);
	out->sent_lat = nlat;
	out->recv_load = g.recv_load;
	out->recv_lat = g.recv_lat;
	/* full intervals only: the last one is cut by the end */
	rate_stats(iv, (size_t)(out->seconds * NSEC_PER_SEC /
				RATE_INTERVAL_NS),
		   &out->rate_mean, &out->rate_sd);
	if (g.ndst > 1) {
		loadgen_report_guests(out, g.ndst);
		for (i = 0; i < g.ndst; i++) {
			out->guests[i].sent_load = g.sent_load_g[i];
			out->guests[i].sent_lat = g.sent_lat_g[i];
			out->guests[i].recv_load = g.recv_load_g[i];
			out->guests[i].recv_lat = g.recv_lat_g[i];
		}
	}
	histograms(&g, nlat, out);
	ret = 0;
close_rx:
	pktring_close(&g.rx);
	if (hw)
		pktring_hwstamp_restore(o->ifname, &hw_saved);
close_tx:
	for (i = 0; i < nsend; i++) {
		if (i < opened)
			pktring_close(&snd[i].tx);
		free(snd[i].slot_lat);
		free(snd[i].iv);
	}
	free(snd);
	free(g.lat);
	free(iv);
	return ret;
}
