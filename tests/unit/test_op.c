// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include "core/op.h"
#include "util/alloc.h"

/* One op of each kind, with the words a testbed gives it. */
static void every_op(struct op_list *l)
{
	op_add(l, 0, OP_NETNS_ADD, "iovq-sender", NULL);
	op_add(l, 1, OP_NETNS_DEL, "iovq-responder", NULL);
	op_addf(l, 0, OP_LINK_ADD, "%s %s veth peer=%s peerns=%s",
		"iovq-sender", "iovq-nic", "iovq-peer", "iovq-responder");
	op_addf(l, 0, OP_LINK_ADD, "- iovq-mvt macvtap lower=%s mode=%s "
		"ifindex=%d netns=%s", "ens1f0", "bridge", 12, "-");
	op_add(l, 0, OP_LINK_ADD, "-", "iovq-tap0", "tap", NULL);
	op_addf(l, 0, OP_LINK_SET, "iovq-sender iovq-nic mtu=%u up", 1500u);
	op_add(l, 0, OP_LINK_SET, "-", "iovq-tap0", "nomaster",
	       "master=iovq-br", "mac=02:69:6f:00:00:01", "netns=iovq-x",
	       NULL);
	op_add(l, 0, OP_LINK_DEL, "-", "iovq-tap0", NULL);
	op_add(l, 1, OP_LINK_WAIT, "iovq-responder", "iovq-wire", NULL);
	op_addf(l, 1, OP_ADDR_ADD, "iovq-responder iovq-nic %s/%u",
		"198.18.0.2", 24u);
	op_add(l, 0, OP_NEIGH_FLUSH, "iovq-sender", NULL);
	op_add(l, 0, OP_SYSFS_WRITE, "/sys/class/net/ens1f0/device/"
	       "sriov_numvfs", "4", NULL);
	op_addf(l, 0, OP_VF_SET, "- ens1f0 %u mac=%s vlan=%d trust=on "
		"spoofchk=off", 3u, "02:69:6f:00:00:01", 0);
	op_add(l, 0, OP_DRIVER_BIND, "0000:3b:02.1", "vfio-pci", NULL);
	op_add(l, 0, OP_VM_START, "iovq-s-main", "iovq-sender", "--",
	       "qemu-system-x86_64", "-machine", "pc", "-accel", "@accel",
	       "-netdev", "tap,id=net0,fd=@/dev/tap42,vhost=on", NULL);
	op_add(l, 0, OP_VM_STOP, "iovq-s-main", NULL);
}

/*
 * Split line as a POSIX shell does: /bin/sh prints the words it reads
 * (what ssh's remote shell would pass to `iovbench op`). glibc's
 * wordexp() is no oracle here: it reads ''\''' as two words.
 */
static void shell_split(const char *line, struct strv *words)
{
	struct strbuf cmd = STRBUF_INIT, out = STRBUF_INIT;
	char buf[4096];
	size_t n, i, start;
	FILE *f;

	strbuf_addf(&cmd, "printf '%%s\\0' %s", line);
	f = popen(cmd.buf, "r");
	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&out, buf, n);
	if (pclose(f))
		fail_msg("sh cannot read '%s'", line);
	for (i = start = 0; i < out.len; i++) {
		if (!out.buf[i]) {
			strv_push(words, out.buf + start);
			start = i + 1;
		}
	}
	assert_int_equal(start, out.len);
	strbuf_release(&cmd);
	strbuf_release(&out);
}

/* Format op, split the line as a shell would, parse: the same op. */
static void round_trip(const struct op *op)
{
	struct strbuf line = STRBUF_INIT;
	struct strv words = STRV_INIT;
	struct op got;
	char why[512] = "";
	size_t i;

	op_format(op, &line);
	assert_null(strchr(line.buf, '\n'));
	shell_split(line.buf, &words);
	assert_int_equal(words.n, op->words.n + 1);
	if (op_parse(words.v, (int)words.n, &got, why, sizeof(why)))
		fail_msg("'%s': %s", line.buf, why);
	assert_int_equal(got.id, op->id);
	assert_int_equal(got.words.n, op->words.n);
	for (i = 0; i < op->words.n; i++)
		assert_string_equal(got.words.v[i], op->words.v[i]);
	assert_null(got.words.v[got.words.n]);
	op_release(&got);
	strv_clear(&words);
	strbuf_release(&line);
}

