// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report `iovbench capture` prints when it stops (from a server over
 * ssh): formatted exactly, parsed back to the same events, and refused,
 * with the line named, when malformed or cut short.
 */
#include "unit.h"

#include "core/capture_report.h"
#include "util/alloc.h"

/* A copy without its NUL, exactly len bytes: ASan sees a read past it. */
static int parse_n(const char *text, size_t len, struct capture_report *r,
		   char *why, size_t wlen)
{
	char *buf = xmalloc(len ? len : 1);
	int rc;

	memcpy(buf, text, len);
	rc = capture_report_parse(buf, len, r, why, wlen);
	free(buf);
	return rc;
}

static const struct capture_event events[] = {
	{{PROBE_ICMP, true, 4000000001u, 0}, true, 1700000000123456789LL},
	{{PROBE_ICMP, false, 4000000001u, 0}, false, 1700000000123499999LL},
	{{PROBE_UDP, true, 7, 4294967295u}, false, 0},
	{{PROBE_UDP, false, 0, 1}, true, INT64_MAX},
};

#define TEXT                                                          \
	"iovbench-capture 1\n"                                        \
	"frames=5 drops=18446744073709551615 events=4\n"              \
	"icmp request out 4000000001 0 1700000000123456789\n"         \
	"icmp reply in 4000000001 0 1700000000123499999\n"            \
	"udp request in 7 4294967295 0\n"                             \
	"udp reply out 0 1 9223372036854775807\n"

static void test_format_exact(void **state)
{
	struct capture_report r = {(struct capture_event *)events, 4, 5,
				   UINT64_MAX, 0};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	capture_report_format(&r, &sb);
	assert_string_equal(sb.buf, TEXT);
	strbuf_release(&sb);
}

static void test_parse_back(void **state)
{
	struct capture_report r;
	char why[128] = "";
	size_t i;

	(void)state;
	assert_int_equal(parse_n(TEXT, strlen(TEXT), &r, why, sizeof(why)),
			 0);
	assert_int_equal(r.n, 4);
	assert_true(r.frames == 5 && r.drops == UINT64_MAX);
	for (i = 0; i < 4; i++) {
		assert_int_equal(r.ev[i].f.kind, events[i].f.kind);
		assert_int_equal(r.ev[i].f.request, events[i].f.request);
		assert_int_equal(r.ev[i].f.session, events[i].f.session);
		assert_int_equal(r.ev[i].f.seq, events[i].f.seq);
		assert_int_equal(r.ev[i].outgoing, events[i].outgoing);
		assert_true(r.ev[i].t == events[i].t);
	}
	capture_report_release(&r);
	assert_null(r.ev);
}

static void test_no_events(void **state)
{
	static const char text[] =
		"iovbench-capture 1\nframes=0 drops=0 events=0\n";
	struct capture_report r;
	char why[128];

	(void)state;
	assert_int_equal(parse_n(text, strlen(text), &r, why, sizeof(why)), 0);
	assert_int_equal(r.n, 0);
	capture_report_release(&r);
}

