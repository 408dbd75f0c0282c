// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/op_run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/caps.h"
#include "host/facts.h"
#include "host/proc.h"
#include "host/sriov.h"
#include "net/link.h"
#include "net/qdisc.h"
#include "net/netns.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

typedef int (*op_fn)(const struct op *op, struct op_env *env);

/* The value of option key ("mtu=") in op's words; "" for a flag. */
static const char *opt(const struct op *op, size_t first, const char *key)
{
	size_t kl = strlen(key), i;

	for (i = first; i < op->words.n; i++) {
		const char *w = op->words.v[i];

		if (key[kl - 1] == '=' ? !strncmp(w, key, kl) : !strcmp(w, key))
			return key[kl - 1] == '=' ? w + kl : "";
	}
	return NULL;
}

/* "-" is the host's own namespace. */
static const char *ns(const char *word)
{
	return strcmp(word, "-") ? word : NULL;
}

static struct nl_sock *open_in(const char *word)
{
	return nl_open(ns(word));
}

/* ---- namespaces ---- */

/*
 * With br_netfilter loaded, a new namespace inherits the host's
 * bridge-nf-call-* (Debian: 1), and every frame its bridges forward goes
 * through iptables: on veth-bridge that doubled the RTT p50 (12.06 vs
 * 5.26 us). The testbed's path must not depend on the host's firewall
 * settings: off in every namespace it makes (the host keeps its own).
 */
static const char *const bridge_nf_keys[] = {
	"net/bridge/bridge-nf-call-iptables",
	"net/bridge/bridge-nf-call-ip6tables",
	"net/bridge/bridge-nf-call-arptables",
};

static int bridge_nf_off(const char *ns)
{
	char path[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bridge_nf_keys); i++) {
		snprintf(path, sizeof(path), "/proc/sys/%s", bridge_nf_keys[i]);
		if (access(path, F_OK))
			continue; /* no br_netfilter: nothing to turn off */
		if (netns_sysctl(ns, bridge_nf_keys[i], "0"))
			return -1;
	}
	return 0;
}

static int run_netns_add(const struct op *op, struct op_env *env)
{
	const char *name = op->words.v[0];
	struct nl_sock *sk;
	int ret;

	(void)env;
	if (netns_create(name))
		return -1;
	/* quiet: no IPv6 (router solicitations, DAD and MLD would put
	 * unmeasured packets on the wire); loopback up */
	if (netns_sysctl(name, "net/ipv6/conf/all/disable_ipv6", "1") ||
	    netns_sysctl(name, "net/ipv6/conf/default/disable_ipv6", "1"))
		return -1;
	if (bridge_nf_off(name))
		return -1;
	sk = nl_open(name);
	if (!sk)
		return -1;
	ret = link_set_up(sk, "lo");
	nl_close(sk);
	return ret;
}

static int run_netns_del(const struct op *op, struct op_env *env)
{
	const char *name = op->words.v[0];
	pid_t *pids;
	size_t n;

	(void)env;
	if (!netns_exists(name))
		return 0;
	if (!netns_pids(name, &pids, &n)) {
		proc_kill_pids(pids, n, NSEC_PER_SEC);
		free(pids);
	}
	return netns_delete(name);
}

/* ---- links ---- */

/*
 * A macvtap's character device is /dev/tapIFINDEX in the devtmpfs that
 * all namespaces share. An earlier macvtap with that index, in a
 * namespace the kernel is still tearing down (that is asynchronous),
 * keeps the node: a new one made now would lose it when the old one
 * goes, and QEMU's fd with it ("Link has been severed"). So wait.
 */
#define TAPDEV_GONE_NS (10 * NSEC_PER_SEC)

static int tapdev_wait_gone(int ifindex)
{
	int64_t end = now_mono() + TAPDEV_GONE_NS;
	char dev[32];

	snprintf(dev, sizeof(dev), "/dev/tap%d", ifindex);
	while (!access(dev, F_OK)) {
		if (now_mono() > end)
			return error("%s still exists 10 s after its macvtap "
				     "was removed: another macvtap holds "
				     "ifindex %d",
				     dev, ifindex);
		usleep(10000);
	}
	return 0;
}

