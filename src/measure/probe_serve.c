// SPDX-License-Identifier: GPL-2.0-or-later
#include "measure/probe_serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/probe_serve.h"
#include "core/records.h"
#include "measure/prober.h"
#include "util/error.h"
#include "util/strbuf.h"

/* Records go out as they come: a run of any length in constant memory. */
#define RECORDS_BUF (1 << 20)

struct serve_out {
	FILE *f;
	const char *path;
	bool header;
	uint64_t n;
};

/* each record as `probe --records` writes it: the same text, the same
 * reader (records_stream) on the runner's side */
static int serve_emit(const struct probe_meta *m, const struct probe_rec *r,
		      void *data)
{
	struct serve_out *so = data;
	char line[RECORD_LINE_MAX];

	if (!so->header) {
		struct strbuf sb = STRBUF_INIT;

		records_format_header(m, &sb);
		fwrite(sb.buf, 1, sb.len, so->f);
		strbuf_release(&sb);
		so->header = true;
	}
	fwrite(line, 1, (size_t)records_format_row(r, line, sizeof(line)),
	       so->f);
	so->n++;
	if (ferror(so->f))
		return error_errno("cannot write '%s'", so->path);
	return 0;
}

static void answer(FILE *out, const char *what)
{
	fputs(what, out);
	fflush(out);
}

/* The file the runner named, opened for this run's records. */
static FILE *out_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0) {
		error_errno("cannot open '%s'", path);
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		error_errno("cannot open '%s'", path);
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, RECORDS_BUF);
	return f;
}

/* One run: 0 (answered "done N" or "fail"), or -EINTR. */
static int serve_run(const struct probe_serve_req *req, FILE *out,
		     volatile sig_atomic_t *stop)
{
	struct prober_opts o = {
		.kind = req->kind,
		.target = {.sin_family = AF_INET,
			   .sin_port = htons(req->port)},
		.rate = req->rate,
		.schedule = req->schedule,
		.seed = req->seed,
		.count = req->count,
		.warmup = req->warmup,
		.size = req->size,
		.timeout_ns = req->timeout_ns,
		.busy_poll = req->busy_poll,
		.sender = probe_sender_name(req->sender),
		.stop = stop,
	};
	struct serve_out so = {.path = req->out};
	struct prober_result res;
	char done[48];
	int ret;

	/* the parser took only dotted IPv4 addresses */
	inet_pton(AF_INET, req->target, &o.target.sin_addr);
	so.f = out_open(req->out);
	if (!so.f) {
		answer(out, "fail\n");
		return 0;
	}
	answer(out, "begun\n");
	o.emit = serve_emit;
	o.emit_data = &so;
	ret = prober_run(&o, &res);
	if ((fflush(so.f) || ferror(so.f)) && !ret)
		ret = error_errno("cannot write '%s'", req->out);
	fclose(so.f);
	prober_result_release(&res);
	if (ret == -EINTR)
		return -EINTR;
	if (ret) {
		answer(out, "fail\n");
		return 0;
	}
	snprintf(done, sizeof(done), "done %llu\n", (unsigned long long)so.n);
	answer(out, done);
	return 0;
}

int probe_serve(FILE *in, FILE *out, volatile sig_atomic_t *stop)
{
	static struct probe_serve_req req; /* 4 KiB: not on the stack */
	char line[PROBE_SERVE_LINE_MAX + 2], why[200];
	size_t n;
	int ret = 0;

	answer(out, "ready\n");
	while (!*stop && fgets(line, sizeof(line), in)) {
		n = strlen(line);
		if (!n || line[n - 1] != '\n') {
			int c;

			/* too long: the rest of it is no request either */
			while ((c = fgetc(in)) != EOF && c != '\n')
				;
			error("probe --serve: a request line too long");
			answer(out, "fail\n");
			continue;
		}
		line[n - 1] = '\0';
		if (probe_serve_parse(line, &req, why, sizeof(why))) {
			error("probe --serve: bad request: %s", why);
			answer(out, "fail\n");
			continue;
		}
		ret = serve_run(&req, out, stop);
		if (ret)
			break;
	}
	return *stop ? -EINTR : ret;
}
