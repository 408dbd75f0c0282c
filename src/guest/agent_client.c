// SPDX-License-Identifier: GPL-2.0-or-later
#include "guest/agent_client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/agent_proto.h"
#include "util/error.h"
#include "util/time.h"

/* How often hello is repeated while the guest boots. */
#define HELLO_EVERY_NS (500 * NSEC_PER_MSEC)

static int stopped(const struct agent_client *a)
{
	return a->stop && *a->stop;
}

static int send_all(struct agent_client *a, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(a->fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error_errno("agent: cannot send");
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read more into a->in until deadline; 0, -ETIMEDOUT, -EINTR, -EPIPE. */
static int fill(struct agent_client *a, int64_t deadline)
{
	struct pollfd p = {.fd = a->fd, .events = POLLIN};
	int64_t left = deadline - now_mono();
	ssize_t n;

	if (left <= 0)
		return -ETIMEDOUT;
	if (stopped(a))
		return -EINTR;
	if (poll(&p, 1, (int)(left / NSEC_PER_MSEC) + 1) <= 0)
		return stopped(a) ? -EINTR : 0;
	strbuf_grow(&a->in, 65536);
	n = recv(a->fd, a->in.buf + a->in.len, a->in.alloc - a->in.len - 1, 0);
	if (n < 0)
		return errno == EINTR ? 0 : -EPIPE;
	if (n == 0)
		return -EPIPE;
	a->in.len += (size_t)n;
	a->in.buf[a->in.len] = '\0';
	return 0;
}

static void consume(struct agent_client *a, size_t n)
{
	a->in.len -= n;
	memmove(a->in.buf, a->in.buf + n, a->in.len + 1);
}

/* A reply's n bytes, once in a->in, to out or sink (or neither). */
static int take_bytes(struct agent_client *a, size_t n, struct strbuf *out,
		      FILE *sink, int64_t deadline)
{
	int ret;

	while (a->in.len < n) {
		ret = fill(a, deadline);
		if (ret)
			return ret;
	}
	if (out)
		strbuf_add(out, a->in.buf, n);
	if (sink && fwrite(a->in.buf, 1, n, sink) != n)
		return error_errno("agent: cannot keep the guest's output"),
		       -EIO;
	consume(a, n);
	return 0;
}

/*
 * The reply to tag (earlier replies, e.g. to a hello repeated while the
 * guest booted, are skipped); the bytes of its parts and of its data
 * reply go to out or sink. A part is at most AGENT_MAX_PART, so a run's
 * output is never held whole here.
 */
static int wait_reply(struct agent_client *a, uint32_t tag,
		      struct agent_reply *r, struct strbuf *out, FILE *sink,
		      int64_t deadline)
{
	for (;;) {
		char *nl = memchr(a->in.buf, '\n', a->in.len);
		int ret;

		if (nl) {
			size_t n = (size_t)(nl - a->in.buf) + 1;
			bool ours;

			*nl = '\0';
			if (agent_parse_reply(a->in.buf, r)) {
				error("agent: unreadable reply '%.80s'",
				      a->in.buf);
				consume(a, n);
				return -EPROTO;
			}
			consume(a, n);
			ours = r->tag == tag;
			if (r->kind == AGENT_DATA || r->kind == AGENT_PART) {
				ret = take_bytes(a, (size_t)r->len,
						 ours ? out : NULL,
						 ours ? sink : NULL, deadline);
				if (ret)
					return ret;
			}
			if (ours && r->kind != AGENT_PART)
				return 0;
			continue;
		}
		if (a->in.len > AGENT_MAX_LINE)
			return error("agent: reply line too long"), -EPROTO;
		ret = fill(a, deadline);
		if (ret)
			return ret;
	}
}

static int request(struct agent_client *a, enum agent_verb verb,
		   uint32_t number, const char *const *argv, int argc,
		   int64_t timeout_ns, struct agent_reply *r,
		   struct strbuf *out, FILE *sink)
{
	struct strbuf req = STRBUF_INIT;
	uint32_t tag = ++a->tag;
	int ret;

	if (agent_format_request(&req, verb, tag, number, argv, argc)) {
		strbuf_release(&req);
		return error("agent: an argument is not a plain word");
	}
	ret = send_all(a, req.buf, req.len);
	strbuf_release(&req);
	if (ret)
		return ret;
	ret = wait_reply(a, tag, r, out, sink, now_mono() + timeout_ns);
	if (ret == -ETIMEDOUT)
		return error("agent: no answer to '%s' within %.1f s",
			     agent_verb_name(verb), timeout_ns / 1e9),
		       -ETIMEDOUT;
	if (ret == -EPIPE)
		return error("agent: the guest closed the channel"), -EPIPE;
	if (ret)
		return ret;
	if (r->kind == AGENT_ERR)
		return error("agent: %s: %s", agent_verb_name(verb), r->text);
	return 0;
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int agent_open(struct agent_client *a, const char *path, int64_t timeout_ns,
	       volatile sig_atomic_t *stop)
{
	int64_t deadline = now_mono() + timeout_ns;
	struct agent_reply r;
	int ret;

	memset(a, 0, sizeof(*a));
	strbuf_init(&a->in);
	a->stop = stop;
	/* QEMU creates the socket soon after it starts */
	while ((a->fd = connect_unix(path)) < 0) {
		if (stopped(a))
			return -EINTR;
		if (now_mono() > deadline)
			return -ETIMEDOUT;
		usleep(50000);
	}
	/*
	 * Until the guest's agent opens its port, what we send is lost:
	 * repeat hello; answers to earlier hellos are skipped by tag.
	 */
	for (;;) {
		struct strbuf req = STRBUF_INIT;
		uint32_t tag = ++a->tag;
		int64_t until = now_mono() + HELLO_EVERY_NS;

		if (until > deadline)
			until = deadline;
		agent_format_request(&req, AGENT_HELLO, tag, 0, NULL, 0);
		ret = send_all(a, req.buf, req.len);
		strbuf_release(&req);
		if (ret)
			return ret;
		ret = wait_reply(a, tag, &r, NULL, NULL, until);
		if (!ret && r.kind == AGENT_OK) {
			snprintf(a->version, sizeof(a->version), "%.63s", r.text);
			return 0;
		}
		if (ret == -EINTR)
			return -EINTR;
		if (ret == -EPIPE)
			return error("agent: QEMU closed '%s'", path), -EPIPE;
		/* quiet: a booting guest is polled; the caller says more */
		if (now_mono() >= deadline)
			return -ETIMEDOUT;
	}
}

void agent_close(struct agent_client *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	strbuf_release(&a->in);
}

int agent_link(struct agent_client *a, const char *ifname, bool *up,
	       int64_t timeout_ns)
{
	struct agent_reply r;
	int ret = request(a, AGENT_LINK, 0, &ifname, 1, timeout_ns, &r, NULL,
			  NULL);

	if (!ret)
		*up = !strcmp(r.text, "up");
	return ret;
}

int agent_counters(struct agent_client *a, const char *ifname, uint64_t v[4],
		   int64_t timeout_ns)
{
	struct agent_reply r;
	unsigned long long x[4];
	int ret = request(a, AGENT_COUNTERS, 0, &ifname, 1, timeout_ns, &r,
			  NULL, NULL);
	int i;

	if (ret)
		return ret;
	if (sscanf(r.text, "%llu %llu %llu %llu", &x[0], &x[1], &x[2],
		   &x[3]) != 4)
		return error("agent: counters: unreadable answer '%.80s'",
			     r.text);
	for (i = 0; i < 4; i++)
		v[i] = x[i];
	return 0;
}

/* run and probe: the output streamed to out, then the exit status */
static int run_streamed(struct agent_client *a, enum agent_verb verb,
			const char *const *argv, int argc, int64_t timeout_ns,
			int *exit, FILE *out)
{
	struct agent_reply r;
	/* the guest enforces the run's own timeout; we wait a bit longer */
	uint32_t ms = (uint32_t)(timeout_ns / NSEC_PER_MSEC);
	int ret = request(a, verb, ms, argv, argc,
			  timeout_ns + 10 * NSEC_PER_SEC, &r, NULL, out);

	if (!ret && r.kind != AGENT_DATA)
		return error("agent: %s answered without data",
			     agent_verb_name(verb));
	if (!ret)
		*exit = r.exit;
	return ret;
}

int agent_run(struct agent_client *a, const char *const *argv, int argc,
	      int64_t timeout_ns, int *exit, FILE *out)
{
	return run_streamed(a, AGENT_RUN, argv, argc, timeout_ns, exit, out);
}

int agent_probe(struct agent_client *a, const char *const *kv, int n,
		int64_t timeout_ns, int *exit, FILE *out)
{
	return run_streamed(a, AGENT_PROBE, kv, n, timeout_ns, exit, out);
}

int agent_start(struct agent_client *a, const char *const *argv, int argc,
		int64_t timeout_ns, uint32_t *handle)
{
	struct agent_reply r;
	int ret = request(a, AGENT_START, 0, argv, argc, timeout_ns, &r, NULL,
			  NULL);

	if (!ret)
		*handle = (uint32_t)strtoul(r.text, NULL, 10);
	return ret;
}

int agent_stop(struct agent_client *a, uint32_t handle, int64_t timeout_ns,
	       int *exit, struct strbuf *out)
{
	struct agent_reply r;
	int ret = request(a, AGENT_STOP, handle, NULL, 0, timeout_ns, &r, out,
			  NULL);

	if (ret)
		return ret;
	if (r.kind != AGENT_DATA)
		return error("agent: stop: the guest's agent is too old "
			     "(no output)");
	if (exit)
		*exit = r.exit;
	return 0;
}

int agent_wait(struct agent_client *a, uint32_t handle, int64_t timeout_ns,
	       int *exit, struct strbuf *out)
{
	struct agent_reply r;
	char ms[16];
	const char *w[] = {ms};
	int ret;

	/* the guest waits timeout_ns; the answer may take a bit longer */
	r.kind = AGENT_OK;
	r.text[0] = '\0';
	snprintf(ms, sizeof(ms), "%u",
		 (uint32_t)(timeout_ns / NSEC_PER_MSEC));
	ret = request(a, AGENT_WAIT, handle, w, 1, timeout_ns +
			  10 * NSEC_PER_SEC, &r, out, NULL);
	if (ret && r.kind == AGENT_ERR && !strcmp(r.text, "still running"))
		return -ETIMEDOUT;
	if (ret)
		return ret;
	if (r.kind != AGENT_DATA)
		return error("agent: wait answered without data");
	if (exit)
		*exit = r.exit;
	return 0;
}
