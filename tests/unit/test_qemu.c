// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include "core/agent_proto.h"
#include "guest/qemu.h"
#include "util/alloc.h"

/* A local guest on pc with a virtio-net on a tap, under TCG. */
static struct vm_spec base(void)
{
	struct vm_spec s = {
		.name = "iovq-s-main",
		.qemu = "qemu-system-x86_64",
		.machine = MACHINE_PC,
		.accel = VM_TCG,
		.vcpus = 2,
		.memory_mb = 256,
		.kernel = "/var/lib/iovbench/image/bzImage",
		.initrd = "/var/lib/iovbench/image/initrd.cpio.gz",
		.ip = 0xc6120002, /* 198.18.0.2 */
		.plen = 24,
		.mtu = 1500,
		.nic = NIC_VIRTIO,
		.mac = {0x02, 0x69, 0x6f, 0x00, 0x00, 0x01},
		.backend = VM_BACKEND_TAP,
		.ifname = "iovq-tap0",
		.qmp = "/run/iovbench/iovq-s-main.qmp",
		.agent = "/run/iovbench/iovq-s-main.agent",
		.serial = "/var/log/iovbench/iovq-s-main-boot1.console",
	};

	return s;
}

/* argv one word a line, so that a golden diff shows the word that moved */
static void cmdline_text(const struct vm_spec *s, struct strbuf *out)
{
	struct strv argv = STRV_INIT;
	char why[256] = "untouched";
	size_t i;

	if (vm_cmdline(s, &argv, why, sizeof(why)))
		fail_msg("vm_cmdline refused: %s", why);
	assert_string_equal(why, "untouched");
	assert_true(argv.n > 1);
	assert_null(argv.v[argv.n]);
	assert_string_equal(argv.v[0], s->qemu);
	for (i = 0; i < argv.n; i++) {
		/* one argv word a line works only if no word has a newline */
		assert_null(strchr(argv.v[i], '\n'));
		strbuf_addstr(out, argv.v[i]);
		strbuf_addch(out, '\n');
	}
	strv_clear(&argv);
}

static void golden(const char *name, const struct vm_spec *s)
{
	struct strbuf text = STRBUF_INIT;
	char rel[256];

	snprintf(rel, sizeof(rel), "tests/data/qemu/%s.golden", name);
	cmdline_text(s, &text);
	unit_golden(rel, text.buf);
	strbuf_release(&text);
}

