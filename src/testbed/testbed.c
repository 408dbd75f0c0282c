// SPDX-License-Identifier: GPL-2.0-or-later
#include "testbed/testbed.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dataplane.h"
#include "host/proc.h"
#include "net/link.h"
#include "net/netns.h"
#include "testbed/attach.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* How long processes get between SIGTERM and SIGKILL at teardown. */
#define KILL_GRACE_NS (1 * NSEC_PER_SEC)

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

void testbed_init(struct testbed *tb, const struct campaign *c)
{
	const char *p = c->prefix;
	int s;

	memset(tb, 0, sizeof(*tb));
	tb->campaign = c;
	snprintf(tb->prefix, sizeof(tb->prefix), "%s", p);
	snprintf(tb->server_ns[SERVER_SENDER], NS_NAME_MAX, "%s-sender", p);
	snprintf(tb->server_ns[SERVER_RESPONDER], NS_NAME_MAX, "%s-responder",
		 p);
	snprintf(tb->guest_ns[SERVER_SENDER], NS_NAME_MAX, "%s-s-main", p);
	snprintf(tb->guest_ns[SERVER_RESPONDER], NS_NAME_MAX, "%s-r-main", p);
	snprintf(tb->nic, IF_NAME_MAX, "%s-nic", p);
	snprintf(tb->bridge, IF_NAME_MAX, "%s-br", p);
	snprintf(tb->guest_port, IF_NAME_MAX, "%s-main", p);
	for (s = 0; s < SERVER_COUNT; s++)
		tb->guest_addr[s] = c->testbed.subnet.addr + 1 + (uint32_t)s;
	tb->plen = c->testbed.subnet.len;
	tb->mtu = (unsigned)c->testbed.mtu;
	tb->dataplane = -1;
}

/*
 * A fresh namespace, quiet: no IPv6 (router solicitations, DAD and MLD
 * would put unmeasured packets on the wire), loopback up.
 */
static int quiet_netns(const char *name)
{
	struct nl_sock *sk;
	int ret;

	if (netns_create(name))
		return -1;
	if (netns_sysctl(name, "net/ipv6/conf/all/disable_ipv6", "1") ||
	    netns_sysctl(name, "net/ipv6/conf/default/disable_ipv6", "1"))
		return -1;
	sk = nl_open(name);
	if (!sk)
		return -1;
	ret = link_set_up(sk, "lo");
	nl_close(sk);
	return ret;
}

int testbed_up(struct testbed *tb)
{
	struct nl_sock *sk[SERVER_COUNT] = {NULL, NULL};
	unsigned removed = 0;
	int s, ret = -1;

	if (testbed_down(tb->prefix, &removed))
		return -1;
	if (removed)
		info("removed %u leftovers of an earlier run with prefix '%s'",
		     removed, tb->prefix);
	for (s = 0; s < SERVER_COUNT; s++) {
		if (quiet_netns(tb->server_ns[s]))
			goto out;
		sk[s] = nl_open(tb->server_ns[s]);
		if (!sk[s])
			goto out;
	}
	/* the wire: one veth pair, an end in each server, both named NIC */
	if (link_add_veth(sk[SERVER_SENDER], tb->nic, tb->nic,
			  tb->server_ns[SERVER_RESPONDER]))
		goto out;
	for (s = 0; s < SERVER_COUNT; s++) {
		if (link_set_mtu(sk[s], tb->nic, tb->mtu) ||
		    link_set_up(sk[s], tb->nic))
			goto out;
	}
	tb->up = true;
	ret = 0;
out:
	for (s = 0; s < SERVER_COUNT; s++)
		nl_close(sk[s]);
	return ret;
}

static void guest_mac(enum server_id s, uint8_t mac[6])
{
	/* locally administered, stable: a peer's ARP entry stays right */
	static const uint8_t base[6] = {0x02, 0x69, 0x6f, 0x00, 0x00, 0x01};

	memcpy(mac, base, 6);
	mac[4] = (uint8_t)s;
}

static int guest_configure(struct testbed *tb, enum server_id s)
{
	struct nl_sock *sk = nl_open(tb->guest_ns[s]);
	uint8_t mac[6];
	int ret;

	if (!sk)
		return -1;
	guest_mac(s, mac);
	ret = link_set_mac(sk, "eth0", mac);
	if (!ret)
		ret = link_set_mtu(sk, "eth0", tb->mtu);
	if (!ret)
		ret = addr_add(sk, "eth0", tb->guest_addr[s], tb->plen);
	if (!ret)
		ret = link_set_up(sk, "eth0");
	nl_close(sk);
	return ret;
}

static int flush_neighbours(struct testbed *tb)
{
	int s;

	for (s = 0; s < SERVER_COUNT; s++) {
		const char *names[2] = {tb->server_ns[s], tb->guest_ns[s]};
		int i;

		for (i = 0; i < 2; i++) {
			struct nl_sock *sk;

			if (!netns_exists(names[i]))
				continue;
			sk = nl_open(names[i]);
			if (!sk || neigh_flush(sk)) {
				nl_close(sk);
				return -1;
			}
			nl_close(sk);
		}
	}
	return 0;
}

int testbed_guests_up(struct testbed *tb, int dp)
{
	const struct attach_ops *ops;
	int s;

	if (tb->dataplane >= 0 && testbed_guests_down(tb))
		return -1;
	ops = &attach_table[dataplane_table[dp].attach];
	tb->dataplane = dp;
	for (s = 0; s < SERVER_COUNT; s++) {
		if (ops->server_setup && ops->server_setup(tb, s))
			return -1;
		if (quiet_netns(tb->guest_ns[s]) || ops->guest_setup(tb, s) ||
		    guest_configure(tb, s))
			return -1;
	}
	/* new guests: nobody may keep an old guest's address in a cache */
	return flush_neighbours(tb);
}

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

int testbed_guests_down(struct testbed *tb)
{
	const struct attach_ops *ops;
	int s, ret = 0;

	if (tb->dataplane < 0)
		return 0;
	ops = &attach_table[dataplane_table[tb->dataplane].attach];
	for (s = 0; s < SERVER_COUNT; s++) {
		if (netns_exists(tb->guest_ns[s]) &&
		    remove_netns(tb->guest_ns[s]))
			ret = -1;
		if (ops->server_teardown && netns_exists(tb->server_ns[s]) &&
		    ops->server_teardown(tb, s))
			ret = -1;
	}
	tb->dataplane = -1;
	return ret;
}

int testbed_teardown(struct testbed *tb)
{
	int ret = testbed_guests_down(tb);
	unsigned removed;

	if (testbed_down(tb->prefix, &removed))
		ret = -1;
	tb->up = false;
	return ret;
}

#define LOCK_DIR "/run/iovbench"

/* The logs of a prefix's processes (the lock file stays: see below). */
static void remove_rundir(const char *prefix)
{
	char dir[256], path[512];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", LOCK_DIR, prefix);
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
		strbuf_addf(out, "    process %d: %s\n", (int)pids[i], cmd.buf);
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

	if (mkdir(LOCK_DIR, 0755) && errno != EEXIST)
		return error_errno("cannot create '%s'", LOCK_DIR);
	snprintf(path, sizeof(path), "%s/%s.lock", LOCK_DIR, prefix);
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
