// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A TPACKET_V3 ring is a sequence of blocks the kernel fills with frames
 * and hands to user space whole (TP_STATUS_USER) when a block is full or
 * its timeout expires; the thread walks each handed-over block and gives
 * it back. A packet socket bound to one interface sees every frame once:
 * frames the interface receives through the receive path, frames it
 * sends through dev_queue_xmit_nit() with pkttype PACKET_OUTGOING (a
 * clone stamped there, before the driver's transmit). On veth a frame
 * sent by one end is received by the other, so each end sees it once,
 * in its own direction: nothing is counted twice.
 *
 * What the times mean (software stamps, CLOCK_REALTIME): an outgoing
 * frame's is taken when the device starts sending it (the clone made for
 * packet sockets is stamped there), an incoming frame's when it entered
 * the device's receive path (with net.core.netdev_tstamp_prequeue = 1,
 * the default: on veth within the peer's transmit, or in veth's NAPI poll
 * when GRO is on). A stamp an skb got earlier, in the namespace it came
 * from, does not survive the crossing: moving an skb between namespaces
 * clears it (skb_scrub_packet()), except for a delivery time set by
 * SO_TXTIME or a pacing qdisc, which probes do not use. On the testbed's
 * NICs each probe's stamps come out in causal order
 * (tests/integration/capture.sh counts the exceptions).
 */
#include "measure/capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/pcap.h"
#include "net/netns.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/*
 * 64 blocks of 1 MiB: a 64-byte probe takes ~112 bytes of block (header,
 * sockaddr_ll, alignment), so a block holds ~9000 and the ring ~600k
 * frames, some seconds of 100 kpps each way even if the thread stalls.
 */
#define BLOCK_SIZE (1u << 20)
#define BLOCK_NR 64
/* What the filter keeps of a frame: a 1518-byte frame fits whole. */
#define SNAPLEN 2048
/*
 * A partly filled block reaches user space after this (ms): the kernel
 * rounds it up to jiffies (4 ms at HZ=250). A run's end waits for its
 * last frames' block. It was 10 ms while the thread was woken by every
 * block, which moved the RTT at 4 ms (p50 +10 to +45 %); the thread is
 * now woken by blocks only while a sync waits, and 4 ms against 10 ms,
 * side by side (bench/RESULTS.md, "The capture's block timeout"),
 * left the capture points' cost on veth-bridge as it was (0.93 against
 * 0.91 us, medians of 4 rounds), added 0.09 us on macvlan (0.48
 * against 0.39) and cut the quickstart's overhead from 4.5-4.9 % to
 * 3.7-3.8 %.
 */
#define BLOCK_TIMEOUT_MS 4
/* The thread checks its stop flag at least this often (ms). */
#define POLL_MS 20
/*
 * After stop (or a sync), the block being filled is handed over only
 * when its timeout expires (the retire timer closes non-empty blocks
 * only): every frame seen before the stop is in a handed-over block one
 * timeout later, plus a jiffy of the timer's rounding (4 ms at HZ=250,
 * the coarsest Debian builds): twice the timeout and that jiffy, for
 * margin.
 */
#define FINAL_DRAIN_NS ((2 * BLOCK_TIMEOUT_MS + 4) * NSEC_PER_MSEC)

