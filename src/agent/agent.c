// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest agent (iovbench-guest agent): serves the host's requests
 * (core/agent_proto.h) on the virtio-serial port named AGENT_PORT_NAME,
 * so that the host can start the prober and the reflector in the guest
 * and collect their output without using the network being measured.
 *
 * It runs only iovbench-guest itself (probe and hygiene for `run`, reflect for
 * `start`) and the programs of core/guest_prog.h's table (iperf3), one
 * request at a time; what started processes print is read between and
 * during requests, so that a chatty one never blocks on a full pipe
 * while the agent waits on another. Its own messages go to stderr, which
 * the image's /init points at the serial console, so they end up in the
 * console log the host keeps with the run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "agent/agent.h"
#include "cmd/cmd.h"
#include "core/agent_proto.h"
#include "core/guest_prog.h"
#include "host/proc.h"
#include "iov_config.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/time.h"

/* A started process must print its first line (e.g. "ready") this fast. */
#define START_READY_NS (10 * NSEC_PER_SEC)
/* How often a wait on one process reads the others' output */
#define DRAIN_SLICE_NS (100 * NSEC_PER_MSEC)

/* /dev/vportNpM whose /sys/class/virtio-ports/vportNpM/name is ours. */
static int find_port(char *path, size_t len)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	int found = 0;

	if (!d)
		return error_errno("no virtio-serial ports "
				   "(/sys/class/virtio-ports)");
	while (!found && (e = readdir(d))) {
		struct strbuf name = STRBUF_INIT;
		char p[PATH_MAX];

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/sys/class/virtio-ports/%s/name",
			 e->d_name);
		if (!strbuf_read_file(&name, p, 4096) &&
		    !strncmp(name.buf, AGENT_PORT_NAME,
			     strlen(AGENT_PORT_NAME))) {
			snprintf(path, len, "/dev/%s", e->d_name);
			found = 1;
		}
		strbuf_release(&name);
	}
	closedir(d);
	return found ? 0 :
		       error("no virtio-serial port named '%s'",
			     AGENT_PORT_NAME);
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return error("socket path '%s' is too long", path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		error_errno("cannot connect to '%s'", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int agent_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};

			poll(&p, 1, 100);
			continue;
		}
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int agent_say(struct agent *a, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addch(&sb, '\n');
	ret = agent_write_all(a->fd, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

int agent_say_err(struct agent *a, uint32_t tag, const char *msg)
{
	char clean[512];
	size_t i;

	/* an error message is one line */
	snprintf(clean, sizeof(clean), "%s", msg);
	for (i = 0; clean[i]; i++) {
		if (clean[i] == '\n' || clean[i] == '\r')
			clean[i] = ' ';
	}
	return agent_say(a, "err %u %s", tag, clean);
}

static int do_link(struct agent *a, const struct agent_request *r)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX];
	int up, ret;

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", r->argv[0]);
	/* carrier reads EINVAL while the link is down: that is "down" */
	ret = strbuf_read_file(&sb, path, 64);
	if (ret == -ENOENT) {
		strbuf_release(&sb);
		return agent_say_err(a, r->tag, "no such interface");
	}
	up = !ret && sb.buf[0] == '1';
	strbuf_release(&sb);
	return agent_say(a, "ok %u %s", r->tag, up ? "up" : "down");
}

/*
 * An interface's statistics, as the guest's kernel counts them: for the
 * throughput meter's cross-check at the VM's own NIC.
 */
static int do_counters(struct agent *a, const struct agent_request *r)
{
	static const char *const names[] = {"rx_bytes", "rx_packets",
					    "tx_bytes", "tx_packets"};
	unsigned long long v[4];
	size_t i;

	/* a name, not a path: nothing but /sys/class/net/NAME */
	if (strchr(r->argv[0], '/') || r->argv[0][0] == '.')
		return agent_say_err(a, r->tag, "not an interface name");
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct strbuf sb = STRBUF_INIT;
		char path[PATH_MAX], *end;
		int ret;

		snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
			 r->argv[0], names[i]);
		ret = strbuf_read_file(&sb, path, 64);
		v[i] = ret ? 0 : strtoull(sb.buf, &end, 10);
		if (!ret && (end == sb.buf || (*end && *end != '\n')))
			ret = -EINVAL;
		strbuf_release(&sb);
		if (ret)
			return agent_say_err(a, r->tag, ret == -ENOENT ?
					     "no such interface" :
					     "cannot read its statistics");
	}
	return agent_say(a, "ok %u %llu %llu %llu %llu", r->tag, v[0], v[1],
			 v[2], v[3]);
}