static int run_link_add(const struct op *op, struct op_env *env)
{
	const char *name = op->words.v[1], *kind = op->words.v[2];
	const char *peer = opt(op, 3, "peer="), *lower = opt(op, 3, "lower=");
	struct nl_sock *sk;
	int ret;

	(void)env;
	if (!strcmp(kind, "tap"))
		return link_add_tap(ns(op->words.v[0]), name);
	sk = open_in(op->words.v[0]);
	if (!sk)
		return -1;
	if (!strcmp(kind, "veth") && peer) {
		const char *pns = opt(op, 3, "peerns=");

		ret = link_add_veth(sk, name, peer, pns ? ns(pns) : NULL);
	} else if (!strcmp(kind, "bridge")) {
		ret = link_add_bridge(sk, name);
	} else if (!strcmp(kind, "macvlan") && lower) {
		const char *dest = opt(op, 3, "netns=");

		ret = link_add_macvlan(sk, name, lower, dest ? ns(dest) : NULL);
	} else if (!strcmp(kind, "macvtap") && lower) {
		const char *mode = opt(op, 3, "mode="), *idx = opt(op, 3,
								  "ifindex=");

		ret = idx ? tapdev_wait_gone(atoi(idx)) : 0;
		if (!ret)
			ret = link_add_macvtap(sk, name, lower,
					       mode ? mode : "passthru",
					       idx ? atoi(idx) : 0);
	} else {
		ret = error("link-add: kind '%s' lacks what it needs (veth: "
			    "peer=, macvlan/macvtap: lower=)",
			    kind);
	}
	nl_close(sk);
	return ret;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5], &tail) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static int run_link_set(const struct op *op, struct op_env *env)
{
	const char *name = op->words.v[1], *v;
	struct nl_sock *sk = open_in(op->words.v[0]);
	uint8_t mac[6];
	int ret = 0;

	(void)env;
	if (!sk)
		return -1;
	/* in the order they may depend on each other */
	if (!ret && (v = opt(op, 2, "mtu=")))
		ret = link_set_mtu(sk, name, (unsigned)atoi(v));
	if (!ret && (v = opt(op, 2, "mac="))) {
		ret = parse_mac(v, mac) ? error("link-set: bad mac '%s'", v) :
					  link_set_mac(sk, name, mac);
	}
	if (!ret && opt(op, 2, "nomaster"))
		ret = link_exists(sk, name) ? link_set_nomaster(sk, name) : 0;
	if (!ret && (v = opt(op, 2, "master=")))
		ret = link_set_master(sk, name, v);
	if (!ret && opt(op, 2, "up"))
		ret = link_set_up(sk, name);
	/*
	 * A tap gets the host's net.core.default_qdisc when it goes up
	 * (pfifo_fast, fq_codel), veth, macvlan and bridges noqueue; a
	 * queueing qdisc adds its enqueue and dequeue to every frame
	 * (bench/linkcost: pfifo_fast +1-7 %, htb +22-27 % RTT p50). Known
	 * values in the namespaces the testbed makes; a real server's
	 * own links ("-") are its owner's, recorded and warned about.
	 */
	if (!ret && opt(op, 2, "up") && ns(op->words.v[0]))
		ret = qdisc_set_noqueue(op->words.v[0], name);
	/* moved and renamed at once: a link that is up cannot be renamed,
	 * and the new namespace may hold one of its old name */
	if (!ret && (v = opt(op, 2, "netns=")))
		ret = link_set_netns(sk, name, v, opt(op, 2, "name="));
	nl_close(sk);
	return ret;
}

struct link_del_job {
	pthread_t thread;
	struct nl_sock *sk; /* opened in the link's namespace: it stays */
	char name[64];
	int ret;
};

static void *link_del_thread(void *arg)
{
	struct link_del_job *j = arg;

	j->ret = link_delete(j->sk, j->name);
	nl_close(j->sk);
	return NULL;
}

int op_env_settle(struct op_env *env)
{
	int ret = 0;

	while (env->ndels) {
		struct link_del_job *j = env->dels[--env->ndels];

		pthread_join(j->thread, NULL);
		if (j->ret)
			ret = -1; /* printed by link_delete() */
		free(j);
	}
	return ret;
}

