// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CPU meter, OS half: /proc/stat of each server before and after the
 * probes (mpstat's columns, per CPU and all), and the CPU time of each
 * guest's QEMU from /proc/PID/stat, read here or over ssh. The local
 * testbed's two servers are one host: one set of rows, server "host".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/meter_cpu.h"
#include "runner/meter.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

struct cpu_watch {
	struct cpu_snapshot before[SERVER_COUNT];
	int nservers;
	int64_t t0;
	struct vm_watch {
		struct guest *g;
		long pid;
		struct proc_times a;
		bool ok;
	} *vms;
	size_t nvms;
	/* after cpu_watch_end: */
	struct cpu_row *rows;
	size_t nrows;
	struct process_row *procs;
	size_t nprocs;
};

/* ---- reading a server's files ---- */

/* A file on server s: here, or over ssh. */
static int read_on(struct testbed *tb, enum server_id s, const char *path,
		   struct strbuf *out)
{
	struct host *h = &tb->hosts[s];

	return h->be->read_file(h, path, out);
}

static int read_snapshot(struct testbed *tb, enum server_id s,
			 struct cpu_snapshot *snap)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = read_on(tb, s, "/proc/stat", &sb);

	if (!ret)
		ret = cpustat_parse(sb.buf, sb.len, snap);
	strbuf_release(&sb);
	return ret;
}

static int read_vm(struct testbed *tb, struct vm_watch *v)
{
	struct strbuf sb = STRBUF_INIT;
	char path[64];
	int ret = -1;

	if (v->pid <= 0) {
		if (read_on(tb, v->g->server, v->g->pidfile, &sb))
			goto out;
		v->pid = strtol(sb.buf, NULL, 10);
		if (v->pid <= 0)
			goto out;
	}
	snprintf(path, sizeof(path), "/proc/%ld/stat", v->pid);
	if (!read_on(tb, v->g->server, path, &sb))
		ret = procstat_parse(sb.buf, sb.len, &v->a) ? -1 : 0;
out:
	strbuf_release(&sb);
	return ret;
}

/* ---- CPU usage ---- */

static void add_vm(struct cpu_watch *w, struct guest *g)
{
	if (!g->vm)
		return;
	w->vms = xrealloc(w->vms, (w->nvms + 1) * sizeof(*w->vms));
	memset(&w->vms[w->nvms], 0, sizeof(w->vms[w->nvms]));
	w->vms[w->nvms++].g = g;
}

static int cpu_watch_begin(struct testbed *tb, struct cpu_watch *w)
{
	unsigned i;
	int s;

	memset(w, 0, sizeof(*w));
	w->nservers = tb->remote ? SERVER_COUNT : 1;
	for (s = 0; s < SERVER_COUNT; s++) {
		if (tb->guests_up)
			add_vm(w, &tb->main[s]);
		for (i = 0; tb->bg_up && i < tb->setup.background; i++)
			add_vm(w, &tb->bg[s][i]);
	}
	w->t0 = now_mono();
	for (s = 0; s < w->nservers; s++) {
		if (read_snapshot(tb, s, &w->before[s]))
			warning("cannot read /proc/stat on %s: no CPU usage "
				"for this run",
				server_name(s));
	}
	for (i = 0; i < w->nvms; i++)
		w->vms[i].ok = !read_vm(tb, &w->vms[i]);
	return 0;
}

static void add_row(struct cpu_watch *w, const char *server, int cpu,
		    double seconds, const struct cpu_times *a,
		    const struct cpu_times *b)
{
	struct cpu_row *r;

	w->rows = xrealloc(w->rows, (w->nrows + 1) * sizeof(*w->rows));
	r = &w->rows[w->nrows++];
	memset(r, 0, sizeof(*r));
	r->server = server;
	if (cpu < 0)
		snprintf(r->cpu, sizeof(r->cpu), "all");
	else
		snprintf(r->cpu, sizeof(r->cpu), "%d", cpu);
	r->seconds = seconds;
	cpustat_usage(a, b, &r->u);
}

static void cpu_watch_end(struct testbed *tb, struct cpu_watch *w)
{
	double seconds = (double)(now_mono() - w->t0) / 1e9;
	double tick = (double)sysconf(_SC_CLK_TCK);
	size_t i;
	int s, j, k;

	for (s = 0; s < w->nservers; s++) {
		struct cpu_snapshot *a = &w->before[s], after;
		const char *name = tb->remote ? server_name(s) : "host";

		if (!a->ncpu && !a->all.user && !a->all.idle)
			continue;
		memset(&after, 0, sizeof(after));
		if (read_snapshot(tb, s, &after))
			continue;
		add_row(w, name, -1, seconds, &a->all, &after.all);
		for (j = 0; j < a->ncpu; j++) {
			for (k = 0; k < after.ncpu; k++) {
				if (after.id[k] == a->id[j])
					add_row(w, name, a->id[j], seconds,
						&a->cpu[j], &after.cpu[k]);
			}
		}
		cpustat_release(&after);
	}
	/* a remote server's ticks are assumed to be ours (100 on Linux) */
	for (i = 0; i < w->nvms; i++) {
		struct vm_watch *v = &w->vms[i];
		struct proc_times a = v->a;
		struct process_row *p;

		if (!v->ok || read_vm(tb, v) || v->a.starttime != a.starttime)
			continue;
		w->procs = xrealloc(w->procs,
				    (w->nprocs + 1) * sizeof(*w->procs));
		p = &w->procs[w->nprocs++];
		p->server = server_name(v->g->server);
		p->guest = v->g->name;
		p->role = v->g->main ? "main" : "background";
		p->pid = v->pid;
		p->cpu_seconds = (double)(v->a.utime + v->a.stime - a.utime -
					  a.stime) /
				 tick;
		p->seconds = seconds;
	}
}

static void cpu_watch_release(struct cpu_watch *w)
{
	int s;

	for (s = 0; s < SERVER_COUNT; s++)
		cpustat_release(&w->before[s]);
	free(w->vms);
	free(w->rows);
	free(w->procs);
	memset(w, 0, sizeof(*w));
}

/* ---- the meter ---- */

static int cpu_begin(struct run_ctx *ctx, void *st)
{
	if (ctx->dry)
		return 0;
	return cpu_watch_begin(ctx->tb, st);
}

/* A part that could not be read is left out: CPU usage is a side view,
 * never the reason a run fails. */
static int cpu_end(struct run_ctx *ctx, void *st)
{
	if (!ctx->dry)
		cpu_watch_end(ctx->tb, st);
	return 0;
}

static int cpu_rows(void *st, unsigned table, struct row_sink *sink)
{
	struct cpu_watch *w = st;
	struct cell c[METER_COLS_MAX];
	size_t i;

	for (i = 0; table == 0 && i < w->nrows; i++) {
		meter_cpu_cells(&w->rows[i], c);
		if (sink->put(sink, c))
			return -1;
	}
	for (i = 0; table == 1 && i < w->nprocs; i++) {
		meter_process_cells(&w->procs[i], c);
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

static void cpu_done(void *st)
{
	cpu_watch_release(st);
}

const struct meter_ops meter_cpu_ops = {
	.def = &meter_cpu,
	.state_size = sizeof(struct cpu_watch),
	.begin = cpu_begin,
	.end = cpu_end,
	.rows = cpu_rows,
	.run_done = cpu_done,
	.release = cpu_done,
};
