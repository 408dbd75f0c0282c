// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host hygiene: the fold of a settings dump (core/hygiene.c), read from
 * the fake trees in tests/data/hygiene/ by the OS half (host/hygiene.c),
 * and from grep's own output, which is what an ssh server sends.
 */
#include "unit.h"

#include "core/hygiene.h"
#include "host/hygiene.h"
#include "util/alloc.h"

static void read_tree(const char *name, struct hygiene *h)
{
	char rel[128], root[4096];

	snprintf(rel, sizeof(rel), "tests/data/hygiene/%s", name);
	unit_path(rel, root, sizeof(root));
	host_hygiene_read(root, h);
}

/* hygiene_parse() on an exactly-sized copy: ASan catches a read past */
static void parse(const char *text, struct hygiene *h)
{
	size_t len = strlen(text);
	char *buf = xmalloc(len ? len : 1);

	memcpy(buf, text, len);
	hygiene_parse(buf, len, "/", h);
	free(buf);
}

static void test_distorting_tree(void **state)
{
	struct hygiene h;
	char why[512];

	(void)state;
	read_tree("distorting", &h);
	assert_string_equal(h.v[HY_GOVERNOR].value,
			    "powersave (3 CPUs), performance (1 CPUs)");
	assert_true(h.v[HY_GOVERNOR].distorts);
	assert_string_equal(h.v[HY_TURBO].value, "on (intel_pstate)");
	assert_true(h.v[HY_TURBO].distorts);
	assert_string_equal(h.v[HY_CSTATES].value,
			    "deepest enabled C6 (exit 133 us), intel_idle");
	assert_true(h.v[HY_CSTATES].distorts);
	assert_string_equal(h.v[HY_SMT].value, "on (control on)");
	assert_true(h.v[HY_SMT].distorts);
	assert_string_equal(h.v[HY_BRIDGE_NF].value, "on (iptables, ip6tables)");
	assert_true(h.v[HY_BRIDGE_NF].distorts);
	assert_string_equal(h.v[HY_RPS].value,
			    "on (1 of 3 queues, eth0/queues/rx-0/rps_cpus)");
	assert_true(h.v[HY_RPS].distorts);
	assert_string_equal(h.v[HY_BUSY_POLL].value, "0");
	assert_false(h.v[HY_BUSY_POLL].distorts);
	assert_true(hygiene_distorting(&h, why, sizeof(why)));
	assert_non_null(strstr(why, "governor powersave"));
	assert_non_null(strstr(why, "turbo on"));
}

static void test_tuned_tree(void **state)
{
	struct hygiene h;
	char why[512];
	int k;

	(void)state;
	read_tree("tuned", &h);
	assert_string_equal(h.v[HY_GOVERNOR].value, "performance");
	assert_string_equal(h.v[HY_TURBO].value, "off (cpufreq boost)");
	/* C6 is disabled on every CPU: C1 is the deepest left */
	assert_string_equal(h.v[HY_CSTATES].value,
			    "deepest enabled C1 (exit 2 us), intel_idle");
	assert_string_equal(h.v[HY_SMT].value, "off (control off)");
	assert_string_equal(h.v[HY_BRIDGE_NF].value, "off (no br_netfilter)");
	assert_string_equal(h.v[HY_RPS].value, "off");
	assert_string_equal(h.v[HY_BUSY_POLL].value,
			    "busy_read 50 us, busy_poll 50 us");
	for (k = 0; k < HY_COUNT; k++)
		assert_false(h.v[k].distorts);
	assert_false(hygiene_distorting(&h, why, sizeof(why)));
	assert_string_equal(why, "");
}

/* A VM without cpufreq or cpuidle: absent is said, and does not distort */
static void test_bare_tree(void **state)
{
	struct hygiene h;
	int k;

	(void)state;
	read_tree("bare", &h);
	for (k = 0; k < HY_COUNT; k++) {
		assert_false(h.v[k].distorts);
		if (k != HY_BRIDGE_NF)
			assert_non_null(strstr(h.v[k].value, "absent"));
	}
}

/* the dump's format (grep -H's), with a root prefix and noise */
static void test_grep_dump(void **state)
{
	struct hygiene h;

	(void)state;
	hygiene_parse("/x/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor:"
		      "schedutil\n"
		      "garbage without colon\n"
		      ":\n\n"
		      "/x/sys/devices/system/cpu/cpu1/cpuidle/state1/latency:"
		      "notanumber\n"
		      "/x/sys/devices/system/cpu/cpu1/cpuidle/state99/latency:5\n"
		      "/x/proc/sys/net/bridge/bridge-nf-call-arptables:1",
		      262, "/x", &h);
	assert_string_equal(h.v[HY_GOVERNOR].value, "schedutil");
	assert_true(h.v[HY_GOVERNOR].distorts);
	assert_string_equal(h.v[HY_BRIDGE_NF].value, "on (arptables)");
	parse("", &h);
	assert_false(h.v[HY_GOVERNOR].known);
}

static void test_cpulist(void **state)
{
	int n, hi;

	(void)state;
	assert_int_equal(cpulist_parse("0-3,8,10-11\n", 12, &n, &hi), 0);
	assert_int_equal(n, 7);
	assert_int_equal(hi, 11);
	assert_int_equal(cpulist_parse("0", 1, &n, &hi), 0);
	assert_int_equal(n, 1);
	assert_int_equal(hi, 0);
	assert_int_equal(cpulist_parse("", 0, &n, &hi), 0);
	assert_int_equal(n, 0);
	assert_int_equal(hi, -1);
	assert_int_equal(cpulist_parse("3-1", 3, &n, &hi), -1);
	assert_int_equal(cpulist_parse("1,", 2, &n, &hi), -1);
	assert_int_equal(cpulist_parse("a", 1, &n, &hi), -1);
	assert_int_equal(cpulist_parse("-1", 2, &n, &hi), -1);
	assert_int_equal(cpulist_parse("1-", 2, &n, &hi), -1);
	/* found by fuzz_hygiene: strtol skips spaces and takes a sign */
	assert_int_equal(cpulist_parse("\f-311\n", 6, &n, &hi), -1);
	assert_int_equal(cpulist_parse(" 1", 2, &n, &hi), -1);
	assert_int_equal(cpulist_parse("1- 2", 4, &n, &hi), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distorting_tree),
		cmocka_unit_test(test_tuned_tree),
		cmocka_unit_test(test_bare_tree),
		cmocka_unit_test(test_grep_dump),
		cmocka_unit_test(test_cpulist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
