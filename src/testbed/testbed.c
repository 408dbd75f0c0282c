// SPDX-License-Identifier: GPL-2.0-or-later
#include "testbed/testbed.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/plan.h"
#include "guest/image.h"
#include "guest/qemu.h"
#include "guest/qmp.h"
#include "host/proc.h"
#include "net/link.h"
#include "net/netns.h"
#include "testbed/attach.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* How long processes get between SIGTERM and SIGKILL at teardown. */
#define KILL_GRACE_NS (1 * NSEC_PER_SEC)
/* A TCG boot to the agent takes 6-9 s (pc) here; leave room for load. */
#define VM_READY_NS (180 * NSEC_PER_SEC)
#define VM_LINK_NS (30 * NSEC_PER_SEC)
#define QMP_NS (5 * NSEC_PER_SEC)
#define RUN_DIR "/run/iovbench"

static const char *const server_names[SERVER_COUNT] = {
	[SERVER_SENDER] = "sender",
	[SERVER_RESPONDER] = "responder",
};

const char *server_name(enum server_id s)
{
	return server_names[s];
}

void ipv4_format(uint32_t addr, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", addr >> 24, addr >> 16 & 255,
		 addr >> 8 & 255, addr & 255);
}

void guest_mac(enum server_id s, uint8_t mac[6])
{
	/* locally administered, stable: a peer's ARP entry stays right */
	static const uint8_t base[6] = {0x02, 0x69, 0x6f, 0x00, 0x00, 0x01};

	memcpy(mac, base, 6);
	mac[4] = (uint8_t)s;
}

/* ---- setups ---- */

void setup_of_test(const struct test *t, struct setup *su)
{
	memset(su, 0, sizeof(*su));
	su->dataplane = (int)t->v[F_DATAPLANE];
	su->machine = (enum machine_kind)t->v[F_MACHINE];
	su->qemu = t->v[F_QEMU];
	su->vhost = t->v[F_VHOST] != 0;
	su->macvtap = (enum macvtap_mode)t->v[F_MACVTAP];
}

bool setup_equal(const struct setup *a, const struct setup *b)
{
	return a->dataplane == b->dataplane && a->machine == b->machine &&
	       a->qemu == b->qemu && a->vhost == b->vhost &&
	       a->macvtap == b->macvtap;
}

void setup_label(const struct setup *su, struct strbuf *out)
{
	const struct dataplane *dp = &dataplane_table[su->dataplane];
	char qemu[64];

	strbuf_addstr(out, dp->name);
	if (dp->guest != GUEST_QEMU)
		return;
	qemu_value_name(factor_string(su->qemu), qemu, sizeof(qemu));
	strbuf_addf(out, " machine=%s qemu=%s vhost=%s",
		    machine_name(su->machine), qemu, su->vhost ? "on" : "off");
	if (dp->attach == ATTACH_MACVTAP_VF)
		strbuf_addf(out, " macvtap=%s", macvtap_mode_name(su->macvtap));
}

/* ---- the testbed ---- */

