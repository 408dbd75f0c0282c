// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/pcap.h"

#define NSEC_PER_SEC_ 1000000000LL

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void pcap_write_header(struct strbuf *sb, uint32_t snaplen,
		       uint32_t linktype)
{
	uint8_t h[PCAP_FILE_HDR_LEN];

	put32le(h, PCAP_MAGIC_NSEC);
	/* version 2.4, then thiszone and sigfigs (always 0) */
	h[4] = 2;
	h[5] = 0;
	h[6] = 4;
	h[7] = 0;
	put32le(h + 8, 0);
	put32le(h + 12, 0);
	put32le(h + 16, snaplen);
	put32le(h + 20, linktype);
	strbuf_add(sb, h, sizeof(h));
}

void pcap_write_record(struct strbuf *sb, int64_t t_ns, const void *data,
		       uint32_t caplen, uint32_t len)
{
	uint8_t h[PCAP_REC_HDR_LEN];
	int64_t sec;

	/* ts_sec is an unsigned 32-bit count of seconds */
	if (t_ns < 0)
		t_ns = 0;
	sec = t_ns / NSEC_PER_SEC_;
	if (sec > UINT32_MAX) {
		sec = UINT32_MAX;
		t_ns = sec * NSEC_PER_SEC_ + NSEC_PER_SEC_ - 1;
	}
	put32le(h, (uint32_t)sec);
	put32le(h + 4, (uint32_t)(t_ns - sec * NSEC_PER_SEC_));
	put32le(h + 8, caplen);
	put32le(h + 12, len < caplen ? caplen : len);
	strbuf_add(sb, h, sizeof(h));
	strbuf_add(sb, data, caplen);
}
