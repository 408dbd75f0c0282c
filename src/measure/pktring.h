/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AF_PACKET rings (TPACKET_V2) on one interface, for the load-latency
 * generator and the afpacket reflector: an RX ring for frames of our
 * EtherType, a TX ring that bypasses the qdisc (PACKET_QDISC_BYPASS:
 * the frames go straight to the driver, as MoonGen's do to the NIC).
 * The kernel's packet_mmap.rst describes the protocol: a slot belongs
 * to the kernel or to us according to its tp_status.
 */
#ifndef IOV_MEASURE_PKTRING_H
#define IOV_MEASURE_PKTRING_H

#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKTRING_FRAME 2048
/* The smallest slot pktring_open_rx_sized() makes. */
#define PKTRING_SMALL_FRAME 256

struct pktring {
	int fd;
	uint8_t *map;
	size_t size;
	unsigned nframes, head;
	unsigned frame; /* bytes a slot */
	unsigned tx_off; /* TX: bytes before each frame (a virtio_net_hdr) */
};

/*
 * Open a ring of nframes slots on ifname. tx: a TX ring (with
 * PACKET_QDISC_BYPASS and, if tx_stamps, software transmit timestamps
 * written back into the slots); else an RX ring taking EtherType
 * ethertype. 0, or -1 (printed).
 */
int pktring_open(struct pktring *r, const char *ifname, bool tx,
		 uint16_t ethertype, unsigned nframes, bool tx_stamps);
/*
 * A TX ring as pktring_open(tx, no stamps) opens, whose frames the
 * kernel copies whole into the skb's linear part. Without it the kernel copies
 * the Ethernet header and hangs the rest of the frame in the ring page
 * as a page fragment (a page reference taken and dropped per frame), and
 * whatever needs the frame linear later (generic XDP, a copy across a
 * veth to an XDP program) pulls it in again: a linear 64-byte frame
 * costs less end to end (bench/RESULTS.md: loadgen 1.1x its rate with
 * fragments). It takes a virtio_net_hdr (PACKET_VNET_HDR) before each
 * frame whose hdr_len says how much to copy: pktring_tx_set_len().
 */
int pktring_open_tx_linear(struct pktring *r, const char *ifname,
			   unsigned nframes);
/*
 * The same linear TX ring through the qdisc (no PACKET_QDISC_BYPASS), so
 * that the interface's taps (dev_queue_xmit_nit(): packet sockets of
 * ETH_P_ALL bound to it) see each frame as the driver is handed it.
 */
int pktring_open_tx_tapped(struct pktring *r, const char *ifname,
			   unsigned nframes);
/*
 * An RX ring whose slots are just large enough (a power of two, at least
 * PKTRING_SMALL_FRAME, at most PKTRING_FRAME) for frames of frame_len
 * bytes: for 64-byte probes 8x fewer pages than PKTRING_FRAME slots, so
 * that the kernel's look at a slot's status for every frame
 * (__packet_rcv_has_room) stays in the TLB.
 */
int pktring_open_rx_sized(struct pktring *r, const char *ifname,
			  uint16_t ethertype, unsigned nframes,
			  unsigned frame_len);
void pktring_close(struct pktring *r);
/* Does the kernel say the socket bypasses the qdisc? (TX rings: checked
 * as they are opened, so no ring silently takes the qdisc path.) */
bool pktring_qdisc_bypassed(const struct pktring *r);

static inline struct tpacket2_hdr *pktring_slot(struct pktring *r, unsigned i)
{
	return (struct tpacket2_hdr *)(r->map + (size_t)i * r->frame);
}

/* TX: the frame data of a slot (after its headers). */
uint8_t *pktring_tx_data(struct pktring *r, unsigned i);
/* TX: the largest frame a slot takes. */
unsigned pktring_tx_max(const struct pktring *r);
/* TX: slot i holds a frame of len bytes (tp_len, and the linear ring's
 * virtio_net_hdr). */
void pktring_tx_set_len(struct pktring *r, unsigned i, unsigned len);
/* TX: hand every filled slot to the kernel; 0 or -errno. */
int pktring_tx_kick(struct pktring *r);

/*
 * Hardware stamping of an interface (timestamping.rst): SIOCSHWTSTAMP
 * with HWTSTAMP_TX_ON and HWTSTAMP_FILTER_ALL, the interface's previous
 * setting kept in *saved for pktring_hwstamp_restore(). 1: on; 0: the
 * device refuses (veth, tap: the caller falls back to software stamps;
 * an unexpected error is printed as a warning); the setting is the
 * whole interface's, so it is put back when the run ends.
 */
int pktring_hwstamp_on(const char *ifname, struct hwtstamp_config *saved);
void pktring_hwstamp_restore(const char *ifname,
			     const struct hwtstamp_config *saved);
/*
 * Ask the kernel to put the NIC's raw hardware stamps in the ring's slots
 * (PACKET_TIMESTAMP with SOF_TIMESTAMPING_RAW_HARDWARE; the slot's
 * tp_status then says TP_STATUS_TS_RAW_HARDWARE). A TX ring's frames
 * are also marked for the NIC to stamp (SO_TIMESTAMPING
 * TX_HARDWARE; OPT_TSONLY: the error queue's copies carry no data).
 * 0 or -errno (not printed: the caller falls back).
 */
int pktring_hwstamp_ring(struct pktring *r, bool tx);

/* The interface's MAC address and index; 0 or -1 (printed). */
int pktring_if_info(const char *ifname, uint8_t mac[6], int *ifindex);

#endif