void testbed_init(struct testbed *tb, const struct campaign *c)
{
	const char *p = c->prefix;
	int s;

	memset(tb, 0, sizeof(*tb));
	tb->campaign = c;
	tb->remote = c->testbed.kind == TESTBED_SSH;
	snprintf(tb->prefix, sizeof(tb->prefix), "%s", p);
	snprintf(tb->guests[SERVER_SENDER].name, NS_NAME_MAX, "%s-s-main", p);
	snprintf(tb->guests[SERVER_RESPONDER].name, NS_NAME_MAX, "%s-r-main",
		 p);
	snprintf(tb->bridge, IF_NAME_MAX, "%s-br", p);
	snprintf(tb->esw, IF_NAME_MAX, "%s-esw", p);
	snprintf(tb->guest_port, IF_NAME_MAX, "%s-main", p);
	snprintf(tb->rundir, sizeof(tb->rundir), "%s/%s", RUN_DIR, p);
	snprintf(tb->logdir, sizeof(tb->logdir), "%s", tb->rundir);
	tb->env.rundir = tb->rundir;
	tb->env.sysfs = "/sys";
	for (s = 0; s < SERVER_COUNT; s++) {
		const struct server_config *sv = &c->testbed.servers[s];

		tb->guest_addr[s] = c->testbed.subnet.addr + 1 + (uint32_t)s;
		tb->guests[s].ch.agent.fd = -1;
		if (tb->remote) {
			/* a real server: its own namespace, its own NIC */
			snprintf(tb->server_ns[s], NS_NAME_MAX, "-");
			host_init_ssh(&tb->hosts[s], server_name(s), sv->ssh,
				      sv->iovbench, tb->rundir);
		} else {
			snprintf(tb->server_ns[s], NS_NAME_MAX, "%s-%s", p,
				 server_name(s));
			host_init_local(&tb->hosts[s], server_name(s), &tb->env);
		}
		strbuf_init(&tb->results[s]);
		tb->hosts[s].result = &tb->results[s];
	}
	/* the local testbed's servers share one NIC name, each in its own
	 * namespace; real servers may differ */
	if (tb->remote)
		snprintf(tb->nic, IF_NAME_MAX, "%s", c->testbed.servers[0].nic);
	else
		snprintf(tb->nic, IF_NAME_MAX, "%s-nic", p);
	tb->plen = c->testbed.subnet.len;
	tb->mtu = (unsigned)c->testbed.mtu;
}

const char *testbed_nic(const struct testbed *tb, enum server_id s)
{
	return tb->remote ? tb->campaign->testbed.servers[s].nic : tb->nic;
}

void testbed_release(struct testbed *tb)
{
	int s;

	testbed_close_guests(tb);
	for (s = 0; s < SERVER_COUNT; s++) {
		if (!tb->dry)
			host_release(&tb->hosts[s]);
		strbuf_release(&tb->results[s]);
	}
	op_env_release(&tb->env);
}

void testbed_close_guests(struct testbed *tb)
{
	int s;

	for (s = 0; s < SERVER_COUNT; s++) {
		struct channel *ch = &tb->guests[s].ch;

		if (ch->ops && ch->open)
			ch->ops->close(ch);
	}
}

/* ssh to a disk-image guest: its port 22 forwarded on the server's
 * loopback, at a port chosen from the prefix and the server */
static unsigned mgmt_port(const struct testbed *tb, enum server_id s)
{
	unsigned h = 0;
	const char *p;

	for (p = tb->prefix; *p; p++)
		h = h * 31 + (unsigned char)*p;
	return 20000 + (h % 10000) * 2 + (unsigned)s;
}

/* The channel to VM s: the image's agent, or ssh to a user's disk. */
static void vm_channel(struct testbed *tb, enum server_id s,
		       const struct vm_spec *vm)
{
	const struct guest_config *gc = &tb->campaign->main_guests;
	struct channel *ch = &tb->guests[s].ch;

	memset(ch, 0, sizeof(*ch));
	ch->agent.fd = -1;
	ch->stop = tb->stop;
	snprintf(ch->agent_path, sizeof(ch->agent_path), "%s",
		 tb->guests[s].agent_path);
	if (!vm->disk) {
		ch->ops = &channel_agent;
		return;
	}
	ch->ops = &channel_ssh;
	ch->server = &tb->hosts[s];
	ch->server_ns = tb->remote ? NULL : tb->server_ns[s];
	ch->port = vm->mgmt_port;
	snprintf(ch->user, sizeof(ch->user), "%s", gc->user);
	snprintf(ch->key, sizeof(ch->key), "%s", gc->key);
	snprintf(ch->guest_bin, sizeof(ch->guest_bin), "%s", gc->guest_bin);
	ch->ip = vm->ip;
	ch->plen = vm->plen;
	ch->mtu = vm->mtu;
	memcpy(ch->mac, vm->mac, 6);
}

