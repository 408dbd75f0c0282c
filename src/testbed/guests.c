// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guests of a setup: the two main guests, the background guests of
 * each server, and the PF's bridge some of them share.
 *
 * Guests come up in an order that lets a setup keep what it shares with
 * the one before: background guests (their count, kind and data plane)
 * survive a change of the main guests' data plane, and the bridge
 * survives while anybody sits on it. Background VMs boot in batches of
 * guests.background.batch: QEMU starts them all, then each is waited
 * for, so the batch's boots overlap.
 */
#include "testbed/testbed.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/plan.h"
#include "guest/image.h"
#include "guest/qemu.h"
#include "guest/qmp.h"
#include "host/proc.h"
#include "testbed/attach.h"
#include "testbed/nics.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* A TCG boot to the agent takes 6-9 s (pc) here; leave room for load. */
#define VM_READY_NS (180 * NSEC_PER_SEC)
#define VM_LINK_NS (30 * NSEC_PER_SEC)
#define QMP_NS (5 * NSEC_PER_SEC)

static bool needs_bridge(const struct setup *su)
{
	bool vf;

	return dataplane_table[su->dataplane].bridge ||
	       setup_nics_need_bridge(su) ||
	       (su->background &&
		dataplane_background(su->bg_dataplane, su->bg_vm, &vf)->bridge);
}

static bool needs_vfs(const struct setup *su)
{
	bool vf = false;

	if (su->background)
		dataplane_background(su->bg_dataplane, su->bg_vm, &vf);
	return dataplane_table[su->dataplane].vf || vf;
}

/*
 * The macvtap's character device is /dev/tapIFINDEX in the one devtmpfs
 * all namespaces share: its ifindex is chosen from the prefix, the
 * server and the slot, so that two servers, or two campaigns, do not
 * collide.
 */
static int macvtap_ifindex(const struct testbed *tb, enum server_id s,
			   unsigned slot)
{
	unsigned h = 0;
	const char *p;

	for (p = tb->prefix; *p; p++)
		h = h * 31 + (unsigned char)*p;
	return 100000 + (int)(h % 4000) * 512 + (int)s * 256 + (int)slot;
}

/* Where guest g of setup su attaches, and what it is. */
static void guest_place(struct testbed *tb, struct guest *g,
			const struct setup *su, unsigned slot)
{
	enum server_id s = g->server;
	bool vf;

	if (g->main) {
		g->dp = &dataplane_table[su->dataplane];
		/* VF 0 is the main guest's; background ones take 1.. */
		vf = g->dp->vf;
	} else {
		g->dp = dataplane_background(su->bg_dataplane, su->bg_vm, &vf);
	}
	g->vm = dataplane_vm(g->dp);
	g->attach = g->dp->attach;
	g->vf = vf ? (int)slot : -1;
	if (g->vf >= 0)
		testbed_vf(tb, s, (unsigned)g->vf, g->lower, sizeof(g->lower));
	else if (g->dp->bridge)
		snprintf(g->lower, sizeof(g->lower), "%s", tb->bridge);
	else
		snprintf(g->lower, sizeof(g->lower), "%s", testbed_nic(tb, s));
	g->ifindex = macvtap_ifindex(tb, s, slot);
	guest_nics_place(tb, g, su);
}

/* ---- containers ---- */

static void container_guest_ops(struct testbed *tb, const struct guest *g,
				struct op_list *ops)
{
	const uint8_t *m = g->mac;
	char addr[32];

	ipv4_format(g->addr, addr, sizeof(addr));
	op_addf(ops, g->server, OP_LINK_SET,
		"%s eth0 mtu=%u mac=%02x:%02x:%02x:%02x:%02x:%02x", g->name,
		tb->mtu, m[0], m[1], m[2], m[3], m[4], m[5]);
	op_addf(ops, g->server, OP_ADDR_ADD, "%s eth0 %s/%u", g->name, addr,
		tb->plen);
	op_add(ops, g->server, OP_LINK_SET, g->name, "eth0", "up", NULL);
	op_add(ops, g->server, OP_LINK_WAIT, g->name, "eth0", NULL);
}

