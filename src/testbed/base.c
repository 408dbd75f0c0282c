// SPDX-License-Identifier: GPL-2.0-or-later
#include "testbed/base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/proc.h"
#include "net/link.h"
#include "net/netns.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* How long processes get between SIGTERM and SIGKILL at teardown. */
#define KILL_GRACE_NS (1 * NSEC_PER_SEC)
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

/* ---- names, addresses ---- */

void guest_mac(enum server_id s, unsigned slot, uint8_t mac[6])
{
	/* locally administered, stable: a peer's ARP entry stays right */
	mac[0] = 0x02;
	mac[1] = 0x69;
	mac[2] = 0x6f;
	mac[3] = slot ? 1 : 0;
	mac[4] = (uint8_t)s;
	mac[5] = slot ? (uint8_t)slot : 1;
}

uint32_t guest_addr(const struct testbed *tb, enum server_id s, unsigned slot)
{
	uint32_t net = tb->campaign->testbed.subnet.addr;

	if (!slot)
		return net + 1 + (uint32_t)s;
	/* the plan asks for a /22: a /24 per server's background */
	return net + 256 * (1 + (uint32_t)s) + slot;
}

void guest_init(struct testbed *tb, struct guest *g, enum server_id s,
		unsigned slot)
{
	const char *p = tb->prefix;
	char c = s == SERVER_SENDER ? 's' : 'r';

	memset(g, 0, sizeof(*g));
	g->server = s;
	g->main = !slot;
	g->vf = -1;
	g->ch.agent.fd = -1;
	g->addr = guest_addr(tb, s, slot);
	guest_mac(s, slot, g->mac);
	if (!slot) {
		snprintf(g->name, NS_NAME_MAX, "%s-%c-main", p, c);
		snprintf(g->port, IF_NAME_MAX, "%s-main", p);
	} else {
		/* slot <= 255 (the factor's maximum is 254) */
		unsigned i = (slot - 1) & 255;

		snprintf(g->name, NS_NAME_MAX, "%s-%c-bg%u", p, c, i);
		snprintf(g->port, IF_NAME_MAX, "%.7s-bg%u", p, i);
	}
}

/*
 * The guests of measured pairs 2..: in the main guests' /24 from .20
 * on, clear of the main two (.1, .2); MACs 02:69:6f:02:SERVER:K.
 */
void pair_guest_init(struct testbed *tb, struct guest *g, enum server_id s,
		     unsigned k)
{
	const char *p = tb->prefix;
	char c = s == SERVER_SENDER ? 's' : 'r';

	memset(g, 0, sizeof(*g));
	g->server = s;
	g->main = true;
	g->vf = -1;
	g->ch.agent.fd = -1;
	g->addr = tb->campaign->testbed.subnet.addr + 16 + 2 * k + (uint32_t)s;
	guest_mac(s, 0, g->mac);
	g->mac[3] = 2;
	g->mac[5] = (uint8_t)k;
	snprintf(g->name, NS_NAME_MAX, "%s-%c-p%u", p, c, k);
	snprintf(g->port, IF_NAME_MAX, "%.7s-%cp%u", p, c, k);
}

struct guest *testbed_pair(struct testbed *tb, unsigned k, enum server_id s)
{
	if (k == 1)
		return &tb->main[s];
	if (k < 2 || k - 2 >= tb->npairs[s] || !tb->pairs[s])
		return NULL;
	return &tb->pairs[s][k - 2];
}