/* Read what the started processes printed so far (not skip: waited on) */
void agent_drain_started(struct agent *a, const struct proc *skip)
{
	size_t h;

	for (h = 0; h < MAX_STARTED; h++) {
		if (a->used[h] && &a->started[h] != skip)
			proc_drain(&a->started[h]);
	}
}

/*
 * proc_wait() on p in slices, reading the started processes' output in
 * between: the exit status, or -ETIMEDOUT.
 */
static int wait_draining(struct agent *a, struct proc *p, int64_t timeout_ns)
{
	int64_t deadline = now_mono() + timeout_ns;

	for (;;) {
		int64_t left = deadline - now_mono();
		int st;

		if (left <= 0)
			left = 1;
		st = proc_wait(p, left < DRAIN_SLICE_NS ? left :
							  DRAIN_SLICE_NS,
			       NULL);
		agent_drain_started(a, p);
		if (st != -ETIMEDOUT || now_mono() >= deadline)
			return st;
	}
}

/* argv for iovbench-guest with the request's words. */
static void child_argv(struct agent *a, const struct agent_request *r,
		       char **argv)
{
	int i;

	argv[0] = a->exe;
	for (i = 0; i < r->argc; i++)
		argv[i + 1] = r->argv[i];
	argv[r->argc + 1] = NULL;
}

/*
 * A run's output goes to the host in parts as it comes (a stdio stream
 * whose buffer is one part), so that a long run's records are never
 * held whole, here nor on the host.
 */
#define PART_BYTES (64u << 10)

static ssize_t part_write(void *cookie, const char *buf, size_t len)
{
	struct agent_parts *ps = cookie;
	size_t left = len;

	while (left) {
		size_t n = left < AGENT_MAX_PART ? left : AGENT_MAX_PART;

		if (agent_say(ps->a, "part %u %zu", ps->tag, n) ||
		    agent_write_all(ps->a->fd, buf, n))
			return -1;
		buf += n;
		left -= n;
	}
	return (ssize_t)len;
}

FILE *agent_parts_open(struct agent_parts *ps, struct agent *a, uint32_t tag)
{
	FILE *f;

	ps->a = a;
	ps->tag = tag;
	f = fopencookie(ps, "w", (cookie_io_functions_t){.write = part_write});
	if (f && setvbuf(f, NULL, _IOFBF, PART_BYTES)) {
		fclose(f);
		f = NULL;
	}
	return f;
}

static int do_run(struct agent *a, const struct agent_request *r)
{
	char *argv[AGENT_MAX_WORDS + 2];
	struct spawn_opts so = {.capture = true};
	struct agent_parts ps;
	struct proc p;
	FILE *parts;
	int st, ret;

	/* the prober, and the settings of the VM's links (the hygiene
	 * meter's, runner/meter_hygiene.c) */
	if (strcmp(r->argv[0], "probe") && strcmp(r->argv[0], "hygiene"))
		return agent_say_err(a, r->tag, "run takes only 'probe' and "
						"'hygiene'");
	parts = agent_parts_open(&ps, a, r->tag);
	if (!parts)
		return agent_say_err(a, r->tag, "no memory for the output");
	child_argv(a, r, argv);
	if (proc_spawn(argv, &so, &p)) {
		fclose(parts);
		return agent_say_err(a, r->tag, "cannot start the prober");
	}
	p.sink = parts;
	st = wait_draining(a, &p, (int64_t)r->timeout_ms * NSEC_PER_MSEC);
	if (st < 0) {
		proc_kill(&p, NSEC_PER_SEC);
		proc_release(&p);
		fclose(parts);
		return agent_say_err(a, r->tag, "the prober timed out");
	}
	/* the last part, then the end: its status, no more bytes */
	ret = fclose(parts) ? -1 : agent_say(a, "data %u %d 0", r->tag, st);
	proc_release(&p);
	return ret;
}

/* What start may run: servers that say "ready" once they serve. */
static const char *const startable[] = {"reflect", "load", "loadgen",
					"macswap"};

/*
 * A program of guest_prog_table: its path in the image for argv[0]; a
 * server is ready at the line containing its ready text, a client at
 * once. 0, or 1 after the error reply.
 */