struct capture {
	int fd;
	uint8_t *ring;
	unsigned block; /* next block to read */
	uint16_t udp_port;
	bool keep_pcap;
	atomic_bool stop;
	atomic_bool no_drain; /* capture_drop_drain(): stop at once */
	int wake_fd; /* eventfd: capture_stop() wakes the thread at once */
	pthread_t thread;
	int err; /* of the thread: -errno */
	/* capture_sync(): a request the thread answers once the ring is
	 * drained up to sync_until (CLOCK_MONOTONIC) */
	pthread_mutex_t lock;
	pthread_cond_t synced;
	uint64_t sync_req, sync_done;
	int64_t sync_until;
	/* if set, answers the sync before sync_until once true */
	bool (*sync_ready)(void *data);
	void *sync_data;
	bool ended; /* the thread is gone: no sync can be answered */
	struct capture_event *ev;
	size_t n, alloc;
	void (*emit)(const struct capture_event *e, void *data);
	void *emit_data;
	uint64_t streamed;
	uint64_t frames;
	uint64_t sync_frames; /* frames when the last sync was answered */
	char ifname[IFNAMSIZ];
	int ifindex; /* bound to */
	/* the socket reported an error (its device went down or away):
	 * taken by the thread, so that poll() does not return at once
	 * ever after */
	atomic_int sock_err;
	struct strbuf pcap;
};

#define FILTER_IPV4_LEN 15

/*
 * The filter for an IPv4 header at offset off: first fragments only (the
 * others have no ICMP/UDP header), ICMP echo or reply, or UDP from or to
 * the port. Jumps are relative; the two last instructions are the block's
 * own accept and drop.
 */
static void filter_ipv4(struct sock_filter *c, unsigned off, uint16_t port)
{
	struct sock_filter b[FILTER_IPV4_LEN] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, off + 6),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 12, 0),
		/* 2 */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, off),
		/* 3 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, off + 9),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMP, 0, 3),
		/* 5 */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, off),
		/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 0),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 8, 5, 6),
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 5),
		/* 9 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, off),
		/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 2, 0),
		/* 11 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, off + 2),
		/* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 1),
		/* 13 */ BPF_STMT(BPF_RET | BPF_K, SNAPLEN),
		/* 14 */ BPF_STMT(BPF_RET | BPF_K, 0),
	};

	memcpy(c, b, sizeof(b));
}

/*
 * Ethernet frames: IPv4 at 14, or IPv4 at 18 behind an 802.1Q tag. A tag
 * the device took out of the frame (VLAN offload) is not in the data the
 * filter sees, and such frames match as untagged ones.
 */
static int attach_filter(int fd, uint16_t port)
{
	struct sock_filter code[6 + 2 * FILTER_IPV4_LEN] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 4, 0),
		/* 2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_8021Q, 0, 2),
		/* 3 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 16),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP,
				 1 + FILTER_IPV4_LEN, 0),
		/* 5 */ BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {ARRAY_SIZE(code), code};

	filter_ipv4(code + 6, 14, port);
	filter_ipv4(code + 6 + FILTER_IPV4_LEN, 18, port);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return error_errno("cannot attach the capture filter");
	return 0;
}