/* ---- VMs ---- */

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

/* The channel to VM g: the image's agent, or ssh to a user's disk. */
static void vm_channel(struct testbed *tb, struct guest *g,
		       const struct vm_spec *vm)
{
	const struct guest_config *gc = &tb->campaign->main_guests;
	struct channel *ch = &g->ch;

	memset(ch, 0, sizeof(*ch));
	ch->agent.fd = -1;
	ch->stop = tb->stop;
	snprintf(ch->agent_path, sizeof(ch->agent_path), "%.255s",
		 g->agent_path);
	if (!vm->disk) {
		ch->ops = &channel_agent;
		return;
	}
	ch->ops = &channel_ssh;
	ch->server = &tb->hosts[g->server];
	ch->server_ns = tb->remote ? NULL : tb->server_ns[g->server];
	ch->port = vm->mgmt_port;
	snprintf(ch->user, sizeof(ch->user), "%s", gc->user);
	snprintf(ch->key, sizeof(ch->key), "%s", gc->key);
	snprintf(ch->guest_bin, sizeof(ch->guest_bin), "%s", gc->guest_bin);
	ch->ip = vm->ip;
	ch->plen = vm->plen;
	ch->mtu = vm->mtu;
	memcpy(ch->mac, vm->mac, 6);
}

static const char *qemu_binary(const struct setup *su)
{
	const char *path = qemu_value_path(factor_string(su->qemu));

	return path ? path : "qemu-system-x86_64";
}

/*
 * What QEMU runs for g. A main guest is what the test's factors say; a
 * background guest is the smallest VM that loads a server: one vCPU,
 * guests.background.memory, microvm when the image has a vmlinux (it
 * boots fastest), always the guest image (a user's disk is for the
 * measured guests only).
 */
static void vm_spec_of(struct testbed *tb, struct guest *g,
		       struct vm_spec *vm)
{
	const struct campaign *c = tb->campaign;

	vm->name = g->name;
	vm->accel = tb->remote ? VM_ACCEL_THERE : tb->accel;
	vm->ip = g->addr;
	vm->plen = tb->plen;
	vm->mtu = tb->mtu;
	vm->tsc_khz = tb->remote ? 0 : tb->tsc_khz;
	memcpy(vm->mac, g->mac, 6);
	vm->qmp = g->qmp;
	vm->agent = g->agent_path;
	vm->serial = tb->remote ? g->serial_there : g->serial;
	vm->nic = g->dp->nic;
	vm->incoming = g->incoming;
	if (g->main) {
		vm->qemu = qemu_binary(&tb->setup);
		vm->machine = tb->setup.machine;
		vm->vcpus = (unsigned)c->main_guests.vcpus;
		vm->memory_mb = (unsigned)c->main_guests.memory_mb;
		vm->vhost = tb->setup.vhost;
		vm->keep_qdisc = c->main_guests.keep_qdisc;
		/* the plan refused names the campaign does not define */
		vm->nic_props = named_strings_find(
			&c->qemu_props, factor_string(tb->setup.qemu_props));
		if (*c->main_guests.disk) {
			vm->disk = c->main_guests.disk;
			vm->mgmt_port = mgmt_port(tb, g->server);
		}
	} else {
		vm->qemu = "qemu-system-x86_64";
		vm->machine = tb->image && *tb->image->vmlinux ?
				      MACHINE_MICROVM :
				      MACHINE_PC;
		vm->vcpus = 1;
		vm->memory_mb = (unsigned)c->background.memory_mb;
	}
	if (tb->image && !vm->disk) {
		vm->kernel = vm->machine == MACHINE_MICROVM ?
				     tb->image->vmlinux :
				     tb->image->kernel;
		vm->initrd = tb->image->initrd;
	}
}