void testbed_note(struct testbed *tb, enum server_id s, const char *fmt, ...)
{
	va_list ap;

	if (!tb->dry)
		return;
	strbuf_addf(tb->dry, "%-9s # ", server_name(s));
	va_start(ap, fmt);
	strbuf_vaddf(tb->dry, fmt, ap);
	va_end(ap);
	strbuf_addch(tb->dry, '\n');
}

int testbed_exec(struct testbed *tb, struct op_list *ops)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < ops->n && !ret; i++) {
		if (tb->dry) {
			strbuf_addf(tb->dry, "%-9s ",
				    server_name((enum server_id)ops->v[i].server));
			op_format(&ops->v[i], tb->dry);
			strbuf_addch(tb->dry, '\n');
			continue;
		}
		if (tb->stop && *tb->stop) {
			ret = -EINTR;
		} else {
			struct host *h = &tb->hosts[ops->v[i].server];

			ret = h->be->run_op(h, &ops->v[i]);
		}
	}
	op_list_clear(ops);
	return ret;
}

/* A server's leftovers with the prefix: `testbed down` over there. */
static int remote_down(struct testbed *tb, enum server_id s)
{
	char *argv[] = {"iovbench", "testbed", "down", "--prefix", tb->prefix,
			NULL};
	struct spawn_opts so = {.capture = true};
	struct proc p;
	int st;

	testbed_note(tb, s, "iovbench testbed down --prefix %s", tb->prefix);
	if (tb->dry)
		return 0;
	if (tb->hosts[s].be->spawn(&tb->hosts[s], argv, &so, &p))
		return -1;
	st = proc_wait(&p, 120 * NSEC_PER_SEC, NULL);
	proc_release(&p);
	return st ? error("%s: cannot remove leftovers (is iovbench "
			  "installed there?)",
			  server_name(s)) :
		    0;
}

int testbed_up(struct testbed *tb)
{
	struct op_list ops = {0};
	unsigned removed = 0;
	int s;

	if (!tb->dry) {
		if (testbed_down(tb->prefix, &removed))
			return -1;
		if (removed)
			info("removed %u leftovers of an earlier run with "
			     "prefix '%s'",
			     removed, tb->prefix);
		if ((mkdir(RUN_DIR, 0755) && errno != EEXIST) ||
		    (mkdir(tb->rundir, 0755) && errno != EEXIST))
			return error_errno("cannot create '%s'", tb->rundir);
	}
	if (tb->remote) {
		/* real servers: a cable for a wire, physical NICs */
		for (s = 0; s < SERVER_COUNT; s++) {
			if (remote_down(tb, s))
				return -1;
			op_addf(&ops, s, OP_LINK_SET, "- %s mtu=%u up",
				testbed_nic(tb, s), tb->mtu);
		}
	} else {
		for (s = 0; s < SERVER_COUNT; s++)
			op_add(&ops, s, OP_NETNS_ADD, tb->server_ns[s], NULL);
		/* the wire: one veth pair, an end in each server, both named
		 * NIC */
		op_addf(&ops, SERVER_SENDER, OP_LINK_ADD,
			"%s %s veth peer=%s peerns=%s",
			tb->server_ns[SERVER_SENDER], tb->nic, tb->nic,
			tb->server_ns[SERVER_RESPONDER]);
		for (s = 0; s < SERVER_COUNT; s++)
			op_addf(&ops, s, OP_LINK_SET, "%s %s mtu=%u up",
				tb->server_ns[s], tb->nic, tb->mtu);
	}
	if (testbed_exec(tb, &ops))
		return -1;
	tb->up = true;
	return 0;
}

static void container_guest_ops(struct testbed *tb, enum server_id s,
				struct op_list *ops)
{
	const char *g = tb->guests[s].name;
	char addr[32];
	uint8_t m[6];

