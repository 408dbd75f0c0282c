// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Drives host/host.c's ssh backend against a real sshd on this machine's
 * loopback (tests/integration/host_ssh.sh sets it up), as a campaign
 * drives a real server: ops run there as `iovbench op`, a capture point
 * there (`iovbench capture`) and its report, a process spawned there, a server process stopped (ssh passes EOF, not signals)
 * with its last words back here, more socket forwards than one VM needs (QMP and agent
 * of three VMs), each carrying a byte both ways, their removal, a file
 * fetched, and the master connection's end. Prints what it did.
 *
 * usage: host_ssh DEST SSH_CONFIG IOVBENCH RUNDIR WORKDIR NETNS
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/capture_report.h"
#include "core/cpustat.h"
#include "host/host.h"
#include "host/op_run.h"
#include "util/time.h"

#define NSOCKETS 6
/* the namespace's own address (RFC 2544's range) */
#define ADDR "198.18.99.1"

static int unix_socket(const char *path, int listening)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0)
		return -1;
	if (listening ? bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
				listen(fd, 4) :
			connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A byte each way between a client of local and the listener there. */
static int carry(int listener, const char *local, char tag)
{
	int c = unix_socket(local, 0), s;
	char got = 0;

	if (c < 0)
		return -1;
	if (write(c, &tag, 1) != 1 || (s = accept(listener, NULL, NULL)) < 0) {
		close(c);
		return -1;
	}
	if (read(s, &got, 1) != 1 || got != tag || write(s, &tag, 1) != 1 ||
	    read(c, &got, 1) != 1 || got != tag)
		got = 0;
	close(s);
	close(c);
	return got == tag ? 0 : -1;
}

static int op(struct host *h, enum op_id id, const char *word,
	      const char *more)
{
	struct op o = {.id = id};
	int ret;

	strv_push(&o.words, word);
	for (; more && *more; more += strlen(more) + 1)
		strv_push(&o.words, more);
	ret = h->be->run_op(h, &o);
	op_release(&o);
	return ret;
}

/*
 * A capture point there, in namespace ns, around 20 probes to an
 * address of its loopback: the report comes back and parses, with each
 * probe's request seen going out and its reply coming in.
 */
static int capture_there(struct host *h, const char *ns, const char *iov)
{
	char *cap[] = {"iovbench", "capture", "-i", "lo", "--ready", NULL};
	char *probe[] = {(char *)iov, "probe", "-q", "-c", "20", "-r", "1k",
			 ADDR, NULL};
	struct spawn_opts so = {.netns = ns, .capture = true};
	struct spawn_opts here = {.netns = ns, .capture = true};
	struct capture_report rep;
	struct proc c, p;
	char line[64], why[128];
	size_t i, out = 0, in = 0;
	int st;

	if (h->be->spawn(h, cap, &so, &c) ||
	    proc_read_line(&c, line, sizeof(line), 20 * NSEC_PER_SEC, NULL) ||
	    strcmp(line, "ready"))
		return printf("capture did not start\n"), -1;
	if (proc_spawn(probe, &here, &p) ||
	    proc_wait(&p, 20 * NSEC_PER_SEC, NULL))
		return printf("probe failed\n"), -1;
	proc_release(&p);
	st = proc_stop(&c, 10 * NSEC_PER_SEC);
	if (st || capture_report_parse(c.out.buf, c.out.len, &rep, why,
				       sizeof(why)))
		return printf("capture: exit %d, bad report: %s\n", st, why),
		       -1;
	for (i = 0; i < rep.n; i++) {
		const struct capture_event *e = &rep.ev[i];

		out += e->f.request && e->outgoing && e->f.seq < 20;
		in += !e->f.request && !e->outgoing && e->f.seq < 20;
	}
	/* the preflight's probe (another session, seq 0) may add one */
	printf("capture: %s requests out, %s replies in\n",
	       out == 20 || out == 21 ? "20" : "not 20",
	       in == 20 || in == 21 ? "20" : "not 20");
	capture_report_release(&rep);
	proc_release(&c);
	return 0;
}

/*
 * A capture of many runs there (capture --runs), marked through ssh's
 * stdin: two runs of 20 probes, each run's report counts its own events
 * (in its file there), and EOF on stdin stops it with exit 0.
 */
static int capture_runs_there(struct host *h, const char *ns, const char *iov,
			      const char *dir)
{
	char *cap[] = {"iovbench", "capture", "-i", "lo", "--ready", "--runs",
		       NULL};
	char *probe[] = {(char *)iov, "probe", "-q", "-c", "20", "-r", "1k",
			 ADDR, NULL};
	struct spawn_opts so = {.netns = ns, .capture = true,
				.stop_by_eof = true, .stdin_commands = true};
	struct spawn_opts here = {.netns = ns, .capture = true};
	struct capture_report rep;
	struct strbuf text = STRBUF_INIT, cmd = STRBUF_INIT;
	struct proc c, p;
	char line[128], why[128];
	int run, st, ok = 0;

	if (h->be->spawn(h, cap, &so, &c) ||
	    proc_read_line(&c, line, sizeof(line), 20 * NSEC_PER_SEC, NULL) ||
	    strcmp(line, "ready"))
		return printf("capture --runs did not start\n"), -1;
	for (run = 0; run < 2; run++) {
		strbuf_reset(&cmd);
		strbuf_addf(&cmd, "begin 0 %s/run%d.events\n", dir, run);
		if (proc_write(&c, cmd.buf, cmd.len) ||
		    proc_read_line(&c, line, sizeof(line), 20 * NSEC_PER_SEC,
				   NULL) ||
		    strcmp(line, "begun"))
			return printf("capture --runs: no begin\n"), -1;
		if (proc_spawn(probe, &here, &p) ||
		    proc_wait(&p, 20 * NSEC_PER_SEC, NULL))
			return printf("probe failed\n"), -1;
		proc_release(&p);
		strbuf_reset(&text);
		if (proc_write(&c, "end\n", 4))
			return printf("capture --runs: gone\n"), -1;
		for (st = 0; st < 2; st++) {
			if (proc_read_line(&c, line, sizeof(line),
					   20 * NSEC_PER_SEC, NULL))
				return printf("capture --runs: no end\n"), -1;
			strbuf_addf(&text, "%s\n", line);
		}
		if (capture_report_parse(text.buf, text.len, &rep, why,
					 sizeof(why)))
			return printf("capture --runs: bad report: %s\n", why),
			       -1;
		/* lo sees each frame out and in: 20 probes' requests and
		 * replies are 80 events, and the preflight's add some; the
		 * run before's would make 160 */
		printf("capture --runs: run %d: %llu events\n", run,
		       (unsigned long long)rep.streamed);
		ok += rep.streamed >= 80 && rep.streamed < 160;
		capture_report_release(&rep);
	}
	st = proc_stop(&c, 10 * NSEC_PER_SEC);
	printf("capture --runs: %d of 2 runs with their own events, exit %d\n",
	       ok, st);
	proc_release(&c);
	strbuf_release(&text);
	strbuf_release(&cmd);
	return 0;
}

int main(int argc, char **argv)
{
	char remote[NSOCKETS][108], local[NSOCKETS][108], path[256];
	char *echo[] = {"iovbench", "--version", NULL};
	char *load[] = {"iovbench", "load", "cpu", "--duty", "5", "--ready",
			NULL};
	char line[64];
	struct strbuf text = STRBUF_INIT;
	struct cpu_snapshot snap;
	struct spawn_opts so = {.capture = true};
	int listeners[NSOCKETS], i, ok = 0;
	struct host h;
	struct proc p;

	if (argc != 7)
		return 2;
	host_init_ssh(&h, "sender", argv[1], argv[3], argv[2], argv[4]);

	if (op(&h, OP_NETNS_ADD, argv[6], NULL) ||
	    op(&h, OP_ADDR_ADD, argv[6], "lo\0" ADDR "/32\0"))
		return printf("op failed\n"), 1;
	snprintf(path, sizeof(path), "/run/netns/%s", argv[6]);
	printf("op: netns %s\n", access(path, F_OK) ? "missing" : "made");
	if (capture_there(&h, argv[6], argv[3]) ||
	    capture_runs_there(&h, argv[6], argv[3], argv[5]))
		return 1;
	if (op(&h, OP_NETNS_DEL, argv[6], NULL))
		return printf("op failed\n"), 1;

	if (h.be->spawn(&h, echo, &so, &p) || proc_wait(&p, 20 * NSEC_PER_SEC,
							NULL))
		return printf("spawn failed\n"), 1;
	printf("spawn: %s", strncmp(p.out.buf, "iovbench ", 9) ? "bad output\n" :
								 p.out.buf);
	proc_release(&p);

	/* a server process (background load) stopped as the runner does */
	if (h.be->spawn(&h, load, &so, &p) ||
	    proc_read_line(&p, line, sizeof(line), 20 * NSEC_PER_SEC, NULL) ||
	    strcmp(line, "ready"))
		return printf("load did not start\n"), 1;
	usleep(300000);
	i = proc_stop(&p, 5 * NSEC_PER_SEC);
	printf("stop: exit %d, %s", i,
	       strncmp(p.out.buf, "load cpu ", 9) ? "no report\n" : p.out.buf);
	proc_release(&p);

	/* the ssh client killed (the runner was): its session's EOF stops
	 * the process there too (host_ssh.sh looks for it) */
	if (h.be->spawn(&h, load, &so, &p) ||
	    proc_read_line(&p, line, sizeof(line), 20 * NSEC_PER_SEC, NULL))
		return printf("load did not start\n"), 1;
	kill(p.pid, SIGKILL);
	proc_wait(&p, 5 * NSEC_PER_SEC, NULL);
	proc_release(&p);

	for (i = 0; i < NSOCKETS; i++) {
		snprintf(remote[i], sizeof(remote[i]), "%s/r%d.sock", argv[5], i);
		snprintf(local[i], sizeof(local[i]), "%s/l%d.sock", argv[5], i);
		listeners[i] = unix_socket(remote[i], 1);
		if (listeners[i] < 0 || h.be->forward(&h, remote[i], local[i]))
			return printf("forward %d failed\n", i), 1;
	}
	for (i = 0; i < NSOCKETS; i++)
		ok += !carry(listeners[i], local[i], (char)('a' + i));
	printf("forward: %d of %d sockets carry\n", ok, NSOCKETS);

	host_drop_forwards(&h);
	for (ok = 0, i = 0; i < NSOCKETS; i++) {
		int fd = unix_socket(local[i], 0);

		ok += fd < 0;
		if (fd >= 0)
			close(fd);
		close(listeners[i]);
	}
	printf("drop: %d of %d forwards gone\n", ok, NSOCKETS);

	snprintf(path, sizeof(path), "%s/fetched", argv[5]);
	snprintf(remote[0], sizeof(remote[0]), "%s/ssh_config", argv[5]);
	snprintf(local[0], sizeof(local[0]), "%s/ssh_config.copy", argv[5]);
	if (h.be->get_file(&h, remote[0], local[0]))
		return printf("get_file failed\n"), 1;
	printf("get_file: ok\n");
	/* what the runner samples CPU usage from, and a file not there */
	if (h.be->read_file(&h, "/proc/stat", &text) ||
	    cpustat_parse(text.buf, text.len, &snap))
		return printf("read_file failed\n"), 1;
	printf("read_file: /proc/stat with %d cpus, missing file %s\n",
	       snap.ncpu,
	       h.be->read_file(&h, "/nonexistent/iovbench", &text) ? "refused" :
								      "read");
	cpustat_release(&snap);
	strbuf_release(&text);

	host_release(&h);
	printf("release: master %s\n",
	       access(h.control, F_OK) ? "gone" : "still there");
	return 0;
}