static int vm_op(struct testbed *tb, struct guest *g, struct vm_spec *vm,
		 struct op_list *ops)
{
	struct strv argv = STRV_INIT;
	struct op *op;
	char why[256];
	size_t i;

	snprintf(g->qmp, sizeof(g->qmp), "%s/%s.qmp", tb->rundir, g->name);
	snprintf(g->agent_path, sizeof(g->agent_path), "%s/%s.agent",
		 tb->rundir, g->name);
	snprintf(g->pidfile, sizeof(g->pidfile), "%s/%s.pid", tb->rundir,
		 g->name);
	snprintf(g->serial, sizeof(g->serial), "%s/%s-boot%u.console",
		 tb->logdir, g->name, tb->boots + 1 + g->server);
	/* a remote server writes it in its run directory; fetched at the end */
	snprintf(g->serial_there, sizeof(g->serial_there), "%s/%s.console",
		 tb->rundir, g->name);
	vm_spec_of(tb, g, vm);
	vm_channel(tb, g, vm);
	if (!vm->disk && vm->machine == MACHINE_MICROVM && !*vm->kernel)
		return error("the guest image has no vmlinux for microvm");
	if (vm_cmdline(vm, &argv, why, sizeof(why))) {
		strv_clear(&argv);
		return error("cannot start %s: %s", g->name, why);
	}
	guest_nics_plug_args(g, vm);
	op_add(ops, g->server, OP_VM_START, g->name, tb->server_ns[g->server],
	       "--", NULL);
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