static int start_prog(struct agent *a, const struct agent_request *r,
		      const struct guest_prog *gp, struct proc *p)
{
	char *argv[AGENT_MAX_WORDS + 2], line[256], msg[256];
	struct spawn_opts so = {.capture = true};
	int64_t end = now_mono() + START_READY_NS;
	int i, ret;

	if (access(gp->path, X_OK)) {
		snprintf(msg, sizeof(msg), "no %s in this guest: the image was "
			 "built on a host without package %s (install it and "
			 "build the image again)", gp->path, gp->package);
		agent_say_err(a, r->tag, msg);
		return 1;
	}
	argv[0] = (char *)gp->path;
	for (i = 1; i < r->argc; i++)
		argv[i] = r->argv[i];
	argv[r->argc] = NULL;
	if (proc_spawn(argv, &so, p)) {
		agent_say_err(a, r->tag, "cannot start it");
		return 1;
	}
	if (!guest_prog_serves(gp, (const char *const *)r->argv, r->argc))
		return 0;
	do {
		ret = proc_read_line(p, line, sizeof(line), end - now_mono(),
				     NULL);
		if (!ret && strstr(line, gp->ready))
			return 0;
	} while (!ret && now_mono() < end);
	proc_kill(p, NSEC_PER_SEC);
	proc_release(p);
	snprintf(msg, sizeof(msg), "%s did not print '%s'", gp->name,
		 gp->ready);
	agent_say_err(a, r->tag, msg);
	return 1;
}

static int do_start(struct agent *a, const struct agent_request *r)
{
	char *argv[AGENT_MAX_WORDS + 2], line[256];
	struct spawn_opts so = {.capture = true};
	const struct guest_prog *gp = guest_prog_find(r->argv[0]);
	uint32_t h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(startable); i++) {
		if (!strcmp(r->argv[0], startable[i]))
			break;
	}
	if (i == ARRAY_SIZE(startable) && !gp)
		return agent_say_err(a, r->tag, "start takes only 'reflect', "
						"'load', 'loadgen', 'macswap' or "
						"a program of the image (iperf3)");
	for (h = 0; h < MAX_STARTED && a->used[h]; h++)
		;
	if (h == MAX_STARTED)
		return agent_say_err(a, r->tag, "too many started processes");
	if (gp) {
		if (start_prog(a, r, gp, &a->started[h]))
			return 0;
		a->used[h] = true;
		return agent_say(a, "ok %u %u", r->tag, h);
	}
	child_argv(a, r, argv);
	if (proc_spawn(argv, &so, &a->started[h]))
		return agent_say_err(a, r->tag, "cannot start it");
	/* its first line ("ready") says it is serving */
	if (proc_read_line(&a->started[h], line, sizeof(line), START_READY_NS,
			   NULL)) {
		proc_kill(&a->started[h], NSEC_PER_SEC);
		proc_release(&a->started[h]);
		return agent_say_err(a, r->tag, "it did not say it was ready");
	}
	a->used[h] = true;
	return agent_say(a, "ok %u %u", r->tag, h);
}

/*
 * Wait for a started process to end by itself (an iperf3 client at the
 * end of its test): its status and whole output, and its handle is
 * free; if it still runs after the timeout, an error and it runs on.
 */
static int do_wait(struct agent *a, const struct agent_request *r)
{
	struct proc *p;
	int st, ret;

	if (r->handle >= MAX_STARTED || !a->used[r->handle])
		return agent_say_err(a, r->tag, "no such handle");
	p = &a->started[r->handle];
	st = wait_draining(a, p, (int64_t)r->timeout_ms * NSEC_PER_MSEC);
	if (st < 0)
		return agent_say_err(a, r->tag, "still running");
	ret = agent_say(a, "data %u %d %zu", r->tag, st, p->out.len);
	if (!ret)
		ret = agent_write_all(a->fd, p->out.buf, p->out.len);
	proc_release(p);
	a->used[r->handle] = false;
	return ret;
}

/* Stop a started process; its output since "ready" is the reply's data. */
static int do_stop(struct agent *a, const struct agent_request *r)
{
	struct proc *p;
	int st, ret;

	if (r->handle >= MAX_STARTED || !a->used[r->handle])
		return agent_say_err(a, r->tag, "no such handle");
	p = &a->started[r->handle];
	st = proc_stop(p, NSEC_PER_SEC);
	ret = agent_say(a, "data %u %d %zu", r->tag, st, p->out.len);
	if (!ret)
		ret = agent_write_all(a->fd, p->out.buf, p->out.len);
	proc_release(p);
	a->used[r->handle] = false;
	return ret;
}

static int serve(struct agent *a, const char *line)
{
	struct agent_request r;
	char why[128];

	if (agent_parse_request(line, &r, why, sizeof(why))) {
		/* the tag, if there is one, is the second word */
		const char *sp = strchr(line, ' ');
		uint32_t tag = sp ? (uint32_t)strtoul(sp + 1, NULL, 10) : 0;

		return agent_say_err(a, tag, why);
	}
	switch (r.verb) {
	case AGENT_HELLO:
		return agent_say(a, "ok %u iovbench-guest %s", r.tag,
				 IOV_VERSION);
	case AGENT_LINK:
		return do_link(a, &r);
	case AGENT_RUN:
		return do_run(a, &r);
	case AGENT_START:
		return do_start(a, &r);
	case AGENT_STOP:
		return do_stop(a, &r);
	case AGENT_WAIT:
		return do_wait(a, &r);
	case AGENT_COUNTERS:
		return do_counters(a, &r);
	case AGENT_PROBE:
		return agent_probe_serve(a, &r);
	case AGENT_VERB_COUNT:
		break;
	}
	return agent_say_err(a, r.tag, "unknown request");
}

