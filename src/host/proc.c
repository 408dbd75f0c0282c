// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/netns.h"
#include "util/error.h"
#include "util/time.h"

/* Only async-signal-safe calls between fork() and exec(). */
static void child(char *const argv[], const struct spawn_opts *o, int nsfd,
		  int in[2], int out[2], int logfd, pid_t parent)
{
	cpu_set_t set;
	int i;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent) /* the parent died before prctl */
		_exit(127);
	if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET))
		_exit(126);
	if (o->cpus) {
		CPU_ZERO(&set);
		for (i = 0; i < 64; i++) {
			if (o->cpus & (1ULL << i))
				CPU_SET(i, &set);
		}
		if (sched_setaffinity(0, sizeof(set), &set))
			_exit(125);
	}
	if (in[0] >= 0) {
		dup2(in[0], STDIN_FILENO);
		close(in[0]);
		close(in[1]);
	}
	if (out[1] >= 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
	}
	if (logfd >= 0) {
		dup2(logfd, STDERR_FILENO);
		close(logfd);
	}
	/* signals the runner ignores or catches must not leak */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	/* a bare name is looked up in PATH (qemu-system-x86_64) */
	if (strchr(argv[0], '/'))
		execv(argv[0], argv);
	else
		execvp(argv[0], argv);
	/* only async-signal-safe calls here: say it with write() */
	{
		static const char msg[] = "iovbench: cannot execute ";
		size_t n = strlen(argv[0]);

		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0 ||
		    write(STDERR_FILENO, argv[0], n) < 0 ||
		    write(STDERR_FILENO, "\n", 1) < 0)
			_exit(127);
	}
	_exit(127);
}

/*
 * A pipe whose ends are not stdin, stdout or stderr: started with one of
 * those closed, pipe2() would hand it out, and the child's dup2() onto
 * it and close() of the original would undo each other.
 */
static int pipe_above_stdio(int fds[2])
{
	int i;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	for (i = 0; i < 2; i++) {
		if (fds[i] <= STDERR_FILENO) {
			int fd = fcntl(fds[i], F_DUPFD_CLOEXEC, STDERR_FILENO + 1);

			if (fd < 0)
				return -1; /* the caller closes fds */
			close(fds[i]);
			fds[i] = fd;
		}
	}
	return 0;
}

void proc_init(struct proc *p)
{
	memset(p, 0, sizeof(*p));
	strbuf_init(&p->out);
	p->pid = -1;
	p->out_fd = -1;
	p->in_fd = -1;
	p->status = -1;
}

int proc_spawn(char *const argv[], const struct spawn_opts *o,
	       struct proc *p)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, nsfd = -1, logfd = -1;
	int ret = 0;
	pid_t parent = getpid(), pid;

	proc_init(p);
	if (o->netns) {
		nsfd = netns_open(o->netns);
		if (nsfd < 0) {
			errno = -nsfd;
			return error_errno("cannot open namespace '%s'",
					   o->netns);
		}
	}
	if (o->log) {
		logfd = open(o->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			     0644);
		if (logfd < 0) {
			ret = error_errno("cannot open log '%s'", o->log);
			goto close_ns;
		}
	}
	if ((o->capture && pipe_above_stdio(out)) ||
	    (o->stop_by_eof && pipe_above_stdio(in))) {
		ret = error_errno("cannot create a pipe");
		goto close_pipe;
	}
	pid = fork();
	if (pid < 0) {
		ret = error_errno("cannot fork");
		goto close_pipe;
	}
	if (pid == 0)
		child(argv, o, nsfd, in, out, logfd, parent);
	p->pid = pid;
	if (o->stop_by_eof) {
		p->in_fd = in[1];
		in[1] = -1;
	}
	if (o->capture) {
		p->out_fd = out[0];
		out[0] = -1;
		fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	}
close_pipe:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	if (logfd >= 0)
		close(logfd);
close_ns:
	if (nsfd >= 0)
		close(nsfd);
	return ret;
}