static void record_frame(struct capture *c, const struct tpacket3_hdr *h)
{
	const uint8_t *data = (const uint8_t *)h + h->tp_mac;
	/* the address follows the header, aligned (packet(7)) */
	const struct sockaddr_ll *sll =
		(const void *)((const uint8_t *)h +
			       TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
	struct capture_event *e;
	struct probe_frame pf;
	int64_t t = (int64_t)h->tp_sec * NSEC_PER_SEC + h->tp_nsec;

	c->frames++;
	if (c->keep_pcap)
		pcap_write_record(&c->pcap, t, data, h->tp_snaplen, h->tp_len);
	if (frame_parse(data, h->tp_snaplen, c->udp_port, &pf))
		return;
	if (c->emit) {
		struct capture_event ev = {
			.f = pf,
			.outgoing = sll->sll_pkttype == PACKET_OUTGOING,
			.t = t,
		};

		c->streamed++;
		c->emit(&ev, c->emit_data);
		return;
	}
	ALLOC_GROW(c->ev, c->n + 1, c->alloc);
	e = &c->ev[c->n++];
	e->f = pf;
	e->outgoing = sll->sll_pkttype == PACKET_OUTGOING;
	e->t = t;
}

/* Read every block the kernel has handed over; how many. */
static unsigned read_blocks(struct capture *c)
{
	unsigned done = 0;

	for (;;) {
		struct tpacket_block_desc *bd =
			(void *)(c->ring + (size_t)c->block * BLOCK_SIZE);
		const uint8_t *p;
		uint32_t i;

		/* acquire: the frames are written before the status */
		if (!(__atomic_load_n(&bd->hdr.bh1.block_status,
				      __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			return done;
		p = (const uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
		for (i = 0; i < bd->hdr.bh1.num_pkts; i++) {
			const struct tpacket3_hdr *h = (const void *)p;

			record_frame(c, h);
			p += h->tp_next_offset;
		}
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
				 __ATOMIC_RELEASE);
		c->block = (c->block + 1) % BLOCK_NR;
		done++;
	}
}

/*
 * A sync asked for is answered once the ring is read past its time: the
 * frames seen before the request are all handed over by then. Returns
 * the poll timeout left (ms) while one is pending, else POLL_MS.
 */
static int answer_sync(struct capture *c, bool ending, bool *pending)
{
	int64_t left;
	int ms = POLL_MS;

	pthread_mutex_lock(&c->lock);
	*pending = false;
	if (c->sync_req != c->sync_done) {
		left = c->sync_until - now_mono();
		if (left <= 0 || ending ||
		    (c->sync_ready && c->sync_ready(c->sync_data))) {
			c->sync_done = c->sync_req;
			c->sync_frames = c->frames;
			pthread_cond_broadcast(&c->synced);
		} else {
			*pending = true;
			if (left < (int64_t)POLL_MS * NSEC_PER_MSEC)
				ms = (int)(left / NSEC_PER_MSEC) + 1;
		}
	}
	if (ending) {
		c->ended = true;
		pthread_cond_broadcast(&c->synced);
	}
	pthread_mutex_unlock(&c->lock);
	return ms;
}

static void *capture_thread(void *arg)
{
	struct capture *c = arg;
	struct pollfd pfd[2] = {{.fd = c->fd, .events = POLLIN | POLLERR},
				{.fd = c->wake_fd, .events = POLLIN}};
	int64_t until = 0;
	uint64_t woken;
	bool pending;

	for (;;) {
		unsigned got = read_blocks(c);
		int ms = answer_sync(c, false, &pending);

		if (!until && atomic_load(&c->stop)) {
			until = now_mono() +
				(atomic_load(&c->no_drain) ? 1 : FINAL_DRAIN_NS);
			pfd[1].fd = -1; /* woken once: now the ring only */
		}
		if (until && now_mono() >= until)
			break;
		if (got)
			continue;
		/*
		 * Woken by each block the kernel hands over only while a
		 * sync or the stop waits for the ring: else every POLL_MS,
		 * which the ring's 64 blocks outlast at any rate, so that
		 * the thread takes the CPU from the probes' path less often
		 * (a block retires every BLOCK_TIMEOUT_MS while frames
		 * come).
		 */
		pfd[0].events = pending || until ? POLLIN : 0;
		if (poll(pfd, 2, ms) < 0 && errno != EINTR) {
			c->err = -errno;
			break;
		}
		if (pfd[0].revents & POLLERR) {
			int err = 0;
			socklen_t len = sizeof(err);

			if (!getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err,
					&len) &&
			    err)
				atomic_store(&c->sock_err, err);
		}
		/* a sync's wake-up: read, or the eventfd stays readable */
		if (pfd[1].fd >= 0 && (pfd[1].revents & POLLIN))
			(void)!eventfd_read(c->wake_fd, &woken);
	}
	answer_sync(c, true, &pending);
	return NULL;
}

int capture_bound(struct capture *c)
{
	struct ifreq ifr;
	int err = atomic_exchange(&c->sock_err, 0);
	socklen_t len = sizeof(err);

	/* the device's going down or away leaves ENETDOWN on the socket
	 * (the thread may have taken it first) */
	if (!err && getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -errno;
	if (err)
		return -err;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, c->ifname);
	if (ioctl(c->fd, SIOCGIFINDEX, &ifr))
		return -errno;
	return ifr.ifr_ifindex == c->ifindex ? 0 : -ENODEV;
}

int capture_sync(struct capture *c, bool (*ready)(void *data), void *data,
		 uint64_t *frames, uint64_t *drops)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);
	uint64_t req;
	int ret = 0;

	pthread_mutex_lock(&c->lock);
	req = ++c->sync_req;
	c->sync_until = now_mono() + FINAL_DRAIN_NS;
	c->sync_ready = ready;
	c->sync_data = data;
	pthread_mutex_unlock(&c->lock);
	if (eventfd_write(c->wake_fd, 1))
		return error_errno("cannot wake the capture thread");
	pthread_mutex_lock(&c->lock);
	while (c->sync_done < req && !c->ended)
		pthread_cond_wait(&c->synced, &c->lock);
	if (c->sync_done < req)
		ret = error("capture: the thread is gone: %s",
			    c->err ? strerror(-c->err) : "stopped");
	*frames = c->sync_frames;
	c->sync_ready = NULL;
	pthread_mutex_unlock(&c->lock);
	/* reading the statistics resets them: the drops since the last */
	memset(&st, 0, sizeof(st));
	if (getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) &&
	    !ret)
		ret = error_errno("cannot read the capture's statistics");
	*drops = st.tp_drops;
	return ret;
}

