// SPDX-License-Identifier: GPL-2.0-or-later
#include "measure/pktring.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/ringstamp.h"
#include "util/error.h"

static int hwtstamp_ioctl(const char *ifname, unsigned long req,
			  struct hwtstamp_config *c)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = 0;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (char *)c;
	if (ioctl(fd, req, &ifr))
		ret = -errno;
	close(fd);
	return ret;
}

int pktring_hwstamp_on(const char *ifname, struct hwtstamp_config *saved)
{
	struct hwtstamp_config want = {
		.tx_type = HWTSTAMP_TX_ON,
		.rx_filter = HWTSTAMP_FILTER_ALL,
	};
	int err;

	memset(saved, 0, sizeof(*saved));
	/* what to put back; a device that cannot say cannot stamp */
	err = hwtstamp_ioctl(ifname, SIOCGHWTSTAMP, saved);
	if (!err)
		err = hwtstamp_ioctl(ifname, SIOCSHWTSTAMP, &want);
	if (!err && want.tx_type == HWTSTAMP_TX_ON &&
	    want.rx_filter != HWTSTAMP_FILTER_NONE)
		return 1;
	if (!err) {
		/* it took the request but stamps nothing we asked for */
		pktring_hwstamp_restore(ifname, saved);
		return 0;
	}
	if (ringstamp_refused(-err))
		info("'%s' does not stamp in hardware (%s): software stamps",
		     ifname, strerror(-err));
	else
		warning("no hardware stamps on '%s' (SIOCSHWTSTAMP: %s): "
			"software stamps",
			ifname, strerror(-err));
	return 0;
}

void pktring_hwstamp_restore(const char *ifname,
			     const struct hwtstamp_config *saved)
{
	struct hwtstamp_config c = *saved;
	int err = hwtstamp_ioctl(ifname, SIOCSHWTSTAMP, &c);

	if (err)
		warning("cannot restore the hardware stamping of '%s': %s",
			ifname, strerror(-err));
}

int pktring_hwstamp_ring(struct pktring *r, bool tx)
{
	int raw = SOF_TIMESTAMPING_RAW_HARDWARE;
	int so = SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE |
		 SOF_TIMESTAMPING_OPT_TSONLY;

	if (tx && setsockopt(r->fd, SOL_SOCKET, SO_TIMESTAMPING, &so,
			     sizeof(so)))
		return -errno;
	if (setsockopt(r->fd, SOL_PACKET, PACKET_TIMESTAMP, &raw,
		       sizeof(raw)))
		return -errno;
	return 0;
}

int pktring_if_info(const char *ifname, uint8_t mac[6], int *ifindex)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return error_errno("cannot open a socket");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		close(fd);
		return error_errno("cannot read the MAC address of '%s'",
				   ifname);
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	*ifindex = (int)if_nametoindex(ifname);
	if (!*ifindex)
		return error_errno("no interface '%s'", ifname);
	return 0;
}

static int ring_open(struct pktring *r, const char *ifname, bool tx,
		     uint16_t ethertype, unsigned nframes, bool tx_stamps,
		     bool linear, bool bypass, unsigned frame)
{
	/* a TX socket takes nothing in: protocol 0 */
	uint16_t proto = tx ? 0 : htons(ethertype);
	int version = TPACKET_V2, one = 1;
	struct tpacket_req req = {
		.tp_block_size = frame * 32,
		.tp_frame_size = frame,
	};
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	uint8_t mac[6];
	int ifindex;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (pktring_if_info(ifname, mac, &ifindex))
		return -1;
	nframes = (nframes + 31) / 32 * 32;
	req.tp_block_nr = nframes / 32;
	req.tp_frame_nr = nframes;
	r->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (r->fd < 0)
		return error_errno("cannot open a packet socket");
	if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &version,
		       sizeof(version)))
		goto fail;
	if (tx && bypass &&
	    setsockopt(r->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		       sizeof(one)))
		goto fail;
	/* before the ring: the kernel refuses it on a socket with one */
	if (linear && setsockopt(r->fd, SOL_PACKET, PACKET_VNET_HDR, &one,
				 sizeof(one)))
		goto fail;
	if (tx && bypass && !pktring_qdisc_bypassed(r)) {
		errno = EOPNOTSUPP;
		goto fail;
	}
	if (tx && tx_stamps) {
		int flags = SOF_TIMESTAMPING_TX_SOFTWARE |
			    SOF_TIMESTAMPING_SOFTWARE;

		/* the stamp is written back into the slot (tp_sec, tp_nsec)
		 * as the kernel releases it; no error-queue message */
		if (setsockopt(r->fd, SOL_SOCKET, SO_TIMESTAMPING, &flags,
			       sizeof(flags)) ||
		    setsockopt(r->fd, SOL_PACKET, PACKET_TIMESTAMP, &flags,
			       sizeof(flags)))
			goto fail;
	}
	if (setsockopt(r->fd, SOL_PACKET, tx ? PACKET_TX_RING : PACKET_RX_RING,
		       &req, sizeof(req)))
		goto fail;
	r->size = (size_t)req.tp_block_size * req.tp_block_nr;
	r->map = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      r->fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		goto fail;
	}
	r->nframes = nframes;
	r->frame = frame;
	r->tx_off = linear ? sizeof(struct virtio_net_hdr) : 0;
	sll.sll_protocol = proto;
	sll.sll_ifindex = ifindex;
	if (bind(r->fd, (struct sockaddr *)&sll, sizeof(sll)))
		goto fail;
	return 0;
