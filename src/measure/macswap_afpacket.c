// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The afpacket reflector: a user-space MAC swapper on TPACKET_V2 rings,
 * the counterpart of MoonGen's DPDK reflector for guests without DPDK.
 * Frames of our EtherType come in on an RX ring; each goes back out
 * through a TX ring (qdisc bypassed) with its MACs swapped. It polls
 * (poll(2) when the ring is empty) or, with busy_poll, spins.
 */
#include <linux/if_packet.h>
#include <poll.h>
#include <string.h>

#include "core/llframe.h"
#include "measure/macswap.h"
#include "measure/pktring.h"
#include "util/error.h"

#define RING_FRAMES 1024
#define KICK_EVERY 32

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

int macswap_afpacket_run(const struct macswap_opts *o,
			 struct macswap_stats *st)
{
	struct pktring rx, tx;
	unsigned pending = 0;
	int ret = -1;

	memset(st, 0, sizeof(*st));
	if (pktring_open(&rx, o->ifname, false, LLFRAME_ETHERTYPE,
			 RING_FRAMES, false))
		return -1;
	if (pktring_open(&tx, o->ifname, true, 0, RING_FRAMES, false))
		goto close_rx;
	if (o->ready)
		o->ready(o->ready_data);
	while (!*o->stop) {
		struct tpacket2_hdr *h = pktring_slot(&rx, rx.head);
		const struct sockaddr_ll *sll;
		struct tpacket2_hdr *t;
		uint8_t *frame;

		if (!(status_of(h) & TP_STATUS_USER)) {
			if (pending) {
				pktring_tx_kick(&tx);
				pending = 0;
			}
			if (!o->busy_poll) {
				struct pollfd p = {.fd = rx.fd, .events = POLLIN};

				poll(&p, 1, 100);
			}
			continue;
		}
		sll = (const struct sockaddr_ll *)((uint8_t *)h +
						   TPACKET_ALIGN(sizeof(*h)));
		frame = (uint8_t *)h + h->tp_mac;
		/* what we send comes back on the RX ring as outgoing */
		if (sll->sll_pkttype != PACKET_OUTGOING &&
		    llframe_is_ours(frame, h->tp_snaplen)) {
			st->received++;
			t = pktring_slot(&tx, tx.head);
			if (!tx_free(t)) {
				pktring_tx_kick(&tx);
				pending = 0;
			}
			if (tx_free(t) && h->tp_snaplen <=
						  PKTRING_FRAME - TPACKET2_HDRLEN) {
				uint8_t *out = pktring_tx_data(&tx, tx.head);

				memcpy(out, frame, h->tp_snaplen);
				llframe_swap_macs(out);
				t->tp_len = h->tp_snaplen;
				status_set(t, TP_STATUS_SEND_REQUEST);
				tx.head = (tx.head + 1) % tx.nframes;
				st->reflected++;
				if (++pending >= KICK_EVERY) {
					pktring_tx_kick(&tx);
					pending = 0;
				}
			} else {
				st->dropped++;
			}
		}
		status_set(h, TP_STATUS_KERNEL);
		rx.head = (rx.head + 1) % rx.nframes;
	}
	if (pending)
		pktring_tx_kick(&tx);
	ret = 0;
	pktring_close(&tx);
close_rx:
	pktring_close(&rx);
	return ret;
}
