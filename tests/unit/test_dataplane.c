// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The data planes' table: the plan's refusals it drives keep their exact
 * words, background guests find their data planes, NIC models say what
 * QEMU needs.
 */
#include "unit.h"

#include "core/caps.h"
#include "core/config.h"
#include "core/dataplane.h"
#include "core/plan.h"
#include "testbed/setup.h"
#include "util/alloc.h"

static void load(const char *text, struct campaign *c)
{
	struct strbuf err = STRBUF_INIT;

	if (config_parse("t.yaml", text, strlen(text), c, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&err);
}

/* The reason the one test of matrix is refused (NULL: runnable). */
static void refusal(const char *matrix, const char *want)
{
	struct campaign c;
	struct plan p;
	char yaml[512];

	snprintf(yaml, sizeof(yaml), "campaign: x\nmatrix: {%s}\n", matrix);
	load(yaml, &c);
	assert_int_equal(plan_build(&c, ~0u, &p), 0);
	assert_int_equal(p.ntests, 1);
	if (!want && p.tests[0].reason)
		fail_msg("%s: refused: %s", matrix, p.tests[0].reason);
	if (want && (!p.tests[0].reason || strcmp(p.tests[0].reason, want)))
		fail_msg("%s: '%s', expected '%s'", matrix,
			 p.tests[0].reason ? p.tests[0].reason : "(runnable)",
			 want);
	plan_release(&p);
	config_release(&c);
}

static void test_refusals(void **state)
{
	(void)state;
	refusal("dataplane: veth-bridge, machine: microvm",
		"veth-bridge has container guests: machine applies to VMs "
		"only");
	refusal("dataplane: macvlan, vhost: on",
		"macvlan has container guests: vhost applies to VMs only");
	refusal("dataplane: macvlan, machine: q35, macvtap: bridge",
		"macvlan has container guests: machine applies to VMs only");
	refusal("dataplane: veth-bridge, macvtap: vepa",
		"macvtap applies to virtio-macvtap only");
	refusal("dataplane: virtio-bridge, macvtap: bridge",
		"macvtap applies to virtio-macvtap only");
	refusal("dataplane: virtio-macvtap, macvtap: bridge", NULL);
	refusal("dataplane: vf-netns, vhost: on",
		"vf-netns has container guests: vhost applies to VMs only");
	/* throughput: iperf3 in containers and VMs, probes within the load */
	refusal("dataplane: vf-netns, measure: throughput, pairs: 4", NULL);
	refusal("dataplane: virtio-bridge, measure: throughput", NULL);
	refusal("dataplane: virtio-macvtap, measure: throughput, pairs: 2",
		NULL);
	refusal("measure: throughput, count: 2000, runtime: 2",
		"the probes (2000 after 10 warm-up ones at 1000 pps: 2.0 s) "
		"outlast the throughput load (runtime 2 s less 0.5 s of "
		"settling)");
	refusal("measure: rtt, pairs: 2",
		"pairs does not apply to rtt matrices");
	refusal("dataplane: e1000-bridge, machine: microvm",
		"microvm has no PCI bus: it cannot hold an E1000");
	refusal("dataplane: virtio-bridge, machine: microvm", NULL);
	refusal("dataplane: e1000-bridge, vhost: on",
		"vhost accelerates virtio-net only, not e1000");
	refusal("dataplane: virtio-bridge, vhost: on", NULL);
	refusal("dataplane: vfio-vf",
		"vfio-vf needs a real SR-IOV NIC: the local testbed's VFs "
		"are emulated (veth pairs), they cannot be passed through");
	refusal("dataplane: macvlan, background: 2",
		"macvlan keeps the PF for itself: background guests cannot "
		"share it through a bridge (background_dataplane: vf)");
	refusal("dataplane: macvlan, background: 2, background_dataplane: vf",
		NULL);
}

/* VFs per server: VF 0 for a main guest on one, 1+i for background i. */
static void test_vfs_needed(void **state)
{
	static const struct {
		const char *matrix;
		unsigned vfs;
	} cases[] = {
		{"dataplane: veth-bridge", 0},
		{"dataplane: macvlan", 0},
		{"dataplane: virtio-bridge", 0},
		{"dataplane: virtio-macvtap", 1},
		{"dataplane: vfio-vf", 1},
		{"dataplane: vf-netns", 1},
		/* each measured pair its own VF, after the background's */
		{"dataplane: vf-netns, measure: throughput, pairs: 4", 4},
		{"dataplane: vf-netns, measure: throughput, pairs: 2, "
		 "background: 2, background_dataplane: vf", 4},
		{"dataplane: veth-bridge, measure: throughput, pairs: 4", 0},
		{"dataplane: veth-bridge, background: 3", 0},
		{"dataplane: veth-bridge, background: 3, "
		 "background_dataplane: vf", 4},
		{"dataplane: virtio-macvtap, background: 2, "
		 "background_kind: qemu", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct campaign c;
		struct plan p;
		char yaml[512];

		snprintf(yaml, sizeof(yaml), "campaign: x\nmatrix: {%s}\n",
			 cases[i].matrix);
		load(yaml, &c);
		assert_int_equal(plan_build(&c, ~0u, &p), 0);
		assert_int_equal(p.ntests, 1);
		if (plan_vfs_needed(&p.tests[0]) != cases[i].vfs)
			fail_msg("%s: %u VFs, expected %u", cases[i].matrix,
				 plan_vfs_needed(&p.tests[0]), cases[i].vfs);
		plan_release(&p);
		config_release(&c);
	}
}

/* Background guests: the PF's bridge, or a VF each; a container or a VM. */
static void test_background(void **state)
{
	static const struct {
		enum bg_dataplane bd;
		bool vm;
		const char *dataplane;
		bool vf;
	} cases[] = {
		{BG_BRIDGE, false, "veth-bridge", false},
		{BG_BRIDGE, true, "virtio-bridge", false},
		{BG_VF, false, "macvlan", true},
		{BG_VF, true, "virtio-macvtap", true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool vf = !cases[i].vf;
		const struct dataplane *dp =
			dataplane_background(cases[i].bd, cases[i].vm, &vf);

		assert_non_null(dp);
		assert_string_equal(dp->name, cases[i].dataplane);
		assert_int_equal(dataplane_vm(dp), cases[i].vm);
		assert_int_equal(vf, cases[i].vf);
		/* a VM's NIC: what vm_spec_of gives background VMs */
		if (cases[i].vm)
			assert_string_equal(nic_model_name(dp->nic),
					    "virtio-net");
	}
}

static void test_nic_models(void **state)
{
	char buf[128];

	(void)state;
	nic_model_list(NIC_PCI_ONLY, true, buf, sizeof(buf));
	assert_string_equal(buf, "an E1000 or a VFIO device");
	nic_model_list(NIC_VHOST, false, buf, sizeof(buf));
	assert_string_equal(buf, "virtio-net");
	/* a short buffer is cut, not overrun */
	nic_model_list(NIC_PCI_ONLY, true, buf, 6);
	assert_string_equal(buf, "an E1");
	assert_null(nic_model_table[NIC_NONE].device);
}

/* Labels name the guest-level factors a data plane's guests have. */
static void test_labels(void **state)
{
	static const struct {
		const char *matrix, *label;
	} cases[] = {
		{"dataplane: veth-bridge", "veth-bridge"},
		{"dataplane: macvlan, background: 2, background_dataplane: vf",
		 "macvlan background=2 (netns, vf)"},
		{"dataplane: virtio-bridge, machine: q35, vhost: on",
		 "virtio-bridge machine=q35 qemu=system vhost=on"},
		{"dataplane: virtio-macvtap, macvtap: vepa",
		 "virtio-macvtap machine=pc qemu=system vhost=off "
		 "macvtap=vepa"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf label = STRBUF_INIT;
		struct campaign c;
		struct setup su;
		struct plan p;
		char yaml[512];

		snprintf(yaml, sizeof(yaml),
			 "campaign: x\ntestbed: {subnet: 198.18.0.0/22}\n"
			 "matrix: {%s}\n",
			 cases[i].matrix);
		load(yaml, &c);
		assert_int_equal(plan_build(&c, ~0u, &p), 0);
		assert_int_equal(p.ntests, 1);
		setup_of_test(&p.tests[0], &su);
		setup_label(&su, &label);
		assert_string_equal(label.buf, cases[i].label);
		strbuf_release(&label);
		plan_release(&p);
		config_release(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_vfs_needed),
		cmocka_unit_test(test_background),
		cmocka_unit_test(test_nic_models),
		cmocka_unit_test(test_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