static void test_round_trip_every_op(void **state)
{
	struct op_list l = {0};
	bool seen[OP_COUNT] = {false};
	size_t i;

	(void)state;
	every_op(&l);
	for (i = 0; i < l.n; i++) {
		round_trip(&l.v[i]);
		seen[l.v[i].id] = true;
	}
	for (i = 0; i < OP_COUNT; i++) {
		if (!seen[i])
			fail_msg("no round trip for '%s'", op_name(i));
	}
	op_list_clear(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
}

/* Plain words print as they are: a dry run reads like the docs. */
static void test_format(void **state)
{
	static const char *const want[] = {
		"netns-add iovq-sender",
		"netns-del iovq-responder",
		"link-add iovq-sender iovq-nic veth peer=iovq-peer "
		"peerns=iovq-responder",
		"link-add - iovq-mvt macvtap lower=ens1f0 mode=bridge "
		"ifindex=12 netns=-",
		"link-add - iovq-tap0 tap",
		"link-set iovq-sender iovq-nic mtu=1500 up",
		"link-set - iovq-tap0 nomaster master=iovq-br "
		"mac=02:69:6f:00:00:01 netns=iovq-x",
		"link-del - iovq-tap0",
		"link-wait iovq-responder iovq-wire",
		"addr-add iovq-responder iovq-nic 198.18.0.2/24",
		"neigh-flush iovq-sender",
		"sysfs-write /sys/class/net/ens1f0/device/sriov_numvfs 4",
		"vf-set - ens1f0 3 mac=02:69:6f:00:00:01 vlan=0 trust=on "
		"spoofchk=off",
		"driver-bind 0000:3b:02.1 vfio-pci",
		"vm-start iovq-s-main iovq-sender -- qemu-system-x86_64 "
		"-machine pc -accel @accel -netdev "
		"tap,id=net0,fd=@/dev/tap42,vhost=on",
		"vm-stop iovq-s-main",
	};
	struct strbuf sb = STRBUF_INIT;
	struct op_list l = {0};
	size_t i;

	(void)state;
	every_op(&l);
	assert_int_equal(l.n, ARRAY_SIZE(want));
	for (i = 0; i < l.n; i++) {
		strbuf_reset(&sb);
		op_format(&l.v[i], &sb);
		assert_string_equal(sb.buf, want[i]);
	}
	/* the server each op is for is kept, not printed */
	assert_int_equal(l.v[0].server, 0);
	assert_int_equal(l.v[1].server, 1);
	op_list_clear(&l);
	strbuf_release(&sb);
}

/* A QEMU word with spaces (a kernel command line) is quoted. */
static void test_vm_start_quoted(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct op_list l = {0};

	(void)state;
	op_add(&l, 0, OP_VM_START, "iovq-s-main", "-", "--",
	       "qemu-system-x86_64", "-append",
	       "console=ttyS0 panic=-1 iovbench.ip=198.18.0.2/24",
	       "-name", "it's", "", "$HOME;*", NULL);
	op_format(&l.v[0], &sb);
	assert_string_equal(sb.buf,
			    "vm-start iovq-s-main - -- qemu-system-x86_64 "
			    "-append 'console=ttyS0 panic=-1 "
			    "iovbench.ip=198.18.0.2/24' -name 'it'\\''s' '' "
			    "'$HOME;*'");
	round_trip(&l.v[0]);
	op_list_clear(&l);
	strbuf_release(&sb);
}

/* op_addf splits at spaces, runs of them too. */
static void test_addf_split(void **state)
{
	struct op_list l = {0};

	(void)state;
	op_addf(&l, 2, OP_LINK_SET, "  %s   %s mtu=%d  ", "ns", "eth0", 9000);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].id, OP_LINK_SET);
	assert_int_equal(l.v[0].server, 2);
	assert_int_equal(l.v[0].words.n, 3);
	assert_string_equal(l.v[0].words.v[0], "ns");
	assert_string_equal(l.v[0].words.v[1], "eth0");
	assert_string_equal(l.v[0].words.v[2], "mtu=9000");
	assert_null(l.v[0].words.v[3]);
	op_list_clear(&l);
}