	if (!cpus || !g->main || qmp_open(&q, g->qmp, QMP_NS))
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
static int vm_wait_ready(struct testbed *tb, struct guest *g)
{
	int64_t deadline = now_mono() + VM_READY_NS;
	struct proc *p = op_env_vm(&tb->env, g->name);
	char tail[256], qlog[PATH_MAX + 128], macs[32];
	const uint8_t *mac = g->mac;
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
static int forward_sockets(struct testbed *tb, struct guest *g)
{
	struct host *h = &tb->hosts[g->server];

	testbed_note(tb, g->server, "forward %s and %s over ssh", g->qmp,
		     g->agent_path);
	if (tb->dry)
		return 0;
	return h->be->forward(h, g->qmp, g->qmp) ||
	       h->be->forward(h, g->agent_path, g->agent_path);
}

/* The accelerator a VM got: ours, or what the server's vm-start said. */
static void vm_accel_of(struct testbed *tb, struct guest *g)
{
	const char *a = strstr(tb->results[g->server].buf, "accel=");

	if (a)
		snprintf(g->accel, sizeof(g->accel), "%.*s",
			 (int)strcspn(a + 6, "\n"), a + 6);
	else
		snprintf(g->accel, sizeof(g->accel), "%s",
			 tb->accel == VM_KVM ? "kvm" : "tcg");
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

/* ---- bringing guests up and down, in batches ---- */

/* The ops that make guest g (a VM's are its vm-start). */
int testbed_guest_ops(struct testbed *tb, struct guest *g, struct op_list *ops)
{
	const struct attach_ops *at = &attach_table[g->attach];
	struct vm_spec vm;

	memset(&vm, 0, sizeof(vm));
	if (!g->vm)
		op_add(ops, g->server, OP_NETNS_ADD, g->name, NULL);
	at->guest_up(tb, g, ops, &vm);
	if (g->vm)
		guest_nics_up(tb, g, ops, &vm);
	if (!g->vm) {
		container_guest_ops(tb, g, ops);
		return 0;
	}
	return vm_op(tb, g, &vm, ops);
}

static void guest_remove_ops(struct testbed *tb, struct guest *g,
			     struct op_list *ops)
{
	const struct attach_ops *at = &attach_table[g->attach];
	enum server_id s = g->server;

	if (!g->vm) {
		if (at->guest_down)
			at->guest_down(tb, g, ops);
		op_add(ops, s, OP_NETNS_DEL, g->name, NULL);
		return;
	}
	vm_quit(tb, g);
	if (tb->remote && !tb->dry)
		/* kept with the runs, like a local one */
		tb->hosts[s].be->get_file(&tb->hosts[s], g->serial_there,
					  g->serial);
	op_add(ops, s, OP_VM_STOP, g->name, NULL);
	/* the guest's own links go with it */
	if (at->guest_down)
		at->guest_down(tb, g, ops);
	guest_nics_down(tb, g, ops);
}

/*
 * Make guests v[0..n), batch VMs at a time: their ops run, then each VM
 * is waited for. Containers need no waiting: one batch.
 */
static int guests_make(struct testbed *tb, struct guest **v, size_t n,
		       size_t batch)
{
	struct op_list ops = {0};
	size_t i, first, end;
	int s;

	for (first = 0; first < n; first = end) {
		end = first + (v[first]->vm ? batch : n);
		if (end > n)
			end = n;
		for (i = first; i < end; i++) {
			if (testbed_guest_ops(tb, v[i], &ops)) {
				op_list_clear(&ops);
				return -1;
			}
		}
		for (s = 0; s < SERVER_COUNT; s++)
			strbuf_reset(&tb->results[s]);
		if (testbed_exec(tb, &ops))
			return -1;
		for (i = first; i < end; i++) {
			struct guest *g = v[i];

			if (!g->vm)
				continue;
			tb->boots++;
			vm_accel_of(tb, g);
			guest_nics_resolve(tb, g);
			if (tb->remote && forward_sockets(tb, g))
				return -1;
			testbed_note(tb, g->server,
				     "wait until %s's %s answers and its NIC "
				     "has link",
				     g->name, g->ch.ops->name);
			if (!tb->dry && vm_wait_ready(tb, g))
				return -1;
		}
	}
	return 0;
}

static void bridge_ops(struct testbed *tb, bool up, struct op_list *ops)
{
	int s;

	for (s = 0; s < SERVER_COUNT; s++) {
		const char *ns = tb->server_ns[s], *nic = testbed_nic(tb, s);

		if (up) {
			op_add(ops, s, OP_LINK_ADD, ns, tb->bridge, "bridge",
			       NULL);
			op_addf(ops, s, OP_LINK_SET, "%s %s mtu=%u up", ns,
				tb->bridge, tb->mtu);
			op_addf(ops, s, OP_LINK_SET, "%s %s master=%s", ns, nic,
				tb->bridge);
		} else {
			/*
			 * Deleting the bridge releases its ports (the PF with
			 * them), so the PF needs no `nomaster` of its own: that
			 * waited for the kernel's RCU barrier in the runner's
			 * thread (38 ms per setup change, bench/RESULTS.md),
			 * where the bridge's link-del waits in a thread. A
			 * macvlan cannot sit on a port: its link-add settles
			 * the pending deletions first (op_run.c), as does the
			 * next bridge's.
			 */
			op_add(ops, s, OP_LINK_DEL, ns, tb->bridge, NULL);
		}
	}
}

static int main_down(struct testbed *tb)
{
	struct op_list ops = {0};
	int s;

	unsigned i;

	if (!tb->guests_up)
		return 0;
	for (s = 0; s < SERVER_COUNT; s++) {
		guest_remove_ops(tb, &tb->main[s], &ops);
		for (i = 0; i < tb->npairs[s]; i++)
			guest_remove_ops(tb, &tb->pairs[s][i], &ops);
		tb->npairs[s] = 0;
	}
	tb->guests_up = false;
	return testbed_exec(tb, &ops);
}

static int bg_down(struct testbed *tb)
{
	struct op_list ops = {0};
	unsigned i;
	int s;

	if (!tb->bg_up)
		return 0;
	for (s = 0; s < SERVER_COUNT; s++) {
		for (i = 0; i < tb->setup.background; i++)
			guest_remove_ops(tb, &tb->bg[s][i], &ops);
	}
	tb->bg_up = false;
	return testbed_exec(tb, &ops);
}

static int bg_up(struct testbed *tb, const struct setup *su)
{
	struct guest **v;
	unsigned i;
	size_t n = 0;
	int s, ret;

	if (su->bg_vm && !tb->image)
		return error("background VMs need the guest image");
	v = xcalloc(2 * (size_t)su->background, sizeof(*v));
	for (s = 0; s < SERVER_COUNT; s++) {
		free(tb->bg[s]);
		tb->bg[s] = xcalloc(su->background, sizeof(struct guest));
		for (i = 0; i < su->background; i++) {
			struct guest *g = &tb->bg[s][i];

			guest_init(tb, g, (enum server_id)s, 1 + i);
			guest_place(tb, g, su, 1 + i);
		}
	}
	/* alternate the servers: a batch loads both the same */
	for (i = 0; i < su->background; i++)
		for (s = 0; s < SERVER_COUNT; s++)
			v[n++] = &tb->bg[s][i];
	tb->bg_up = true; /* from here on, bg_down undoes it */
	ret = guests_make(tb, v, n,
			  (size_t)tb->campaign->background.batch);
	free(v);
	return ret;
}

static int main_up(struct testbed *tb, const struct setup *su)
{
	const struct dataplane *dp = &dataplane_table[su->dataplane];
	struct guest *v[SERVER_COUNT * TESTBED_PAIRS_MAX];
	unsigned k, extra[SERVER_COUNT], most;
	size_t n = 0;
	int s;

	/* a loadlat test's guests under test are the responder's alone */
	extra[SERVER_SENDER] = su->pairs > 1 ? su->pairs - 1 : 0;
	most = su->guests > su->pairs ? su->guests : su->pairs;
	extra[SERVER_RESPONDER] = most > 1 ? most - 1 : 0;
	most = extra[SERVER_RESPONDER];

	if (!attach_table[dp->attach].guest_up)
		return error("data plane %s cannot be built on this testbed",
			     dp->name);
	if (dataplane_vm(dp) && !tb->image &&
	    !*tb->campaign->main_guests.disk)
		return error("data plane %s needs a guest image", dp->name);
	if (su->pairs > TESTBED_PAIRS_MAX || su->guests > TESTBED_PAIRS_MAX)
		return error("%u measured pairs, %u guests under test: at "
			     "most %d",
			     su->pairs, su->guests, TESTBED_PAIRS_MAX);
	for (s = 0; s < SERVER_COUNT; s++) {
		guest_init(tb, &tb->main[s], (enum server_id)s, 0);
		guest_place(tb, &tb->main[s], su, 0);
		v[n++] = &tb->main[s];
		free(tb->pairs[s]);
		tb->pairs[s] = xcalloc(extra[s] ? extra[s] : 1,
				       sizeof(struct guest));
		for (k = 0; k < extra[s]; k++) {
			struct guest *g = &tb->pairs[s][k];

			pair_guest_init(tb, g, (enum server_id)s, k + 2);
			/* on a VF data plane, VFs after the background's */
			guest_place(tb, g, su, 1 + su->background + k);
		}
	}
	for (k = 0; k < most; k++)
		for (s = 0; s < SERVER_COUNT; s++)
			if (k < extra[s])
				v[n++] = &tb->pairs[s][k];
	tb->guests_up = true; /* from here on, main_down undoes it */
	for (s = 0; s < SERVER_COUNT; s++)
		tb->npairs[s] = extra[s];
	return guests_make(tb, v, n, SERVER_COUNT);
}

int testbed_guests_up(struct testbed *tb, const struct setup *su)
{
	struct op_list ops = {0};
	int s;

	if (tb->guests_up && setup_equal(&tb->setup, su))
		return 0;
	if (tb->guests_up && !setup_main_equal(&tb->setup, su) && main_down(tb))
		return -1;
	if (tb->bg_up && !setup_bg_equal(&tb->setup, su) && bg_down(tb))
		return -1;
	if (tb->bridge_up && !needs_bridge(su)) {
		bridge_ops(tb, false, &ops);
		tb->bridge_up = false;
	}
	if (!tb->bridge_up && needs_bridge(su)) {
		bridge_ops(tb, true, &ops);
		tb->bridge_up = true;
	}
	if (testbed_exec(tb, &ops))
		return -1;
	if (needs_vfs(su) && testbed_vfs_up(tb))
		return -1;
	if (setup_needs_image(su, tb->campaign) && tb->remote && tb->image &&
	    copy_image(tb))
		return -1;
	if (!tb->bg_up && su->background) {
		tb->setup = *su;
		if (bg_up(tb, su))
			return -1;
	}
	tb->setup = *su;
	if (!tb->guests_up && main_up(tb, su))
		return -1;
	/* new guests: nobody may keep an old guest's address */
	for (s = 0; s < SERVER_COUNT; s++)
		op_add(&ops, s, OP_NEIGH_FLUSH, tb->server_ns[s], NULL);
	return testbed_exec(tb, &ops);
}

static int guest_check(struct testbed *tb, struct guest *g, char *why,
		       size_t len)
{
	const char *who = g->main ? server_name(g->server) : "background";
	struct op_list ops = {0};
	char status[32];
	struct qmp q;
	int ret;

	if (g->vm) {
		if (qmp_open(&q, g->qmp, QMP_NS)) {
			snprintf(why, len,
				 "the %s VM '%s' is gone: its QEMU does not "
				 "answer on QMP (it exited or was killed)",
				 who, g->name);
			return -1;
		}
		ret = qmp_status(&q, status, sizeof(status), QMP_NS);
		qmp_close(&q);
		if (ret || strcmp(status, "running")) {
			snprintf(why, len, "the %s VM '%s' is %s, not running",
				 who, g->name, ret ? "silent" : status);
			return -1;
		}
		return 0;
	}
	op_add(&ops, g->server, OP_LINK_WAIT, g->name, "eth0", NULL);
	if (testbed_exec(tb, &ops)) {
		snprintf(why, len,
			 "the %s container '%s' is gone: its namespace or its "
			 "eth0 is",
			 who, g->name);
		return -1;
	}
	return 0;
}

int testbed_guests_check(struct testbed *tb, bool background, char *why,
			 size_t len)
{
	unsigned i;
	int s;

	if (tb->dry || !tb->guests_up)
		return 0;
	for (s = 0; s < SERVER_COUNT; s++) {
		if (guest_check(tb, &tb->main[s], why, len))
			return -1;
		for (i = 0; i < tb->npairs[s]; i++) {
			if (guest_check(tb, &tb->pairs[s][i], why, len))
				return -1;
		}
	}
	for (s = 0; background && tb->bg_up && s < SERVER_COUNT; s++) {
		for (i = 0; i < tb->setup.background; i++) {
			if (guest_check(tb, &tb->bg[s][i], why, len))
				return -1;
		}
	}
	return 0;
}

int testbed_guests_down(struct testbed *tb)
{
	struct op_list ops = {0};
	int ret = 0, s;

	if (main_down(tb))
		ret = -1;
	if (bg_down(tb))
		ret = -1;
	if (tb->bridge_up) {
		bridge_ops(tb, false, &ops);
		tb->bridge_up = false;
		if (testbed_exec(tb, &ops))
			ret = -1;
	}
	for (s = 0; s < SERVER_COUNT && !tb->dry; s++)
		host_drop_forwards(&tb->hosts[s]);
	return ret;
}

int testbed_teardown(struct testbed *tb)
{
	int ret = testbed_guests_down(tb);

	if (testbed_servers_down(tb))
		ret = -1;
	return ret;
}
