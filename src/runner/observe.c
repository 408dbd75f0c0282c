// SPDX-License-Identifier: GPL-2.0-or-later
#include "runner/observe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/capture_report.h"
#include "core/dataplane.h"
#include "host/proc.h"
#include "testbed/attach.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

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

int cpu_watch_begin(struct testbed *tb, struct cpu_watch *w)
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

void cpu_watch_end(struct testbed *tb, struct cpu_watch *w)
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

void cpu_watch_release(struct cpu_watch *w)
{
	int s;

	for (s = 0; s < SERVER_COUNT; s++)
		cpustat_release(&w->before[s]);
	free(w->vms);
	free(w->rows);
	free(w->procs);
	memset(w, 0, sizeof(*w));
}

/* ---- capture points ---- */

/* Time a capture may take to say it is ready, and to stop and report. */
#define CAPTURE_READY_NS (10 * NSEC_PER_SEC)
#define CAPTURE_STOP_NS (10 * NSEC_PER_SEC)

static enum server_id point_server(enum split_point p)
{
	return p == SPLIT_SENDER_NIC || p == SPLIT_SENDER_PORT ?
		       SERVER_SENDER :
		       SERVER_RESPONDER;
}

/* Where point p of the main guests' data plane is, or why it is not. */
static int point_place(struct testbed *tb, enum split_point p, char *ifname,
		       size_t len, char *why, size_t wlen)
{
	const struct guest *g = &tb->main[point_server(p)];

	if (g->attach == ATTACH_VFIO_VF) {
		snprintf(why, wlen, "VFIO passthrough hides the VF from the "
				    "host");
		return -1;
	}
	if (p >= SPLIT_NIC_POINTS) {
		/* the guest's own link there: tap, macvtap, veth port */
		if (g->attach == ATTACH_MACVLAN) {
			snprintf(why, wlen, "a macvlan guest has no link of "
					    "its own on the host");
			return -1;
		}
		snprintf(ifname, len, "%s", g->port);
		return 0;
	}
	/* a VF's netdev carries the guest's frames; else the PF does (a
	 * real VF's name, @vf:PF:N, is filled in on its server) */
	snprintf(ifname, len, "%s",
		 attach_table[g->attach].vf ? g->lower :
					      testbed_nic(tb, point_server(p)));
	return 0;
}

/*
 * `iovbench capture` where the point is: in the server's namespace here,
 * over ssh on a real server. One path for both, so the local testbed
 * tests the one real servers use.
 */
static int point_start(struct testbed *tb, struct capture_watch *w,
		       enum split_point p, const char *exe,
		       const char *pcap_base)
{
	enum server_id s = point_server(p);
	struct host *h = &tb->hosts[s];
	const char *ns = tb->server_ns[s];
	struct spawn_opts so = {
		.netns = strcmp(ns, "-") ? ns : NULL,
		.capture = true,
	};
	struct strv argv = STRV_INIT;
	int ret;

	strv_push(&argv, exe);
	strv_push(&argv, "capture");
	strv_push(&argv, "--ready");
	strv_push(&argv, "-i");
	strv_push(&argv, w->ifname[p]);
	strv_pushf(&argv, "--udp-port=%lld",
		   (long long)tb->campaign->prober.udp_port);
	if (pcap_base) {
		snprintf(w->pcap[p], sizeof(w->pcap[p]), "%s-%s.pcap",
			 pcap_base, w->points[p].point);
		/* a real server writes it in its run directory first */
		snprintf(w->pcap_there[p], sizeof(w->pcap_there[p]),
			 "%s/%s.pcap", tb->rundir, w->points[p].point);
		strv_pushf(&argv, "--pcap=%s",
			   tb->remote ? w->pcap_there[p] : w->pcap[p]);
	}
	ret = h->be->spawn(h, argv.v, &so, &w->proc[p]);
	strv_clear(&argv);
	if (ret)
		return -1;
	w->running[p] = true;
	return 0;
}

/* Wait until point p says it captures. */
static int point_ready(struct capture_watch *w, enum split_point p)
{
	char line[64];
	int ret = proc_read_line(&w->proc[p], line, sizeof(line),
				 CAPTURE_READY_NS, NULL);

	if (ret || strcmp(line, "ready"))
		return error("the %s capture on %s (%s) did not start",
			     w->points[p].point, w->points[p].server,
			     w->ifname[p]);
	return 0;
}