static void test_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < OP_COUNT; i++) {
		assert_int_equal(op_find(op_name((enum op_id)i)), i);
	}
	assert_string_equal(op_name(OP_VM_START), "vm-start");
	assert_string_equal(op_name(OP_COUNT), "?");
	assert_int_equal(op_find("vm-begin"), -1);
	assert_int_equal(op_find(""), -1);
	assert_int_equal(op_find("?"), -1);
}

/* Parse a line split at single spaces (no quoting needed here). */
static int parse_line(const char *line, struct op *op, char *why,
		      size_t len)
{
	struct strv argv = STRV_INIT;
	char *copy = xstrdup(line), *w, *save;
	int ret;

	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		strv_push(&argv, w);
	ret = op_parse(argv.v, (int)argv.n, op, why, len);
	strv_clear(&argv);
	free(copy);
	return ret;
}

static void test_parse_ok(void **state)
{
	struct op op;
	char why[512] = "";

	(void)state;
	assert_int_equal(parse_line("vm-start a - -- qemu", &op, why,
				    sizeof(why)),
			 0);
	assert_int_equal(op.id, OP_VM_START);
	assert_int_equal(op.words.n, 4);
	assert_string_equal(op.words.v[3], "qemu");
	op_release(&op);
	/* QEMU's words are QEMU's: no option check after "--" */
	assert_int_equal(parse_line("vm-start a b -- qemu -S up=1 --", &op,
				    why, sizeof(why)),
			 0);
	op_release(&op);
	/* options in any order, a flag alone */
	assert_int_equal(parse_line("link-set - eth0 up", &op, why,
				    sizeof(why)),
			 0);
	assert_int_equal(op.words.n, 3);
	op_release(&op);
	assert_int_equal(parse_line("link-set - eth0", &op, why, sizeof(why)),
			 0);
	op_release(&op);
	/* a printable word of any kind: the shell already split it */
	assert_int_equal(parse_line("sysfs-write /sys/x a'b\"c$d", &op, why,
				    sizeof(why)),
			 0);
	assert_string_equal(op.words.v[1], "a'b\"c$d");
	op_release(&op);
	assert_string_equal(why, "");
}

/* Each line is refused with this exact reason. */
static void test_parse_rejects(void **state)
{
	static const struct {
		const char *line;
		const char *why;
	} bad[] = {
		{"netns-make x", "unknown op 'netns-make'"},
		{"NETNS-ADD x", "unknown op 'NETNS-ADD'"},
		{"netns-add",
		 "netns-add takes NS: a quiet network namespace (no IPv6, no "
		 "netfilter on bridges, lo up)"},
		{"link-add - veth0",
		 "link-add takes NS NAME KIND: veth peer= [peerns=], bridge, "
		 "macvlan lower= [netns=], macvtap lower= mode= [ifindex=], "
		 "tap"},
		{"addr-add - eth0", "addr-add takes NS NAME ADDR/PLEN"},
		{"vf-set - ens1f0",
		 "vf-set takes NS PF VF [mac=] [vlan=] [trust=on|off] "
		 "[spoofchk=on|off]"},
		{"driver-bind 0000:3b:02.1",
		 "driver-bind takes BDF DRIVER: driver_override, unbind, "
		 "probe"},
		{"vm-stop", "vm-stop takes NAME"},
		{"link-set - eth0 speed=10",
		 "link-set: unknown option 'speed=10' (NS NAME [mtu=] [mac=] "
		 "[nomaster] [master=] [up] [netns= [name=]])"},
		{"link-set - eth0 mtu=",
		 "link-set: unknown option 'mtu=' (NS NAME [mtu=] [mac=] "
		 "[nomaster] [master=] [up] [netns= [name=]])"},
		{"link-set - eth0 up=1",
		 "link-set: unknown option 'up=1' (NS NAME [mtu=] [mac=] "
		 "[nomaster] [master=] [up] [netns= [name=]])"},
		{"link-set - eth0 mtu",
		 "link-set: unknown option 'mtu' (NS NAME [mtu=] [mac=] "
		 "[nomaster] [master=] [up] [netns= [name=]])"},
		{"vf-set - ens1f0 3 mac=02:00:00:00:00:01 spoof=off",
		 "vf-set: unknown option 'spoof=off' (NS PF VF [mac=] [vlan=] "
		 "[trust=on|off] [spoofchk=on|off])"},
		/* a word too many is an option no op takes */
		{"netns-add a b",
		 "netns-add: unknown option 'b' (NS: a quiet network "
		 "namespace (no IPv6, no netfilter on bridges, lo up))"},
		{"link-del - eth0 eth1",
		 "link-del: unknown option 'eth1' (NS NAME)"},
		{"link-add - x veth peer=y up",
		 "link-add: unknown option 'up' (NS NAME KIND: veth peer= "
		 "[peerns=], bridge, macvlan lower= [netns=], macvtap lower= "
		 "mode= [ifindex=], tap)"},
		{"link-del - eth\t0", "link-del: bad word 'eth\t0'"},
		{"link-del - eth\n0", "link-del: bad word 'eth\n0'"},
		{"link-del - eth\x7f", "link-del: bad word 'eth\x7f'"},
		{"vm-start a - -- qemu -append x\ny",
		 "vm-start: bad word 'x\ny'"},
		{"vm-start a", "vm-start takes NAME NS -- QEMU ARGV..."},
		{"vm-start a -", "vm-start takes NAME NS -- QEMU ARGV..."},
		{"vm-start a - --", "vm-start takes NAME NS -- QEMU ARGV..."},
		{"vm-start a - qemu -machine pc",
		 "vm-start takes NAME NS -- QEMU ARGV..."},
		{"vm-start a - - qemu",
		 "vm-start takes NAME NS -- QEMU ARGV..."},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct op op;
		char why[512] = "";

		if (!parse_line(bad[i].line, &op, why, sizeof(why)))
			fail_msg("case %zu '%s': accepted", i, bad[i].line);
		if (strcmp(why, bad[i].why))
			fail_msg("case %zu '%s': '%s', expected '%s'", i,
				 bad[i].line, why, bad[i].why);
		/* nothing left to release */
		assert_int_equal(op.words.n, 0);
		assert_null(op.words.v);
	}
}

