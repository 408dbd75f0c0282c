// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include "core/agent_proto.h"
#include "core/guest_prog.h"
#include "util/alloc.h"

/* r is large (two lines of buffers): one per test, not on the stack */
static struct agent_request req;
static struct agent_reply rep;

static void parse_ok(const char *line)
{
	char why[128] = "";

	if (agent_parse_request(line, &req, why, sizeof(why)))
		fail_msg("'%s': %s", line, why);
}

static void test_verbs(void **state)
{
	(void)state;
	parse_ok("hello 1");
	assert_int_equal(req.verb, AGENT_HELLO);
	assert_int_equal(req.tag, 1);
	assert_int_equal(req.argc, 0);
	assert_null(req.argv[0]);

	parse_ok("link 4294967295 eth0");
	assert_int_equal(req.verb, AGENT_LINK);
	assert_int_equal(req.tag, UINT32_MAX);
	assert_int_equal(req.argc, 1);
	assert_string_equal(req.argv[0], "eth0");
	assert_null(req.argv[1]);

	parse_ok("run 7 2500 probe --kind=udp 198.18.0.2:7 -c 100");
	assert_int_equal(req.verb, AGENT_RUN);
	assert_int_equal(req.tag, 7);
	assert_int_equal(req.timeout_ms, 2500);
	assert_int_equal(req.argc, 5);
	assert_string_equal(req.argv[0], "probe");
	assert_string_equal(req.argv[1], "--kind=udp");
	assert_string_equal(req.argv[2], "198.18.0.2:7");
	assert_string_equal(req.argv[3], "-c");
	assert_string_equal(req.argv[4], "100");
	assert_null(req.argv[5]);

	parse_ok("probe 8 5000 kind=icmp rate=1000 target=198.18.0.2");
	assert_int_equal(req.verb, AGENT_PROBE);
	assert_int_equal(req.tag, 8);
	assert_int_equal(req.timeout_ms, 5000);
	assert_int_equal(req.argc, 3);
	assert_string_equal(req.argv[0], "kind=icmp");
	assert_string_equal(req.argv[2], "target=198.18.0.2");
	assert_null(req.argv[3]);

	parse_ok("start 0 reflect --port=7");
	assert_int_equal(req.verb, AGENT_START);
	assert_int_equal(req.tag, 0);
	assert_int_equal(req.argc, 2);
	assert_string_equal(req.argv[0], "reflect");
	assert_string_equal(req.argv[1], "--port=7");
	assert_null(req.argv[2]);

	parse_ok("stop 9 3");
	assert_int_equal(req.verb, AGENT_STOP);
	assert_int_equal(req.tag, 9);
	assert_int_equal(req.handle, 3);
	assert_int_equal(req.argc, 0);
	assert_null(req.argv[0]);

	/* every byte a word may hold */
	parse_ok("start 1 azAZ09._:/=,+-");
	assert_string_equal(req.argv[0], "azAZ09._:/=,+-");
}

/* A request's argv points into its own copy of the line. */
static void test_argv_owned(void **state)
{
	char line[] = "link 3 eth1";

	(void)state;
	parse_ok(line);
	memset(line, 'x', sizeof(line) - 1);
	assert_string_equal(req.argv[0], "eth1");
	assert_true(req.argv[0] >= req.buf &&
		    req.argv[0] < req.buf + sizeof(req.buf));
}

/* n words of "w" after the prefix */
static void line_with_words(char *buf, size_t len, const char *prefix,
			    int n)
{
	size_t off = (size_t)snprintf(buf, len, "%s", prefix);
	int i;

	for (i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, len - off, " w");
}

