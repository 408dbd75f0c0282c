// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <errno.h>
#include <unistd.h>

#include "core/cpio.h"
#include "util/alloc.h"

/*
 * A small archive whose every offset is worked out by hand:
 *   entry         start  header+name (padded)   data (padded)
 *   d/            0      110 + 2 = 112          0
 *   d/f "hello"   112    110 + 4 = 114 -> 116   5 -> 8
 *   l -> "d/f"    236    110 + 2 = 112          3 -> 4
 *   dev/console   352    110 + 12 = 122 -> 124  0
 *   TRAILER!!!    476    110 + 11 = 121 -> 124  0
 *   end           600
 */
static void small_archive(struct strbuf *sb)
{
	struct cpio c;

	cpio_init(&c, sb);
	assert_int_equal(cpio_add_dir(&c, "d", 0755), 0);
	assert_int_equal(cpio_add_file(&c, "/d/f", 0644, "hello", 5), 0);
	assert_int_equal(cpio_add_symlink(&c, "l", "d/f"), 0);
	assert_int_equal(cpio_add_chardev(&c, "dev/console", 0600, 5, 1), 0);
	cpio_finish(&c);
}

#define F(x) x /* one 8-hex-digit field, to line the headers up */

static void test_header_bytes(void **state)
{
	static const char *const want[] = {
		/* magic ino mode uid gid nlink mtime size devmaj devmin
		 * rdevmaj rdevmin namesize check */
		"070701" F("00000001") F("000041ED") F("00000000")
		F("00000000") F("00000002") F("00000000") F("00000000")
		F("00000000") F("00000000") F("00000000") F("00000000")
		F("00000002") F("00000000"),
		"070701" F("00000002") F("000081A4") F("00000000")
		F("00000000") F("00000001") F("00000000") F("00000005")
		F("00000000") F("00000000") F("00000000") F("00000000")
		F("00000004") F("00000000"),
		"070701" F("00000003") F("0000A1FF") F("00000000")
		F("00000000") F("00000001") F("00000000") F("00000003")
		F("00000000") F("00000000") F("00000000") F("00000000")
		F("00000002") F("00000000"),
		"070701" F("00000004") F("00002180") F("00000000")
		F("00000000") F("00000001") F("00000000") F("00000000")
		F("00000000") F("00000000") F("00000005") F("00000001")
		F("0000000C") F("00000000"),
		"070701" F("00000000") F("00000000") F("00000000")
		F("00000000") F("00000001") F("00000000") F("00000000")
		F("00000000") F("00000000") F("00000000") F("00000000")
		F("0000000B") F("00000000"),
	};
	static const size_t at[] = {0, 112, 236, 352, 476};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)state;
	small_archive(&sb);
	assert_int_equal(sb.len, 600);
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		assert_int_equal(strlen(want[i]), CPIO_HDR_LEN);
		assert_memory_equal(sb.buf + at[i], want[i], CPIO_HDR_LEN);
	}
	/* names with their NUL, then zero padding */
	assert_memory_equal(sb.buf + 110, "d\0", 2);
	assert_memory_equal(sb.buf + 112 + 110, "d/f\0\0\0", 6);
	assert_memory_equal(sb.buf + 228, "hello\0\0\0", 8);
	assert_memory_equal(sb.buf + 236 + 110, "l\0d/f\0", 6);
	assert_memory_equal(sb.buf + 352 + 110, "dev/console\0\0\0", 14);
	assert_memory_equal(sb.buf + 476 + 110, "TRAILER!!!\0\0\0\0", 14);
	strbuf_release(&sb);
}

struct entry {
	unsigned int ino, mode, nlink, rmajor, rminor;
	char name[64];
	const char *data;
	size_t len;
};

static unsigned int field(const char *hdr, int i)
{
	char hex[9];

	memcpy(hex, hdr + 6 + 8 * i, 8);
	hex[8] = '\0';
	return (unsigned int)strtoul(hex, NULL, 16);
}

/* The reader the kernel would be: returns the entries before the trailer */
static size_t read_archive(const struct strbuf *sb, struct entry *e,
			   size_t max)
{
	size_t off = 0, n = 0;

	for (;;) {
		const char *h = sb->buf + off;
		size_t namesize, len;

		assert_true(off + CPIO_HDR_LEN <= sb->len);
		assert_int_equal(off % 4, 0);
		assert_memory_equal(h, CPIO_MAGIC, 6);
		namesize = field(h, 11);
		len = field(h, 6);
		assert_int_equal(field(h, 5), 0); /* mtime */
		assert_int_equal(field(h, 2), 0); /* uid */
		assert_int_equal(field(h, 3), 0); /* gid */
		assert_int_equal(h[CPIO_HDR_LEN + namesize - 1], '\0');
		if (!strcmp(h + CPIO_HDR_LEN, CPIO_TRAILER)) {
			off += (CPIO_HDR_LEN + namesize + 3) & ~(size_t)3;
			assert_int_equal(off, sb->len);
			return n;
		}
		assert_true(n < max);
		e[n].ino = field(h, 0);
		e[n].mode = field(h, 1);
		e[n].nlink = field(h, 4);
		e[n].rmajor = field(h, 9);
		e[n].rminor = field(h, 10);
		snprintf(e[n].name, sizeof(e[n].name), "%s", h + CPIO_HDR_LEN);
		off += (CPIO_HDR_LEN + namesize + 3) & ~(size_t)3;
		e[n].data = sb->buf + off;
		e[n].len = len;
		off += (len + 3) & ~(size_t)3;
		n++;
	}
}