static int run_link_del(const struct op *op, struct op_env *env)
{
	struct link_del_job *j;
	struct nl_sock *sk;
	int ret;

	if (ns(op->words.v[0]) && !netns_exists(op->words.v[0]))
		return 0; /* its namespace is gone, and the link with it */
	/* here, not in the thread: a netns-del next may not beat it */
	sk = open_in(op->words.v[0]);
	if (!sk)
		return -1;
	if (env->async_dels && env->ndels < ARRAY_SIZE(env->dels) &&
	    strlen(op->words.v[1]) < sizeof(j->name)) {
		j = xcalloc(1, sizeof(*j));
		j->sk = sk;
		snprintf(j->name, sizeof(j->name), "%s", op->words.v[1]);
		if (!pthread_create(&j->thread, NULL, link_del_thread, j)) {
			env->dels[env->ndels++] = j;
			return 0;
		}
		free(j);
	}
	ret = link_delete(sk, op->words.v[1]);
	nl_close(sk);
	return ret;
}

/* how long a link may take to come up: a NIC's autonegotiation fits */
#define LINK_WAIT_NS (10 * NSEC_PER_SEC)

static int run_link_wait(const struct op *op, struct op_env *env)
{
	struct nl_sock *sk;
	int ret;

	(void)env;
	sk = open_in(op->words.v[0]);
	if (!sk)
		return -1;
	ret = link_wait_up(sk, op->words.v[1], LINK_WAIT_NS);
	nl_close(sk);
	return ret;
}

static int run_addr_add(const struct op *op, struct op_env *env)
{
	unsigned a, b, c, d, plen;
	struct nl_sock *sk;
	int ret;

	(void)env;
	if (sscanf(op->words.v[2], "%u.%u.%u.%u/%u", &a, &b, &c, &d, &plen) !=
		    5 ||
	    a > 255 || b > 255 || c > 255 || d > 255 || plen > 32)
		return error("addr-add: bad address '%s'", op->words.v[2]);
	sk = open_in(op->words.v[0]);
	if (!sk)
		return -1;
	ret = addr_add(sk, op->words.v[1], a << 24 | b << 16 | c << 8 | d,
		       plen);
	nl_close(sk);
	return ret;
}

static int run_neigh_flush(const struct op *op, struct op_env *env)
{
	struct nl_sock *sk;
	int ret;

	(void)env;
	if (ns(op->words.v[0]) && !netns_exists(op->words.v[0]))
		return 0;
	sk = open_in(op->words.v[0]);
	if (!sk)
		return -1;
	ret = neigh_flush(sk);
	nl_close(sk);
	return ret;
}

/* ---- sysfs, SR-IOV, drivers ---- */

/* path ("/sys/...") inside env's sysfs root. */
static int sysfs_path(const struct op_env *env, const char *path, char *buf,
		      size_t len)
{
	if (strncmp(path, "/sys/", 5) || strstr(path, "/../"))
		return error("'%s' is not a path under /sys", path);
	snprintf(buf, len, "%s/%s", env->sysfs ? env->sysfs : "/sys",
		 path + 5);
	return 0;
}

static int sysfs_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(value);
	int ret = 0;

	if (fd < 0)
		return error_errno("cannot open '%s'", path);
	if (write(fd, value, len) != (ssize_t)len)
		ret = error_errno("cannot write '%s' to '%s'", value, path);
	close(fd);
	return ret;
}

static int run_sysfs_write(const struct op *op, struct op_env *env)
{
	char path[PATH_MAX];

	if (sysfs_path(env, op->words.v[0], path, sizeof(path)))
		return -1;
	return sysfs_write(path, op->words.v[1]);
}

static int on_off(const char *v)
{
	if (!v)
		return -1;
	return !strcmp(v, "on") ? 1 : !strcmp(v, "off") ? 0 : -2;
}

