// SPDX-License-Identifier: GPL-2.0-or-later
#include "guest/qmp.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/error.h"
#include "util/time.h"

/* QMP messages are single lines; a larger one is not QEMU talking. */
#define QMP_MAX_LINE (1 << 20)

enum qmp_kind qmp_classify(const char *line, size_t len, char *desc,
			   size_t desclen)
{
	json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	enum qmp_kind k = QMP_UNKNOWN;
	json_t *err;

	if (desc && desclen)
		desc[0] = '\0';
	if (!j || !json_is_object(j))
		goto out;
	if (json_object_get(j, "QMP")) {
		k = QMP_GREETING;
	} else if (json_object_get(j, "return")) {
		k = QMP_RETURN;
	} else if ((err = json_object_get(j, "error"))) {
		const char *d = json_string_value(json_object_get(err, "desc"));

		k = QMP_ERROR;
		if (desc && desclen)
			snprintf(desc, desclen, "%s", d ? d : "unknown error");
	} else if (json_is_string(json_object_get(j, "event"))) {
		k = QMP_EVENT;
	}
out:
	json_decref(j);
	return k;
}

static int64_t ms_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) && json_integer_value(v) >= 0 ?
		       (int64_t)json_integer_value(v) :
		       -1;
}

int qmp_migration_parse(const char *text, size_t len,
			struct qmp_migration *m)
{
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *o = j, *st;
	const char *e;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	m->total_ms = m->downtime_ms = m->setup_ms = -1;
	m->expected_downtime_ms = m->ram_bytes = -1;
	if (json_is_object(j) && json_is_object(json_object_get(j, "return")))
		o = json_object_get(j, "return");
	if (!json_is_object(o))
		goto out;
	st = json_object_get(o, "status");
	if (!json_is_string(st) || !*json_string_value(st))
		goto out;
	snprintf(m->status, sizeof(m->status), "%s", json_string_value(st));
	m->total_ms = ms_field(o, "total-time");
	m->downtime_ms = ms_field(o, "downtime");
	m->setup_ms = ms_field(o, "setup-time");
	m->expected_downtime_ms = ms_field(o, "expected-downtime");
	if (json_is_object(json_object_get(o, "ram")))
		m->ram_bytes = ms_field(json_object_get(o, "ram"), "transferred");
	e = json_string_value(json_object_get(o, "error-desc"));
	if (e)
		snprintf(m->error, sizeof(m->error), "%s", e);
	ret = 0;
out:
	json_decref(j);
	return ret;
}

/* The next line (without '\n') into line, or -ETIMEDOUT/-EPIPE. */
static int read_line(struct qmp *q, struct strbuf *line, int64_t deadline)
{
	for (;;) {
		char *nl = memchr(q->in.buf, '\n', q->in.len);
		struct pollfd p = {.fd = q->fd, .events = POLLIN};
		int64_t left;
		ssize_t n;

		if (nl) {
			size_t len = (size_t)(nl - q->in.buf);

			strbuf_reset(line);
			strbuf_add(line, q->in.buf, len);
			q->in.len -= len + 1;
			memmove(q->in.buf, nl + 1, q->in.len + 1);
			return 0;
		}
		if (q->in.len > QMP_MAX_LINE)
			return -EPROTO;
		left = deadline - now_mono();
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)(left / NSEC_PER_MSEC) + 1) <= 0)
			continue;
		strbuf_grow(&q->in, 65536);
		n = recv(q->fd, q->in.buf + q->in.len,
			 q->in.alloc - q->in.len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		q->in.len += (size_t)n;
		q->in.buf[q->in.len] = '\0';
	}
}

