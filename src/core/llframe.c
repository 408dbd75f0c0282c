// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/llframe.h"

#include <stdio.h>
#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* offsets after the Ethernet header */
enum { O_MAGIC = 14, O_SESSION = 18, O_KIND = 22, O_GUEST = 23, O_SEQ = 26,
       O_INTENDED = 34, O_SENT = 42, O_END = 50 };

size_t llframe_build(uint8_t *buf, unsigned frame_size, const uint8_t dst[6],
		     const uint8_t src[6], const struct llframe_hdr *h)
{
	size_t len = (frame_size < LLFRAME_MIN_FRAME ? LLFRAME_MIN_FRAME :
						       frame_size) -
		     LLFRAME_FCS;

	memset(buf, 0, len);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = LLFRAME_ETHERTYPE >> 8;
	buf[13] = LLFRAME_ETHERTYPE & 0xff;
	put32(buf + O_MAGIC, LLFRAME_MAGIC);
	put32(buf + O_SESSION, h->session);
	buf[O_KIND] = h->kind;
	buf[O_GUEST] = h->guest;
	put64(buf + O_SEQ, h->seq);
	put64(buf + O_INTENDED, (uint64_t)h->intended_ns);
	put64(buf + O_SENT, (uint64_t)h->sent_ns);
	return len;
}

void llframe_set_times(uint8_t *buf, int64_t intended_ns, int64_t sent_ns)
{
	put64(buf + O_INTENDED, (uint64_t)intended_ns);
	put64(buf + O_SENT, (uint64_t)sent_ns);
}

void llframe_restamp(uint8_t *buf, const struct llframe_hdr *h)
{
	buf[O_KIND] = h->kind;
	buf[O_GUEST] = h->guest;
	put64(buf + O_SEQ, h->seq);
	llframe_set_times(buf, h->intended_ns, h->sent_ns);
}

int llframe_is_ours(const uint8_t *buf, size_t len)
{
	return len >= O_END && buf[12] == (LLFRAME_ETHERTYPE >> 8) &&
	       buf[13] == (LLFRAME_ETHERTYPE & 0xff) &&
	       get32(buf + O_MAGIC) == LLFRAME_MAGIC;
}

int llframe_parse(const uint8_t *buf, size_t len, uint32_t session,
		  struct llframe_hdr *h)
{
	if (!llframe_is_ours(buf, len))
		return -1;
	h->session = get32(buf + O_SESSION);
	if (session && h->session != session)
		return -1;
	h->kind = buf[O_KIND];
	if (h->kind != LLFRAME_LOAD && h->kind != LLFRAME_LATENCY)
		return -1;
	h->guest = buf[O_GUEST];
	h->seq = get64(buf + O_SEQ);
	h->intended_ns = (int64_t)get64(buf + O_INTENDED);
	h->sent_ns = (int64_t)get64(buf + O_SENT);
	return 0;
}

void llframe_swap_macs(uint8_t *buf)
{
	uint8_t t[6];

	memcpy(t, buf, 6);
	memcpy(buf, buf + 6, 6);
	memcpy(buf + 6, t, 6);
}

int llframe_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	int i, n = 0;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &n) != 6 || n != 17)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

void llframe_mac_format(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

int llframe_arp_find(const char *text, size_t len, const char *ip,
		     const char *ifname, uint8_t mac[6])
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		char line[256], addr[64], hw[64], dev[64];
		unsigned type, flags;

		if (n < sizeof(line)) {
			memcpy(line, p, n);
			line[n] = '\0';
			/* IP address, HW type, Flags, HW address, Mask, Device */
			if (sscanf(line, "%63s %x %x %63s %*s %63s", addr, &type,
				   &flags, hw, dev) == 5 &&
			    !strcmp(addr, ip) && !strcmp(dev, ifname) &&
			    (flags & 0x2) && !llframe_mac_parse(hw, mac))
				return 0;
		}
		p += n + (nl ? 1 : 0);
	}
	return -1;
}