int capture_watch_begin(struct testbed *tb, struct capture_watch *w,
			const char *exe, const char *pcap_base)
{
	int p;

	memset(w, 0, sizeof(*w));
	for (p = 0; p < SPLIT_POINTS; p++)
		proc_init(&w->proc[p]);
	w->npoints = tb->campaign->prober.capture_ports ? SPLIT_POINTS :
							  SPLIT_NIC_POINTS;
	for (p = 0; p < w->npoints; p++) {
		w->points[p].point = split_point_name((enum split_point)p);
		w->points[p].server = server_name(point_server(p));
		if (point_place(tb, (enum split_point)p, w->ifname[p],
				sizeof(w->ifname[p]), w->reason[p],
				sizeof(w->reason[p]))) {
			w->points[p].reason = w->reason[p];
			continue;
		}
		w->points[p].ifname = w->ifname[p];
		if (point_start(tb, w, (enum split_point)p, exe, pcap_base)) {
			capture_watch_release(w);
			return -1;
		}
	}
	/* all started at once, then waited for: a ring takes a while */
	for (p = 0; p < w->npoints; p++) {
		if (w->running[p] && point_ready(w, (enum split_point)p)) {
			capture_watch_release(w);
			return -1;
		}
	}
	return 0;
}

/* Stop point p and read its report. */
static int point_stop(struct testbed *tb, struct capture_watch *w,
		      enum split_point p)
{
	struct proc *pr = &w->proc[p];
	char why[128];
	int st;

	w->running[p] = false;
	st = proc_stop(pr, CAPTURE_STOP_NS);
	if (st)
		return error("the %s capture on %s exited with status %d",
			     w->points[p].point, w->points[p].server, st);
	if (capture_report_parse(pr->out.buf, pr->out.len, &w->rep[p], why,
				 sizeof(why)))
		return error("the %s capture on %s: bad report: %s",
			     w->points[p].point, w->points[p].server, why);
	if (*w->pcap[p]) {
		struct host *h = &tb->hosts[point_server(p)];

		if (tb->remote && h->be->get_file(h, w->pcap_there[p],
						  w->pcap[p]))
			warning("no pcap of the %s capture",
				w->points[p].point);
		else
			w->points[p].pcap = w->pcap[p];
	}
	return 0;
}

int capture_watch_end(struct testbed *tb, struct capture_watch *w,
		      const struct probe_meta *meta,
		      const struct probe_rec *recs, size_t n,
		      uint32_t warmup, struct probe_split *split)
{
	struct split_input in[SPLIT_POINTS];
	struct split_counts counts[SPLIT_POINTS];
	uint64_t sent = 0, answered = 0;
	size_t i;
	int p, ret = 0;

	memset(in, 0, sizeof(in));
	/* all told at once: each reads on for a while before it reports */
	for (p = 0; p < SPLIT_POINTS; p++) {
		if (w->running[p])
			proc_ask_stop(&w->proc[p]);
	}
	for (p = 0; p < SPLIT_POINTS; p++) {
		if (!w->running[p])
			continue;
		if (point_stop(tb, w, (enum split_point)p)) {
			ret = -1;
			continue;
		}
		split_renumber(w->rep[p].ev, w->rep[p].n, meta->session, warmup);
		in[p].available = true;
		in[p].ev = w->rep[p].ev;
		in[p].n = w->rep[p].n;
	}
	if (ret)
		return -1;
	split_match(meta, recs, n, in, split, counts);
	for (i = 0; i < n; i++) {
		sent += !(recs[i].flags & PROBE_SEND_ERROR);
		answered += recs[i].replies > 0;
	}
	for (p = 0; p < w->npoints; p++) {
		struct point_rec *pr = &w->points[p];

		if (pr->reason)
			continue;
		pr->frames = w->rep[p].frames;
		pr->drops = w->rep[p].drops;
		pr->counts = counts[p];
		/* every probe sent crosses both NICs, and so does every
		 * reply the sender got */
		pr->expected_requests = sent;
		pr->expected_replies = answered;
	}
	return 0;
}

void capture_watch_release(struct capture_watch *w)
{
	int p;

	for (p = 0; p < SPLIT_POINTS; p++) {
		if (w->running[p])
			proc_kill(&w->proc[p], NSEC_PER_SEC);
		w->running[p] = false;
		proc_release(&w->proc[p]);
		capture_report_release(&w->rep[p]);
	}
}