/* Read what stdout has now; 1 at EOF, 0 otherwise, -errno on error. */
static int drain(struct proc *p)
{
	for (;;) {
		ssize_t n;

		strbuf_grow(&p->out, 65536);
		n = read(p->out_fd, p->out.buf + p->out.len,
			 p->out.alloc - p->out.len - 1);
		if (n > 0 && p->sink) {
			/* streamed: the process's output is never held whole */
			if (fwrite(p->out.buf + p->out.len, 1, (size_t)n,
				   p->sink) != (size_t)n)
				return -EIO;
			continue;
		}
		if (n > 0) {
			p->out.len += (size_t)n;
			p->out.buf[p->out.len] = '\0';
			continue;
		}
		if (n == 0) {
			close(p->out_fd);
			p->out_fd = -1;
			return 1;
		}
		if (errno == EINTR)
			continue;
		return errno == EAGAIN ? 0 : -errno;
	}
}

int proc_drain(struct proc *p)
{
	return p->out_fd >= 0 ? drain(p) : 1;
}

static int decode_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 255;
}

static int try_reap(struct proc *p, int flags)
{
	int st;
	pid_t r;

	if (p->pid < 0 || p->status >= 0)
		return 1;
	do
		r = waitpid(p->pid, &st, flags);
	while (r < 0 && errno == EINTR && !(flags & WNOHANG));
	if (r == p->pid) {
		p->status = decode_status(st);
		return 1;
	}
	if (r < 0 && errno == ECHILD) {
		p->status = 255;
		return 1;
	}
	return 0;
}

/*
 * Wait up to ms for output or the process's exit, whichever comes first
 * (its pidfd is readable once it exited: no fixed sleep between the end
 * of a process and its reaping); returns -EINTR on *stop.
 */
static int wait_some(struct proc *p, int ms, volatile sig_atomic_t *stop)
{
	struct pollfd pfd[2] = {{.fd = p->out_fd, .events = POLLIN},
				{.fd = -1, .events = POLLIN}};

	if (stop && *stop)
		return -EINTR;
	if (p->pid > 0 && p->status < 0)
		pfd[1].fd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (p->out_fd >= 0 || pfd[1].fd >= 0)
		poll(pfd, 2, ms);
	else
		usleep((useconds_t)ms * 1000);
	if (pfd[1].fd >= 0)
		close(pfd[1].fd);
	return stop && *stop ? -EINTR : 0;
}

/* Up to ms for the process to exit (its pidfd), else a sleep. */
static void wait_exit(struct proc *p, int ms)
{
	struct pollfd pfd = {.fd = (int)syscall(SYS_pidfd_open, p->pid, 0),
			     .events = POLLIN};

	if (pfd.fd < 0) {
		usleep((useconds_t)ms * 1000);
		return;
	}
	poll(&pfd, 1, ms);
	close(pfd.fd);
}

int proc_read_line(struct proc *p, char *line, size_t len, int64_t timeout_ns,
		   volatile sig_atomic_t *stop)
{
	int64_t deadline = now_mono() + timeout_ns;

	for (;;) {
		char *nl = memchr(p->out.buf, '\n', p->out.len);
		int eof = 0;

		if (nl) {
			size_t n = (size_t)(nl - p->out.buf);

			snprintf(line, len, "%.*s", (int)n, p->out.buf);
			memmove(p->out.buf, nl + 1, p->out.len - n - 1);
			p->out.len -= n + 1;
			p->out.buf[p->out.len] = '\0';
			return 0;
		}
		if (p->out_fd >= 0) {
			eof = drain(p);
			if (eof < 0)
				return eof;
		}
		if (memchr(p->out.buf, '\n', p->out.len))
			continue;
		if (eof || p->out_fd < 0 || try_reap(p, WNOHANG))
			return -EPIPE;
		if (now_mono() > deadline)
			return -ETIMEDOUT;
		if (wait_some(p, 20, stop))
			return -EINTR;
	}
}

bool proc_running(struct proc *p)
{
	return !try_reap(p, WNOHANG);
}

