// SPDX-License-Identifier: GPL-2.0-or-later
#include "guest/channel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/guest_prog.h"
#include "host/host.h"
#include "host/proc.h"
#include "util/error.h"
#include "util/strv.h"
#include "util/time.h"

/* ---- agent: the guest image's agent on virtio-serial ---- */

static int agent_ch_open(struct channel *ch, int64_t timeout_ns)
{
	int ret = agent_open(&ch->agent, ch->agent_path, timeout_ns, ch->stop);

	if (ret) {
		agent_close(&ch->agent);
		return ret;
	}
	snprintf(ch->version, sizeof(ch->version), "%s", ch->agent.version);
	ch->open = true;
	return 0;
}

static int agent_ch_link(struct channel *ch, const char *mac, bool *up)
{
	(void)mac; /* the image names its measured NIC eth0 */
	return agent_link(&ch->agent, "eth0", up, 5 * NSEC_PER_SEC);
}

static int agent_ch_run(struct channel *ch, const char *const *argv,
			int argc, int64_t timeout_ns, int *exit, FILE *out)
{
	return agent_run(&ch->agent, argv, argc, timeout_ns, exit, out);
}

static int agent_ch_probe(struct channel *ch, const char *const *kv, int n,
			  int64_t timeout_ns, int *exit, FILE *out)
{
	return agent_probe(&ch->agent, kv, n, timeout_ns, exit, out);
}

static int agent_ch_start(struct channel *ch, const char *const *argv,
			  int argc, uint32_t *handle)
{
	return agent_start(&ch->agent, argv, argc, 10 * NSEC_PER_SEC, handle);
}

static int agent_ch_stop(struct channel *ch, uint32_t handle,
			 struct strbuf *out)
{
	return agent_stop(&ch->agent, handle, 5 * NSEC_PER_SEC, NULL, out);
}

static int agent_ch_wait(struct channel *ch, uint32_t handle,
			 int64_t timeout_ns, int *exit, struct strbuf *out)
{
	return agent_wait(&ch->agent, handle, timeout_ns, exit, out);
}

static int agent_ch_counters(struct channel *ch, uint64_t v[4])
{
	return agent_counters(&ch->agent, "eth0", v, 5 * NSEC_PER_SEC);
}

static void agent_ch_close(struct channel *ch)
{
	if (ch->open)
		agent_close(&ch->agent);
	ch->open = false;
}

const struct channel_ops channel_agent = {
	.name = "agent",
	.open = agent_ch_open,
	.link = agent_ch_link,
	.run = agent_ch_run,
	.probe = agent_ch_probe,
	.start = agent_ch_start,
	.stop = agent_ch_stop,
	.wait = agent_ch_wait,
	.counters = agent_ch_counters,
	.close = agent_ch_close,
};

/* ---- ssh: a user's disk image, through its management NIC ---- */

/*
 * ssh to the guest: port 22 of the guest is forwarded to the server's
 * loopback by QEMU's user networking. On the local testbed that loopback
 * is the server namespace's (we spawn ssh in it); a real server is
 * crossed with ProxyCommand through our connection to it. Host keys of
 * throwaway guests are not worth checking or remembering.
 */
static void guest_ssh_argv(const struct channel *ch, struct strv *argv)
{
	strv_push(argv, "ssh");
	strv_push(argv, "-o");
	strv_push(argv, "BatchMode=yes");
	strv_push(argv, "-o");
	strv_push(argv, "StrictHostKeyChecking=no");
	strv_push(argv, "-o");
	strv_push(argv, "UserKnownHostsFile=/dev/null");
	strv_push(argv, "-o");
	strv_push(argv, "LogLevel=ERROR");
	strv_push(argv, "-o");
	strv_push(argv, "ConnectTimeout=5");
	if (*ch->key) {
		strv_push(argv, "-i");
		strv_push(argv, ch->key);
	}
	if (ch->server && ch->server->be == &host_ssh) {
		struct strv via = STRV_INIT;
		struct strbuf cmd = STRBUF_INIT;
		size_t i;

		/* ssh OPTIONS -W 127.0.0.1:%p -- SERVER: -W takes the
		 * place of a command */
		host_ssh_options(ch->server, &via);
		strv_push(&via, "-W");
		strv_push(&via, "127.0.0.1:%p");
		strv_push(&via, "--");
		strv_push(&via, ch->server->dest);
		for (i = 0; i < via.n; i++) {
			if (i)
				strbuf_addch(&cmd, ' ');
			strbuf_addquoted(&cmd, via.v[i]);
		}
		strv_push(argv, "-o");
		strv_pushf(argv, "ProxyCommand=%s", cmd.buf);
		strbuf_release(&cmd);
		strv_clear(&via);
	}
	strv_push(argv, "-p");
	strv_pushf(argv, "%u", ch->port);
	strv_pushf(argv, "%s@127.0.0.1", ch->user);
	strv_push(argv, "--");
}