/* The socket, opened inside the namespace: it stays in it for good. */
static int open_socket(const struct capture_opts *o)
{
	int saved = -1, fd, ret;

	if (o->netns) {
		ret = netns_enter(o->netns, &saved);
		if (ret)
			return ret;
	}
	/*
	 * Protocol 0: no frames until bind() below, once ring and filter
	 * are in place; ETH_P_ALL here would queue frames of every
	 * interface meanwhile.
	 */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fd = error_errno("cannot open a packet socket");
	if (o->netns && netns_restore(saved)) {
		if (fd >= 0)
			close(fd);
		return error("cannot return from namespace '%s'", o->netns);
	}
	return fd;
}

static int setup_ring(struct capture *c, const struct capture_opts *o)
{
	int v3 = TPACKET_V3, on = 1;
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SIZE,
		.tp_block_nr = BLOCK_NR,
		.tp_frame_size = SNAPLEN,
		.tp_frame_nr = BLOCK_SIZE / SNAPLEN * BLOCK_NR,
		.tp_retire_blk_tov = BLOCK_TIMEOUT_MS,
	};
	void *ring;

	/*
	 * A frame's time is the skb's software stamp (tp_status has
	 * TP_STATUS_TS_SOFTWARE), or, if it has none, the time tpacket_rcv()
	 * copies it, later. skbs are stamped only while some socket asks for
	 * timestamps (the kernel's netstamp_needed): ask here, so the
	 * capture does not depend on the prober doing so. The kernel turns
	 * stamping on from a work queue: frames of the first moments after
	 * capture_start() may still get the copy time.
	 */
	if (setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)))
		return error_errno("cannot enable SO_TIMESTAMPNS");
	/* V3 reports tp_nsec; V1 had microseconds */
	if (setsockopt(c->fd, SOL_PACKET, PACKET_VERSION, &v3, sizeof(v3)))
		return error_errno("cannot set TPACKET_V3 on '%s'", o->ifname);
	if (attach_filter(c->fd, o->udp_port))
		return -1;
	if (setsockopt(c->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		return error_errno("cannot set up a %u MiB capture ring",
				   (BLOCK_NR * BLOCK_SIZE) >> 20);
	ring = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR,
		    PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	if (ring == MAP_FAILED)
		return error_errno("cannot map the capture ring");
	c->ring = ring;
	return 0;
}

static int bind_ifname(struct capture *c, const struct capture_opts *o)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	struct ifreq ifr;

	/* the socket's namespace answers: the lookup is inside it */
	if (strlen(o->ifname) >= sizeof(ifr.ifr_name))
		return error("interface name '%s' is too long", o->ifname);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, o->ifname);
	if (ioctl(c->fd, SIOCGIFINDEX, &ifr))
		return error_errno("no interface '%s'%s%s", o->ifname,
				   o->netns ? " in namespace " : "",
				   o->netns ? o->netns : "");
	sll.sll_ifindex = ifr.ifr_ifindex;
	c->ifindex = ifr.ifr_ifindex;
	strcpy(c->ifname, o->ifname);
	if (bind(c->fd, (struct sockaddr *)&sll, sizeof(sll)))
		return error_errno("cannot bind a packet socket to '%s'",
				   o->ifname);
	return 0;
}