	guest_mac(s, m);
	ipv4_format(tb->guest_addr[s], addr, sizeof(addr));
	op_addf(ops, s, OP_LINK_SET,
		"%s eth0 mtu=%u mac=%02x:%02x:%02x:%02x:%02x:%02x", g, tb->mtu,
		m[0], m[1], m[2], m[3], m[4], m[5]);
	op_addf(ops, s, OP_ADDR_ADD, "%s eth0 %s/%u", g, addr, tb->plen);
	op_add(ops, s, OP_LINK_SET, g, "eth0", "up", NULL);
}

static const char *qemu_binary(const struct setup *su)
{
	const char *path = qemu_value_path(factor_string(su->qemu));

	return path ? path : "qemu-system-x86_64";
}

static int vm_op(struct testbed *tb, enum server_id s, struct vm_spec *vm,
		 struct op_list *ops)
{
	struct guest *g = &tb->guests[s];
	const struct dataplane *dp = &dataplane_table[tb->setup.dataplane];
	struct strv argv = STRV_INIT;
	struct op *op;
	char why[256];
	size_t i;

	snprintf(g->qmp, sizeof(g->qmp), "%s/%s.qmp", tb->rundir, g->name);
	snprintf(g->agent_path, sizeof(g->agent_path), "%s/%s.agent",
		 tb->rundir, g->name);
	snprintf(g->serial, sizeof(g->serial), "%s/%s-boot%u.console",
		 tb->logdir, g->name, tb->boots + 1 + s);
	/* a remote server writes it in its run directory; fetched at the end */
	snprintf(g->serial_there, sizeof(g->serial_there), "%s/%s.console",
		 tb->rundir, g->name);
	vm->name = g->name;
	vm->qemu = qemu_binary(&tb->setup);
	vm->machine = tb->setup.machine;
	vm->accel = tb->remote ? VM_ACCEL_THERE : tb->accel;
	vm->vcpus = (unsigned)tb->campaign->main_guests.vcpus;
	vm->memory_mb = (unsigned)tb->campaign->main_guests.memory_mb;
	if (tb->image) {
		vm->kernel = vm->machine == MACHINE_MICROVM ?
				     tb->image->vmlinux :
				     tb->image->kernel;
		vm->initrd = tb->image->initrd;
	}
	vm->ip = tb->guest_addr[s];
	vm->plen = tb->plen;
	vm->mtu = tb->mtu;
	vm->tsc_khz = tb->remote ? 0 : tb->tsc_khz;
	vm->nic = dp->nic;
	guest_mac(s, vm->mac);
	vm->vhost = tb->setup.vhost;
	vm->qmp = g->qmp;
	vm->agent = g->agent_path;
	vm->serial = tb->remote ? g->serial_there : g->serial;
	if (*tb->campaign->main_guests.disk) {
		vm->disk = tb->campaign->main_guests.disk;
		vm->mgmt_port = mgmt_port(tb, s);
	}
	vm_channel(tb, s, vm);
	if (!vm->disk && vm->machine == MACHINE_MICROVM && !*vm->kernel)
		return error("the guest image has no vmlinux for microvm");
	if (vm_cmdline(vm, &argv, why, sizeof(why))) {
		strv_clear(&argv);
		return error("cannot start %s: %s", g->name, why);
	}
	op_add(ops, s, OP_VM_START, g->name, tb->server_ns[s], "--", NULL);
	op = &ops->v[ops->n - 1];
	for (i = 0; i < argv.n; i++)
		strv_push(&op->words, argv.v[i]);
	strv_clear(&argv);
	return 0;
}

/* Tail of a file, for saying why a VM did not come up. */
static void log_tail(const char *path, char *buf, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	buf[0] = '\0';
	if (strbuf_read_file(&sb, path, 1 << 20) || !sb.len)
		goto out;
	while (sb.len && sb.buf[sb.len - 1] == '\n')
		sb.buf[--sb.len] = '\0';
	p = strrchr(sb.buf, '\n');
	snprintf(buf, len, "%s", p ? p + 1 : sb.buf);
out:
	strbuf_release(&sb);
}