static int run_vf_set(const struct op *op, struct op_env *env)
{
	struct vf_settings set = {.vlan = -1};
	const char *v;
	uint8_t mac[6];
	struct nl_sock *sk;
	int ret;

	(void)env;
	if ((v = opt(op, 3, "mac="))) {
		if (parse_mac(v, mac))
			return error("vf-set: bad mac '%s'", v);
		set.mac = mac;
	}
	if ((v = opt(op, 3, "vlan=")))
		set.vlan = atoi(v);
	set.trust = on_off(opt(op, 3, "trust="));
	set.spoofchk = on_off(opt(op, 3, "spoofchk="));
	if (set.trust == -2 || set.spoofchk == -2)
		return error("vf-set: trust and spoofchk take on or off");
	sk = open_in(op->words.v[0]);
	if (!sk)
		return -1;
	ret = link_set_vf(sk, op->words.v[1], (unsigned)atoi(op->words.v[2]),
			  &set);
	nl_close(sk);
	return ret;
}

/*
 * Bind PCI device BDF to DRIVER the way the kernel documents for VFIO:
 * driver_override, unbind from the current driver, drivers_probe.
 */
static int run_driver_bind(const struct op *op, struct op_env *env)
{
	const char *bdf = op->words.v[0], *drv = op->words.v[1];
	char path[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	/* a driver that is not loaded would leave the device with none */
	snprintf(link, sizeof(link), "/sys/bus/pci/drivers/%s", drv);
	if (sysfs_path(env, link, path, sizeof(path)))
		return -1;
	if (access(path, F_OK))
		return error("driver '%s' is not loaded (modprobe %s)", drv,
			     drv);
	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/driver", bdf);
	if (sysfs_path(env, link, path, sizeof(path)))
		return -1;
	n = readlink(path, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		if (!strcmp(strrchr(target, '/') ? strrchr(target, '/') + 1 :
						   target,
			    drv))
			return 0; /* already bound */
	}
	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/driver_override",
		 bdf);
	if (sysfs_path(env, link, path, sizeof(path)) ||
	    sysfs_write(path, drv))
		return -1;
	if (n > 0) {
		snprintf(link, sizeof(link),
			 "/sys/bus/pci/devices/%s/driver/unbind", bdf);
		if (sysfs_path(env, link, path, sizeof(path)) ||
		    sysfs_write(path, bdf))
			return -1;
	}
	if (sysfs_path(env, "/sys/bus/pci/drivers_probe", path, sizeof(path)) ||
	    sysfs_write(path, bdf))
		return -1;
	/* QEMU can pass a device through only if its whole IOMMU group is
	 * with vfio-pci (or with no driver): say so now, not at boot */
	if (!strcmp(drv, "vfio-pci")) {
		char why[256];

		if (vfio_group_viable(env->sysfs, bdf, why, sizeof(why)))
			return error("%s cannot be passed through: %s", bdf,
				     why);
	}
	return 0;
}

/* ---- VMs ---- */

struct proc *op_env_vm(struct op_env *env, const char *name)
{
	size_t i;

	for (i = 0; i < env->nvms; i++) {
		if (!strcmp(env->vms[i].name, name))
			return env->vms[i].proc;
	}
	return NULL;
}

