// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include "core/caps.h"
#include "core/config.h"
#include "core/dataplane.h"
#include "core/plan.h"

static void load(const char *text, struct campaign *c)
{
	struct strbuf err = STRBUF_INIT;

	if (config_parse("t.yaml", text, strlen(text), c, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&err);
}

static void load_file(const char *rel, struct campaign *c)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;

	unit_read(rel, &text);
	if (config_parse(rel, text.buf, text.len, c, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&text);
	strbuf_release(&err);
}

static void test_expand_and_order(void **state)
{
	struct campaign c;
	struct plan p;
	struct plan_counts n;

	(void)state;
	load("campaign: x\n"
	     "matrix:\n"
	     "  - rate: [10k, 1k]\n"
	     "    dataplane: [macvlan, veth-bridge]\n"
	     "    probe: [udp, icmp]\n"
	     "    repetitions: 3\n",
	     &c);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	assert_int_equal(p.ntests, 8);
	/* dataplane changes least often, rate most; file order within */
	assert_int_equal(p.tests[0].v[F_DATAPLANE], dataplane_find("macvlan"));
	assert_int_equal(p.tests[0].v[F_PROBE], PROBE_UDP);
	assert_int_equal(p.tests[0].v[F_RATE], 10000);
	assert_int_equal(p.tests[1].v[F_RATE], 1000);
	assert_int_equal(p.tests[2].v[F_PROBE], PROBE_ICMP);
	assert_int_equal(p.tests[4].v[F_DATAPLANE],
			 dataplane_find("veth-bridge"));
	plan_counts(&p, &n);
	assert_int_equal(n.runs, 24);
	assert_int_equal(n.todo, 24);
	assert_string_equal(p.tests[0].key, "dataplane=macvlan,probe=udp,"
					    "size=64,rate=10000,count=100");
	plan_release(&p);
	config_release(&c);
}

/* The identity of a test does not depend on how the campaign is written. */
static void test_identity_is_stable(void **state)
{
	struct campaign a, b;
	struct plan pa, pb;
	size_t i, j;

	(void)state;
	load("campaign: x\nmatrix:\n  - rate: [1k, 10k]\n    count: 100\n",
	     &a);
	load("campaign: renamed\nprefix: other\n"
	     "matrix:\n"
	     "  - name: more\n    rate: [100k, 10k]\n    repetitions: 99\n"
	     "  - probe: [udp]\n",
	     &b);
	assert_int_equal(plan_build(&a, CAP_NETNS, &pa), 0);
	assert_int_equal(plan_build(&b, CAP_NETNS, &pb), 0);
	for (i = 0; i < pa.ntests; i++) {
		if (pa.tests[i].v[F_RATE] != 10000)
			continue;
		for (j = 0; j < pb.ntests; j++) {
			if (pb.tests[j].v[F_RATE] == 10000 &&
			    pb.tests[j].v[F_PROBE] == PROBE_ICMP)
				break;
		}
		assert_true(j < pb.ntests);
		assert_string_equal(pa.tests[i].id, pb.tests[j].id);
	}
	plan_release(&pa);
	plan_release(&pb);
	config_release(&a);
	config_release(&b);
}

static void test_duplicates_merge(void **state)
{
	struct campaign c;
	struct plan p;

	(void)state;
	load("campaign: x\nmatrix:\n"
	     "  - rate: [1k]\n    repetitions: 2\n"
	     "  - rate: [1k, 10k]\n    repetitions: 5\n",
	     &c);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	assert_int_equal(p.ntests, 2);
	assert_int_equal(test_repetitions(&p.tests[0]), 5);
	assert_string_equal(p.tests[0].matrix, "matrix0");
	plan_release(&p);
	config_release(&c);
}

static void test_mark_done(void **state)
{
	struct campaign c;
	struct plan p;
	struct plan_counts n;
	char id1[RUN_ID_MAX], id3[RUN_ID_MAX], bad[RUN_ID_MAX];
	char *ids[5];

	(void)state;
	load("campaign: x\nmatrix: {rate: [1k, 10k], repetitions: 3}\n", &c);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	plan_run_id(&p.tests[1], 1, id1, sizeof(id1));
	plan_run_id(&p.tests[1], 3, id3, sizeof(id3));
	plan_run_id(&p.tests[1], 4, bad, sizeof(bad));
	ids[0] = id3;
	ids[1] = id1;
	ids[2] = id1;		       /* listed twice: counted once */
	ids[3] = bad;		       /* repetition 4 of 3: ignored */
	ids[4] = "0123456789abcdef/1"; /* a test no longer planned */
	plan_mark_done(&p, ids, 5);
	assert_true(p.tests[1].done[0]);
	assert_false(p.tests[1].done[1]);
	assert_true(p.tests[1].done[2]);
	assert_int_equal(p.tests[1].ndone, 2);
	plan_counts(&p, &n);
	assert_int_equal(n.done, 2);
	assert_int_equal(n.todo, 4);
	plan_release(&p);
	config_release(&c);
}

static void test_rules(void **state)
{
	struct campaign c;
	struct plan p;

	(void)state;
	load("campaign: x\ntestbed: {mtu: 1000}\n"
	     "matrix: {size: [64, 1518], rate: 1, count: 5000}\n",
	     &c);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	assert_non_null(p.tests[0].reason);
	assert_string_equal(p.tests[0].reason,
			    "a run of 5000 probes after 10 warm-up ones at 1 pps "
			    "lasts 5010 s, more than the 3600 s a run may last "
			    "(an interruption loses the run in progress)");
	assert_string_equal(p.tests[1].reason,
			    "a 1518-byte frame does not fit the wire MTU 1000 "
			    "(largest frame 1018)");
	plan_release(&p);
	assert_int_equal(plan_build(&c, 0, &p), 0);
	assert_string_equal(p.tests[0].reason,
			    "veth-bridge needs what this host lacks: network "
			    "namespaces are not available");
	plan_release(&p);
	config_release(&c);
}

/* The warm-up counts: 100000 of them at 1 pps are 27.8 h (issue 9). */
static void test_rule_warmup(void **state)
{
	struct campaign c;
	struct plan p;

	(void)state;
	load("campaign: x\nprober: {warmup: 100000}\n"
	     "matrix: {rate: 1, count: 10}\n",
	     &c);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	assert_non_null(p.tests[0].reason);
	assert_string_equal(p.tests[0].reason,
			    "a run of 10 probes after 100000 warm-up ones at 1 "
			    "pps lasts 100010 s, more than the 3600 s a run may "
			    "last (an interruption loses the run in progress)");
	plan_release(&p);
	config_release(&c);
}

/* A reflector's wake-up is UDP's; capture: off needs capture points. */
static void test_rule_probe_settings(void **state)
{
	struct campaign c;
	struct plan p;
	size_t i, refused = 0;

	(void)state;
	load("campaign: x\n"
	     "matrix: {probe: [icmp, udp], wakeup: [auto, busy-poll], "
	     "capture: [on, off]}\n",
	     &c);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	assert_int_equal(p.ntests, 8);
	for (i = 0; i < p.ntests; i++) {
		const struct test *t = &p.tests[i];

		if (t->v[F_PROBE] == PROBE_ICMP &&
		    t->v[F_WAKEUP] == WAKEUP_BUSY_POLL) {
			assert_string_equal(t->reason,
					    "wakeup busy-poll applies to udp "
					    "probes only (the guest's kernel "
					    "answers icmp ones)");
			refused++;
		} else {
			assert_null(t->reason);
		}
	}
	assert_int_equal(refused, 2);
	plan_release(&p);
	config_release(&c);
	load("campaign: x\nprober: {capture: false}\n"
	     "matrix: {capture: [on, off]}\n",
	     &c);
	assert_int_equal(plan_build(&c, CAP_NETNS, &p), 0);
	assert_null(p.tests[0].reason);
	assert_string_equal(p.tests[1].reason,
			    "capture off: the campaign has no capture points "
			    "(prober.capture: false)");
	plan_release(&p);
	config_release(&c);
}

/* Golden plans: YAML (tests/data/plan/NAME.yaml by default) -> NAME.golden */
static void golden_of(const char *name, const char *path, uint32_t caps,
		      size_t ndone)
{
	struct strbuf out = STRBUF_INIT;
	char yaml[256], gold[256];
	struct campaign c;
	struct plan p;
	char **ids = calloc(ndone + 1, sizeof(*ids));
	size_t i, k = 0;

	if (path)
		snprintf(yaml, sizeof(yaml), "%s", path);
	else
		snprintf(yaml, sizeof(yaml), "tests/data/plan/%s.yaml", name);
	snprintf(gold, sizeof(gold), "tests/data/plan/%s.golden", name);
	load_file(yaml, &c);
	assert_int_equal(plan_build(&c, caps, &p), 0);
	/* mark the first ndone runs of the runnable tests as done */
	for (i = 0; i < p.ntests && k < ndone; i++) {
		unsigned r;

		if (p.tests[i].reason)
			continue;
		for (r = 1; r <= test_repetitions(&p.tests[i]) && k < ndone;
		     r++) {
			ids[k] = malloc(RUN_ID_MAX);
			plan_run_id(&p.tests[i], r, ids[k], RUN_ID_MAX);
			k++;
		}
	}
	plan_mark_done(&p, ids, k);
	plan_print(&p, PLAN_PRINT_RUNS, &out);
	unit_golden(gold, out.buf);
	for (i = 0; i < k; i++)
		free(ids[i]);
	free(ids);
	plan_release(&p);
	config_release(&c);
	strbuf_release(&out);
}

static void golden(const char *name, uint32_t caps, size_t ndone)
{
	golden_of(name, NULL, caps, ndone);
}

static void test_golden_quickstart(void **state)
{
	(void)state;
	golden("quickstart", CAP_NETNS, 5);
}

static void test_golden_two_matrices(void **state)
{
	(void)state;
	golden("two-matrices", CAP_NETNS, 0);
}

static void test_golden_loadlat(void **state)
{
	(void)state;
	golden("loadlat", CAP_NETNS | CAP_QEMU, 0);
}

/*
 * The real-testbed example: the tree by setup cost, and the refusals
 * (testpmd on microvm, xdp in VMs, the builtin generator's cool-down)
 */
static void test_golden_loadlat_sriov(void **state)
{
	(void)state;
	golden_of("loadlat-sriov", "examples/loadlat-sriov.yaml",
		  CAP_NETNS | CAP_QEMU | CAP_KVM | CAP_VFIO | CAP_SRIOV, 0);
}

/* searches: each test's bound on trials, its runs counted up to it */
static void test_golden_loadlat_ndr(void **state)
{
	(void)state;
	golden_of("loadlat-ndr", "examples/loadlat-ndr.yaml", CAP_NETNS, 0);
}

/* the real-hardware failover campaign: a host with what it needs */
static void test_golden_failover_sriov(void **state)
{
	(void)state;
	golden_of("failover-sriov", "examples/failover-sriov.yaml",
		  CAP_NETNS | CAP_QEMU | CAP_KVM | CAP_VFIO | CAP_SRIOV, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_and_order),
		cmocka_unit_test(test_identity_is_stable),
		cmocka_unit_test(test_duplicates_merge),
		cmocka_unit_test(test_mark_done),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_rule_warmup),
		cmocka_unit_test(test_rule_probe_settings),
		cmocka_unit_test(test_golden_quickstart),
		cmocka_unit_test(test_golden_two_matrices),
		cmocka_unit_test(test_golden_loadlat),
		cmocka_unit_test(test_golden_loadlat_sriov),
		cmocka_unit_test(test_golden_failover_sriov),
		cmocka_unit_test(test_golden_loadlat_ndr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
