// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include "core/packet.h"

#define ECHO_ID 0x1234
#define SESSION 0xa1b2c3d4u
/* payload of a 64-byte frame: 64 - 14 - 20 - 8 - 4 */
#define PAYLOAD_64 18
#define IP_HDR_LEN 20

static const struct probe_hdr hdr = {
	.session = SESSION,
	.seq = 0x00010203,
	.flags = 0x80000001,
};

static void test_payload_len(void **state)
{
	(void)state;
	assert_int_equal(PROBE_MIN_FRAME, 62);
	assert_int_equal(packet_payload_len(64), PAYLOAD_64);
	assert_int_equal(packet_payload_len(1518), 1472);
	assert_int_equal(packet_payload_len(PROBE_MIN_FRAME), PROBE_HDR_LEN);
	/* too small to hold the probe header: no payload at all */
	assert_int_equal(packet_payload_len(PROBE_MIN_FRAME - 1), 0);
	assert_int_equal(packet_payload_len(46), 0);
	assert_int_equal(packet_payload_len(0), 0);
}

static void test_csum(void **state)
{
	/* RFC 1071 section 3: the one's complement sum is 0xddf2 */
	static const uint8_t rfc1071[] = {0x00, 0x01, 0xf2, 0x03,
					  0xf4, 0xf5, 0xf6, 0xf7};
	static const uint8_t odd[] = {0x00, 0x01, 0xf2, 0x03, 0xf4,
				      0xf5, 0xf6, 0xf7, 0xab};
	static const uint8_t odd_padded[] = {0x00, 0x01, 0xf2, 0x03, 0xf4,
					     0xf5, 0xf6, 0xf7, 0xab, 0x00};
	/* an IPv4 header whose checksum field (0xb861) is filled in */
	uint8_t ip[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
			       0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
			       0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	static const uint8_t ones[] = {0xff, 0xff, 0xff, 0xff};
	static const uint8_t one = 0x01;

	(void)state;
	assert_int_equal(packet_csum(rfc1071, sizeof(rfc1071)), 0x220d);
	/* the odd byte counts as the high byte of a zero-padded word */
	assert_int_equal(packet_csum(odd, sizeof(odd)), 0x770c);
	assert_int_equal(packet_csum(odd, sizeof(odd)),
			 packet_csum(odd_padded, sizeof(odd_padded)));
	assert_int_equal(packet_csum(&one, 1), 0xfeff);
	assert_int_equal(packet_csum(NULL, 0), 0xffff);
	/* end-around carry: 0xffff + 0xffff folds to 0xffff */
	assert_int_equal(packet_csum(ones, sizeof(ones)), 0x0000);
	assert_int_equal(packet_csum(ip, sizeof(ip)), 0);
	ip[10] = ip[11] = 0;
	assert_int_equal(packet_csum(ip, sizeof(ip)), 0xb861);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void test_payload(void **state)
{
	uint8_t buf[40];
	struct probe_hdr h;
	size_t i;

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	packet_write_payload(buf, 32, &hdr);
	assert_memory_equal(buf, "IOVB", 4);
	assert_int_equal(get32(buf + 4), SESSION);
	assert_int_equal(get32(buf + 8), 0x00010203);
	assert_int_equal(get32(buf + 12), 0x80000001);
	for (i = 16; i < 32; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[32], 0xee); /* nothing past payload_len */
	assert_int_equal(packet_read_payload(buf, 32, &h), 0);
	assert_int_equal(h.session, SESSION);
	assert_int_equal(h.seq, hdr.seq);
	assert_int_equal(h.flags, hdr.flags);
	assert_int_equal(packet_read_payload(buf, PROBE_HDR_LEN - 1, &h), -1);

	/* too short for the header: zero padding only */
	memset(buf, 0xee, sizeof(buf));
	packet_write_payload(buf, 10, &hdr);
	for (i = 0; i < 10; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[10], 0xee);
}

static void test_icmp_echo(void **state)
{
	uint8_t buf[ICMP_HDR_LEN + PAYLOAD_64];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	packet_build_icmp_echo(buf, PAYLOAD_64, ECHO_ID, &hdr);
	assert_int_equal(buf[0], 8); /* echo request */
	assert_int_equal(buf[1], 0);
	assert_int_equal(buf[4] << 8 | buf[5], ECHO_ID);
	/* the ICMP sequence number is the low 16 bits of seq */
	assert_int_equal(buf[6] << 8 | buf[7], 0x0203);
	assert_memory_equal(buf + ICMP_HDR_LEN, "IOVB", 4);
	assert_int_equal(get32(buf + ICMP_HDR_LEN + 4), SESSION);
	assert_int_equal(get32(buf + ICMP_HDR_LEN + 8), 0x00010203);
	assert_int_equal(buf[ICMP_HDR_LEN + 16], 0);
	assert_int_equal(buf[ICMP_HDR_LEN + 17], 0);
	assert_int_equal(packet_csum(buf, sizeof(buf)), 0);

	packet_icmp_set_seq(buf, PAYLOAD_64, 0xfedcba98);
	assert_int_equal(buf[6] << 8 | buf[7], 0xba98);
	assert_int_equal(get32(buf + ICMP_HDR_LEN + 8), 0xfedcba98);
	assert_int_equal(get32(buf + ICMP_HDR_LEN + 4), SESSION);
	assert_int_equal(buf[4] << 8 | buf[5], ECHO_ID);
	assert_int_equal(packet_csum(buf, sizeof(buf)), 0);

	packet_icmp_set_seq(buf, PAYLOAD_64, 0);
	assert_int_equal(get32(buf + ICMP_HDR_LEN + 8), 0);
	assert_int_equal(packet_csum(buf, sizeof(buf)), 0);
}

static void icmp_fix_csum(uint8_t *icmp, size_t len)
{
	uint16_t c;

	icmp[2] = icmp[3] = 0;
	c = packet_csum(icmp, len);
	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
}

/*
 * What a raw socket returns for a reply to our echo: an IPv4 header (ihl
 * words, options zero) and the echo turned into a reply. Returns the
 * length; the ICMP message starts at pkt + ihl * 4.
 */
static size_t build_reply(uint8_t *pkt, unsigned ihl, uint32_t seq,
			  uint32_t session)
{
	struct probe_hdr h = {.session = session, .seq = seq};
	size_t icmp_len = ICMP_HDR_LEN + PAYLOAD_64;
	size_t tot = ihl * 4 + icmp_len;
	uint8_t *icmp = pkt + ihl * 4;

	memset(pkt, 0, ihl * 4);
	pkt[0] = (uint8_t)(0x40 | ihl);
	pkt[2] = (uint8_t)(tot >> 8);
	pkt[3] = (uint8_t)tot;
	pkt[8] = 64; /* ttl */
	pkt[9] = 1;  /* IPPROTO_ICMP */
	memcpy(pkt + 12, "\xc6\x12\x00\x02\xc6\x12\x00\x01", 8);
	/* the raw socket does not check the IP checksum: leave it 0 */
	packet_build_icmp_echo(icmp, PAYLOAD_64, ECHO_ID, &h);
	icmp[0] = 0; /* echo reply */
	icmp_fix_csum(icmp, icmp_len);
	return tot;
}

static int parse(const uint8_t *pkt, size_t len, uint32_t *seq)
{
	return packet_parse_icmp_reply(pkt, len, ECHO_ID, SESSION, seq);
}

static void test_icmp_reply(void **state)
{
	uint8_t pkt[128], *icmp = pkt + IP_HDR_LEN;
	size_t len = build_reply(pkt, 5, 0xcafe0042, SESSION);
	uint32_t seq = 0;

	(void)state;
	assert_int_equal(len, 46);
	assert_int_equal(parse(pkt, len, &seq), 0);
	assert_int_equal(seq, 0xcafe0042);
	/* bytes past the IPv4 total length (padding) are ignored */
	memset(pkt + len, 0x55, 10);
	seq = 0;
	assert_int_equal(parse(pkt, len + 10, &seq), 0);
	assert_int_equal(seq, 0xcafe0042);

	/* IPv4 options: ihl 6 */
	len = build_reply(pkt, 6, 7, SESSION);
	assert_int_equal(parse(pkt, len, &seq), 0);
	assert_int_equal(seq, 7);

	/* a probe renumbered by set_seq, echoed back */
	len = build_reply(pkt, 5, 1, SESSION);
	packet_icmp_set_seq(icmp, PAYLOAD_64, 99);
	assert_int_equal(parse(pkt, len, &seq), 0);
	assert_int_equal(seq, 99);
}

static void test_icmp_reply_rejects(void **state)
{
	uint8_t pkt[128], *icmp = pkt + IP_HDR_LEN;
	size_t len, l;
	uint32_t seq = 0x5eed;

	(void)state;
	len = build_reply(pkt, 5, 3, SESSION);
	assert_int_equal(packet_parse_icmp_reply(pkt, len, ECHO_ID + 1,
						 SESSION, &seq), -1);
	assert_int_equal(packet_parse_icmp_reply(pkt, len, ECHO_ID,
						 SESSION ^ 1, &seq), -1);

	/* another run's session, checksum valid */
	len = build_reply(pkt, 5, 3, SESSION + 1);
	assert_int_equal(parse(pkt, len, &seq), -1);

	/* bad magic, checksum fixed so only the magic is wrong */
	len = build_reply(pkt, 5, 3, SESSION);
	icmp[ICMP_HDR_LEN] = 'X';
	icmp_fix_csum(icmp, len - IP_HDR_LEN);
	assert_int_equal(parse(pkt, len, &seq), -1);

	/* bad checksum: one padding byte flipped */
	len = build_reply(pkt, 5, 3, SESSION);
	icmp[len - IP_HDR_LEN - 1] ^= 0x01;
	assert_int_equal(parse(pkt, len, &seq), -1);

	/* an echo request, not a reply; a nonzero code */
	len = build_reply(pkt, 5, 3, SESSION);
	icmp[0] = 8;
	icmp_fix_csum(icmp, len - IP_HDR_LEN);
	assert_int_equal(parse(pkt, len, &seq), -1);
	len = build_reply(pkt, 5, 3, SESSION);
	icmp[1] = 1;
	icmp_fix_csum(icmp, len - IP_HDR_LEN);
	assert_int_equal(parse(pkt, len, &seq), -1);

	/* truncated buffers: every length short of the whole packet */
	len = build_reply(pkt, 5, 3, SESSION);
	for (l = 0; l < len; l++) {
		if (parse(pkt, l, &seq) != -1)
			fail_msg("accepted a packet cut to %zu bytes", l);
	}
	/* total length larger than the buffer */
	pkt[3] = (uint8_t)(len + 1);
	assert_int_equal(parse(pkt, len, &seq), -1);
	/* total length smaller than the IPv4 header */
	pkt[3] = 19;
	assert_int_equal(parse(pkt, len, &seq), -1);

	/* ICMP shorter than its header, checksum valid over what is left */
	len = build_reply(pkt, 5, 3, SESSION);
	pkt[3] = IP_HDR_LEN + ICMP_HDR_LEN - 1;
	assert_int_equal(parse(pkt, len, &seq), -1);
	/* payload one byte short of the probe header, checksum valid */
	pkt[3] = IP_HDR_LEN + ICMP_HDR_LEN + PROBE_HDR_LEN - 1;
	icmp_fix_csum(icmp, ICMP_HDR_LEN + PROBE_HDR_LEN - 1);
	assert_int_equal(parse(pkt, len, &seq), -1);
	/* and with the whole probe header, it parses */
	pkt[3] = IP_HDR_LEN + ICMP_HDR_LEN + PROBE_HDR_LEN;
	icmp_fix_csum(icmp, ICMP_HDR_LEN + PROBE_HDR_LEN);
	assert_int_equal(parse(pkt, len, &seq), 0);
	assert_int_equal(seq, 3);

	/* ihl < 5, and an ihl longer than the total length */
	seq = 0x5eed;
	len = build_reply(pkt, 5, 3, SESSION);
	pkt[0] = 0x44;
	assert_int_equal(parse(pkt, len, &seq), -1);
	pkt[0] = 0x40;
	assert_int_equal(parse(pkt, len, &seq), -1);
	pkt[0] = 0x4f; /* 60 bytes > total length 46 */
	assert_int_equal(parse(pkt, len, &seq), -1);
	/* IPv6 */
	pkt[0] = 0x65;
	assert_int_equal(parse(pkt, len, &seq), -1);
	/* UDP, not ICMP */
	pkt[0] = 0x45;
	pkt[9] = 17;
	assert_int_equal(parse(pkt, len, &seq), -1);
	pkt[9] = 1;
	assert_int_equal(seq, 0x5eed); /* never written on failure */
	assert_int_equal(parse(pkt, len, &seq), 0);
}

static void test_udp_reply(void **state)
{
	uint8_t buf[PAYLOAD_64];
	struct probe_hdr h = {.session = SESSION, .seq = 0xffffffff};
	uint32_t seq = 0;

	(void)state;
	packet_write_payload(buf, sizeof(buf), &h);
	assert_int_equal(packet_parse_udp_reply(buf, sizeof(buf), SESSION,
						&seq), 0);
	assert_int_equal(seq, 0xffffffff);
	seq = 1;
	assert_int_equal(packet_parse_udp_reply(buf, PROBE_HDR_LEN, SESSION,
						&seq), 0);
	assert_int_equal(seq, 0xffffffff);
	seq = 1;
	assert_int_equal(packet_parse_udp_reply(buf, PROBE_HDR_LEN - 1,
						SESSION, &seq), -1);
	assert_int_equal(packet_parse_udp_reply(buf, 0, SESSION, &seq), -1);
	assert_int_equal(packet_parse_udp_reply(buf, sizeof(buf), SESSION - 1,
						&seq), -1);
	buf[3] = 'b';
	assert_int_equal(packet_parse_udp_reply(buf, sizeof(buf), SESSION,
						&seq), -1);
	assert_int_equal(seq, 1);
}

static void test_find_probe(void **state)
{
	/* Ethernet + IPv4 + UDP headers ahead of the payload */
	uint8_t pkt[14 + 20 + 8 + 2 * PROBE_HDR_LEN + 8];
	struct probe_hdr h = {.session = SESSION, .seq = 123456};
	struct probe_hdr other = {.session = SESSION + 1, .seq = 9};
	size_t off = 14 + 20 + 8, len, i;
	uint32_t seq = 0;

	(void)state;
	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 37 + 11);
	/* a lone 'I' and a half magic ahead of the real header */
	memcpy(pkt + 3, "IOV", 3);
	memcpy(pkt + 20, "IOVB", 4);
	packet_write_payload(pkt + off, PROBE_HDR_LEN, &h);
	len = off + PROBE_HDR_LEN;
	assert_int_equal(packet_find_probe(pkt, len, SESSION, &seq), 0);
	assert_int_equal(seq, 123456);
	/* the header cut by one byte is not there */
	seq = 0;
	assert_int_equal(packet_find_probe(pkt, len - 1, SESSION, &seq), -1);
	assert_int_equal(packet_find_probe(pkt, len, SESSION ^ 0x100, &seq),
			 -1);
	assert_int_equal(seq, 0);
	assert_int_equal(packet_find_probe(pkt, 0, SESSION, &seq), -1);

	/* another session's header first: skipped for ours */
	packet_write_payload(pkt + off, PROBE_HDR_LEN, &other);
	packet_write_payload(pkt + off + PROBE_HDR_LEN, PROBE_HDR_LEN, &h);
	assert_int_equal(packet_find_probe(pkt, sizeof(pkt), SESSION, &seq),
			 0);
	assert_int_equal(seq, 123456);
	assert_int_equal(packet_find_probe(pkt, sizeof(pkt), SESSION + 1,
					   &seq), 0);
	assert_int_equal(seq, 9);

	/* at offset 0, as a UDP payload would be */
	packet_write_payload(pkt, PROBE_HDR_LEN, &h);
	seq = 0;
	assert_int_equal(packet_find_probe(pkt, PROBE_HDR_LEN, SESSION, &seq),
			 0);
	assert_int_equal(seq, 123456);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_len),
		cmocka_unit_test(test_csum),
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_icmp_reply),
		cmocka_unit_test(test_icmp_reply_rejects),
		cmocka_unit_test(test_udp_reply),
		cmocka_unit_test(test_find_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