static int run_vm_start(const struct op *op, struct op_env *env)
{
	const char *name = op->words.v[0];
	struct strv argv = STRV_INIT;
	char log[PATH_MAX];
	struct spawn_opts so = {.netns = ns(op->words.v[1]), .log = log};
	struct proc *p;
	int fds[4], nfds = 0, kvm = -1;
	size_t i;
	int ret = 0;

	if (op_env_vm(env, name))
		return error("vm-start: '%s' is already running", name);
	if (env->nvms == ARRAY_SIZE(env->vms))
		return error("vm-start: too many VMs");
	/*
	 * words: NAME NS -- ARGV... An "fd=@PATH" in a word is a file QEMU
	 * needs open (a macvtap's /dev/tapN): open it without O_CLOEXEC, so
	 * QEMU inherits it, and put its number in the word.
	 */
	for (i = 3; i < op->words.n; i++) {
		const char *w = op->words.v[i], *at = strstr(w, "fd=@");
		char path[PATH_MAX];
		size_t plen;
		int fd;

		if (!strcmp(w, "@accel") || !strcmp(w, "@cpu")) {
			if (kvm < 0)
				kvm = !!(host_caps_detect("/") & CAP_KVM);
			strv_push(&argv, w[1] == 'a' ? (kvm ? "kvm" : "tcg") :
					     (kvm ? "host" : "max"));
			continue;
		}
		if ((at = strstr(w, "@tsc"))) {
			strv_pushf(&argv, "%.*s%llu%s", (int)(at - w), w,
				   (unsigned long long)host_cpu_khz("/"),
				   at + 4);
			continue;
		}
		at = strstr(w, "fd=@");
		if (!at) {
			strv_push(&argv, w);
			continue;
		}
		plen = strcspn(at + 4, ",");
		snprintf(path, sizeof(path), "%.*s", (int)plen, at + 4);
		fd = open(path, O_RDWR);
		if (fd < 0) {
			ret = error_errno("vm-start: cannot open '%s'", path);
			goto close_fds;
		}
		fds[nfds++] = fd;
		strv_pushf(&argv, "%.*sfd=%d%s", (int)(at - w), w, fd,
			   at + 4 + plen);
		if (nfds == ARRAY_SIZE(fds))
			break;
	}
	snprintf(log, sizeof(log), "%s/%s.qemu.log",
		 env->rundir ? env->rundir : "/tmp", name);
	/* the runner reads the QEMU process's CPU time through it */
	strv_push(&argv, "-pidfile");
	strv_pushf(&argv, "%s/%s.pid", env->rundir ? env->rundir : "/tmp",
		   name);
	if (env->daemonize)
		/* a remote server: QEMU outlives the ssh session */
		strv_push(&argv, "-daemonize");
	p = xcalloc(1, sizeof(*p));
	ret = proc_spawn(argv.v, &so, p);
	if (ret) {
		free(p);
		goto close_fds;
	}
	if (env->daemonize) {
		/* the first process exits once QEMU has daemonized */
		ret = proc_wait(p, 60 * NSEC_PER_SEC, NULL);
		proc_release(p);
		free(p);
		if (ret)
			ret = error("vm-start: QEMU failed to start '%s' (see "
				    "%s)",
				    name, log);
		goto close_fds;
	}
	snprintf(env->vms[env->nvms].name, sizeof(env->vms[0].name), "%s",
		 name);
	env->vms[env->nvms++].proc = p;
close_fds:
	if (!ret && env->result && kvm >= 0)
		strbuf_addf(env->result, "accel=%s\n", kvm ? "kvm" : "tcg");
	/* QEMU has its copies */
	while (nfds)
		close(fds[--nfds]);
	strv_clear(&argv);
	return ret;
}

/*
 * A QEMU vm-start daemonized (on a server: an earlier `iovbench op`): its
 * pid is in the run directory. Gone already is fine: a QMP quit came
 * first, or teardown kills whatever carries the prefix.
 */
static int stop_daemonized(struct op_env *env, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s.pid",
		 env->rundir ? env->rundir : "/tmp", name);
	if (strbuf_read_file(&sb, path, 64)) {
		strbuf_release(&sb);
		return 0;
	}
	pid = (pid_t)atoi(sb.buf);
	strbuf_release(&sb);
	if (pid > 1)
		proc_kill_pids(&pid, 1, 2 * NSEC_PER_SEC);
	unlink(path);
	return 0;
}

static int run_vm_stop(const struct op *op, struct op_env *env)
{
	const char *name = op->words.v[0];
	struct proc *p = op_env_vm(env, name);
	size_t i;

	if (!p)
		return stop_daemonized(env, name);
	/* after a QMP quit it is already going; else SIGTERM, which QEMU
	 * also handles by tearing the guest down */
	if (proc_wait(p, 2 * NSEC_PER_SEC, NULL) < 0)
		proc_kill(p, 2 * NSEC_PER_SEC);
	if (p->status == 0)
		info("%s: QEMU exited cleanly", name);
	else
		warning("%s: QEMU exited with status %d", name, p->status);
	proc_release(p);
	free(p);
	for (i = 0; i < env->nvms; i++) {
		if (env->vms[i].proc == p) {
			env->vms[i] = env->vms[--env->nvms];
			break;
		}
	}
	return 0;
}