/*
 * The image's /init says "iovbench-init: error: ..." on the console before
 * it keeps a rescue shell there: no use waiting for an agent then.
 */
static int init_failed(const char *serial, char *why, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	int found = 0;

	if (!strbuf_read_file(&sb, serial, 1 << 22) &&
	    (p = strstr(sb.buf, "iovbench-init: error: "))) {
		p += strlen("iovbench-init: ");
		snprintf(why, len, "%.*s", (int)strcspn(p, "\r\n"), p);
		found = 1;
	}
	strbuf_release(&sb);
	return found;
}

/* Pin the VM's vCPU threads to the campaign's CPUs, if it names some. */
static void pin_vcpus(struct testbed *tb, struct guest *g)
{
	uint64_t cpus = tb->campaign->main_guests.cpus;
	pid_t tids[64];
	struct qmp q;
	size_t n, i;
	cpu_set_t set;
	int c;

	if (!cpus || qmp_open(&q, g->qmp, QMP_NS))
		return;
	if (!qmp_vcpu_threads(&q, tids, 64, &n, QMP_NS)) {
		CPU_ZERO(&set);
		for (c = 0; c < 64; c++) {
			if (cpus & (1ULL << c))
				CPU_SET(c, &set);
		}
		for (i = 0; i < n; i++) {
			if (sched_setaffinity(tids[i], sizeof(set), &set))
				warning("cannot pin vCPU thread %d of %s",
					(int)tids[i], g->name);
		}
	}
	qmp_close(&q);
}