/*
 * Read requests forever. While the host is not connected, a virtio-serial
 * port reports POLLHUP: wait and look again (the host may connect, go
 * away between setups and come back).
 */
static int loop(struct agent *a, int reconnectable)
{
	for (;;) {
		struct pollfd pfd[1 + MAX_STARTED];
		struct pollfd p = {.fd = a->fd, .events = POLLIN};
		size_t h, npfd = 1;
		char *nl;
		ssize_t n;

		while ((nl = memchr(a->in.buf, '\n', a->in.len))) {
			*nl = '\0';
			if (serve(a, a->in.buf))
				warning("agent: cannot answer the host");
			a->in.len -= (size_t)(nl + 1 - a->in.buf);
			memmove(a->in.buf, nl + 1, a->in.len + 1);
		}
		if (a->in.len > AGENT_MAX_LINE) {
			warning("agent: dropping an overlong request");
			strbuf_reset(&a->in);
		}
		/* started processes' output is read as it comes */
		pfd[0] = p;
		for (h = 0; h < MAX_STARTED; h++) {
			if (a->used[h] && a->started[h].out_fd >= 0)
				pfd[npfd++] = (struct pollfd){
					.fd = a->started[h].out_fd,
					.events = POLLIN};
		}
		if (poll(pfd, npfd, 1000) < 0 && errno != EINTR)
			return error_errno("agent: poll");
		agent_drain_started(a, NULL);
		p.revents = pfd[0].revents;
		if (!(p.revents & POLLIN)) {
			if (p.revents & (POLLHUP | POLLERR)) {
				if (!reconnectable)
					return 0;
				usleep(100000);
			}
			continue;
		}
		strbuf_grow(&a->in, 4096);
		n = read(a->fd, a->in.buf + a->in.len, 4096);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			if (!reconnectable)
				return 0;
			usleep(100000);
			continue;
		}
		a->in.len += (size_t)n;
		a->in.buf[a->in.len] = '\0';
	}
}

static int agent_main(struct cmd_ctx *ctx)
{
	const char *device = NULL, *sock = NULL;
	char found[PATH_MAX];
	struct agent a;
	ssize_t len;
	int ret;
	const struct option_spec options[] = {
		OPT_STRING('d', "device", &device, "PATH",
			   "serve on this port instead of the one named "
			   "'" AGENT_PORT_NAME "'"),
		OPT_STRING('c', "connect", &sock, "SOCKET",
			   "serve on this unix socket (for tests)"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	memset(&a, 0, sizeof(a));
	strbuf_init(&a.in);
	len = readlink("/proc/self/exe", a.exe, sizeof(a.exe) - 1);
	if (len < 0)
		return error_errno("cannot find my own binary"), EXIT_FAIL;
	a.exe[len] = '\0';
	if (sock) {
		a.fd = connect_unix(sock);
	} else {
		if (!device && find_port(found, sizeof(found)))
			return EXIT_FAIL;
		if (!device)
			device = found;
		a.fd = open(device, O_RDWR | O_CLOEXEC | O_NONBLOCK);
		if (a.fd < 0)
			error_errno("cannot open '%s'", device);
	}
	if (a.fd < 0)
		return EXIT_FAIL;
	agent_probe_clean();
	fprintf(stderr, "iovbench-guest agent %s: serving on %s\n",
		IOV_VERSION, sock ? sock : device);
	ret = loop(&a, !sock);
	agent_probe_stop(&a);
	close(a.fd);
	strbuf_release(&a.in);
	return ret ? EXIT_FAIL : EXIT_OK;
}

const struct command cmd_agent = {
	.name = "agent",
	.summary = "serve the host's requests on a virtio-serial port",
	.flags = CMD_GUEST,
	.fn = agent_main,
	.usage = "iovbench-guest agent [--device PATH | --connect SOCKET]",
	.doc = "Serve the host's requests on the virtio-serial port named\n"
	       "'" AGENT_PORT_NAME "' (found in /sys/class/virtio-ports), or "
	       "on\n"
	       "--device PATH, or on the unix socket --connect SOCKET (for "
	       "tests).\n",
	/* what follows the options was never looked at */
	.max_args = -1,
};
