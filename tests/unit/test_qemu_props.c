// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Named sets of extra QEMU device properties (issue 13, item 1): the
 * campaign's qemu_props mapping and its refusals, the qemu_props
 * factor's rule (a name the campaign defines, VMs only), and the set's
 * text appended to the NIC's -device.
 */
#include "unit.h"

#include "core/caps.h"
#include "core/config.h"
#include "core/plan.h"
#include "guest/qemu.h"
#include "util/alloc.h"

static const char head[] =
	"campaign: x\n"
	"qemu_props:\n"
	"  ioregionfd: \"ioregionfd=on\"\n"
	"  posted: \"ioregionfd=on,ioregionfd-posted=on\"\n";

static void test_config(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct campaign c;
	const char *bad[] = {
		"qemu_props: [a, b]\n",
		"qemu_props:\n  none: \"x=1\"\n",
		"qemu_props:\n  a: \"x=1\"\n  a: \"y=1\"\n",
		"qemu_props:\n  a: \"x=1 -device evil\"\n",
		"qemu_props:\n  a: \",x=1\"\n",
		"qemu_props:\n  a: \"\"\n",
		"qemu_props:\n  a b: \"x=1\"\n",
		"qemu_props:\n  a: [x]\n",
	};
	char text[512];
	size_t i;

	(void)state;
	snprintf(text, sizeof(text), "%smatrix:\n  - rate: 1k\n", head);
	if (config_parse("t.yaml", text, strlen(text), &c, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(c.qemu_props.n, 2);
	assert_string_equal(named_strings_find(&c.qemu_props, "posted"),
			    "ioregionfd=on,ioregionfd-posted=on");
	assert_null(named_strings_find(&c.qemu_props, "none"));
	config_release(&c);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text),
			 "campaign: x\n%smatrix:\n  - rate: 1k\n", bad[i]);
		strbuf_reset(&err);
		if (!config_parse("t.yaml", text, strlen(text), &c, &err)) {
			config_release(&c);
			fail_msg("taken: %s", bad[i]);
		}
		/* file:line:col and the key */
		assert_non_null(strstr(err.buf, "t.yaml:"));
		assert_non_null(strstr(err.buf, "qemu_props"));
	}
	strbuf_release(&err);
}

static void test_rule(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct campaign c;
	struct plan p;
	char text[1024];
	size_t i, ok = 0, missing = 0, container = 0;

	(void)state;
	snprintf(text, sizeof(text),
		 "%smatrix:\n"
		 "  - dataplane: virtio-bridge\n"
		 "    qemu_props: [none, ioregionfd, posted, nosuch]\n"
		 "  - dataplane: veth-bridge\n"
		 "    qemu_props: posted\n",
		 head);
	if (config_parse("t.yaml", text, strlen(text), &c, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(plan_build(&c, CAP_NETNS | CAP_QEMU, &p), 0);
	for (i = 0; i < p.ntests; i++) {
		const char *r = p.tests[i].reason;

		if (!r)
			ok++;
		else if (strstr(r, "qemu_props 'nosuch' is not among"))
			missing++;
		else if (strstr(r, "qemu_props applies to VMs only"))
			container++;
	}
	assert_int_equal(ok, 3);
	assert_int_equal(missing, 1);
	assert_int_equal(container, 1);
	/* none keeps the test's identity of before the factor */
	for (i = 0; i < p.ntests; i++) {
		if (!p.tests[i].reason && !strstr(p.tests[i].key, "qemu_props"))
			break;
	}
	assert_true(i < p.ntests);
	plan_release(&p);
	config_release(&c);
	strbuf_release(&err);
}

static void test_cmdline(void **state)
{
	struct vm_spec s = {
		.name = "iovq-s-main",
		.qemu = "qemu-system-x86_64",
		.machine = MACHINE_PC,
		.accel = VM_TCG,
		.vcpus = 1,
		.memory_mb = 256,
		.kernel = "/k",
		.initrd = "/i",
		.ip = 0xc6120002,
		.plen = 24,
		.mtu = 1500,
		.nic = NIC_VIRTIO,
		.mac = {0x02, 0x69, 0x6f, 0x00, 0x00, 0x01},
		.backend = VM_BACKEND_TAP,
		.ifname = "iovq-tap0",
		.qmp = "/run/q.qmp",
		.agent = "/run/q.agent",
		.serial = "/run/q.console",
		.nic_props = "ioregionfd=on,ioregionfd-posted=on",
	};
	struct strv argv = STRV_INIT;
	char why[256];
	size_t i;
	int found = 0;

	(void)state;
	assert_int_equal(vm_cmdline(&s, &argv, why, sizeof(why)), 0);
	for (i = 0; i < argv.n; i++) {
		if (!strcmp(argv.v[i],
			    "virtio-net-pci,netdev=net0,mac=02:69:6f:00:00:01,"
			    "ioregionfd=on,ioregionfd-posted=on"))
			found++;
	}
	assert_int_equal(found, 1);
	strv_clear(&argv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_cmdline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