static void test_parse_no_words(void **state)
{
	char *argv[] = {NULL};
	struct op op;
	char why[64] = "";

	(void)state;
	assert_int_equal(op_parse(argv, 0, &op, why, sizeof(why)), -1);
	assert_string_equal(why, "unknown op ''");
}

/* The shell-quoting of one word, and the shell's reading of it. */
static void quoted(const char *word, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct strv words = STRV_INIT;

	strbuf_addstr(&sb, "x");
	strbuf_addquoted(&sb, word);
	assert_string_equal(sb.buf + 1, want);
	/* after a word, as op_format prints it: a shell reads word back */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "cmd ");
	strbuf_addquoted(&sb, word);
	shell_split(sb.buf, &words);
	assert_int_equal(words.n, 2);
	assert_string_equal(words.v[1], word);
	strv_clear(&words);
	strbuf_release(&sb);
}

static void test_addquoted(void **state)
{
	(void)state;
	/* plain words unchanged */
	quoted("eth0", "eth0");
	quoted("fd=@/dev/tap3", "fd=@/dev/tap3");
	quoted("-append", "-append");
	quoted("a,b:c+d%e.f_g", "a,b:c+d%e.f_g");
	quoted("0000:3b:02.1", "0000:3b:02.1");
	/* the rest in single quotes, a single quote as '\'' */
	quoted("", "''");
	quoted("a b", "'a b'");
	quoted(" ", "' '");
	quoted("it's", "'it'\\''s'");
	quoted("'", "''\\'''");
	quoted("''", "''\\'''\\'''");
	quoted("$HOME", "'$HOME'");
	quoted("a;b", "'a;b'");
	quoted("*", "'*'");
	quoted("~", "'~'");
	quoted("#x", "'#x'");
	quoted("a\"b", "'a\"b'");
	quoted("a\\b", "'a\\b'");
	quoted("`id`", "'`id`'");
	quoted("$(id)", "'$(id)'");
	quoted("a\tb", "'a\tb'");
	quoted("a\nb", "'a\nb'");
	quoted("!x", "'!x'");
	quoted("{a,b}", "'{a,b}'");
	quoted("caf\xc3\xa9", "'caf\xc3\xa9'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_op),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_vm_start_quoted),
		cmocka_unit_test(test_addf_split),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_no_words),
		cmocka_unit_test(test_addquoted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