void op_env_release(struct op_env *env)
{
	op_env_settle(env);
	while (env->nvms) {
		struct proc *p = env->vms[--env->nvms].proc;

		proc_kill(p, 2 * NSEC_PER_SEC);
		proc_release(p);
		free(p);
	}
}

/* ---- the table: each op's handler here (its shape: core/op.c) ---- */

static const op_fn op_handlers[OP_COUNT] = {
	[OP_NETNS_ADD] = run_netns_add,
	[OP_NETNS_DEL] = run_netns_del,
	[OP_LINK_ADD] = run_link_add,
	[OP_LINK_SET] = run_link_set,
	[OP_LINK_DEL] = run_link_del,
	[OP_LINK_WAIT] = run_link_wait,
	[OP_ADDR_ADD] = run_addr_add,
	[OP_NEIGH_FLUSH] = run_neigh_flush,
	[OP_SYSFS_WRITE] = run_sysfs_write,
	[OP_VF_SET] = run_vf_set,
	[OP_DRIVER_BIND] = run_driver_bind,
	[OP_VM_START] = run_vm_start,
	[OP_VM_STOP] = run_vm_stop,
};

/*
 * @vf:PF:N and @vfpci:PF:N in a word: the netdev and the PCI address of
 * VF N of PF, as this host's sysfs says (they exist only once
 * sriov_numvfs was written here, so the controller cannot know them).
 */
int op_resolve_vf(const char *w, const char *sysfs, struct strbuf *out)
{
	const char *at = strstr(w, "@vf");
	char pf[64], value[64];
	int pci, n, ret;
	unsigned vf;

	strbuf_reset(out);
	if (!at) {
		strbuf_addstr(out, w);
		return 0;
	}
	pci = !strncmp(at, "@vfpci:", 7);
	if (!pci && strncmp(at, "@vf:", 4))
		return error("bad VF reference in '%s'", w);
	if (sscanf(at + (pci ? 7 : 4), "%63[^:]:%u%n", pf, &vf, &n) != 2)
		return error("bad VF reference in '%s'", w);
	ret = pci ? sriov_vf_pci(sysfs, pf, vf, value, sizeof(value)) :
		    sriov_vf_netdev(sysfs, pf, vf, value, sizeof(value));
	if (ret)
		return error("no VF %u of '%s' here (sriov_numvfs?)", vf, pf);
	strbuf_add(out, w, (size_t)(at - w));
	strbuf_addstr(out, value);
	strbuf_addstr(out, at + (pci ? 7 : 4) + n);
	return 0;
}

int op_run_local(const struct op *op, struct op_env *env)
{
	struct strbuf line = STRBUF_INIT, w = STRBUF_INIT;
	struct op resolved = {.id = op->id, .server = op->server};
	size_t i;
	int ret = 0;

	for (i = 0; i < op->words.n && !ret; i++) {
		ret = op_resolve_vf(op->words.v[i], env->sysfs, &w);
		strv_push(&resolved.words, w.buf);
		/* the controller learns what a VF word was here (a VF hot-
		 * plugged back over QMP needs its PCI address) */
		if (!ret && env->result && op->words.v[i][0] == '@' &&
		    strcmp(op->words.v[i], w.buf))
			strbuf_addf(env->result, "resolved %s %s\n",
				    op->words.v[i], w.buf);
	}
	op_format(&resolved, &line);
	debug("op: %s", line.buf);
	/* what may run beside a link-del still in its thread: see op_env */
	if (!ret && op->id != OP_LINK_DEL && op->id != OP_LINK_SET &&
	    op->id != OP_NETNS_DEL && op_env_settle(env))
		ret = error("an earlier link-del failed");
	if (ret) {
		error("op failed: %s", line.buf);
	} else if (resolved.words.n < (size_t)op_positional(op->id)) {
		ret = error("op '%s' is missing words", line.buf);
	} else {
		ret = op_handlers[op->id](&resolved, env);
		if (ret)
			error("op failed: %s", line.buf);
	}
	op_release(&resolved);
	strbuf_release(&line);
	strbuf_release(&w);
	return ret;
}