static void test_max_words(void **state)
{
	char line[512];

	(void)state;
	/* AGENT_MAX_WORDS words after the tag, and no more */
	line_with_words(line, sizeof(line), "start 1", AGENT_MAX_WORDS);
	parse_ok(line);
	assert_int_equal(req.argc, AGENT_MAX_WORDS);
	assert_null(req.argv[AGENT_MAX_WORDS]);
	line_with_words(line, sizeof(line), "run 1 10", AGENT_MAX_WORDS - 1);
	parse_ok(line);
	assert_int_equal(req.argc, AGENT_MAX_WORDS - 1);
	assert_null(req.argv[AGENT_MAX_WORDS - 1]);
}

/* Each line is refused with this exact reason. */
static void test_rejects(void **state)
{
	static char w256[300], w255[256], longline[AGENT_MAX_LINE + 16],
		many[512], many2[512], many3[512];
	const struct {
		const char *line;
		const char *why;
	} bad[] = {
		{"", "malformed request"},
		{"hello", "malformed request"},
		{"exec 1 sh", "unknown request 'exec'"},
		{"HELLO 1", "unknown request 'HELLO'"},
		{"hello x", "bad tag"},
		{"hello -1", "bad tag"},
		{"hello +1", "bad tag"},
		{"hello 4294967296", "bad tag"},
		{"hello 00000000001", "bad tag"},
		{"link 1", "wrong number of words for link"},
		{"run 1", "wrong number of words for run"},
		{"run 1 10", "wrong number of words for run"},
		{"start 1", "wrong number of words for start"},
		{"stop 1", "wrong number of words for stop"},
		{"hello 1 x", "wrong number of words for hello"},
		{"link 1 eth0 eth1", "wrong number of words for link"},
		{"stop 1 2 3", "wrong number of words for stop"},
		{"run 1 x probe", "bad timeout"},
		{"run 1 99999999999 probe", "bad timeout"},
		{"probe 1", "wrong number of words for probe"},
		{"probe 1 10", "wrong number of words for probe"},
		{"probe 1 x rate=1", "bad timeout"},
		{"stop 1 x", "bad handle"},
		{"stop 1 -2", "bad handle"},
		/* two spaces make an empty word, as does an edge space */
		{"link 1  eth0", "malformed request"},
		{"hello  1", "malformed request"},
		{" hello 1", "malformed request"},
		{"hello 1 ", "malformed request"},
		{"run 1 10 probe\t-c", "malformed request"},
		{"start 1 probe;reboot", "malformed request"},
		{"start 1 $HOME", "malformed request"},
		{"start 1 'x'", "malformed request"},
		{"start 1 \"x\"", "malformed request"},
		{"start 1 a`id`", "malformed request"},
		{"start 1 probe\n", "malformed request"},
		{"start 1 probe\r", "malformed request"},
		{"start 1 caf\xc3\xa9", "malformed request"},
		{w256, "malformed request"},
		{longline, "request longer than 4095 bytes"},
		{many, "wrong number of words for start"},
		{many2, "malformed request"},
		{many3, "wrong number of words for run"},
	};
	size_t i;

	(void)state;
	memset(w255, 'a', 255);
	snprintf(w256, sizeof(w256), "start 1 %s", w255);
	strcat(w256, "b"); /* 256 bytes */
	memset(longline, 'a', AGENT_MAX_LINE);
	line_with_words(many, sizeof(many), "start 1", AGENT_MAX_WORDS + 1);
	line_with_words(many2, sizeof(many2), "start 1",
			AGENT_MAX_WORDS + 10);
	line_with_words(many3, sizeof(many3), "run 1 10", AGENT_MAX_WORDS);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char why[128] = "";

		if (!agent_parse_request(bad[i].line, &req, why, sizeof(why)))
			fail_msg("case %zu '%.60s': accepted", i, bad[i].line);
		if (strcmp(why, bad[i].why))
			fail_msg("case %zu '%.60s': '%s', expected '%s'", i,
				 bad[i].line, why, bad[i].why);
	}
	/* the longest word passes */
	snprintf(w256, sizeof(w256), "start 1 %s", w255);
	parse_ok(w256);
	assert_int_equal(strlen(req.argv[0]), 255);
}