int qmp_execute(struct qmp *q, const char *command, json_t *args,
		json_t **ret, int64_t timeout_ns)
{
	int64_t deadline = now_mono() + timeout_ns;
	struct strbuf line = STRBUF_INIT;
	json_t *req = json_object();
	char *text, desc[256];
	int r;

	json_object_set_new(req, "execute", json_string(command));
	if (args)
		json_object_set_new(req, "arguments", args);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	r = text && send(q->fd, text, strlen(text), MSG_NOSIGNAL) ==
				(ssize_t)strlen(text) &&
			send(q->fd, "\n", 1, MSG_NOSIGNAL) == 1 ?
		    0 :
		    -EPIPE;
	free(text);
	if (ret)
		*ret = NULL;
	while (!r) {
		r = read_line(q, &line, deadline);
		if (r)
			break;
		switch (qmp_classify(line.buf, line.len, desc, sizeof(desc))) {
		case QMP_RETURN:
			if (ret) {
				json_t *j = json_loadb(line.buf, line.len, 0,
						       NULL);

				*ret = json_incref(json_object_get(j, "return"));
				json_decref(j);
			}
			strbuf_release(&line);
			return 0;
		case QMP_ERROR:
			strbuf_release(&line);
			return error("qmp: %s: %s", command, desc);
		default:
			continue; /* events */
		}
	}
	strbuf_release(&line);
	return error("qmp: %s: %s", command,
		     r == -ETIMEDOUT ? "no answer" :
		     r == -EPIPE     ? "QEMU closed the connection" :
				       "protocol error");
}

int qmp_open(struct qmp *q, const char *path, int64_t timeout_ns)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int64_t deadline = now_mono() + timeout_ns;
	struct strbuf line = STRBUF_INIT;
	int r;

	memset(q, 0, sizeof(*q));
	strbuf_init(&q->in);
	q->fd = -1;
	if (strlen(path) >= sizeof(sa.sun_path))
		return error("qmp: socket path '%s' is too long", path);
	strcpy(sa.sun_path, path);
	for (;;) {
		q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (q->fd < 0)
			return error_errno("qmp: socket");
		if (!connect(q->fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		close(q->fd);
		q->fd = -1;
		if (now_mono() > deadline)
			return error_errno("qmp: cannot connect to '%s'", path);
		usleep(20000);
	}
	r = read_line(q, &line, deadline);
	if (!r && qmp_classify(line.buf, line.len, NULL, 0) == QMP_GREETING) {
		json_t *j = json_loadb(line.buf, line.len, 0, NULL);
		json_t *v = json_object_get(
			json_object_get(json_object_get(j, "QMP"), "version"),
			"qemu");

		snprintf(q->version, sizeof(q->version), "%lld.%lld.%lld",
			 (long long)json_integer_value(json_object_get(v, "major")),
			 (long long)json_integer_value(json_object_get(v, "minor")),
			 (long long)json_integer_value(json_object_get(v, "micro")));
		json_decref(j);
	} else {
		strbuf_release(&line);
		qmp_close(q);
		return error("qmp: no greeting on '%s'", path);
	}
	strbuf_release(&line);
	if (qmp_execute(q, "qmp_capabilities", NULL, NULL,
			deadline - now_mono())) {
		qmp_close(q);
		return -1;
	}
	return 0;
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	strbuf_release(&q->in);
}

int qmp_status(struct qmp *q, char *status, size_t len, int64_t timeout_ns)
{
	json_t *ret;
	const char *s;

	if (qmp_execute(q, "query-status", NULL, &ret, timeout_ns))
		return -1;
	s = json_string_value(json_object_get(ret, "status"));
	snprintf(status, len, "%s", s ? s : "unknown");
	json_decref(ret);
	return 0;
}

int qmp_vcpu_threads(struct qmp *q, pid_t *tids, size_t max, size_t *n,
		     int64_t timeout_ns)
{
	json_t *ret, *cpu;
	size_t i;

	*n = 0;
	if (qmp_execute(q, "query-cpus-fast", NULL, &ret, timeout_ns))
		return -1;
	json_array_foreach(ret, i, cpu)
	{
		json_int_t tid =
			json_integer_value(json_object_get(cpu, "thread-id"));

		if (*n < max && tid > 0)
			tids[(*n)++] = (pid_t)tid;
	}
	json_decref(ret);
	return 0;
}