/* Wait for a VM: its channel answers and its NIC has carrier. */
static int vm_wait_ready(struct testbed *tb, struct guest *g,
			 const uint8_t mac[6])
{
	int64_t deadline = now_mono() + VM_READY_NS;
	struct proc *p = op_env_vm(&tb->env, g->name);
	char tail[256], qlog[PATH_MAX + 128], macs[32];
	bool up = false;
	int ret;

	snprintf(qlog, sizeof(qlog), "%s/%s.qemu.log", tb->rundir, g->name);
	snprintf(macs, sizeof(macs), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
	for (;;) {
		if (p && proc_wait(p, 1, NULL) >= 0) {
			log_tail(qlog, tail, sizeof(tail));
			return error("QEMU exited while %s booted: %s", g->name,
				     *tail ? tail : "no message");
		}
		if (!tb->remote && init_failed(g->serial, tail, sizeof(tail)))
			return error("%s failed to boot: %s", g->name, tail);
		ret = g->ch.ops->open(&g->ch, 2 * NSEC_PER_SEC);
		if (!ret)
			break;
		if (ret == -EINTR)
			return -EINTR;
		if (ret != -ETIMEDOUT)
			return -1;
		if (now_mono() > deadline) {
			log_tail(g->serial, tail, sizeof(tail));
			return error("%s did not answer within %.0f s; its "
				     "console ends with: %s",
				     g->name, VM_READY_NS / 1e9, tail);
		}
	}
	while (!up) {
		if (g->ch.ops->link(&g->ch, macs, &up))
			return -1;
		if (!up && now_mono() > deadline + VM_LINK_NS)
			return error("%s: its NIC has no link", g->name);
		if (!up)
			usleep(100000);
	}
	pin_vcpus(tb, g);
	info("%s is ready (%s over %s)", g->name, g->ch.version,
	     g->ch.ops->name);
	return 0;
}

/* A remote server gets the guest image once, at the same path. */
static int copy_image(struct testbed *tb)
{
	int s;

	for (s = 0; s < SERVER_COUNT; s++) {
		if (tb->image_there[s])
			continue;
		testbed_note(tb, s, "copy the guest image %s to %s",
			     tb->image->dir,
			     tb->campaign->testbed.servers[s].ssh);
		if (!tb->dry &&
		    tb->hosts[s].be->put_dir(&tb->hosts[s], tb->image->dir))
			return -1;
		tb->image_there[s] = true;
	}
	return 0;
}

/* A remote VM's QMP and agent sockets, reachable here at the same path. */
static int forward_sockets(struct testbed *tb, enum server_id s)
{
	struct guest *g = &tb->guests[s];
	struct host *h = &tb->hosts[s];

	testbed_note(tb, s, "forward %s and %s over ssh", g->qmp,
		     g->agent_path);
	if (tb->dry)
		return 0;
	return h->be->forward(h, g->qmp, g->qmp) ||
	       h->be->forward(h, g->agent_path, g->agent_path);
}

/* The accelerator a VM got: ours, or what the server's vm-start said. */
static void vm_accel_of(struct testbed *tb, enum server_id s)
{
	const char *a = strstr(tb->results[s].buf, "accel=");

	if (a)
		snprintf(tb->guests[s].accel, sizeof(tb->guests[s].accel),
			 "%.*s", (int)strcspn(a + 6, "\n"), a + 6);
	else
		snprintf(tb->guests[s].accel, sizeof(tb->guests[s].accel),
			 "%s", tb->accel == VM_KVM ? "kvm" : "tcg");
}

int testbed_guests_up(struct testbed *tb, const struct setup *su)
{
	const struct dataplane *dp = &dataplane_table[su->dataplane];
	const struct attach_ops *at = &attach_table[dp->attach];
	struct op_list ops = {0};
	int s;

	if (tb->guests_up && setup_equal(&tb->setup, su))
		return 0;
	if (tb->guests_up && testbed_guests_down(tb))
		return -1;
	if (!at->guest_up)
		return error("data plane %s cannot be built on this testbed",
			     dp->name);
	if (dp->guest == GUEST_QEMU && !tb->image &&
	    !*tb->campaign->main_guests.disk)
		return error("data plane %s needs a guest image", dp->name);
	tb->setup = *su;
	tb->guests_up = true; /* from here on, guests_down undoes it */
	for (s = 0; s < SERVER_COUNT; s++) {
		struct vm_spec vm;

		memset(&vm, 0, sizeof(vm));
		tb->guests[s].vm = dp->guest == GUEST_QEMU;
		if (at->server_up)
			at->server_up(tb, s, &ops);
		if (!tb->guests[s].vm)
			op_add(&ops, s, OP_NETNS_ADD, tb->guests[s].name, NULL);
		at->guest_up(tb, s, &ops, &vm);
		if (!tb->guests[s].vm)
			container_guest_ops(tb, s, &ops);
		else if (vm_op(tb, s, &vm, &ops)) {
			op_list_clear(&ops);
			return -1;
		}
		/* new guests: nobody may keep an old guest's address */
		op_add(&ops, s, OP_NEIGH_FLUSH, tb->server_ns[s], NULL);
	}
	if (dp->guest == GUEST_QEMU && tb->remote &&
	    !*tb->campaign->main_guests.disk && copy_image(tb)) {
		op_list_clear(&ops);
		return -1;
	}
	for (s = 0; s < SERVER_COUNT; s++)
		strbuf_reset(&tb->results[s]);
	if (testbed_exec(tb, &ops))
		return -1;
	for (s = 0; s < SERVER_COUNT; s++) {
		struct guest *g = &tb->guests[s];

		if (!g->vm)
			continue;
		tb->boots++;
		vm_accel_of(tb, s);
		if (tb->remote && forward_sockets(tb, s))
			return -1;
		testbed_note(tb, s, "wait until %s's %s answers and its NIC "
				    "has link",
			     g->name, g->ch.ops->name);
		if (!tb->dry && vm_wait_ready(tb, g, g->ch.mac))
			return -1;
	}
	return 0;
}

/* QEMU's clean exit: quit over QMP, then wait for the process. */
static void vm_quit(struct testbed *tb, struct guest *g)
{
	struct qmp q;

	if (g->ch.ops && g->ch.open)
		g->ch.ops->close(&g->ch);
	if (tb->dry || qmp_open(&q, g->qmp, QMP_NS))
		return;
	qmp_execute(&q, "quit", NULL, NULL, QMP_NS);
	qmp_close(&q);
}

int testbed_guests_down(struct testbed *tb)
{
	const struct attach_ops *at;
	struct op_list ops = {0};
	int s;

	if (!tb->guests_up)
		return 0;
	at = &attach_table[dataplane_table[tb->setup.dataplane].attach];
	for (s = 0; s < SERVER_COUNT; s++) {
		if (tb->guests[s].vm) {
			vm_quit(tb, &tb->guests[s]);
			if (tb->remote && !tb->dry)
				/* kept with the runs, like a local one */
				tb->hosts[s].be->get_file(&tb->hosts[s],
							  tb->guests[s].serial_there,
							  tb->guests[s].serial);
			op_add(&ops, s, OP_VM_STOP, tb->guests[s].name, NULL);
			host_drop_forwards(&tb->hosts[s]);
		} else {
			op_add(&ops, s, OP_NETNS_DEL, tb->guests[s].name, NULL);
		}
		if (at->guest_up == NULL)
			continue;
		/* the guest's own links go with it; the tap or macvtap not */
		if (tb->guests[s].vm)
			op_add(&ops, s, OP_LINK_DEL, tb->server_ns[s],
			       tb->guest_port, NULL);
		if (at->server_down)
			at->server_down(tb, s, &ops);
	}
	tb->guests_up = false;
	return testbed_exec(tb, &ops);
}

int testbed_teardown(struct testbed *tb)
{
	struct op_list ops = {0};
	unsigned removed;
	int ret = testbed_guests_down(tb);
	int s;

	if (tb->remote) {
		for (s = 0; s < SERVER_COUNT; s++)
			if (remote_down(tb, s))
				ret = -1;
	} else if (tb->dry) {
		for (s = 0; s < SERVER_COUNT; s++)
			op_add(&ops, s, OP_NETNS_DEL, tb->server_ns[s], NULL);
		return testbed_exec(tb, &ops);
	}
	if (tb->dry)
		return ret;
	op_env_release(&tb->env);
	if (testbed_down(tb->prefix, &removed))
		ret = -1;
	tb->up = false;
	return ret;
}

/* ---- removing what a prefix left, whoever left it ---- */

static int remove_netns(const char *name)
{
	pid_t *pids;
	size_t n;

	if (!netns_pids(name, &pids, &n)) {
		if (n)
			debug("stopping %zu processes in '%s'", n, name);
		proc_kill_pids(pids, n, KILL_GRACE_NS);
		free(pids);
	}
	return netns_delete(name);
}

/* Sockets and logs of a prefix (the lock file stays: see below). */
static void remove_rundir(const char *prefix)
{
	char dir[256], path[512];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", RUN_DIR, prefix);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * Processes named after the prefix outside its namespaces: VMs whose
 * QEMU ran in the host's namespace (-name ...,process=PREFIX-...).
 */
static void kill_named(const char *pfx)
{
	pid_t pids[64];
	size_t n = 0;
	struct dirent *e;
	DIR *d = opendir("/proc");

	if (!d)
		return;
	while ((e = readdir(d)) && n < 64) {
		struct strbuf comm = STRBUF_INIT;
		char path[64], *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 1 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
		if (!strbuf_read_file(&comm, path, 64) &&
		    !strncmp(comm.buf, pfx, strlen(pfx)))
			pids[n++] = (pid_t)pid;
		strbuf_release(&comm);
	}
	closedir(d);
	proc_kill_pids(pids, n, KILL_GRACE_NS);
}

int testbed_down(const char *prefix, unsigned *removed)
{
	struct nl_sock *sk;
	struct link_info *links;
	char **names, pfx[16];
	size_t n, i;
	int ret = 0;

	*removed = 0;
	snprintf(pfx, sizeof(pfx), "%s-", prefix);
	if (netns_list(pfx, &names, &n))
		return error_errno("cannot list '%s'", NETNS_RUN_DIR);
	/* each namespace's processes are stopped before it goes: any order */
	for (i = 0; i < n; i++) {
		if (remove_netns(names[i]))
			ret = -1;
		else
			(*removed)++;
	}
	strv_free(names, n);
	kill_named(pfx);
	remove_rundir(prefix);
	/* links a real testbed puts in this namespace carry the prefix too */
	sk = nl_open(NULL);
	if (!sk)
		return -1;
	if (!link_list(sk, pfx, &links, &n)) {
		for (i = 0; i < n; i++) {
			if (link_delete(sk, links[i].name))
				ret = -1;
			else
				(*removed)++;
		}
		free(links);
	}
	nl_close(sk);
	return ret;
}

static void status_processes(const char *ns, struct strbuf *out)
{
	pid_t *pids;
	size_t n, i;

	if (netns_pids(ns, &pids, &n))
		return;
	for (i = 0; i < n; i++) {
		struct strbuf cmd = STRBUF_INIT;
		char path[64];
		size_t j;

		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pids[i]);
		if (strbuf_read_file(&cmd, path, 4096))
			strbuf_addstr(&cmd, "?");
		for (j = 0; j + 1 < cmd.len; j++) {
			if (!cmd.buf[j])
				cmd.buf[j] = ' ';
		}
		strbuf_addf(out, "    process %d: %.150s\n", (int)pids[i],
			    cmd.buf);
		strbuf_release(&cmd);
	}
	free(pids);
}

int testbed_status(const char *prefix, struct strbuf *out)
{
	char **names, pfx[16];
	size_t n, i, j;

	snprintf(pfx, sizeof(pfx), "%s-", prefix);
	if (netns_list(pfx, &names, &n))
		return error_errno("cannot list '%s'", NETNS_RUN_DIR);
	if (!n)
		strbuf_addf(out, "no namespace with prefix '%s'\n", pfx);
	for (i = 0; i < n; i++) {
		struct link_info *links;
		size_t nl;
		struct nl_sock *sk = nl_open(names[i]);

		strbuf_addf(out, "namespace %s\n", names[i]);
		if (sk && !link_list(sk, "", &links, &nl)) {
			for (j = 0; j < nl; j++) {
				const struct link_info *l = &links[j];

				strbuf_addf(out, "    link %-12s %-8s %-4s mtu %u",
					    l->name, *l->kind ? l->kind : "-",
					    l->up ? "up" : "down", l->mtu);
				if (*l->master)
					strbuf_addf(out, " master %s",
						    l->master);
				if (*l->addrs)
					strbuf_addf(out, " %s", l->addrs);
				strbuf_addch(out, '\n');
			}
			free(links);
		}
		nl_close(sk);
		status_processes(names[i], out);
	}
	strv_free(names, n);
	return 0;
}

/*
 * The lock file itself is never removed: a process that opened it before
 * the unlink would lock an orphan while another locks a new file. It is
 * empty but for a pid, and /run is cleared at boot.
 */
int testbed_lock(const char *prefix)
{
	char path[256], pid[32];
	int fd;
	ssize_t n;

	if (mkdir(RUN_DIR, 0755) && errno != EEXIST)
		return error_errno("cannot create '%s'", RUN_DIR);
	snprintf(path, sizeof(path), "%s/%s.lock", RUN_DIR, prefix);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return error_errno("cannot open '%s'", path);
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(fd);
		return error("another iovbench (pid %s) is using the testbed "
			     "with prefix '%s'",
			     *pid ? pid : "?", prefix);
	}
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, strlen(pid), 0) < 0)
		warning("cannot write '%s'", path);
	return fd;
}
