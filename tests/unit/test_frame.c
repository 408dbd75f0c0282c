// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * frame_parse() on Ethernet frames written out byte by byte: one literal
 * frame as tcpdump -x shows it, and a builder for the variants (tags,
 * options, fragments, ports) so that every field is set by hand here and
 * nothing is taken from the code under test.
 */
#include "unit.h"

#include "core/frame.h"

#define PORT 7777
#define SESSION 0xa1b2c3d4u
#define SEQ 0x00010203u

/*
 * A 64-byte ICMP echo request (without FCS: 60 bytes on the capture),
 * 198.18.0.1 -> 198.18.0.2, id 0x1234, seq 0x0203, payload "IOVB",
 * session, seq, flags and 2 bytes of padding.
 */
static const uint8_t icmp_request[] = {
	/* Ethernet: dst, src, IPv4 */
	0x02, 0x69, 0x6f, 0x00, 0x00, 0x02, 0x02, 0x69, 0x6f, 0x00, 0x00, 0x01,
	0x08, 0x00,
	/* IPv4: 45, tos, len 46, id, DF, ttl 64, ICMP, csum, src, dst */
	0x45, 0x00, 0x00, 0x2e, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00,
	198, 18, 0, 1, 198, 18, 0, 2,
	/* ICMP: echo request, code, csum, id, seq */
	0x08, 0x00, 0x00, 0x00, 0x12, 0x34, 0x02, 0x03,
	/* probe header */
	'I', 'O', 'V', 'B', 0xa1, 0xb2, 0xc3, 0xd4, 0x00, 0x01, 0x02, 0x03,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
};

struct spec {
	bool vlan;
	uint16_t inner;	   /* ethertype after the MACs (and tag) */
	uint8_t version;   /* IPv4 header's version nibble */
	unsigned opts;	   /* 32-bit words of IPv4 options */
	uint16_t frag;	   /* flags + fragment offset */
	uint8_t proto;
	uint8_t type, code; /* ICMP */
	uint16_t sport, dport;
	int udp_len_delta; /* added to the UDP length field */
	uint32_t magic;
	size_t payload;	   /* bytes after the ICMP/UDP header */
	size_t pad;	   /* bytes after the IPv4 packet */
};

static struct spec icmp(uint8_t type)
{
	return (struct spec){.inner = 0x0800, .version = 4, .proto = 1,
			     .type = type, .magic = 0x494f5642,
			     .payload = 18};
}