static void test_refused(void **state)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
		{"", "empty report"},
		{"iovbench-capture 1\n", "cut short: no counts line"},
		{"iovbench-capture 2\n", "line 1: not 'iovbench-capture 1'"},
		{"iovbench-capture 1 \n", "line 1: not 'iovbench-capture 1'"},
		{"iovbench-capture 1", "line 1: cut short (no newline)"},
		{"iovbench-capture 1\nframes=1 drops=0\n",
		 "line 2: expected frames=N drops=N events=N"},
		{"iovbench-capture 1\ndrops=0 frames=1 events=0\n",
		 "line 2: expected frames=N drops=N events=N"},
		{"iovbench-capture 1\nframes=-1 drops=0 events=0\n",
		 "line 2: expected frames=N drops=N events=N"},
		{"iovbench-capture 1\nframes=18446744073709551616 drops=0 "
		 "events=0\n",
		 "line 2: expected frames=N drops=N events=N"},
		{"iovbench-capture 1\nframes=1 drops=0 events=1\n",
		 "cut short: 0 of 1 events"},
		{"iovbench-capture 1\nframes=1 drops=0 events=1\n"
		 "icmp request out 1 2 3",
		 "line 3: cut short (no newline)"},
		{"iovbench-capture 1\nframes=1 drops=0 events=0\n"
		 "icmp request out 1 2 3\n",
		 "line 3: more than the 0 events announced"},
	};
	static const char *const bad_events[] = {
		"tcp request out 1 2 3",
		"icmp ask out 1 2 3",
		"icmp request sideways 1 2 3",
		"icmp request out 4294967296 2 3",
		"icmp request out 1 4294967296 3",
		"icmp request out 1 2 9223372036854775808",
		"icmp request out 1 2 -3",
		"icmp request out +1 2 3",
		"icmp request out 1 2",
		"icmp request out 1 2 3 4",
		"icmp request out 1  2 3",
		"icmp request out 1 2 3 ",
		" icmp request out 1 2 3",
		"icmp\trequest out 1 2 3",
		"icmp request out 1 2 0x3",
		"icmp request out 1 2 123456789012345678901234",
		"",
	};
	static const char nul[] = "iovbench-capture 1\nframes=1 drops=0 "
				  "events=1\nicmp request out 1\0 2 3\n";
	struct capture_report r;
	char why[128], text[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse_n(cases[i].text, strlen(cases[i].text),
					 &r, why, sizeof(why)),
				 -1);
		assert_string_equal(why, cases[i].why);
		assert_null(r.ev);
	}
	for (i = 0; i < ARRAY_SIZE(bad_events); i++) {
		snprintf(text, sizeof(text),
			 "iovbench-capture 1\nframes=2 drops=0 events=2\n"
			 "udp reply in 1 1 1\n%s\n",
			 bad_events[i]);
		assert_int_equal(parse_n(text, strlen(text), &r, why,
					 sizeof(why)),
				 -1);
		assert_string_equal(why, "line 4: expected KIND DIR WAY "
					 "SESSION SEQ T");
		assert_null(r.ev);
	}
	/* a NUL inside a word */
	assert_int_equal(parse_n(nul, sizeof(nul) - 1, &r, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "line 3: expected KIND DIR WAY SESSION SEQ T");
	/* a why buffer too small is cut, not overrun */
	assert_int_equal(parse_n("x\n", 2, &r, why, 8), -1);
	assert_string_equal(why, "line 1:");
}

/* Many events: the array grows. */
/* capture --events: the counts' line says how many went to the file */
static void test_streamed(void **state)
{
	struct capture_report r = {NULL, 0, 12, 1, 10}, back;
	struct strbuf sb = STRBUF_INIT;
	struct capture_event e;
	char why[128] = "", line[CAPTURE_EVENT_LINE_MAX];
	int len;
	const char *bad = "iovbench-capture 1\nframes=1 drops=0 events=0 "
			  "streamed=x\n";

	(void)state;
	capture_report_format(&r, &sb);
	assert_string_equal(sb.buf, "iovbench-capture 1\nframes=12 drops=1 "
				    "events=0 streamed=10\n");
	assert_int_equal(capture_report_parse(sb.buf, sb.len, &back, why,
					      sizeof(why)),
			 0);
	assert_int_equal(back.streamed, 10);
	assert_int_equal(back.n, 0);
	capture_report_release(&back);
	assert_int_equal(capture_report_parse(bad, strlen(bad), &back, why,
					      sizeof(why)),
			 -1);
	assert_string_equal(why, "line 2: expected frames=N drops=N events=N");
	/* an event's line, as the file has it, and back */
	e = events[1];
	len = capture_event_format(&e, line, sizeof(line));
	assert_int_equal(len, (int)strlen(line));
	assert_int_equal(capture_event_parse(line, strlen(line) - 1, &e),
			 0);
	assert_int_equal(e.f.seq, events[1].f.seq);
	assert_true(e.t == events[1].t && e.outgoing == events[1].outgoing);
	assert_int_equal(capture_event_parse("udp request in 1 2", 18, &e), -1);
	strbuf_release(&sb);
}

static void test_many(void **state)
{
	struct capture_report r = {0}, back;
	struct strbuf sb = STRBUF_INIT;
	char why[128];
	size_t i;

	(void)state;
	r.n = 10000;
	r.ev = xcalloc(r.n, sizeof(*r.ev));
	for (i = 0; i < r.n; i++) {
		r.ev[i].f.kind = PROBE_UDP;
		r.ev[i].f.request = i & 1;
		r.ev[i].f.seq = (uint32_t)i;
		r.ev[i].t = (int64_t)i * 1000;
	}
	r.frames = r.n;
	capture_report_format(&r, &sb);
	assert_int_equal(parse_n(sb.buf, sb.len, &back, why, sizeof(why)), 0);
	assert_int_equal(back.n, r.n);
	assert_memory_equal(back.ev, r.ev, r.n * sizeof(*r.ev));
	capture_report_release(&back);
	capture_report_release(&r);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_exact),
		cmocka_unit_test(test_parse_back),
		cmocka_unit_test(test_no_events),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_streamed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