void guest_nic_view(const struct guest *g, unsigned k, struct guest *view)
{
	const struct guest_nic *n;

	*view = *g;
	if (!k || k > g->nextra)
		return;
	n = &g->extra[k - 1];
	view->dp = n->dp;
	view->attach = n->attach;
	view->addr = n->addr;
	memcpy(view->mac, n->mac, 6);
	view->vf = -1; /* NICs after the first sit in the PF's bridge */
	snprintf(view->port, sizeof(view->port), "%s", n->port);
	snprintf(view->lower, sizeof(view->lower), "%s", n->lower);
	snprintf(view->dev, sizeof(view->dev), "%s", n->dev);
	view->ifindex = n->ifindex;
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
	snprintf(tb->bridge, IF_NAME_MAX, "%s-br", p);
	snprintf(tb->esw, IF_NAME_MAX, "%s-esw", p);
	snprintf(tb->rundir, sizeof(tb->rundir), "%s/%s", RUN_DIR, p);
	snprintf(tb->logdir, sizeof(tb->logdir), "%s", tb->rundir);
	tb->env.rundir = tb->rundir;
	tb->env.sysfs = "/sys";
	for (s = 0; s < SERVER_COUNT; s++) {
		const struct server_config *sv = &c->testbed.servers[s];

		guest_init(tb, &tb->main[s], (enum server_id)s, 0);
		if (tb->remote) {
			/* a real server: its own namespace, its own NIC */
			snprintf(tb->server_ns[s], NS_NAME_MAX, "-");
			host_init_ssh(&tb->hosts[s], server_name(s), sv->ssh,
				      sv->iovbench, sv->ssh_config,
				      tb->rundir);
		} else {
			snprintf(tb->server_ns[s], NS_NAME_MAX, "%s-%s", p,
				 server_name(s));
			host_init_local(&tb->hosts[s], server_name(s), &tb->env);
			tb->env.async_dels = true;
		}
		strbuf_init(&tb->results[s]);
		tb->hosts[s].result = &tb->results[s];
	}
	/* the local testbed's servers share one PF name, each in its own
	 * namespace; real servers may differ */
	if (tb->remote)
		snprintf(tb->nic, IF_NAME_MAX, "%s", c->testbed.servers[0].nic);
	else
		snprintf(tb->nic, IF_NAME_MAX, "%s-nic", p);
	tb->plen = c->testbed.subnet.len;
	tb->mtu = (unsigned)c->testbed.mtu;
	tb->vfs = (unsigned)c->testbed.vfs;
}

const char *testbed_nic(const struct testbed *tb, enum server_id s)
{
	return tb->remote ? tb->campaign->testbed.servers[s].nic : tb->nic;
}

void testbed_vf(const struct testbed *tb, enum server_id s, unsigned k,
		char *buf, size_t len)
{
	if (tb->remote)
		/* a real VF's netdev exists once sriov_numvfs is written:
		 * named by its PF and number, resolved over there */
		snprintf(buf, len, "@vf:%s:%u", testbed_nic(tb, s), k);
	else
		snprintf(buf, len, "%s-vf%u", tb->prefix, k);
}