/* Is word in argv (one word a line)? */
static int has_word(const struct strbuf *text, const char *word)
{
	const char *p = text->buf;
	size_t n = strlen(word);

	while ((p = strstr(p, word))) {
		if ((p == text->buf || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

/* The word that follows option opt ("-accel"), or "" if none. */
static const char *after(const struct strbuf *text, const char *opt,
			 char *buf, size_t len)
{
	char key[64];
	const char *p, *end;

	snprintf(key, sizeof(key), "\n%s\n", opt);
	buf[0] = '\0';
	p = strstr(text->buf, key);
	if (!p)
		return buf;
	p += strlen(key);
	end = strchr(p, '\n');
	snprintf(buf, len, "%.*s", (int)(end - p), p);
	return buf;
}

static void test_pc_virtio_tap(void **state)
{
	struct vm_spec s = base();

	(void)state;
	golden("pc-virtio-tap", &s);
}

static void test_q35_e1000_tap(void **state)
{
	struct vm_spec s = base();

	(void)state;
	s.machine = MACHINE_Q35;
	s.nic = NIC_E1000;
	golden("q35-e1000-tap", &s);
}

static void test_microvm_tsc(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;
	char w[256];

	(void)state;
	s.machine = MACHINE_MICROVM;
	s.kernel = "/var/lib/iovbench/image/vmlinux";
	s.tsc_khz = 2893202;
	golden("microvm-virtio-tap", &s);
	/* virtio-mmio devices, and the guest told its TSC */
	cmdline_text(&s, &text);
	assert_true(has_word(&text, "virtio-net-device,netdev=net0,"
				    "mac=02:69:6f:00:00:01"));
	assert_true(has_word(&text, "virtio-serial-device,id=vser0"));
	assert_null(strstr(text.buf, "-pci"));
	assert_non_null(strstr(after(&text, "-append", w, sizeof(w)),
			       " tsc_early_khz=2893202"));
	strbuf_release(&text);
}

/* Where vm-start runs knows the TSC: @tsc, filled in by the op. */
static void test_microvm_tsc_there(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;
	char w[256];

	(void)state;
	s.machine = MACHINE_MICROVM;
	s.kernel = "/var/lib/iovbench/image/vmlinux";
	s.tsc_khz = 0;
	golden("microvm-tsc-there", &s);
	cmdline_text(&s, &text);
	after(&text, "-append", w, sizeof(w));
	assert_non_null(strstr(w, " tsc_early_khz=@tsc"));
	assert_null(strstr(w, "tsc_early_khz=0"));
	strbuf_release(&text);
}

/* Only microvm is told its TSC: pc and q35 calibrate fine. */
static void test_no_tsc_off_microvm(void **state)
{
	static const enum machine_kind m[] = {MACHINE_PC, MACHINE_Q35};
	struct strbuf text = STRBUF_INIT;
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(m); i++) {
		for (k = 0; k < 2; k++) {
			struct vm_spec s = base();

			s.machine = m[i];
			s.tsc_khz = k ? 2893202 : 0;
			strbuf_reset(&text);
			cmdline_text(&s, &text);
			assert_null(strstr(text.buf, "tsc_early_khz"));
			assert_null(strstr(text.buf, "@tsc"));
		}
	}
	strbuf_release(&text);
}

static void test_tap_fd(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;

	(void)state;
	s.backend = VM_BACKEND_TAP_FD;
	s.ifname = NULL;
	s.tapdev = "/dev/tap42";
	golden("pc-virtio-tapfd", &s);
	cmdline_text(&s, &text);
	assert_true(has_word(&text, "tap,id=net0,fd=@/dev/tap42,vhost=off"));
	assert_null(strstr(text.buf, "ifname="));
	strbuf_release(&text);
}

static void test_vfio(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;

	(void)state;
	s.nic = NIC_VFIO;
	s.backend = VM_BACKEND_VFIO;
	s.ifname = NULL;
	s.pci = "0000:3b:02.1";
	golden("pc-vfio", &s);
	cmdline_text(&s, &text);
	assert_true(has_word(&text, "vfio-pci,host=0000:3b:02.1"));
	/* the VF is the NIC: no netdev, no emulated NIC for it */
	assert_null(strstr(text.buf, "net0"));
	strbuf_release(&text);
}

static void test_kvm(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;
	char w[64];

	(void)state;
	s.accel = VM_KVM;
	golden("pc-kvm", &s);
	cmdline_text(&s, &text);
	assert_string_equal(after(&text, "-accel", w, sizeof(w)), "kvm");
	assert_string_equal(after(&text, "-cpu", w, sizeof(w)), "host");
	strbuf_release(&text);
}

static void test_accel_there(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;
	char w[64];

	(void)state;
	s.accel = VM_ACCEL_THERE;
	golden("pc-accel-there", &s);
	cmdline_text(&s, &text);
	assert_string_equal(after(&text, "-accel", w, sizeof(w)), "@accel");
	assert_string_equal(after(&text, "-cpu", w, sizeof(w)), "@cpu");
	strbuf_release(&text);
}

/* TCG picks its own CPU model: no -cpu */
static void test_tcg_cpu_max(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;
	char w[64];

	(void)state;
	cmdline_text(&s, &text);
	assert_string_equal(after(&text, "-accel", w, sizeof(w)), "tcg");
	/* DPDK's SSE4.2 baseline: TCG's default model lacks it */
	assert_string_equal(after(&text, "-cpu", w, sizeof(w)), "max");
	strbuf_release(&text);
}

static void test_vhost(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;

	(void)state;
	s.vhost = true;
	golden("pc-virtio-tap-vhost", &s);
	cmdline_text(&s, &text);
	assert_true(has_word(&text, "tap,id=net0,ifname=iovq-tap0,script=no,"
				    "downscript=no,vhost=on"));
	/* and on a macvtap's character device */
	s.backend = VM_BACKEND_TAP_FD;
	s.tapdev = "/dev/tap7";
	strbuf_reset(&text);
	cmdline_text(&s, &text);
	assert_true(has_word(&text, "tap,id=net0,fd=@/dev/tap7,vhost=on"));
	strbuf_release(&text);
}

static void test_disk(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;

	(void)state;
	s.disk = "/home/user/debian-12.qcow2";
	s.mgmt_port = 10022;
	golden("pc-disk", &s);
	cmdline_text(&s, &text);
	assert_true(has_word(&text, "file=/home/user/debian-12.qcow2,"
				    "if=virtio,snapshot=on"));
	assert_true(has_word(&text, "user,id=mgmt,restrict=off,"
				    "hostfwd=tcp:127.0.0.1:10022-:22"));
	assert_true(has_word(&text, "virtio-net-pci,netdev=mgmt"));
	/* the disk boots itself: no kernel, no initrd, no command line */
	assert_false(has_word(&text, "-kernel"));
	assert_false(has_word(&text, "-initrd"));
	assert_false(has_word(&text, "-append"));
	assert_null(strstr(text.buf, "bzImage"));
	assert_null(strstr(text.buf, "iovbench.ip="));
	/* the measured NIC is still there */
	assert_true(has_word(&text, "virtio-net-pci,netdev=net0,"
				    "mac=02:69:6f:00:00:01"));
	strbuf_release(&text);
}

static void test_defaults(void **state)
{
	struct vm_spec s = base();
	struct strbuf text = STRBUF_INIT;
	char w[256];

	(void)state;
	s.vcpus = 0; /* one vCPU */
	cmdline_text(&s, &text);
	assert_string_equal(after(&text, "-smp", w, sizeof(w)), "1");
	assert_string_equal(after(&text, "-append", w, sizeof(w)),
			    "console=ttyS0 panic=-1 tsc=reliable iovbench.ip=198.18.0.2/24 "
			    "iovbench.mtu=1500");
	/* the agent's port carries the name the guest looks for */
	assert_true(has_word(&text, "virtserialport,bus=vser0.0,chardev=agent,"
				    "name=" AGENT_PORT_NAME));
	strbuf_release(&text);
}

/* Each combination is refused with this exact reason, and no argv. */
static void test_refusals(void **state)
{
	static const struct {
		enum machine_kind machine;
		enum nic_model nic;
		enum vm_backend backend;
		bool vhost;
		const char *why;
	} bad[] = {
		{MACHINE_MICROVM, NIC_E1000, VM_BACKEND_TAP, false,
		 "microvm has no PCI bus: it cannot hold an E1000 or a VFIO "
		 "device"},
		{MACHINE_MICROVM, NIC_VFIO, VM_BACKEND_VFIO, false,
		 "microvm has no PCI bus: it cannot hold an E1000 or a VFIO "
		 "device"},
		{MACHINE_PC, NIC_E1000, VM_BACKEND_TAP, true,
		 "vhost accelerates virtio-net only"},
		{MACHINE_Q35, NIC_VFIO, VM_BACKEND_VFIO, true,
		 "vhost accelerates virtio-net only"},
		{MACHINE_PC, NIC_VFIO, VM_BACKEND_TAP, false,
		 "a VFIO NIC needs a VFIO backend and only it"},
		{MACHINE_PC, NIC_VFIO, VM_BACKEND_TAP_FD, false,
		 "a VFIO NIC needs a VFIO backend and only it"},
		{MACHINE_PC, NIC_VIRTIO, VM_BACKEND_VFIO, false,
		 "a VFIO NIC needs a VFIO backend and only it"},
		{MACHINE_PC, NIC_NONE, VM_BACKEND_TAP, false,
		 "a VM needs a NIC"},
		{MACHINE_MICROVM, NIC_NONE, VM_BACKEND_TAP_FD, false,
		 "a VM needs a NIC"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct vm_spec s = base();
		struct strv argv = STRV_INIT;
		char why[256] = "";

		s.machine = bad[i].machine;
		s.nic = bad[i].nic;
		s.backend = bad[i].backend;
		s.vhost = bad[i].vhost;
		s.tapdev = "/dev/tap42";
		s.pci = "0000:3b:02.1";
		if (!vm_cmdline(&s, &argv, why, sizeof(why)))
			fail_msg("case %zu: accepted", i);
		if (strcmp(why, bad[i].why))
			fail_msg("case %zu: '%s', expected '%s'", i, why,
				 bad[i].why);
		assert_int_equal(argv.n, 0);
		strv_clear(&argv);
	}
}

/*
 * A disk image on microvm: QEMU would stop at "No 'PCI' bus found for
 * device 'virtio-blk-pci'", and no microvm firmware boots a virtio-mmio
 * disk anyway.
 */
static void test_refusal_microvm_disk(void **state)
{
	struct vm_spec s = base();
	struct strv argv = STRV_INIT;
	char why[256] = "";

	(void)state;
	s.machine = MACHINE_MICROVM;
	s.disk = "/home/user/debian-12.qcow2";
	s.mgmt_port = 10022;
	assert_int_equal(vm_cmdline(&s, &argv, why, sizeof(why)), -1);
	assert_string_equal(why, "microvm cannot boot a disk image: it has no "
				 "PCI bus and no firmware for virtio-mmio "
				 "disks");
	assert_int_equal(argv.n, 0);
	strv_clear(&argv);
}

/* A short why buffer gets a truncated, terminated reason. */
static void test_refusal_short_why(void **state)
{
	struct vm_spec s = base();
	struct strv argv = STRV_INIT;
	char why[8];

	(void)state;
	s.nic = NIC_NONE;
	memset(why, 'x', sizeof(why));
	assert_int_equal(vm_cmdline(&s, &argv, why, sizeof(why)), -1);
	assert_string_equal(why, "a VM ne");
	strv_clear(&argv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pc_virtio_tap),
		cmocka_unit_test(test_q35_e1000_tap),
		cmocka_unit_test(test_microvm_tsc),
		cmocka_unit_test(test_microvm_tsc_there),
		cmocka_unit_test(test_no_tsc_off_microvm),
		cmocka_unit_test(test_tap_fd),
		cmocka_unit_test(test_vfio),
		cmocka_unit_test(test_kvm),
		cmocka_unit_test(test_accel_there),
		cmocka_unit_test(test_tcg_cpu_max),
		cmocka_unit_test(test_vhost),
		cmocka_unit_test(test_disk),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_refusal_microvm_disk),
		cmocka_unit_test(test_refusal_short_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