/* The longest line: 16 words of 255 bytes, or nearly, after the tag. */
static void test_longest_line(void **state)
{
	static char line[AGENT_MAX_LINE];
	size_t i;

	(void)state;
	strcpy(line, "start 1 ");
	for (i = 8; i < AGENT_MAX_LINE - 1; i++)
		line[i] = (i - 8) % 256 == 255 ? ' ' : 'a';
	line[i] = '\0';
	assert_int_equal(strlen(line), AGENT_MAX_LINE - 1);
	parse_ok(line);
	assert_int_equal(req.argc, 16);
	assert_int_equal(strlen(req.argv[0]), 255);
	assert_int_equal(strlen(req.argv[15]), 247);
}

/* A short why buffer is filled, truncated and terminated. */
static void test_short_why(void **state)
{
	char why[8];

	(void)state;
	memset(why, 'x', sizeof(why));
	assert_int_equal(agent_parse_request("exec 1", &req, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "unknown");
}

static void test_word_ok(void **state)
{
	char w[300];

	(void)state;
	assert_true(agent_word_ok("x"));
	assert_true(agent_word_ok("--rate=10000"));
	assert_false(agent_word_ok(""));
	assert_false(agent_word_ok("a b"));
	assert_false(agent_word_ok("a;b"));
	assert_false(agent_word_ok("a$b"));
	assert_false(agent_word_ok("'"));
	assert_false(agent_word_ok("\\"));
	assert_false(agent_word_ok("*"));
	memset(w, 'a', 255);
	w[255] = '\0';
	assert_true(agent_word_ok(w));
	w[255] = 'a';
	w[256] = '\0';
	assert_false(agent_word_ok(w));
}

static void test_reply_ok(void **state)
{
	(void)state;
	assert_int_equal(agent_parse_reply("ok 1 iovbench-guest 0.1.0", &rep),
			 0);
	assert_int_equal(rep.kind, AGENT_OK);
	assert_int_equal(rep.tag, 1);
	assert_string_equal(rep.text, "iovbench-guest 0.1.0");

	assert_int_equal(agent_parse_reply("ok 4294967295 up", &rep), 0);
	assert_int_equal(rep.tag, UINT32_MAX);
	assert_string_equal(rep.text, "up");

	assert_int_equal(agent_parse_reply("ok 2", &rep), 0);
	assert_int_equal(rep.kind, AGENT_OK);
	assert_string_equal(rep.text, "");

	assert_int_equal(agent_parse_reply("err 3 cannot run 'probe': no such "
					   "file",
					   &rep),
			 0);
	assert_int_equal(rep.kind, AGENT_ERR);
	assert_int_equal(rep.tag, 3);
	assert_string_equal(rep.text, "cannot run 'probe': no such file");

	assert_int_equal(agent_parse_reply("err 3", &rep), 0);
	assert_int_equal(rep.kind, AGENT_ERR);
	assert_string_equal(rep.text, "");
}

static void test_reply_data(void **state)
{
	char line[64];

	(void)state;
	assert_int_equal(agent_parse_reply("data 5 0 1234", &rep), 0);
	assert_int_equal(rep.kind, AGENT_DATA);
	assert_int_equal(rep.tag, 5);
	assert_int_equal(rep.exit, 0);
	assert_int_equal(rep.len, 1234);
	assert_string_equal(rep.text, "");

	assert_int_equal(agent_parse_reply("data 6 255 0", &rep), 0);
	assert_int_equal(rep.exit, 255);
	assert_int_equal(rep.len, 0);

	snprintf(line, sizeof(line), "data 7 1 %u", AGENT_MAX_DATA);
	assert_int_equal(agent_parse_reply(line, &rep), 0);
	assert_int_equal(rep.exit, 1);
	assert_int_equal(rep.len, AGENT_MAX_DATA);

	snprintf(line, sizeof(line), "data 7 1 %u", AGENT_MAX_DATA + 1);
	assert_int_equal(agent_parse_reply(line, &rep), -1);
	assert_int_equal(agent_parse_reply("data 7 1 99999999999999999999999",
					   &rep),
			 -1);
	assert_int_equal(agent_parse_reply("data 8 256 1", &rep), -1);
	assert_int_equal(agent_parse_reply("data 8 4294967296 1", &rep), -1);
}

/* A part of a run's output: its length only, at most AGENT_MAX_PART. */
static void test_reply_part(void **state)
{
	char line[64];

	(void)state;
	assert_int_equal(agent_parse_reply("part 9 65536", &rep), 0);
	assert_int_equal(rep.kind, AGENT_PART);
	assert_int_equal(rep.tag, 9);
	assert_int_equal(rep.len, 65536);
	assert_int_equal(agent_parse_reply("part 9 0", &rep), 0);
	assert_int_equal(rep.len, 0);

	snprintf(line, sizeof(line), "part 9 %u", AGENT_MAX_PART);
	assert_int_equal(agent_parse_reply(line, &rep), 0);
	assert_int_equal(rep.len, AGENT_MAX_PART);
	snprintf(line, sizeof(line), "part 9 %u", AGENT_MAX_PART + 1);
	assert_int_equal(agent_parse_reply(line, &rep), -1);
}

static void test_reply_malformed(void **state)
{
	static char longline[AGENT_MAX_LINE + 8];
	const char *bad[] = {
		"",
		"ok",
		"ok ",
		"ok x",
		"ok -1",
		"ok  1",
		"okay 1",
		"OK 1",
		"hello 1",
		"data 1",
		"data 1 0",
		"data 1 0 ",
		"data 1 x 5",
		"data 1 -1 5",
		"data 1 0 x",
		"data 1 0 -5",
		"data 1 0 +5",
		"data 1 0 5 extra",
		"data 1 0 5x",
		"data 1  0 5",
		"data x 0 5",
		"part 1",
		"part 1 ",
		"part 1 x",
		"part 1 -5",
		"part 1 +5",
		"part 1 5 0",
		"part 1 5x",
		"part x 5",
		"part 1 99999999999999999999999",
		longline,
	};
	size_t i;

	(void)state;
	memset(longline, '1', AGENT_MAX_LINE);
	memcpy(longline, "ok 1 ", 5);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!agent_parse_reply(bad[i], &rep))
			fail_msg("case %zu '%.40s': accepted", i, bad[i]);
	}
	/* just short enough */
	longline[AGENT_MAX_LINE - 1] = '\0';
	assert_int_equal(agent_parse_reply(longline, &rep), 0);
	assert_int_equal(strlen(rep.text), AGENT_MAX_LINE - 1 - 5);
}

