// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <string.h>

#include "core/probe_serve.h"
#include "measure/prober.h"

static struct probe_serve_req req, req2;

#define LINE "run kind=udp rate=10k count=1000 size=64 warmup=10 port=7 " \
	     "timeout=1000000000 schedule=poisson seed=42 busy_poll=1 "      \
	     "sender=ring target=198.18.1.2 out=/var/lib/r/.probes-ab12Cd"

static void test_parse(void **state)
{
	char why[160] = "";

	(void)state;
	assert_int_equal(probe_serve_parse(LINE, &req, why, sizeof(why)), 0);
	assert_int_equal(req.kind, PROBE_UDP);
	assert_int_equal(req.rate, 10000);
	assert_int_equal(req.count, 1000);
	assert_int_equal(req.size, 64);
	assert_int_equal(req.warmup, 10);
	assert_int_equal(req.port, 7);
	assert_int_equal(req.timeout_ns, 1000000000);
	assert_int_equal(req.schedule, SCHEDULE_POISSON);
	assert_int_equal(req.seed, 42);
	assert_true(req.busy_poll);
	assert_int_equal(req.sender, SENDER_RING);
	assert_string_equal(req.target, "198.18.1.2");
	assert_string_equal(req.out, "/var/lib/r/.probes-ab12Cd");
}

/* what the runner formats, the prober parses back to the same */
static void test_round_trip(void **state)
{
	char line[PROBE_SERVE_LINE_MAX], why[160] = "";
	int n;

	(void)state;
	assert_int_equal(probe_serve_parse(LINE, &req, why, sizeof(why)), 0);
	n = probe_serve_format(&req, line, sizeof(line));
	assert_true(n > 0);
	assert_int_equal(line[n - 1], '\n');
	line[n - 1] = '\0';
	assert_int_equal(probe_serve_parse(line, &req2, why, sizeof(why)), 0);
	assert_memory_equal(&req, &req2, sizeof(req));
	/* a buffer too short is refused, not cut */
	assert_int_equal(probe_serve_format(&req, line, 20), -1);
}

/*
 * The agent's probe request: the words but out=, which the agent joins
 * into "run WORDS out=FIFO"; the prober parses that to the same request
 */
static void test_words(void **state)
{
	char buf[PROBE_SERVE_LINE_MAX], line[PROBE_SERVE_LINE_MAX];
	char why[160] = "";
	const char *kv[16];
	int n, i;

	(void)state;
	assert_int_equal(probe_serve_parse(LINE, &req, why, sizeof(why)), 0);
	n = probe_serve_words(&req, buf, sizeof(buf), kv, 16);
	assert_int_equal(n, 12);
	snprintf(line, sizeof(line), "run");
	for (i = 0; i < n; i++) {
		assert_null(strchr(kv[i], ' '));
		assert_true(strncmp(kv[i], "out=", 4));
		strcat(line, " ");
		strcat(line, kv[i]);
	}
	strcat(line, " out=/var/lib/r/.probes-ab12Cd");
	assert_int_equal(probe_serve_parse(line, &req2, why, sizeof(why)), 0);
	assert_memory_equal(&req, &req2, sizeof(req));
	/* and the same line as the whole request's */
	strcat(line, "\n");
	assert_int_equal(probe_serve_format(&req, buf, sizeof(buf)),
			 (int)strlen(line));
	assert_string_equal(buf, line);
	/* too few words allowed, or too short a buffer: refused */
	assert_int_equal(probe_serve_words(&req, buf, sizeof(buf), kv, 11), -1);
	assert_int_equal(probe_serve_words(&req, buf, 20, kv, 16), -1);
}

static void refused(const char *line, const char *reason)
{
	char why[160] = "";

	if (!probe_serve_parse(line, &req, why, sizeof(why)))
		fail_msg("'%s' parsed", line);
	if (!strstr(why, reason))
		fail_msg("'%s': '%s', not '%s'", line, why, reason);
}

static void test_refused(void **state)
{
	char big[PROBE_SERVE_LINE_MAX + 8];

	(void)state;
	refused("", "expected 'run");
	refused("stop", "expected 'run");
	refused("run kind=icmp", "no 'rate'");
	refused(LINE " kind=icmp", "'kind' given twice");
	refused(LINE " colour=red", "unknown key 'colour'");
	refused(LINE " oops", "'oops' is not KEY=VALUE");
	/* each value as the campaign's factors take it */
	refused("run kind=tcp", "kind 'tcp'");
	refused("run rate=0", "rate '0'");
	refused("run rate=300M", "rate '300M'");
	refused("run size=63", "size '63'");
	refused("run count=-1", "count '-1'");
	refused("run schedule=burst", "schedule 'burst'");
	refused("run port=0", "port '0'");
	refused("run port=65536", "port '65536'");
	refused("run warmup=1000001", "warmup '1000001'");
	refused("run timeout=3600000000001", "timeout");
	refused("run seed=18446744073709551616", "seed");
	refused("run seed=+1", "seed '+1'");
	refused("run busy_poll=2", "busy_poll '2'");
	refused("run target=198.18.1", "target '198.18.1'");
	refused("run target=198.18.1.2.3", "target");
	refused("run out=relative/path", "out 'relative/path'");
	refused("run out=/a\tb", "out");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "run ", 4);
	refused(big, "a line of");
}

/* a path the parser would refuse is not formatted either */
static void test_format_refuses(void **state)
{
	char line[PROBE_SERVE_LINE_MAX], why[160];

	(void)state;
	assert_int_equal(probe_serve_parse(LINE, &req, why, sizeof(why)), 0);
	strcpy(req.out, "/with space");
	assert_int_equal(probe_serve_format(&req, line, sizeof(line)), -1);
}

/*
 * The sender factor's names (core, factor_names.c) are the prober's
 * path table's (measure/prober.c): the core cannot include the table,
 * so this keeps the two lists one.
 */
static void test_senders_are_paths(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < PROBE_SENDER_COUNT; i++) {
		const char *name = probe_sender_name((enum probe_sender)i);

		assert_int_equal(prober_sender_check(name), 0);
	}
	assert_int_equal(prober_sender_check("no-such-sender"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_format_refuses),
		cmocka_unit_test(test_senders_are_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
