/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Child processes: spawned (optionally inside a network namespace and
 * pinned to CPUs), their stdout collected, waited for with a timeout, and
 * killed. Children get PR_SET_PDEATHSIG so that a runner killed with
 * SIGKILL does not leave them behind; `testbed down` catches the rest.
 */
#ifndef IOV_HOST_PROC_H
#define IOV_HOST_PROC_H

#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/strbuf.h"

struct spawn_opts {
	const char *netns; /* run inside this namespace; NULL: here */
	uint64_t cpus;	   /* CPU affinity mask; 0: inherit */
	bool capture;	   /* collect stdout (proc.out) */
	const char *log;   /* append stderr here; NULL: inherit */
	/*
	 * stdin a pipe from us, whose closing (proc_stop) is the request
	 * to stop: what ssh can pass on, where it cannot pass a signal
	 */
	bool stop_by_eof;
	/*
	 * with stop_by_eof: the pipe carries lines to the process itself
	 * (proc_write), whose EOF is its own stop; over ssh it is passed
	 * through instead of read by the stop watcher
	 */
	bool stdin_commands;
};

struct proc {
	pid_t pid;
	int out_fd;	    /* read end of stdout, or -1 */
	int in_fd;	    /* write end of stdin (stop_by_eof), or -1 */
	struct strbuf out;  /* what was read from stdout so far */
	FILE *sink;	    /* if set, stdout is written here as it comes
			     * instead of kept in out */
	int status;	    /* exit status once reaped, or -1 */
	bool asked;	    /* proc_ask_stop() was called */
};

/*
 * No process yet: what proc_release() and proc_kill() may be given
 * safely (a zeroed struct proc would have them close fd 0).
 */
void proc_init(struct proc *p);
/* Start argv; p is initialized first, also on failure. */
int proc_spawn(char *const argv[], const struct spawn_opts *o,
	       struct proc *p);
/*
 * Read stdout until a whole line is available (copied to line without the
 * newline, and removed from p->out). 0, -ETIMEDOUT, -EINTR (*stop set),
 * or -EPIPE (the process closed stdout or exited).
 */
int proc_read_line(struct proc *p, char *line, size_t len, int64_t timeout_ns,
		   volatile sig_atomic_t *stop);
/*
 * Collect stdout and wait for exit. Returns the exit status (0..255,
 * 128+N for signal N), -ETIMEDOUT, or -EINTR if *stop became set.
 * timeout_ns <= 0: no timeout.
 */
int proc_wait(struct proc *p, int64_t timeout_ns, volatile sig_atomic_t *stop);
/*
 * Read what stdout has now, without waiting (into out, or the sink): for
 * one who waits on another process while this one keeps writing. 1 at
 * EOF, 0, or -errno.
 */
int proc_drain(struct proc *p);
/* Not exited yet (an exited one is reaped: its status is kept). */
bool proc_running(struct proc *p);
/*
 * SIGTERM (stop_by_eof: close its stdin), then collect stdout (what it
 * says on its way out included) until it exits; SIGKILL after grace_ns.
 * Returns the exit status.
 */
int proc_stop(struct proc *p, int64_t grace_ns);
/* proc_stop()'s request alone, once: to stop several at a time. */
void proc_ask_stop(struct proc *p);
/*
 * Run argv to its end, at most timeout_ns (then killed), appending its
 * stdout to out if not NULL (o->capture is implied then). The exit
 * status (127: it could not be executed), -ETIMEDOUT, or -1 when it
 * could not be started.
 */
int proc_run(char *const argv[], const struct spawn_opts *o,
	     int64_t timeout_ns, struct strbuf *out);
/*
 * Write len bytes to its stdin (stop_by_eof: the pipe); 0, or -errno
 * (-EPIPE: it is gone, and its SIGPIPE does not reach us).
 */
int proc_write(struct proc *p, const char *buf, size_t len);
/* SIGTERM, then SIGKILL after grace_ns; reaps the process. */
void proc_kill(struct proc *p, int64_t grace_ns);
void proc_release(struct proc *p);

/* Kill every process in pids (SIGTERM, grace, SIGKILL); count killed. */
size_t proc_kill_pids(const pid_t *pids, size_t n, int64_t grace_ns);

#endif
