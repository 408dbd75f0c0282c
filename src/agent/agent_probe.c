// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The agent's probe request: one run through the prober of the VM's
 * life. A prober per run (the run request) costs each run an exec of
 * iovbench-guest in the guest (under TCG, its first translation after a
 * boot too); this one is `iovbench-guest probe --serve`, started by the
 * first probe request and asked for each run on its stdin
 * (core/probe_serve.h). It writes a run's records to a FIFO that the
 * agent reads as they come and sends on as parts, so they are never
 * held whole here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/agent.h"
#include "core/probe_serve.h"
#include "util/error.h"
#include "util/time.h"

/* The prober must say "ready", and "begun" to a request, this fast. */
#define PROBER_ANSWER_NS (10 * NSEC_PER_SEC)
/* After its records end, the prober's "done N" must come this fast. */
#define PROBER_DONE_NS (5 * NSEC_PER_SEC)
/* The FIFO's name in /run, the agent's pid after it */
#define FIFO_PREFIX "iovbench-agent-probes."
/* The FIFO's buffer: ~10000 records (the default 64 KiB holds ~650) */
#define FIFO_BYTES (1 << 20)
/* How often the read of the records lets the started processes drain */
#define POLL_MS 100

/* FIFOs of agents that are gone (killed: a test's agent on a host) */
void agent_probe_clean(void)
{
	DIR *d = opendir("/run");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		const char *pid = e->d_name + strlen(FIFO_PREFIX);
		char path[300];

		if (strncmp(e->d_name, FIFO_PREFIX, strlen(FIFO_PREFIX)) ||
		    strspn(pid, "0123456789") != strlen(pid) || !*pid)
			continue;
		if (kill((pid_t)atoi(pid), 0) && errno == ESRCH) {
			snprintf(path, sizeof(path), "/run/%s", e->d_name);
			unlink(path);
		}
	}
	if (d)
		closedir(d);
}

void agent_probe_stop(struct agent *a)
{
	if (!a->prober_up)
		return;
	/* its stdin's end is its stop */
	proc_stop(&a->prober, NSEC_PER_SEC);
	proc_release(&a->prober);
	a->prober_up = false;
}

/* The prober up and ready; 0, or -1 with why. */
static int prober_ready(struct agent *a, char *why, size_t len)
{
	char *argv[] = {a->exe, "probe", "--serve", NULL};
	struct spawn_opts so = {
		.capture = true,
		.stop_by_eof = true,
		.stdin_commands = true,
	};
	char line[64];

	if (a->prober_up && proc_running(&a->prober))
		return 0;
	if (a->prober_up) {
		fprintf(stderr, "agent: the prober of this guest died "
				"(status %d): starting a new one\n",
			a->prober.status);
		agent_probe_stop(a);
	}
	if (proc_spawn(argv, &so, &a->prober)) {
		snprintf(why, len, "cannot start the prober");
		return -1;
	}
	a->prober_up = true;
	if (proc_read_line(&a->prober, line, sizeof(line), PROBER_ANSWER_NS,
			   NULL) ||
	    strcmp(line, "ready")) {
		agent_probe_stop(a);
		snprintf(why, len, "the prober did not say it was ready");
		return -1;
	}
	/* once per guest's life, unless it dies: tests count these */
	fprintf(stderr, "agent: the prober of this guest serves (pid %d)\n",
		(int)a->prober.pid);
	return 0;
}

/* "run KEY=VALUE... out=FIFO\n" from the request; -1 if out= is there */
static int request_line(const struct agent_request *r, const char *fifo,
			struct strbuf *line)
{
	int i;

	strbuf_addstr(line, "run");
	for (i = 0; i < r->argc; i++) {
		/* where the records go is the agent's to say */
		if (!strncmp(r->argv[i], "out=", 4))
			return -1;
		strbuf_addf(line, " %s", r->argv[i]);
	}
	strbuf_addf(line, " out=%s\n", fifo);
	return 0;
}

/* A new FIFO at path, open for reading (not blocking); -1 (errno). */
static int fifo_open(const char *path)
{
	int fd;

	if ((unlink(path) && errno != ENOENT) || mkfifo(path, 0600))
		return -1;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	/* deeper than 64 KiB: the prober writes each record as its probe
	 * ends and should not wait on the channel while it paces (where
	 * pipe-max-size allows; else the default) */
	if (fd >= 0)
		(void)fcntl(fd, F_SETPIPE_SZ, FIFO_BYTES);
	return fd;
}

/*
 * Copy the FIFO to parts until its writer closes it (1), the deadline
 * (0), or an error (-1).
 */
static int stream_records(struct agent *a, int fd, FILE *parts,
			  int64_t deadline)
{
	char buf[65536];

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int64_t left = deadline - now_mono();
		ssize_t n;

		if (left <= 0)
			return 0;
		if (poll(&p, 1, left / NSEC_PER_MSEC < POLL_MS ?
					(int)(left / NSEC_PER_MSEC) + 1 :
					POLL_MS) < 0 &&
		    errno != EINTR)
			return -1;
		agent_drain_started(a, NULL);
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 1;
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -1;
		}
		if (fwrite(buf, 1, (size_t)n, parts) != (size_t)n)
			return -1;
	}
}

int agent_probe_serve(struct agent *a, const struct agent_request *r)
{
	int64_t deadline = now_mono() + (int64_t)r->timeout_ms * NSEC_PER_MSEC;
	struct strbuf line = STRBUF_INIT;
	struct agent_parts ps;
	char fifo[64], answer[64], why[128] = "";
	FILE *parts = NULL;
	int fd = -1, st = -1, ret;

	snprintf(fifo, sizeof(fifo), "/run/" FIFO_PREFIX "%d", (int)getpid());
	if (request_line(r, fifo, &line))
		snprintf(why, sizeof(why), "out= is the agent's to set");
	else if (prober_ready(a, why, sizeof(why)))
		; /* why says */
	else if ((fd = fifo_open(fifo)) < 0)
		snprintf(why, sizeof(why), "cannot make the FIFO %s: %s", fifo,
			 strerror(errno));
	else if (!(parts = agent_parts_open(&ps, a, r->tag)))
		snprintf(why, sizeof(why), "no memory for the records");
	/* with a reader there, the prober's open of the FIFO returns */
	else if (proc_write(&a->prober, line.buf, line.len) ||
		 proc_read_line(&a->prober, answer, sizeof(answer),
				PROBER_ANSWER_NS, NULL))
		snprintf(why, sizeof(why), "the prober did not answer");
	else if (strcmp(answer, "begun"))
		st = 1; /* it refused the request: the console says why */
	else if ((ret = stream_records(a, fd, parts, deadline)) <= 0)
		snprintf(why, sizeof(why), ret ? "cannot read the records" :
						 "the prober timed out");
	else if (proc_read_line(&a->prober, answer, sizeof(answer),
				PROBER_DONE_NS, NULL))
		snprintf(why, sizeof(why), "the prober did not say it was done");
	else
		st = strncmp(answer, "done ", 5) ? 1 : 0;
	strbuf_release(&line);
	if (fd >= 0)
		close(fd);
	unlink(fifo);
	if (parts && fclose(parts) && !*why)
		return -1; /* the last part did not reach the host */
	if (*why) {
		/* a prober in an unknown state is not asked again */
		agent_probe_stop(a);
		return agent_say_err(a, r->tag, why);
	}
	return agent_say(a, "data %u %d 0", r->tag, st);
}