static void test_read_back(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct entry e[8];
	size_t n;

	(void)state;
	small_archive(&sb);
	n = read_archive(&sb, e, ARRAY_SIZE(e));
	assert_int_equal(n, 4);
	assert_string_equal(e[0].name, "d");
	assert_int_equal(e[0].mode, CPIO_S_IFDIR | 0755);
	assert_int_equal(e[0].nlink, 2);
	assert_string_equal(e[1].name, "d/f");
	assert_int_equal(e[1].mode, CPIO_S_IFREG | 0644);
	assert_int_equal(e[1].len, 5);
	assert_memory_equal(e[1].data, "hello", 5);
	assert_string_equal(e[2].name, "l");
	assert_int_equal(e[2].mode, CPIO_S_IFLNK | 0777);
	assert_int_equal(e[2].len, 3);
	assert_memory_equal(e[2].data, "d/f", 3);
	assert_string_equal(e[3].name, "dev/console");
	assert_int_equal(e[3].mode, CPIO_S_IFCHR | 0600);
	assert_int_equal(e[3].rmajor, 5);
	assert_int_equal(e[3].rminor, 1);
	for (n = 0; n < 4; n++)
		assert_int_equal(e[n].ino, n + 1);
	strbuf_release(&sb);
}

/* Every data length 0..8 and name length 1..8 keeps entries aligned */
static void test_padding(void **state)
{
	static const char data[] = "01234567";
	struct strbuf sb = STRBUF_INIT;
	struct entry e[80];
	struct cpio c;
	char name[16];
	size_t d, l, n;

	(void)state;
	/* an archive may start anywhere: alignment counts from its start */
	strbuf_addstr(&sb, "xyz");
	cpio_init(&c, &sb);
	for (d = 0; d <= 8; d++) {
		for (l = 1; l <= 8; l++) {
			snprintf(name, sizeof(name), "%.*s", (int)l,
				 "abcdefgh");
			name[0] = (char)('a' + d);
			assert_int_equal(cpio_add_file(&c, name, 0600, data, d),
					 0);
		}
	}
	cpio_finish(&c);
	assert_int_equal((sb.len - 3) % 4, 0);
	sb.len -= 3;
	memmove(sb.buf, sb.buf + 3, sb.len);
	n = read_archive(&sb, e, ARRAY_SIZE(e));
	assert_int_equal(n, 72);
	for (n = 0; n < 72; n++) {
		assert_int_equal(e[n].len, n / 8);
		assert_int_equal(strlen(e[n].name), n % 8 + 1);
		assert_memory_equal(e[n].data, data, e[n].len);
	}
	strbuf_release(&sb);
}

static void test_invalid(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct cpio c;

	(void)state;
	cpio_init(&c, &sb);
	assert_int_equal(cpio_add_dir(&c, "", 0755), -EINVAL);
	assert_int_equal(cpio_add_dir(&c, "/", 0755), -EINVAL);
	assert_int_equal(cpio_add_file(&c, "f", 0100644, "", 0), -EINVAL);
	assert_int_equal(cpio_add_symlink(&c, "l", ""), -EINVAL);
	assert_int_equal(sb.len, 0);
	assert_int_equal(c.ino, 0);
	strbuf_release(&sb);
}

/* The same inputs make the same bytes */
static void test_deterministic(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	(void)state;
	small_archive(&a);
	small_archive(&b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	strbuf_release(&a);
	strbuf_release(&b);
}

/* GNU cpio agrees, when it is installed */
static void test_cpio_tool(void **state)
{
	char path[] = "/tmp/iovbench-cpio-XXXXXX", cmd[128], out[256];
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	FILE *f;
	int fd;

	(void)state;
	if (system("command -v cpio >/dev/null 2>&1"))
		skip();
	small_archive(&sb);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, sb.buf, sb.len), (ssize_t)sb.len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "cpio -t --quiet <%s 2>&1", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	assert_int_equal(pclose(f), 0);
	unlink(path);
	assert_string_equal(out, "d\nd/f\nl\ndev/console\n");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_bytes),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_cpio_tool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