/* Format, then parse: the same request. */
static void round_trip(enum agent_verb verb, uint32_t tag, uint32_t number,
		       const char *const *argv, int argc)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	if (agent_format_request(&sb, verb, tag, number, argv, argc))
		fail_msg("%s: cannot format", agent_verb_name(verb));
	/* one line, ended by its only newline */
	assert_true(sb.len > 0);
	assert_ptr_equal(strchr(sb.buf, '\n'), sb.buf + sb.len - 1);
	sb.buf[--sb.len] = '\0';
	parse_ok(sb.buf);
	assert_int_equal(req.verb, verb);
	assert_int_equal(req.tag, tag);
	if (verb == AGENT_RUN || verb == AGENT_PROBE)
		assert_int_equal(req.timeout_ms, number);
	if (verb == AGENT_STOP)
		assert_int_equal(req.handle, number);
	assert_int_equal(req.argc, argc);
	for (i = 0; i < argc; i++)
		assert_string_equal(req.argv[i], argv[i]);
	assert_null(req.argv[argc]);
	strbuf_release(&sb);
}

static void test_format_round_trip(void **state)
{
	static const char *const link[] = {"eth0"};
	static const char *const probe[] = {"probe", "--kind=udp",
					    "198.18.0.2:7", "--rate=10000"};
	static const char *const reflect[] = {"reflect", "--port=7"};
	const char *many[AGENT_MAX_WORDS];
	struct strbuf sb = STRBUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < AGENT_MAX_WORDS; i++)
		many[i] = "w";
	round_trip(AGENT_HELLO, 1, 0, NULL, 0);
	round_trip(AGENT_LINK, 2, 0, link, 1);
	round_trip(AGENT_RUN, 3, 2500, probe, 4);
	round_trip(AGENT_RUN, UINT32_MAX, UINT32_MAX, probe, 1);
	round_trip(AGENT_RUN, 4, 0, probe, 1);
	round_trip(AGENT_START, 5, 0, reflect, 2);
	round_trip(AGENT_PROBE, 10, 1500, probe + 1, 3);
	round_trip(AGENT_STOP, 6, 42, NULL, 0);
	round_trip(AGENT_STOP, 0, UINT32_MAX, NULL, 0);
	/* the most words each verb may carry */
	round_trip(AGENT_START, 7, 0, many, AGENT_MAX_WORDS);
	round_trip(AGENT_RUN, 8, 10, many, AGENT_MAX_WORDS - 1);

	agent_format_request(&sb, AGENT_HELLO, 9, 0, NULL, 0);
	assert_string_equal(sb.buf, "hello 9\n");
	agent_format_request(&sb, AGENT_STOP, 10, 11, NULL, 0);
	assert_string_equal(sb.buf, "hello 9\nstop 10 11\n");
	strbuf_release(&sb);
}

