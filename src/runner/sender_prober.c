// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sender's prober, in its main guest, for one run: through the
 * prober of the setup where there is one (a container's `probe --serve`
 * here; a VM's agent's, core/agent_proto.h's probe request), else a
 * prober for the run (a process in the container's namespace, over ssh
 * on a real server, or the agent's run). The records go to a spill file
 * beside the results as they come, whichever way.
 */
#include "runner/sender_prober.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/agent_proto.h"
#include "core/probe_serve.h"
#include "host/proc.h"
#include "runner/meter.h"
#include "util/error.h"
#include "util/time.h"

static void num(char *buf, size_t len, long long v)
{
	snprintf(buf, len, "%lld", v);
}

/* A request as a per-run prober's words: iovbench[-guest] probe ... */
int sender_prober_words(const struct probe_serve_req *rq, const char **w,
			char bufs[][32])
{
	int n = 0;

	w[n++] = "probe";
	w[n++] = "--quiet";
	w[n++] = "--records=-";
	w[n++] = "--kind";
	w[n++] = probe_kind_name(rq->kind);
	num(bufs[0], 32, (long long)rq->rate);
	w[n++] = "--rate";
	w[n++] = bufs[0];
	num(bufs[1], 32, (long long)rq->count);
	w[n++] = "--count";
	w[n++] = bufs[1];
	num(bufs[2], 32, rq->size);
	w[n++] = "--size";
	w[n++] = bufs[2];
	num(bufs[3], 32, (long long)rq->warmup);
	w[n++] = "--warmup";
	w[n++] = bufs[3];
	num(bufs[4], 32, rq->port);
	w[n++] = "--port";
	w[n++] = bufs[4];
	snprintf(bufs[5], 32, "%lldns", (long long)rq->timeout_ns);
	w[n++] = "--timeout";
	w[n++] = bufs[5];
	if (rq->busy_poll)
		w[n++] = "--busy-poll";
	if (rq->sender != SENDER_SOCKET) {
		w[n++] = "--sender";
		w[n++] = probe_sender_name(rq->sender);
	}
	if (rq->schedule == SCHEDULE_POISSON) {
		w[n++] = "--schedule";
		w[n++] = "poisson";
		snprintf(bufs[7], 32, "%llu", (unsigned long long)rq->seed);
		w[n++] = "--seed";
		w[n++] = bufs[7];
	}
	snprintf(bufs[6], 32, "%s", rq->target);
	w[n++] = bufs[6];
	return n;
}


/* The last line of a failed prober's log: its error. */
static const char *last_line(struct strbuf *log)
{
	char *nl;

	while (log->len && log->buf[log->len - 1] == '\n')
		log->buf[--log->len] = '\0';
	nl = strrchr(log->buf, '\n');
	return nl ? nl + 1 : *log->buf ? log->buf : "no message";
}


/*
 * A file beside the results (never in memory, also where /run is a
 * tmpfs). Unnamed, gone with its last descriptor also after a crash;
 * or, with path, named there until the caller unlinks it (a prober of
 * the setup opens it by its name first).
 */
static FILE *spill_open_named(struct run_ctx *ctx, char *path, size_t len)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	FILE *f;
	int fd;

	if (!path) {
		path = tmp;
		len = sizeof(tmp);
	}
	/* absolute: a prober of the setup takes only absolute paths, and
	 * --results may have been given relative to the working directory */
	if (!realpath(ctx->tb->logdir, dir))
		snprintf(dir, sizeof(dir), "%s", ctx->tb->logdir);
	if ((size_t)snprintf(path, len, "%s/.probes-XXXXXX", dir) >= len) {
		error("the results' directory '%s' is too long a path", dir);
		return NULL;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		error_errno("cannot create '%s'", path);
		return NULL;
	}
	if (path == tmp)
		unlink(path);
	f = fdopen(fd, "w+");
	if (!f) {
		close(fd);
		if (path != tmp)
			unlink(path);
		error_errno("cannot open '%s'", path);
	}
	return f;
}

FILE *run_spill_open(struct run_ctx *ctx)
{
	return spill_open_named(ctx, NULL, 0);
}

/*
 * A container guest on this machine has one: it reads the runs'
 * records from a file beside the results, by its name. A VM has its
 * agent's (the probe request: the records come back through the
 * channel), here or on a real server; a container on a real server has
 * a prober per run, over ssh, as has a VM reached by ssh.
 */
static bool server_wanted(struct run_ctx *ctx, struct sender_prober *sp)
{
	const struct guest *g = &ctx->tb->main[SERVER_SENDER];

	if (ctx->dry || sp->no_server || !ctx->c->prober.serve)
		return false;
	return g->vm ? g->ch.ops->probe != NULL : !ctx->tb->remote;
}

static void server_log(struct run_ctx *ctx, char *log, size_t len)
{
	snprintf(log, len, "%s/probe.log", ctx->tb->rundir);
}

/* The setup's prober up (started if it is not, or died): ready to ask. */
static bool server_ready(struct run_ctx *ctx, struct sender_prober *sp)
{
	struct guest *g = &ctx->tb->main[SERVER_SENDER];
	char log[PATH_MAX + 16];
	const char *words[] = {"probe", "--serve"};
	struct guest_proc_opts o = {
		.exe = ctx->exe,
		.cpus = ctx->c->main_guests.cpus,
		.log = log,
		.stop = ctx->stop,
		.commands = true,
	};

	if (!server_wanted(ctx, sp))
		return false;
	if (g->vm) /* the agent starts its own */
		return true;
	if (guest_proc_alive(&sp->server))
		return true;
	if (sp->server.up) {
		warning("the prober in '%s' died; starting a new one", g->name);
		guest_proc_stop(&sp->server, NULL);
	}
	server_log(ctx, log, sizeof(log));
	if (guest_proc_start(ctx->tb, &sp->server, g, words, 2, &o)) {
		/* its runs still run, each with a prober of its own */
		warning("no prober for the setup in '%s': one per run",
			g->name);
		sp->no_server = true;
		return false;
	}
	return true;
}

void sender_prober_stop(struct sender_prober *sp)
{
	guest_proc_stop(&sp->server, NULL);
}

/*
 * One run through the setup's prober: its records into the file at
 * rq->out (named, if named is set, until the prober has it open).
 * 0, -1 (the run failed, said why) or -EINTR.
 */
static int serve_probes(struct run_ctx *ctx, struct sender_prober *sp,
			struct probe_serve_req *rq, bool named, int64_t limit)
{
	struct proc *p = &sp->server.p;
	char line[PROBE_SERVE_LINE_MAX], log[PATH_MAX + 16];
	struct strbuf tail = STRBUF_INIT;
	int n = probe_serve_format(rq, line, sizeof(line)), ret;

	if (n < 0) {
		if (named)
			unlink(rq->out);
		return run_fail(ctx, "no request for the prober: '%s'",
				rq->out);
	}
	/* a fresh log per run: on failure its text is the reason */
	server_log(ctx, log, sizeof(log));
	if (truncate(log, 0) && errno != ENOENT)
		warning("cannot empty '%s': %s", log, strerror(errno));
	ret = proc_write(p, line, (size_t)n);
	if (!ret)
		ret = proc_read_line(p, line, sizeof(line), PROBER_SLACK_NS,
				     ctx->stop);
	if (named)
		unlink(rq->out); /* open there, or never will be */
	if (!ret && !strcmp(line, "begun"))
		ret = proc_read_line(p, line, sizeof(line), limit, ctx->stop);
	if (ret == -EINTR)
		return -EINTR;
	if (ret) {
		/* hung or gone: the next run has a new one */
		sender_prober_stop(sp);
		return run_fail(ctx, "the prober %s",
				ret == -ETIMEDOUT ? "did not finish in time" :
						    "of the setup is gone");
	}
	if (!strncmp(line, "done ", 5))
		return 0;
	strbuf_read_file(&tail, log, 1 << 16);
	run_fail(ctx, "the prober failed: %s",
		 strcmp(line, "fail") ? line : last_line(&tail));
	strbuf_release(&tail);
	return -1;
}

/* The records of one run from the sender's guest; 0, -1 or -EINTR. */
static int run_prober(struct run_ctx *ctx, const char **w, int n,
		      FILE *records, int64_t limit)
{
	struct guest *g = &ctx->tb->main[SERVER_SENDER];
	struct host *h = &ctx->tb->hosts[SERVER_SENDER];
	char log[PATH_MAX + 16], *argv[26];
	struct spawn_opts so = {
		.netns = g->name,
		.cpus = ctx->c->main_guests.cpus,
		.capture = true,
		.log = log,
	};
	struct strbuf tail = STRBUF_INIT;
	struct proc p;
	int i, st;

	if (g->vm) {
		/* the channel streams the records to the spill */
		if (g->ch.ops->run(&g->ch, w, n, limit, &st, records))
			return -1;
		if (st)
			return run_fail(ctx, "the prober in the sender VM failed "
					     "(exit %d): see its console log",
					st);
		return 0;
	}
	argv[0] = (char *)ctx->exe;
	for (i = 0; i < n; i++)
		argv[i + 1] = (char *)w[i];
	argv[n + 1] = NULL;
	/* a fresh log per run: on failure its text is the reason */
	snprintf(log, sizeof(log), "%s/probe.log", ctx->tb->rundir);
	unlink(log);
	if (h->be->spawn(h, argv, &so, &p))
		return -1;
	p.sink = records;
	st = proc_wait(&p, limit, ctx->stop);
	if (st == -EINTR || st == -ETIMEDOUT)
		proc_kill(&p, NSEC_PER_SEC);
	if (st == -EINTR) {
		proc_release(&p);
		return -EINTR;
	}
	if (st == -ETIMEDOUT)
		run_fail(ctx, "the prober did not finish within %.0f s",
			 limit / 1e9);
	if (st > 0) {
		strbuf_read_file(&tail, log, 1 << 16);
		run_fail(ctx, "the prober failed (exit %d): %s", st,
			 last_line(&tail));
		strbuf_release(&tail);
	}
	proc_release(&p);
	return st ? -1 : 0;
}

/* One run through the VM's agent's prober, its records to out. */
static int vm_serve(struct run_ctx *ctx, const struct probe_serve_req *rq,
		    int64_t limit, FILE *out)
{
	struct guest *g = &ctx->tb->main[SERVER_SENDER];
	char buf[PROBE_SERVE_LINE_MAX];
	const char *kv[AGENT_MAX_WORDS];
	int n = probe_serve_words(rq, buf, sizeof(buf), kv, AGENT_MAX_WORDS),
	    st;

	if (n < 0)
		return run_fail(ctx, "no request for the VM's prober");
	if (g->ch.ops->probe(&g->ch, kv, n, limit, &st, out))
		return -1; /* said why */
	if (st)
		return run_fail(ctx, "the prober in the sender VM failed: see "
				     "its console log");
	return 0;
}

int sender_prober_run(struct run_ctx *ctx, struct sender_prober *sp,
		      struct probe_serve_req *rq, int64_t limit, FILE **text)
{
	struct guest *g = &ctx->tb->main[SERVER_SENDER];
	bool serve = server_ready(ctx, sp), named = serve && !g->vm;
	FILE *out;
	int ret;

	if (text)
		*text = NULL;
	if (!text && named) {
		out = NULL; /* the setup's prober writes to /dev/null itself */
		snprintf(rq->out, sizeof(rq->out), "/dev/null");
	} else {
		if (!text)
			out = fopen("/dev/null", "w");
		else if (named)
			out = spill_open_named(ctx, rq->out, sizeof(rq->out));
		else
			out = run_spill_open(ctx);
		if (!out)
			return run_fail(ctx, "no room for the prober's records");
	}
	if (named) {
		ret = serve_probes(ctx, sp, rq, text != NULL, limit);
	} else if (serve) {
		ret = vm_serve(ctx, rq, limit, out);
	} else {
		char bufs[8][32];
		const char *w[28];
		int n = sender_prober_words(rq, w, bufs);

		ret = run_prober(ctx, w, n, out, limit);
	}
	if (!ret && out && fflush(out))
		ret = run_fail(ctx, "cannot keep the prober's records: %s",
			       strerror(errno));
	if (!ret && text)
		*text = out;
	else if (out)
		fclose(out);
	return ret;
}