void testbed_release(struct testbed *tb)
{
	int s;

	testbed_close_guests(tb);
	for (s = 0; s < SERVER_COUNT; s++) {
		if (!tb->dry)
			host_release(&tb->hosts[s]);
		strbuf_release(&tb->results[s]);
		free(tb->bg[s]);
		tb->bg[s] = NULL;
		free(tb->pairs[s]);
		tb->pairs[s] = NULL;
	}
	op_env_release(&tb->env);
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
	/* the list's link-dels are all done when it is */
	if (!tb->dry && !tb->remote && op_env_settle(&tb->env) && !ret)
		ret = -1;
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

/*
 * A real server's VFs: the kernel takes a new sriov_numvfs only from 0.
 * VF names and PCI addresses exist only after it is written, so later
 * ops name them @vf:PF:N and @vfpci:PF:N (host/op_run.c).
 */
static void numvfs_ops(const struct testbed *tb, enum server_id s,
		       struct op_list *ops, unsigned n)
{
	op_addf(ops, s, OP_SYSFS_WRITE,
		"/sys/class/net/%s/device/sriov_numvfs 0", testbed_nic(tb, s));
	if (n)
		op_addf(ops, s, OP_SYSFS_WRITE,
			"/sys/class/net/%s/device/sriov_numvfs %u",
			testbed_nic(tb, s), n);
}

int testbed_vfs_up(struct testbed *tb)
{
	struct op_list ops = {0};
	int s;

	if (!tb->remote || tb->vfs_up)
		return 0;
	for (s = 0; s < SERVER_COUNT; s++)
		numvfs_ops(tb, s, &ops, tb->vfs);
	tb->vfs_up = true;
	return testbed_exec(tb, &ops);
}

/*
 * The local servers' emulated SR-IOV NIC: the embedded switch, the
 * wire's end on it, the PF and tb->vfs VFs, each a veth pair whose
 * server end is the function's netdev and whose other end (its
 * representor) is a switch port.
 */
static void emulated_nic_ops(struct testbed *tb, enum server_id s,
			     struct op_list *ops)
{
	const char *ns = tb->server_ns[s], *p = tb->prefix;
	unsigned k;

	op_add(ops, s, OP_LINK_ADD, ns, tb->esw, "bridge", NULL);
	op_addf(ops, s, OP_LINK_SET, "%s %s mtu=%u up", ns, tb->esw, tb->mtu);
	op_addf(ops, s, OP_LINK_SET, "%s %s-wire mtu=%u master=%s up", ns, p,
		tb->mtu, tb->esw);
	op_addf(ops, s, OP_LINK_ADD, "%s %s veth peer=%s-pfr", ns, tb->nic,
		p);
	op_addf(ops, s, OP_LINK_SET, "%s %s-pfr mtu=%u master=%s up", ns, p,
		tb->mtu, tb->esw);
	op_addf(ops, s, OP_LINK_SET, "%s %s mtu=%u up", ns, tb->nic, tb->mtu);
	for (k = 0; k < tb->vfs; k++) {
		op_addf(ops, s, OP_LINK_ADD, "%s %s-vf%u veth peer=%s-vfr%u",
			ns, p, k, p, k);
		op_addf(ops, s, OP_LINK_SET, "%s %s-vfr%u mtu=%u master=%s up",
			ns, p, k, tb->mtu, tb->esw);
		op_addf(ops, s, OP_LINK_SET, "%s %s-vf%u mtu=%u up", ns, p, k,
			tb->mtu);
	}
}

/* Each of a server's functions, and locally the wire, has carrier. */
static void link_wait_ops(struct testbed *tb, enum server_id s,
			  struct op_list *ops)
{
	const char *ns = tb->remote ? "-" : tb->server_ns[s];
	unsigned k;

	op_add(ops, s, OP_LINK_WAIT, ns, testbed_nic(tb, s), NULL);
	if (tb->remote)
		return;
	op_addf(ops, s, OP_LINK_WAIT, "%s %s-wire", ns, tb->prefix);
	for (k = 0; k < tb->vfs; k++)
		op_addf(ops, s, OP_LINK_WAIT, "%s %s-vf%u", ns, tb->prefix, k);
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
		/* the wire: a veth pair between the two switches */
		op_addf(&ops, SERVER_SENDER, OP_LINK_ADD,
			"%s %s-wire veth peer=%s-wire peerns=%s",
			tb->server_ns[SERVER_SENDER], tb->prefix, tb->prefix,
			tb->server_ns[SERVER_RESPONDER]);
		for (s = 0; s < SERVER_COUNT; s++)
			emulated_nic_ops(tb, (enum server_id)s, &ops);
	}
	/* up means ready to carry a probe: see link_wait_up() */
	for (s = 0; s < SERVER_COUNT; s++)
		link_wait_ops(tb, (enum server_id)s, &ops);
	if (testbed_exec(tb, &ops))
		return -1;
	tb->up = true;
	return 0;
}

int testbed_servers_down(struct testbed *tb)
{
	struct op_list ops = {0};
	unsigned removed;
	int ret = 0;
	int s;

	if (tb->remote) {
		if (tb->vfs_up) {
			/* the VFs go, and with them their drivers and macvtaps */
			for (s = 0; s < SERVER_COUNT; s++)
				numvfs_ops(tb, s, &ops, 0);
			if (testbed_exec(tb, &ops))
				ret = -1;
			tb->vfs_up = false;
		}
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
/*
 * An ssh master connection a crashed runner left (they persist until
 * told to exit): its socket is all there is to reach it by.
 */
static void exit_ssh_master(const char *socket)
{
	char opt[600];
	char *argv[] = {"ssh", "-q", "-o", opt, "-O", "exit", "iovbench", NULL};
	struct spawn_opts so = {0};

	snprintf(opt, sizeof(opt), "ControlPath=%s", socket);
	proc_run(argv, &so, 5 * NSEC_PER_SEC, NULL);
}

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
		if (!strncmp(e->d_name, "ssh-", 4))
			exit_ssh_master(path);
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

void testbed_close_guests(struct testbed *tb)
{
	unsigned i;
	int s;

	for (s = 0; s < SERVER_COUNT; s++) {
		struct channel *ch = &tb->main[s].ch;

		if (ch->ops && ch->open)
			ch->ops->close(ch);
		for (i = 0; tb->bg_up && i < tb->setup.background; i++) {
			ch = &tb->bg[s][i].ch;
			if (ch->ops && ch->open)
				ch->ops->close(ch);
		}
		for (i = 0; tb->guests_up && i < tb->npairs[s]; i++) {
			ch = &tb->pairs[s][i].ch;
			if (ch->ops && ch->open)
				ch->ops->close(ch);
		}
	}
}