/*
 * What the guest would refuse is not formatted: a non-word argument, or
 * more words than a request holds. The buffer is left as it was.
 */
static void test_format_refuses(void **state)
{
	static const char *const bad_words[][2] = {
		{"probe", "a b"}, {"probe", ""},      {"probe", "x;y"},
		{"$x", "probe"},  {"probe", "it's"}, {"probe", "a\nb"},
	};
	const char *many[AGENT_MAX_WORDS + 1];
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = "w";
	strbuf_addstr(&sb, "hello 1\n");
	for (i = 0; i < ARRAY_SIZE(bad_words); i++) {
		assert_int_equal(agent_format_request(&sb, AGENT_START, 2, 0,
						      bad_words[i], 2),
				 -1);
		assert_string_equal(sb.buf, "hello 1\n");
		assert_int_equal(sb.len, 8);
		assert_int_equal(agent_format_request(&sb, AGENT_RUN, 3, 100,
						      bad_words[i], 2),
				 -1);
		assert_string_equal(sb.buf, "hello 1\n");
		assert_int_equal(sb.len, 8);
	}
	assert_int_equal(agent_format_request(&sb, AGENT_START, 4, 0, many,
					      AGENT_MAX_WORDS + 1),
			 -1);
	assert_string_equal(sb.buf, "hello 1\n");
	/* run's timeout is one of its words */
	assert_int_equal(agent_format_request(&sb, AGENT_RUN, 5, 10, many,
					      AGENT_MAX_WORDS),
			 -1);
	assert_string_equal(sb.buf, "hello 1\n");
	assert_int_equal(sb.len, 8);
	strbuf_release(&sb);

	/* an empty buffer stays empty */
	assert_int_equal(agent_format_request(&sb, AGENT_LINK, 1, 0,
					      &bad_words[0][1], 1),
			 -1);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

/* wait: a handle and a timeout; formatted with the timeout as a word */
static void test_wait(void **state)
{
	static const char *const ms[] = {"30000"};
	struct strbuf sb = STRBUF_INIT;
	char why[128];

	(void)state;
	parse_ok("wait 4 2 30000");
	assert_int_equal(req.verb, AGENT_WAIT);
	assert_int_equal(req.tag, 4);
	assert_int_equal(req.handle, 2);
	assert_int_equal(req.timeout_ms, 30000);
	assert_int_equal(req.argc, 0);
	assert_null(req.argv[0]);
	assert_int_equal(agent_parse_request("wait 4 2", &req, why,
					     sizeof(why)), -1);
	assert_string_equal(why, "wrong number of words for wait");
	assert_int_equal(agent_parse_request("wait 4 2 3 4", &req, why,
					     sizeof(why)), -1);
	assert_int_equal(agent_parse_request("wait 4 2 x", &req, why,
					     sizeof(why)), -1);
	assert_string_equal(why, "bad timeout");
	assert_int_equal(agent_parse_request("wait 4 -1 5", &req, why,
					     sizeof(why)), -1);
	assert_string_equal(why, "bad handle");
	assert_int_equal(agent_format_request(&sb, AGENT_WAIT, 5, 7, ms, 1), 0);
	assert_string_equal(sb.buf, "wait 5 7 30000\n");
	sb.buf[--sb.len] = '\0';
	parse_ok(sb.buf);
	assert_int_equal(req.handle, 7);
	assert_int_equal(req.timeout_ms, 30000);
	strbuf_release(&sb);
	assert_string_equal(agent_verb_name(AGENT_WAIT), "wait");
}

/* counters: one interface name, like link */
static void test_counters(void **state)
{
	static const char *const eth0[] = {"eth0"};
	char why[128];

	(void)state;
	parse_ok("counters 3 eth0");
	assert_int_equal(req.verb, AGENT_COUNTERS);
	assert_int_equal(req.argc, 1);
	assert_string_equal(req.argv[0], "eth0");
	assert_int_equal(agent_parse_request("counters 3", &req, why,
					     sizeof(why)), -1);
	assert_int_equal(agent_parse_request("counters 3 eth0 eth1", &req,
					     why, sizeof(why)), -1);
	round_trip(AGENT_COUNTERS, 4, 0, eth0, 1);
	assert_string_equal(agent_verb_name(AGENT_COUNTERS), "counters");
}

/* The programs the agent starts besides iovbench-guest */
static void test_guest_prog(void **state)
{
	static const char *const server[] = {"iperf3", "--server", "--one-off"};
	static const char *const client[] = {"iperf3", "--client",
					     "198.18.0.2", "--json"};
	const struct guest_prog *gp = guest_prog_find("iperf3");

	(void)state;
	assert_non_null(gp);
	assert_string_equal(gp->path, "/usr/bin/iperf3");
	assert_true(guest_prog_serves(gp, server, 3));
	assert_false(guest_prog_serves(gp, client, 4));
	/* argv[0] is the name, never a flag */
	assert_false(guest_prog_serves(gp, &server[1], 1));
	assert_null(guest_prog_find("reflect"));
	assert_null(guest_prog_find("sh"));
}

static void test_verb_names(void **state)
{
	(void)state;
	assert_string_equal(agent_verb_name(AGENT_HELLO), "hello");
	assert_string_equal(agent_verb_name(AGENT_LINK), "link");
	assert_string_equal(agent_verb_name(AGENT_RUN), "run");
	assert_string_equal(agent_verb_name(AGENT_START), "start");
	assert_string_equal(agent_verb_name(AGENT_STOP), "stop");
	assert_string_equal(agent_verb_name(AGENT_VERB_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verbs),
		cmocka_unit_test(test_argv_owned),
		cmocka_unit_test(test_max_words),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_longest_line),
		cmocka_unit_test(test_short_why),
		cmocka_unit_test(test_word_ok),
		cmocka_unit_test(test_reply_ok),
		cmocka_unit_test(test_reply_data),
		cmocka_unit_test(test_reply_part),
		cmocka_unit_test(test_reply_malformed),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_format_refuses),
		cmocka_unit_test(test_verb_names),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_guest_prog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