static void capture_free(struct capture *c)
{
	if (c->ring)
		munmap(c->ring, (size_t)BLOCK_SIZE * BLOCK_NR);
	if (c->fd >= 0)
		close(c->fd);
	if (c->wake_fd >= 0)
		close(c->wake_fd);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->synced);
	free(c->ev);
	strbuf_release(&c->pcap);
	free(c);
}

int capture_start(const struct capture_opts *o, struct capture **out)
{
	struct capture *c = xcalloc(1, sizeof(*c));
	int ret;

	*out = NULL;
	strbuf_init(&c->pcap);
	c->udp_port = o->udp_port;
	c->keep_pcap = o->keep_pcap;
	c->emit = o->emit;
	c->emit_data = o->emit_data;
	atomic_init(&c->stop, false);
	atomic_init(&c->sock_err, 0);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->synced, NULL);
	c->wake_fd = eventfd(0, EFD_CLOEXEC);
	if (c->wake_fd < 0) {
		ret = error_errno("cannot make an eventfd");
		c->fd = -1;
		goto free;
	}
	c->fd = open_socket(o);
	if (c->fd < 0) {
		ret = c->fd;
		goto free;
	}
	ret = setup_ring(c, o);
	if (!ret)
		ret = bind_ifname(c, o);
	if (ret)
		goto free;
	if (c->keep_pcap)
		pcap_write_header(&c->pcap, SNAPLEN, PCAP_LINKTYPE_ETHERNET);
	ret = -pthread_create(&c->thread, NULL, capture_thread, c);
	if (ret) {
		errno = -ret;
		ret = error_errno("cannot start the capture thread");
		goto free;
	}
	*out = c;
	return 0;
free:
	capture_free(c);
	return ret;
}

void capture_drop_drain(struct capture *c)
{
	atomic_store(&c->no_drain, true);
}

int capture_stop(struct capture *c, struct capture_result *res)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);
	int ret = 0;

	memset(res, 0, sizeof(*res));
	strbuf_init(&res->pcap);
	atomic_store(&c->stop, true);
	if (eventfd_write(c->wake_fd, 1))
		ret = error_errno("cannot wake the capture thread");
	pthread_join(c->thread, NULL);
	if (c->err) {
		errno = -c->err;
		ret = error_errno("capture: cannot poll the ring");
	}
	/* counts since the last read, which is the only one */
	memset(&st, 0, sizeof(st));
	if (getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) &&
	    !ret)
		ret = error_errno("cannot read the capture's statistics");
	res->ev = c->ev;
	res->n = c->n;
	res->frames = c->frames;
	res->streamed = c->streamed;
	res->drops = st.tp_drops;
	res->pcap = c->pcap;
	c->ev = NULL;
	strbuf_init(&c->pcap);
	capture_free(c);
	return ret;
}

void capture_result_release(struct capture_result *res)
{
	free(res->ev);
	strbuf_release(&res->pcap);
	memset(res, 0, sizeof(*res));
	strbuf_init(&res->pcap);
}