/*
 * Run a shell command in the guest; its stdout in out, or written to sink
 * as it comes (either may be NULL).
 */
static int guest_sh_to(struct channel *ch, const char *cmd,
		       int64_t timeout_ns, struct strbuf *out, FILE *sink)
{
	struct strv argv = STRV_INIT;
	struct spawn_opts so = {.capture = true};
	struct proc p;
	int st;

	guest_ssh_argv(ch, &argv);
	strv_push(&argv, cmd);
	if (!(ch->server && ch->server->be == &host_ssh))
		so.netns = ch->server_ns;
	st = proc_spawn(argv.v, &so, &p);
	strv_clear(&argv);
	if (st)
		return -1;
	p.sink = sink;
	st = proc_wait(&p, timeout_ns, ch->stop);
	if (st < 0)
		proc_kill(&p, NSEC_PER_SEC);
	if (out)
		strbuf_add(out, p.out.buf, p.out.len);
	proc_release(&p);
	return st;
}

static int guest_sh(struct channel *ch, const char *cmd, int64_t timeout_ns,
		    struct strbuf *out)
{
	return guest_sh_to(ch, cmd, timeout_ns, out, NULL);
}

static void ip_text(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
		 a & 255);
}

/*
 * The measured NIC is the one with our MAC (a distribution names it
 * its own way): address, MTU, no IPv6 chatter, up.
 */
static int configure_nic(struct channel *ch)
{
	struct strbuf cmd = STRBUF_INIT, out = STRBUF_INIT;
	char ip[32], mac[32];
	int st;

	ip_text(ch->ip, ip, sizeof(ip));
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", ch->mac[0],
		 ch->mac[1], ch->mac[2], ch->mac[3], ch->mac[4], ch->mac[5]);
	strbuf_addf(&cmd,
		    "set -e; i=; for d in /sys/class/net/*; do "
		    "[ \"$(cat $d/address)\" = %s ] && i=${d##*/}; done; "
		    "[ -n \"$i\" ] || { echo 'no NIC with MAC %s' >&2; exit 3; }; "
		    "sysctl -qw net.ipv6.conf.$i.disable_ipv6=1 || true; "
		    "ip link set dev $i mtu %u; ip addr flush dev $i; "
		    "ip addr add %s/%u dev $i; ip link set dev $i up; "
		    "%s --version",
		    mac, mac, ch->mtu, ip, ch->plen, ch->guest_bin);
	st = guest_sh(ch, cmd.buf, 30 * NSEC_PER_SEC, &out);
	if (!st) {
		out.buf[strcspn(out.buf, "\n")] = '\0';
		snprintf(ch->version, sizeof(ch->version), "%s", out.buf);
	}
	strbuf_release(&cmd);
	strbuf_release(&out);
	return st ? error("guest over ssh: cannot configure the NIC with MAC "
			  "%s, or no %s there (exit %d)",
			  mac, ch->guest_bin, st) :
		    0;
}

static int ssh_ch_open(struct channel *ch, int64_t timeout_ns)
{
	int64_t deadline = now_mono() + timeout_ns;

	/* sshd comes up late in a boot: retry until it lets us in */
	while (guest_sh(ch, "true", 10 * NSEC_PER_SEC, NULL)) {
		if (ch->stop && *ch->stop)
			return -EINTR;
		if (now_mono() > deadline)
			return -ETIMEDOUT;
		usleep(500000);
	}
	if (configure_nic(ch))
		return -1;
	ch->open = true;
	return 0;
}

static int ssh_ch_link(struct channel *ch, const char *mac, bool *up)
{
	struct strbuf cmd = STRBUF_INIT, out = STRBUF_INIT;
	int st;

	/* carrier of the NIC with mac; the loop's own status means nothing */
	strbuf_addf(&cmd,
		    "for d in /sys/class/net/*; do [ \"$(cat $d/address)\" = "
		    "%s ] && cat $d/carrier; done; exit 0",
		    mac);
	st = guest_sh(ch, cmd.buf, 10 * NSEC_PER_SEC, &out);
	*up = !st && out.buf[0] == '1';
	strbuf_release(&cmd);
	strbuf_release(&out);
	return st ? error("guest over ssh: cannot read link state") : 0;
}

/*
 * iovbench-guest ARGS, or a program of core/guest_prog.h (iperf3) as the
 * guest's PATH finds it: a user's image installs it its own way
 */
static void guest_command(struct channel *ch, const char *const *argv,
			  int argc, struct strbuf *cmd)
{
	int i = 0;

	if (guest_prog_find(argv[0]))
		strbuf_addquoted(cmd, argv[i++]);
	else
		strbuf_addquoted(cmd, ch->guest_bin);
	for (; i < argc; i++) {
		strbuf_addch(cmd, ' ');
		strbuf_addquoted(cmd, argv[i]);
	}
}

