// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pcap writer, byte for byte; and, where tcpdump or tshark is
 * installed, read back by it (skipped otherwise).
 */
#include "unit.h"

#include <unistd.h>

#include "core/pcap.h"
#include "util/alloc.h"

static const uint8_t file_hdr[] = {
	0x4d, 0x3c, 0xb2, 0xa1, /* magic: nanosecond timestamps */
	0x02, 0x00, 0x04, 0x00, /* version 2.4 */
	0x00, 0x00, 0x00, 0x00, /* thiszone */
	0x00, 0x00, 0x00, 0x00, /* sigfigs */
	0x00, 0x08, 0x00, 0x00, /* snaplen 2048 */
	0x01, 0x00, 0x00, 0x00, /* LINKTYPE_ETHERNET */
};

static void test_header(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	pcap_write_header(&sb, 2048, PCAP_LINKTYPE_ETHERNET);
	assert_int_equal(sb.len, PCAP_FILE_HDR_LEN);
	assert_memory_equal(sb.buf, file_hdr, sizeof(file_hdr));
	strbuf_release(&sb);
}

static void test_record(void **state)
{
	static const uint8_t data[] = {0xde, 0xad, 0xbe, 0xef, 0x01};
	static const uint8_t want[] = {
		/* 1700000000 s = 0x6553f100 */
		0x00, 0xf1, 0x53, 0x65,
		/* 123456789 ns = 0x075bcd15 */
		0x15, 0xcd, 0x5b, 0x07,
		0x05, 0x00, 0x00, 0x00, /* caplen */
		0xea, 0x05, 0x00, 0x00, /* len 1514 */
		0xde, 0xad, 0xbe, 0xef, 0x01,
		/* the next record: 0 ns, whole */
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
		0xde, 0xad,
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	pcap_write_record(&sb, 1700000000LL * 1000000000 + 123456789, data,
			  5, 1514);
	pcap_write_record(&sb, 1000000000LL, data, 2, 2);
	assert_int_equal(sb.len, sizeof(want));
	assert_memory_equal(sb.buf, want, sizeof(want));
	strbuf_release(&sb);
}

static void test_clamp(void **state)
{
	static const uint8_t neg[] = {0, 0, 0, 0, 0, 0, 0, 0,
				      3, 0, 0, 0, 3, 0, 0, 0};
	static const uint8_t late[] = {0xff, 0xff, 0xff, 0xff,
				       0xff, 0xc9, 0x9a, 0x3b, /* 999999999 */
				       0, 0, 0, 0, 0, 0, 0, 0};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	/* before 1970: 0; len below caplen: raised to it */
	pcap_write_record(&sb, -5, "abc", 3, 1);
	assert_int_equal(sb.len, PCAP_REC_HDR_LEN + 3);
	assert_memory_equal(sb.buf, neg, sizeof(neg));
	strbuf_reset(&sb);
	/* after 2106: the last representable nanosecond */
	pcap_write_record(&sb, INT64_MAX, "", 0, 0);
	assert_int_equal(sb.len, PCAP_REC_HDR_LEN);
	assert_memory_equal(sb.buf, late, sizeof(late));
	strbuf_release(&sb);
}

/* A reader of pcap files, or NULL. */
static const char *find_reader(void)
{
	static const char *const dirs[] = {"/usr/bin", "/usr/sbin", "/bin",
					   "/sbin", "/usr/local/bin"};
	static char path[256];
	size_t i, j;

	for (j = 0; j < 2; j++) {
		for (i = 0; i < ARRAY_SIZE(dirs); i++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[i],
				 j ? "tcpdump" : "tshark");
			if (!access(path, X_OK))
				return path;
		}
	}
	return NULL;
}

static void test_read_back(void **state)
{
	/* 60-byte ICMP echo request, 198.18.0.1 -> 198.18.0.2 */
	static const uint8_t frame[60] = {
		0x02, 0x69, 0x6f, 0, 0, 2, 0x02, 0x69, 0x6f, 0, 0, 1, 0x08, 0,
		0x45, 0, 0, 46, 0, 1, 0x40, 0, 64, 1, 0, 0, 198, 18, 0, 1,
		198, 18, 0, 2, 8, 0, 0, 0, 0x12, 0x34, 0, 7, 'I', 'O', 'V', 'B',
	};
	const char *reader = find_reader();
	char file[] = "/tmp/iov-test-pcap.XXXXXX";
	char cmd[512];
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
	FILE *p;
	int fd;

	(void)state;
	if (!reader) {
		print_message("no tshark or tcpdump: read-back skipped\n");
		skip();
	}
	pcap_write_header(&sb, 2048, PCAP_LINKTYPE_ETHERNET);
	pcap_write_record(&sb, 1700000000LL * 1000000000 + 123456789, frame,
			  sizeof(frame), sizeof(frame));
	fd = mkstemp(file);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, sb.buf, sb.len), (ssize_t)sb.len);
	close(fd);
	if (strstr(reader, "tshark"))
		snprintf(cmd, sizeof(cmd),
			 "%s -r %s -T fields -e frame.time_epoch -e "
			 "icmp.type 2>&1", reader, file);
	else
		snprintf(cmd, sizeof(cmd),
			 "%s -nn --nano -tt -r %s 2>&1", reader, file);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(strbuf_read_fd(&out, fileno(p)), 0);
	pclose(p);
	unlink(file);
	if (!strstr(out.buf, "1700000000.123456789"))
		fail_msg("'%s' read: %s", cmd, out.buf);
	strbuf_release(&sb);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_read_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