fail:
	error_errno("cannot set up a %s ring on '%s'", tx ? "TX" : "RX",
		    ifname);
	pktring_close(r);
	return -1;
}

int pktring_open(struct pktring *r, const char *ifname, bool tx,
		 uint16_t ethertype, unsigned nframes, bool tx_stamps)
{
	return ring_open(r, ifname, tx, ethertype, nframes, tx_stamps, false,
			 true, PKTRING_FRAME);
}

int pktring_open_rx_sized(struct pktring *r, const char *ifname,
			  uint16_t ethertype, unsigned nframes,
			  unsigned frame_len)
{
	/* where tpacket_rcv() puts a frame's first byte in a V2 slot */
	unsigned need = TPACKET_ALIGN(TPACKET2_HDRLEN + 16) + frame_len;
	unsigned frame = PKTRING_SMALL_FRAME;

	while (frame < need && frame < PKTRING_FRAME)
		frame *= 2;
	return ring_open(r, ifname, false, ethertype, nframes, false, false,
			 false, frame);
}

int pktring_open_tx_linear(struct pktring *r, const char *ifname,
			   unsigned nframes)
{
	return ring_open(r, ifname, true, 0, nframes, false, true, true,
			 PKTRING_FRAME);
}

int pktring_open_tx_tapped(struct pktring *r, const char *ifname,
			   unsigned nframes)
{
	return ring_open(r, ifname, true, 0, nframes, false, true, false,
			 PKTRING_FRAME);
}

bool pktring_qdisc_bypassed(const struct pktring *r)
{
	int on = 0;
	socklen_t len = sizeof(on);

	return !getsockopt(r->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &on,
			   &len) &&
	       on;
}

void pktring_close(struct pktring *r)
{
	if (r->map)
		munmap(r->map, r->size);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

/* where the kernel reads a TX slot's data (packet_mmap.rst) */
static uint8_t *tx_start(struct pktring *r, unsigned i)
{
	return (uint8_t *)pktring_slot(r, i) + TPACKET2_HDRLEN -
	       sizeof(struct sockaddr_ll);
}

uint8_t *pktring_tx_data(struct pktring *r, unsigned i)
{
	return tx_start(r, i) + r->tx_off;
}

unsigned pktring_tx_max(const struct pktring *r)
{
	return (unsigned)(PKTRING_FRAME - TPACKET2_HDRLEN +
			  sizeof(struct sockaddr_ll)) -
	       r->tx_off;
}

void pktring_tx_set_len(struct pktring *r, unsigned i, unsigned len)
{
	if (r->tx_off) {
		/* no offloads: only "copy hdr_len bytes linear" */
		struct virtio_net_hdr vh = {
			.gso_type = VIRTIO_NET_HDR_GSO_NONE,
			.hdr_len = htole16((uint16_t)len),
		};

		memcpy(tx_start(r, i), &vh, sizeof(vh));
	}
	pktring_slot(r, i)->tp_len = len + r->tx_off;
}

int pktring_tx_kick(struct pktring *r)
{
	if (send(r->fd, NULL, 0, MSG_DONTWAIT) < 0 && errno != EAGAIN &&
	    errno != ENOBUFS)
		return -errno;
	return 0;
}
