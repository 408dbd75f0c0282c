// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include "guest/qmp.h"
#include "util/alloc.h"

/* What QEMU 7.2 says first on a QMP socket. */
static const char greeting[] =
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, "
	"\"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18\"}, "
	"\"capabilities\": [\"oob\"]}}";

static enum qmp_kind classify(const char *line, char *desc, size_t len)
{
	return qmp_classify(line, strlen(line), desc, len);
}

static void test_greeting(void **state)
{
	char desc[64] = "stale";

	(void)state;
	assert_int_equal(classify(greeting, desc, sizeof(desc)), QMP_GREETING);
	assert_string_equal(desc, ""); /* cleared: not an error */
	assert_int_equal(classify(greeting, NULL, 0), QMP_GREETING);
}

static void test_return(void **state)
{
	char desc[64] = "stale";

	(void)state;
	assert_int_equal(classify("{\"return\": {}}", desc, sizeof(desc)),
			 QMP_RETURN);
	assert_string_equal(desc, "");
	assert_int_equal(classify("{\"return\": {\"status\": \"running\", "
				  "\"singlestep\": false, \"running\": true}}",
				  desc, sizeof(desc)),
			 QMP_RETURN);
	/* query-cpus-fast returns a list; an id may come along */
	assert_int_equal(classify("{\"return\": [{\"cpu-index\": 0, "
				  "\"thread-id\": 4242}], \"id\": 1}",
				  desc, sizeof(desc)),
			 QMP_RETURN);
	assert_int_equal(classify("{\"return\": null}", NULL, 0), QMP_RETURN);
}

static void test_error(void **state)
{
	const char *line = "{\"error\": {\"class\": \"CommandNotFound\", "
			   "\"desc\": \"The command query-foo has not been "
			   "found\"}}";
	char desc[128] = "", small[8];

	(void)state;
	assert_int_equal(classify(line, desc, sizeof(desc)), QMP_ERROR);
	assert_string_equal(desc, "The command query-foo has not been found");
	/* a small buffer gets what fits, terminated */
	memset(small, 'x', sizeof(small));
	assert_int_equal(classify(line, small, sizeof(small)), QMP_ERROR);
	assert_string_equal(small, "The com");
	memset(small, 'x', sizeof(small));
	assert_int_equal(classify(line, small, 1), QMP_ERROR);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'x');
	/* no room at all, or no buffer: classified all the same */
	memset(small, 'x', sizeof(small));
	assert_int_equal(classify(line, small, 0), QMP_ERROR);
	assert_int_equal(small[0], 'x');
	assert_int_equal(classify(line, NULL, 0), QMP_ERROR);
	/* an error without a description still is one */
	assert_int_equal(classify("{\"error\": {\"class\": \"GenericError\"}}",
				  desc, sizeof(desc)),
			 QMP_ERROR);
	assert_string_equal(desc, "unknown error");
	assert_int_equal(classify("{\"error\": {\"desc\": 5}}", desc,
				  sizeof(desc)),
			 QMP_ERROR);
	assert_string_equal(desc, "unknown error");
	assert_int_equal(classify("{\"error\": \"bad\"}", desc, sizeof(desc)),
			 QMP_ERROR);
	assert_string_equal(desc, "unknown error");
	/* JSON escapes arrive decoded */
	assert_int_equal(classify("{\"error\": {\"desc\": \"a \\\"b\\\" "
				  "\\u00e9\"}}",
				  desc, sizeof(desc)),
			 QMP_ERROR);
	assert_string_equal(desc, "a \"b\" \xc3\xa9");
}

static void test_event(void **state)
{
	char desc[64] = "stale";

	(void)state;
	assert_int_equal(classify("{\"timestamp\": {\"seconds\": 1700000000, "
				  "\"microseconds\": 123456}, \"event\": "
				  "\"SHUTDOWN\", \"data\": {\"guest\": true, "
				  "\"reason\": \"guest-shutdown\"}}",
				  desc, sizeof(desc)),
			 QMP_EVENT);
	assert_string_equal(desc, "");
	/* an event names itself with a string */
	assert_int_equal(classify("{\"event\": 5}", NULL, 0), QMP_UNKNOWN);
	assert_int_equal(classify("{\"event\": null}", NULL, 0), QMP_UNKNOWN);
}

/* The first key that says what it is wins, in this order. */
static void test_precedence(void **state)
{
	char desc[64];

	(void)state;
	assert_int_equal(classify("{\"event\": \"STOP\", \"return\": {}}", desc,
				  sizeof(desc)),
			 QMP_RETURN);
	assert_int_equal(classify("{\"error\": {\"desc\": \"x\"}, \"return\": "
				  "{}}",
				  desc, sizeof(desc)),
			 QMP_RETURN);
	assert_string_equal(desc, "");
	assert_int_equal(classify("{\"error\": {\"desc\": \"x\"}, \"QMP\": {}}",
				  desc, sizeof(desc)),
			 QMP_GREETING);
}

static void test_unknown(void **state)
{
	static const char *const bad[] = {
		"",
		" ",
		"QMP",
		"{",
		"{\"return\": {}",
		"{\"return\": {}}}",
		"{\"return\": {}} {\"return\": {}}",
		"{'return': {}}",
		"{\"return\": {},}",
		"[{\"return\": {}}]",
		"\"return\"",
		"42",
		"null",
		"true",
		"[]",
		"{}",
		"{\"id\": 1}",
		"{\"Return\": {}}",
		"{\"qmp\": {}}",
		/* duplicate keys: which would count? */
		"{\"return\": {}, \"return\": {}}",
		"{\"event\": \"STOP\", \"event\": \"RESUME\"}",
		"{\"error\": {\"desc\": \"a\"}, \"error\": {\"desc\": \"b\"}}",
		"{\"return\": {\"a\": 1, \"a\": 2}}",
		/* a NUL in a string is not taken */
		"{\"error\": {\"desc\": \"a\\u0000b\"}}",
	};
	char desc[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strcpy(desc, "stale");
		if (classify(bad[i], desc, sizeof(desc)) != QMP_UNKNOWN)
			fail_msg("case %zu '%s': not QMP_UNKNOWN", i, bad[i]);
		assert_string_equal(desc, "");
	}
}

/* len is the message: bytes after it are not looked at. */
static void test_length(void **state)
{
	const char buf[] = "{\"return\": {}}garbage";
	const char nul[] = "{\"return\": {}}\0{";
	char desc[16];

	(void)state;
	assert_int_equal(qmp_classify(buf, 14, desc, sizeof(desc)),
			 QMP_RETURN);
	assert_int_equal(qmp_classify(buf, sizeof(buf) - 1, desc,
				      sizeof(desc)),
			 QMP_UNKNOWN);
	assert_int_equal(qmp_classify(buf, 13, desc, sizeof(desc)),
			 QMP_UNKNOWN);
	assert_int_equal(qmp_classify(nul, sizeof(nul) - 1, desc,
				      sizeof(desc)),
			 QMP_UNKNOWN);
	assert_int_equal(qmp_classify(buf, 0, desc, sizeof(desc)),
			 QMP_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greeting),
		cmocka_unit_test(test_return),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_event),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
