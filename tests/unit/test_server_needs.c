// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What `iovbench testbed check` asks each server for: the needs of the
 * real-testbed example's runnable tests, the parser of the answers and
 * the comparison of versions.
 */
#include "unit.h"

#include <string.h>

#include "core/config.h"
#include "core/server_needs.h"

static void load(const char *rel, struct campaign *c)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;

	unit_read(rel, &text);
	if (config_parse(rel, text.buf, text.len, c, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&text);
	strbuf_release(&err);
}

static bool has(const struct server_need *n, size_t count, const char *name)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (!strcmp(n[i].name, name))
			return true;
	}
	return false;
}

static void test_needs(void **state)
{
	struct server_need n[SERVER_NEEDS_MAX];
	struct strbuf script = STRBUF_INIT;
	struct campaign c;
	struct plan p;
	size_t count;

	(void)state;
	load("examples/loadlat-sriov.yaml", &c);
	assert_int_equal(plan_build(&c, ~0u, &p), 0);
	/* the sender: iovbench, QEMU, MoonGen and its script, TRex */
	count = server_needs(&p, 0, n, SERVER_NEEDS_MAX);
	assert_true(has(n, count, "iovbench"));
	assert_true(has(n, count, "qemu"));
	assert_true(has(n, count, "moongen"));
	assert_true(has(n, count, "moongen_script"));
	assert_true(has(n, count, "trex"));
	/* testpmd runs in the VMs there, not on the responder server */
	count = server_needs(&p, 1, n, SERVER_NEEDS_MAX);
	assert_int_equal(count, 2);
	assert_false(has(n, count, "moongen"));
	assert_false(has(n, count, "dpdk-testpmd"));
	server_needs_script(n, count, &script);
	assert_non_null(strstr(script.buf, "echo end"));
	assert_non_null(strstr(script.buf, "--version"));
	strbuf_release(&script);
	plan_release(&p);
	config_release(&c);
}

static void test_parse(void **state)
{
	struct server_need n[2] = {
		{.name = "iovbench", .program = "iovbench"},
		{.name = "qemu", .program = "qemu-system-x86_64"},
	};
	struct server_check ck;
	const char *said = "have iovbench /usr/bin/iovbench\nversion 0.0.9\n"
			   "missing qemu\nend\n";

	(void)state;
	assert_int_equal(server_check_parse(said, strlen(said), n, 2, &ck), 0);
	assert_true(ck.have[0]);
	assert_false(ck.have[1]);
	assert_string_equal(ck.version, "0.0.9");
	/* a login banner and nothing of ours: no answer */
	assert_int_equal(server_check_parse("Welcome\n", 8, n, 2, &ck), -1);
	assert_true(server_version_cmp("0.0.9", "0.1.0") < 0);
	assert_true(server_version_cmp("0.10.0", "0.9.1") > 0);
	assert_int_equal(server_version_cmp("0.1.0", "0.1.0"), 0);
	assert_true(server_version_cmp("", "0.1.0") < 0);
}

/* The image's program sets: dpdk for testpmd in VMs, none otherwise */
static void test_image_sets(void **state)
{
	const char *const *sets;
	struct campaign c;
	struct plan p;

	(void)state;
	load("examples/loadlat-sriov.yaml", &c);
	assert_int_equal(plan_build(&c, ~0u, &p), 0);
	sets = server_image_sets(&p);
	assert_non_null(sets);
	assert_string_equal(sets[0], "dpdk");
	assert_null(sets[1]);
	plan_release(&p);
	config_release(&c);
	/* afpacket and xdp reflect from iovbench-guest: no set */
	load("examples/loadlat-local.yaml", &c);
	assert_int_equal(plan_build(&c, ~0u, &p), 0);
	assert_null(server_image_sets(&p));
	plan_release(&p);
	config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_image_sets),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