int proc_wait(struct proc *p, int64_t timeout_ns, volatile sig_atomic_t *stop)
{
	int64_t deadline = now_mono() + timeout_ns;

	for (;;) {
		if (p->out_fd >= 0 && drain(p) < 0) {
			close(p->out_fd);
			p->out_fd = -1;
		}
		if (p->out_fd < 0 && try_reap(p, WNOHANG))
			return p->status;
		if (timeout_ns > 0 && now_mono() > deadline)
			return -ETIMEDOUT;
		if (wait_some(p, 50, stop))
			return -EINTR;
	}
}

static void close_stdin(struct proc *p)
{
	if (p->in_fd >= 0)
		close(p->in_fd);
	p->in_fd = -1;
}

int proc_write(struct proc *p, const char *buf, size_t len)
{
	const struct timespec zero = {0, 0};
	sigset_t pipe_set, old;
	ssize_t n;
	int ret = 0;

	if (p->in_fd < 0)
		return -EPIPE;
	/* a child gone must not kill us: EPIPE, and its SIGPIPE taken */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	while (len) {
		n = write(p->in_fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		buf += n;
		len -= (size_t)n;
	}
	if (ret == -EPIPE)
		sigtimedwait(&pipe_set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

void proc_kill(struct proc *p, int64_t grace_ns)
{
	int64_t deadline;

	close_stdin(p);
	if (p->pid < 0 || try_reap(p, WNOHANG))
		return;
	kill(p->pid, SIGTERM);
	deadline = now_mono() + grace_ns;
	while (now_mono() < deadline) {
		if (try_reap(p, WNOHANG))
			return;
		wait_exit(p, 10);
	}
	kill(p->pid, SIGKILL);
	try_reap(p, 0);
}

void proc_ask_stop(struct proc *p)
{
	if (p->pid < 0 || p->asked)
		return;
	p->asked = true;
	if (p->in_fd >= 0)
		close_stdin(p);
	else if (p->status < 0)
		kill(p->pid, SIGTERM);
}

int proc_stop(struct proc *p, int64_t grace_ns)
{
	int st;

	if (p->pid < 0)
		return p->status;
	proc_ask_stop(p);
	st = proc_wait(p, grace_ns, NULL);
	if (st != -ETIMEDOUT)
		return st;
	kill(p->pid, SIGKILL);
	return proc_wait(p, 0, NULL);
}

int proc_run(char *const argv[], const struct spawn_opts *o,
	     int64_t timeout_ns, struct strbuf *out)
{
	struct spawn_opts so = *o;
	struct proc p;
	int st;

	so.capture = so.capture || out;
	if (proc_spawn(argv, &so, &p))
		return -1;
	st = proc_wait(&p, timeout_ns, NULL);
	if (st == -ETIMEDOUT)
		proc_kill(&p, NSEC_PER_SEC);
	if (out)
		strbuf_add(out, p.out.buf, p.out.len);
	proc_release(&p);
	return st;
}

void proc_release(struct proc *p)
{
	close_stdin(p);
	if (p->out_fd >= 0)
		close(p->out_fd);
	p->out_fd = -1;
	strbuf_release(&p->out);
}

size_t proc_kill_pids(const pid_t *pids, size_t n, int64_t grace_ns)
{
	int64_t deadline = now_mono() + grace_ns;
	size_t i, alive, killed = 0;

	for (i = 0; i < n; i++) {
		if (!kill(pids[i], SIGTERM))
			killed++;
	}
	do {
		alive = 0;
		for (i = 0; i < n; i++) {
			/* reap our own children; others just vanish */
			waitpid(pids[i], NULL, WNOHANG);
			if (!kill(pids[i], 0))
				alive++;
		}
		if (alive)
			usleep(10000);
	} while (alive && now_mono() < deadline);
	for (i = 0; i < n && alive; i++) {
		if (!kill(pids[i], SIGKILL))
			waitpid(pids[i], NULL, 0);
	}
	return killed;
}