static int ssh_ch_run(struct channel *ch, const char *const *argv, int argc,
		      int64_t timeout_ns, int *exit, FILE *out)
{
	struct strbuf cmd = STRBUF_INIT;
	int st;

	guest_command(ch, argv, argc, &cmd);
	st = guest_sh_to(ch, cmd.buf, timeout_ns + 10 * NSEC_PER_SEC, NULL,
			 out);
	strbuf_release(&cmd);
	if (st < 0)
		return error("guest over ssh: '%s' did not finish", argv[0]);
	*exit = st;
	return 0;
}

/* A started process's output, in the guest, by its pid. */
#define STARTED_OUT "/tmp/iovbench-started."

static int ssh_ch_start(struct channel *ch, const char *const *argv,
			int argc, uint32_t *handle)
{
	struct strbuf cmd = STRBUF_INIT, inner = STRBUF_INIT,
		      out = STRBUF_INIT, ready = STRBUF_INIT;
	const struct guest_prog *gp = guest_prog_find(argv[0]);
	int st;

	/* when it serves: its first line, its ready text, or at once */
	if (!gp) {
		strbuf_addstr(&ready, "[ -s $f ]");
	} else if (guest_prog_serves(gp, argv, argc)) {
		strbuf_addstr(&ready, "grep -q ");
		strbuf_addquoted(&ready, gp->ready);
		strbuf_addstr(&ready, " $f 2>/dev/null");
	} else {
		strbuf_addstr(&ready, "kill -0 $p 2>/dev/null");
	}

	/*
	 * In the background, answering once its first line ("ready") is
	 * out. Its output file is named after its pid, for stop: by the sh
	 * that execs it, whose $$ is that pid. (Renaming the file after
	 * `&` raced with the background shell's creating it.)
	 */
	strbuf_addstr(&inner, "exec ");
	guest_command(ch, argv, argc, &inner);
	strbuf_addstr(&inner, " >" STARTED_OUT "$$ 2>&1 </dev/null");
	strbuf_addstr(&cmd, "sh -c ");
	strbuf_addquoted(&cmd, inner.buf);
	strbuf_addf(&cmd, " & p=$!; f=" STARTED_OUT "$p; "
			  "for t in $(seq 100); do "
			  "%s && { echo $p; exit 0; }; sleep 0.1; "
			  "done; kill $p; exit 1", ready.buf);
	st = guest_sh(ch, cmd.buf, 20 * NSEC_PER_SEC, &out);
	if (!st)
		*handle = (uint32_t)strtoul(out.buf, NULL, 10);
	strbuf_release(&cmd);
	strbuf_release(&inner);
	strbuf_release(&out);
	strbuf_release(&ready);
	return st ? error("guest over ssh: '%s' did not start", argv[0]) : 0;
}

static int ssh_ch_stop(struct channel *ch, uint32_t handle,
		       struct strbuf *out)
{
	char cmd[320];

	/* SIGTERM, up to 5 s to say what it did, then its output */
	snprintf(cmd, sizeof(cmd),
		 "kill %u; for t in $(seq 50); do kill -0 %u 2>/dev/null || "
		 "break; sleep 0.1; done; f=" STARTED_OUT "%u; "
		 "tail -n +2 $f; rm -f $f",
		 handle, handle, handle);
	return guest_sh(ch, cmd, 10 * NSEC_PER_SEC, out) ?
		       error("guest over ssh: cannot stop process %u", handle) :
		       0;
}

/*
 * Its whole output once it exited (not our child there: its status is
 * not known, 0 is said); exit 75 from the guest: it still runs.
 */
static int ssh_ch_wait(struct channel *ch, uint32_t handle,
		       int64_t timeout_ns, int *exit, struct strbuf *out)
{
	long tenths = (long)(timeout_ns / (100 * NSEC_PER_MSEC)) + 1;
	struct strbuf got = STRBUF_INIT;
	char cmd[320];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "for t in $(seq %ld); do kill -0 %u 2>/dev/null || break; "
		 "sleep 0.1; done; kill -0 %u 2>/dev/null && exit 75; "
		 "f=" STARTED_OUT "%u; cat $f; rm -f $f",
		 tenths, handle, handle, handle);
	st = guest_sh(ch, cmd, timeout_ns + 10 * NSEC_PER_SEC, &got);
	if (!st && out)
		strbuf_add(out, got.buf, got.len);
	strbuf_release(&got);
	if (st == 75)
		return -ETIMEDOUT;
	if (st)
		return error("guest over ssh: cannot wait for process %u",
			     handle);
	if (exit)
		*exit = 0;
	return 0;
}

static void ssh_ch_close(struct channel *ch)
{
	ch->open = false;
}

const struct channel_ops channel_ssh = {
	.name = "ssh",
	.open = ssh_ch_open,
	.link = ssh_ch_link,
	.run = ssh_ch_run,
	.start = ssh_ch_start,
	.stop = ssh_ch_stop,
	.wait = ssh_ch_wait,
	.close = ssh_ch_close,
};