static struct spec udp(uint16_t sport, uint16_t dport)
{
	return (struct spec){.inner = 0x0800, .version = 4, .proto = 17,
			     .sport = sport, .dport = dport,
			     .magic = 0x494f5642, .payload = 18};
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* The frame of s into f (at least 256 bytes); its length. */
static size_t build(const struct spec *s, uint8_t *f)
{
	size_t o = 12, ihl = 20 + 4 * s->opts, l4len = 8 + s->payload, i;
	uint8_t *ip, *l4;

	memset(f, 0, 256);
	memcpy(f, icmp_request, 12);
	if (s->vlan) {
		put16(f + o, 0x8100);
		put16(f + o + 2, 42); /* VID 42 */
		o += 4;
	}
	put16(f + o, s->inner);
	ip = f + o + 2;
	ip[0] = (uint8_t)(s->version << 4 | ihl / 4);
	put16(ip + 2, (unsigned)(ihl + l4len));
	put16(ip + 6, s->frag);
	ip[8] = 64;
	ip[9] = s->proto;
	memcpy(ip + 12, icmp_request + 26, 8);
	for (i = 20; i < ihl; i++)
		ip[i] = 0x01; /* NOP options */
	l4 = ip + ihl;
	if (s->proto == 1) {
		l4[0] = s->type;
		l4[1] = s->code;
	} else {
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put16(l4 + 4, (unsigned)((int)l4len + s->udp_len_delta));
	}
	if (s->payload >= 16) {
		put32(l4 + 8, s->magic);
		put32(l4 + 12, SESSION);
		put32(l4 + 16, SEQ);
	}
	for (i = 0; i < s->pad; i++)
		l4[l4len + i] = 0xaa;
	return (size_t)(l4 + l4len + s->pad - f);
}

static int parse(const struct spec *s, struct probe_frame *pf)
{
	uint8_t f[256];
	size_t len = build(s, f);

	return frame_parse(f, len, PORT, pf);
}

static void assert_probe(const struct spec *s, enum probe_kind kind,
			 bool request)
{
	struct probe_frame pf;

	memset(&pf, 0xee, sizeof(pf));
	assert_int_equal(parse(s, &pf), 0);
	assert_int_equal(pf.kind, kind);
	assert_int_equal(pf.request, request);
	assert_int_equal(pf.session, SESSION);
	assert_int_equal(pf.seq, SEQ);
}

static void assert_rejected(const struct spec *s)
{
	struct probe_frame pf;

	assert_int_equal(parse(s, &pf), -1);
}

static void test_literal(void **state)
{
	struct probe_frame pf;

	(void)state;
	assert_int_equal(frame_parse(icmp_request, sizeof(icmp_request), PORT,
				     &pf),
			 0);
	assert_int_equal(pf.kind, PROBE_ICMP);
	assert_true(pf.request);
	assert_int_equal(pf.session, SESSION);
	assert_int_equal(pf.seq, SEQ);
}

static void test_icmp(void **state)
{
	struct spec s = icmp(8);

	(void)state;
	assert_probe(&s, PROBE_ICMP, true);
	s.type = 0;
	assert_probe(&s, PROBE_ICMP, false);
	/* a probe quoted in an unreachable or time exceeded is not one */
	s.type = 3;
	assert_rejected(&s);
	s.type = 11;
	assert_rejected(&s);
	s.type = 8;
	s.code = 1;
	assert_rejected(&s);
}

static void test_udp(void **state)
{
	struct spec s = udp(40000, PORT);
	struct probe_frame pf;
	uint8_t f[256];
	size_t len;

	(void)state;
	assert_probe(&s, PROBE_UDP, true);
	s = udp(PORT, 40000);
	assert_probe(&s, PROBE_UDP, false);
	/* to and from the port: taken as a request */
	s = udp(PORT, PORT);
	assert_probe(&s, PROBE_UDP, true);
	/* another port either way */
	s = udp(40000, PORT + 1);
	assert_rejected(&s);
	s = udp(PORT + 1, 40000);
	assert_rejected(&s);
	/* without a reflector port no UDP frame is a probe */
	s = udp(0, 0);
	len = build(&s, f);
	assert_int_equal(frame_parse(f, len, 0, &pf), -1);
	/* UDP length: longer than the packet, shorter than the header, or
	 * too short for the probe header */
	s = udp(40000, PORT);
	s.udp_len_delta = 1;
	assert_rejected(&s);
	s.udp_len_delta = -19;
	assert_rejected(&s);
	s.udp_len_delta = -3;
	assert_rejected(&s);
	/* shorter but holding the header: trailing bytes are not its own */
	s.udp_len_delta = -2;
	assert_probe(&s, PROBE_UDP, true);
}

static void test_vlan(void **state)
{
	struct spec s = icmp(0);

	(void)state;
	s.vlan = true;
	assert_probe(&s, PROBE_ICMP, false);
	s = udp(PORT, 1234);
	s.vlan = true;
	assert_probe(&s, PROBE_UDP, false);
	/* one tag only: a second one (QinQ) is not parsed */
	s.inner = 0x8100;
	assert_rejected(&s);
	s.inner = 0x86dd;
	assert_rejected(&s);
}

static void test_ip_options(void **state)
{
	unsigned w;

	(void)state;
	for (w = 0; w <= 10; w++) {
		struct spec s = icmp(8);

		s.opts = w;
		assert_probe(&s, PROBE_ICMP, true);
		s = udp(PORT, 999);
		s.opts = w;
		s.vlan = w & 1;
		assert_probe(&s, PROBE_UDP, false);
	}
}

/* Cut the frame short by any amount: nothing parses, nothing is read past
 * the end (under ASan, a copy of exactly len bytes). */
static void assert_truncations(const struct spec *s)
{
	uint8_t f[256];
	size_t len = build(s, f), i;
	struct probe_frame pf;

	assert_int_equal(frame_parse(f, len, PORT, &pf), 0);
	for (i = 0; i < len; i++) {
		uint8_t *cut = malloc(i ? i : 1);

		memcpy(cut, f, i);
		assert_int_equal(frame_parse(cut, i, PORT, &pf), -1);
		free(cut);
	}
}

static void test_truncated(void **state)
{
	struct spec s = icmp(8);
	uint8_t f[256];
	size_t len;

	(void)state;
	assert_truncations(&s);
	s.vlan = true;
	s.opts = 3;
	assert_truncations(&s);
	s = udp(PORT, 5);
	assert_truncations(&s);
	s.vlan = true;
	assert_truncations(&s);
	/* the IPv4 length says the packet ends before the probe header */
	s = icmp(0);
	s.payload = 15;
	assert_rejected(&s);
	s = udp(1, PORT);
	s.payload = 15;
	assert_rejected(&s);
	/* an IPv4 length beyond the frame */
	s = icmp(8);
	len = build(&s, f);
	f[17]++;
	assert_int_equal(frame_parse(f, len, PORT, &(struct probe_frame){0}),
			 -1);
	/* or shorter than the header */
	f[16] = 0;
	f[17] = 19;
	assert_int_equal(frame_parse(f, len, PORT, &(struct probe_frame){0}),
			 -1);
}

static void test_padding(void **state)
{
	struct spec s = icmp(8);

	(void)state;
	/* short frames are padded to 60 bytes; the FCS may follow too */
	s.pad = 4;
	assert_probe(&s, PROBE_ICMP, true);
	s = udp(PORT, 9);
	s.pad = 30;
	assert_probe(&s, PROBE_UDP, false);
}

static void test_wrong_magic(void **state)
{
	struct spec s = icmp(8);

	(void)state;
	s.magic = 0x494f5643;
	assert_rejected(&s);
	s = udp(PORT, 80);
	s.magic = 0;
	assert_rejected(&s);
}

static void test_not_ipv4(void **state)
{
	struct spec s = icmp(8);

	(void)state;
	s.inner = 0x86dd; /* IPv6 */
	assert_rejected(&s);
	s.inner = 0x0806; /* ARP */
	assert_rejected(&s);
	s.inner = 0x0800;
	s.version = 6; /* IPv6 under an IPv4 ethertype */
	assert_rejected(&s);
	s.version = 4;
	s.proto = 6; /* TCP */
	assert_rejected(&s);
}

static void test_bad_ihl(void **state)
{
	uint8_t f[256];
	size_t len;
	struct spec s = icmp(8);
	struct probe_frame pf;
	unsigned ihl;

	(void)state;
	len = build(&s, f);
	for (ihl = 0; ihl < 5; ihl++) {
		f[14] = (uint8_t)(0x40 | ihl);
		assert_int_equal(frame_parse(f, len, PORT, &pf), -1);
	}
	/* options running past the IPv4 length */
	f[14] = 0x4f;
	assert_int_equal(frame_parse(f, len, PORT, &pf), -1);
}

static void test_fragments(void **state)
{
	struct spec s = icmp(8);

	(void)state;
	/* DF, and the first fragment (MF, offset 0): the header is there */
	s.frag = 0x4000;
	assert_probe(&s, PROBE_ICMP, true);
	s.frag = 0x2000;
	assert_probe(&s, PROBE_ICMP, true);
	/* a first UDP fragment: the UDP length counts the whole datagram */
	s = udp(3, PORT);
	s.frag = 0x2000;
	s.udp_len_delta = 1000;
	assert_probe(&s, PROBE_UDP, true);
	s.frag = 0;
	assert_rejected(&s);
	/* later fragments, last or not: their bytes are not headers */
	s = icmp(8);
	s.frag = 0x2000 | 185;
	assert_rejected(&s);
	s.frag = 1;
	assert_rejected(&s);
	s = udp(PORT, 3);
	s.frag = 0x1fff;
	assert_rejected(&s);
}

/* ---- frame_build_probe(): what the ring sender puts on the wire ---- */

static const struct frame_addrs addrs = {
	.dst_mac = {0x02, 0x69, 0x6f, 0x00, 0x00, 0x02},
	.src_mac = {0x02, 0x69, 0x6f, 0x00, 0x00, 0x01},
	.src_ip = {198, 18, 0, 1},
	.dst_ip = {198, 18, 0, 2},
	.src_port = 40000,
	.dst_port = PORT,
	.icmp_id = 0x1234,
};

/* RFC 1071 by hand, independent of packet_csum(): 0 over a good header */
static unsigned fold(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void test_build_icmp(void **state)
{
	struct probe_hdr h = {.session = SESSION, .seq = SEQ};
	uint8_t buf[1600];
	struct probe_frame pf;
	size_t len;

	(void)state;
	len = frame_build_probe(buf, PROBE_ICMP, 64, &addrs, &h);
	/* 64 bytes with the FCS: 60 on the wire here */
	assert_int_equal(len, sizeof(icmp_request));
	/* the literal frame, but for the IPv4 id (the seq's low 16 bits,
	 * 0x0203 here) and the two checksums, checked below */
	assert_memory_equal(buf, icmp_request, 18);
	assert_int_equal(buf[18], 0x02);
	assert_int_equal(buf[19], 0x03);
	assert_memory_equal(buf + 20, icmp_request + 20, 4);
	assert_memory_equal(buf + 26, icmp_request + 26, 10);
	assert_memory_equal(buf + 38, icmp_request + 38, len - 38);
	assert_int_equal(fold(buf + 14, 20), 0);
	assert_int_equal(fold(buf + 34, len - 34), 0);
	assert_int_equal(frame_parse(buf, len, 0, &pf), 0);
	assert_int_equal(pf.kind, PROBE_ICMP);
	assert_true(pf.request);
	assert_int_equal(pf.session, SESSION);
	assert_int_equal(pf.seq, SEQ);

	/* another probe in the same frame: fields and checksums follow */
	h.session = 7;
	h.seq = 0xfffffffe;
	frame_set_probe(buf, len, &h);
	assert_int_equal(fold(buf + 14, 20), 0);
	assert_int_equal(fold(buf + 34, len - 34), 0);
	assert_int_equal(buf[18], 0xff);
	assert_int_equal(buf[19], 0xfe);
	assert_int_equal(buf[40], 0xff); /* the echo's seq */
	assert_int_equal(buf[41], 0xfe);
	assert_int_equal(frame_parse(buf, len, 0, &pf), 0);
	assert_int_equal(pf.session, 7);
	assert_int_equal(pf.seq, 0xfffffffe);
}

static void test_build_udp(void **state)
{
	struct probe_hdr h = {.session = SESSION, .seq = SEQ};
	uint8_t buf[1600];
	struct probe_frame pf;
	size_t len;

	(void)state;
	len = frame_build_probe(buf, PROBE_UDP, 1518, &addrs, &h);
	assert_int_equal(len, 1514);
	assert_int_equal(buf[23], 17);
	/* IPv4 total length 1500, UDP length 1480 */
	assert_int_equal(buf[16] << 8 | buf[17], 1500);
	assert_int_equal(buf[38] << 8 | buf[39], 1480);
	assert_int_equal(buf[34] << 8 | buf[35], 40000);
	assert_int_equal(buf[36] << 8 | buf[37], PORT);
	/* no UDP checksum: 0 means none over IPv4 */
	assert_int_equal(buf[40] | buf[41], 0);
	assert_int_equal(fold(buf + 14, 20), 0);
	assert_int_equal(frame_parse(buf, len, PORT, &pf), 0);
	assert_int_equal(pf.kind, PROBE_UDP);
	assert_true(pf.request);
	assert_int_equal(pf.seq, SEQ);
	/* the reply as the reflector sends it: ports swapped */
	buf[34] = PORT >> 8;
	buf[35] = PORT & 0xff;
	buf[36] = 40000 >> 8;
	buf[37] = 40000 & 0xff;
	assert_int_equal(frame_parse(buf, len, PORT, &pf), 0);
	assert_false(pf.request);
}

static void test_build_sizes(void **state)
{
	struct probe_hdr h = {0};
	uint8_t buf[1600];

	(void)state;
	assert_int_equal(frame_build_probe(buf, PROBE_ICMP, PROBE_MIN_FRAME - 1,
					   &addrs, &h),
			 0);
	assert_int_equal(frame_build_probe(buf, PROBE_ICMP, 1519, &addrs, &h),
			 0);
	assert_int_equal(frame_build_probe(buf, PROBE_ICMP, PROBE_MIN_FRAME,
					   &addrs, &h),
			 PROBE_MIN_FRAME - 4);
	/* an odd length: the ICMP checksum pads with a zero byte */
	assert_int_equal(frame_build_probe(buf, PROBE_ICMP, 65, &addrs, &h),
			 61);
	assert_int_equal(fold(buf + 34, 61 - 34), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal),
		cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_ip_options),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_wrong_magic),
		cmocka_unit_test(test_not_ipv4),
		cmocka_unit_test(test_bad_ihl),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_build_icmp),
		cmocka_unit_test(test_build_udp),
		cmocka_unit_test(test_build_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
