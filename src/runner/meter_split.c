// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The split meter, OS half: the capture points at the main guests' NIC
 * functions on each server, the PF (bridge, macvlan) or the VF (macvtap),
 * and with prober.capture_ports their own links there, captured while
 * the probes run by `iovbench capture` on that server (TPACKET_V3,
 * measure/capture.h; here or over ssh), then matched to the probes
 * (core/split.h). A point that cannot exist is recorded with the reason.
 *
 * A run of any length takes constant memory: each capture writes its
 * events to a file as it sees them (capture --events), and the match
 * reads them one at a time into a cache of SPLIT_CHUNK probes' splits
 * kept in an unnamed file beside the results, indexed by sequence
 * number. The events of a point come nearly in sequence order, so the
 * cache moves forward a chunk at a time; one out of order costs a
 * chunk's read and write, never a wrong match.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/capture_report.h"
#include "core/dataplane.h"
#include "core/meter_split.h"
#include "host/proc.h"
#include "runner/meter.h"
#include "testbed/attach.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strv.h"
#include "util/time.h"

struct capture_watch {
	struct proc proc[SPLIT_POINTS]; /* `iovbench capture`, per point */
	bool running[SPLIT_POINTS];
	struct capture_report rep[SPLIT_POINTS];
	struct point_rec points[SPLIT_POINTS]; /* the first npoints taken */
	int npoints;
	char ifname[SPLIT_POINTS][64];
	char reason[SPLIT_POINTS][128];
	char pcap[SPLIT_POINTS][PATH_MAX];	 /* here */
	char pcap_there[SPLIT_POINTS][PATH_MAX]; /* on a real server */
	char events[SPLIT_POINTS][PATH_MAX];	   /* here */
	char events_there[SPLIT_POINTS][PATH_MAX]; /* on a real server */
	/*
	 * runs: the captures live for the setup (capture --runs), and
	 * each run is marked on their stdin; marked: a run's begin was
	 * sent and its end not yet read back
	 */
	bool runs, marked;
	unsigned nic;
};

static void capture_watch_release(struct capture_watch *w);

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

/*
 * Where point p of the main guests' NIC nic (the probes' path) is, or
 * why it is not.
 */
static int point_place(struct testbed *tb, enum split_point p, unsigned nic,
		       char *ifname, size_t len, char *why, size_t wlen)
{
	struct guest view;

	guest_nic_view(&tb->main[point_server(p)], nic, &view);
	return attach_point(tb, &view, p >= SPLIT_NIC_POINTS, ifname, len,
			    why, wlen);
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
		/* its stdin carries the runs' marks; EOF stops it */
		.stop_by_eof = w->runs,
		.stdin_commands = w->runs,
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
	snprintf(w->events[p], sizeof(w->events[p]), "%s/.%s-events",
		 tb->logdir, w->points[p].point);
	snprintf(w->events_there[p], sizeof(w->events_there[p]),
		 "%s/%s.events", tb->rundir, w->points[p].point);
	if (w->runs)
		strv_push(&argv, "--runs");
	else
		strv_pushf(&argv, "--events=%s",
			   tb->remote ? w->events_there[p] : w->events[p]);
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

static int capture_watch_begin(struct testbed *tb, struct capture_watch *w,
			       unsigned nic, const char *exe,
			       const char *pcap_base, bool runs)
{
	int p;

	memset(w, 0, sizeof(*w));
	for (p = 0; p < SPLIT_POINTS; p++)
		proc_init(&w->proc[p]);
	w->runs = runs;
	w->nic = nic;
	w->npoints = tb->campaign->prober.capture_ports ? SPLIT_POINTS :
							  SPLIT_NIC_POINTS;
	for (p = 0; p < w->npoints; p++) {
		w->points[p].point = split_point_name((enum split_point)p);
		w->points[p].server = server_name(point_server(p));
		if (point_place(tb, (enum split_point)p, nic, w->ifname[p],
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

/*
 * A capture of the setup's: the run's report, its two lines (the counts
 * of the run; the events are in the run's file).
 */
static int point_run_report(struct capture_watch *w, enum split_point p,
			    struct strbuf *text)
{
	char line[256];
	int i;

	for (i = 0; i < 2; i++) {
		if (proc_read_line(&w->proc[p], line, sizeof(line),
				   CAPTURE_STOP_NS, NULL))
			return error("the %s capture on %s did not end the run",
				     w->points[p].point, w->points[p].server);
		strbuf_addstr(text, line);
		strbuf_addch(text, '\n');
	}
	return 0;
}

/* Stop point p (or end its run) and read its report. */
static int point_stop(struct testbed *tb, struct capture_watch *w,
		      enum split_point p)
{
	struct proc *pr = &w->proc[p];
	struct strbuf text = STRBUF_INIT;
	char why[128];
	int st, ret;

	if (w->runs) {
		if (point_run_report(w, p, &text)) {
			strbuf_release(&text);
			return -1;
		}
	} else {
		w->running[p] = false;
		st = proc_stop(pr, CAPTURE_STOP_NS);
		if (st)
			return error("the %s capture on %s exited with "
				     "status %d",
				     w->points[p].point, w->points[p].server,
				     st);
		strbuf_add(&text, pr->out.buf, pr->out.len);
	}
	ret = capture_report_parse(text.buf, text.len, &w->rep[p], why,
				   sizeof(why));
	strbuf_release(&text);
	if (ret)
		return error("the %s capture on %s: bad report: %s",
			     w->points[p].point, w->points[p].server, why);
	if (tb->remote && tb->hosts[point_server(p)].be->get_file(
				  &tb->hosts[point_server(p)],
				  w->events_there[p], w->events[p]))
		return error("the %s capture on %s: no events file",
			     w->points[p].point, w->points[p].server);
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

/* Probes' splits per cache chunk: 120 B each, 7.5 MB. */
#define SPLIT_CHUNK 65536

/* The splits of a run, SPLIT_CHUNK at a time in memory, all in a file. */
struct split_cache {
	FILE *f;
	size_t n;	/* probes */
	size_t base;	/* first probe of the chunk held, or SIZE_MAX */
	bool dirty;
	bool *written;	/* per chunk: in the file (else: never seen) */
	struct probe_split *chunk;
};

static int cache_flush(struct split_cache *c)
{
	size_t k = c->base / SPLIT_CHUNK, len;

	if (c->base == SIZE_MAX || !c->dirty)
		return 0;
	len = c->n - c->base < SPLIT_CHUNK ? c->n - c->base : SPLIT_CHUNK;
	if (fseeko(c->f, (off_t)(c->base * sizeof(*c->chunk)), SEEK_SET) ||
	    fwrite(c->chunk, sizeof(*c->chunk), len, c->f) != len)
		return error_errno("cannot write the splits' spill");
	c->written[k] = true;
	c->dirty = false;
	return 0;
}

/* The split of probe seq (< c->n), its chunk loaded; NULL on error. */
static struct probe_split *cache_get(struct split_cache *c, size_t seq)
{
	size_t base = seq - seq % SPLIT_CHUNK, len, i;

	if (base != c->base) {
		if (cache_flush(c))
			return NULL;
		c->base = base;
		len = c->n - base < SPLIT_CHUNK ? c->n - base : SPLIT_CHUNK;
		if (c->written[base / SPLIT_CHUNK]) {
			if (fseeko(c->f, (off_t)(base * sizeof(*c->chunk)),
				   SEEK_SET) ||
			    fread(c->chunk, sizeof(*c->chunk), len, c->f) !=
				    len) {
				error_errno("cannot read the splits' spill");
				return NULL;
			}
		} else {
			for (i = 0; i < len; i++)
				split_reset(&c->chunk[i]);
		}
	}
	c->dirty = true;
	return &c->chunk[seq - base];
}

/* Point p's events file, one event at a time, into the cache. */
static int join_point(struct capture_watch *w, enum split_point p,
		      const struct probe_meta *meta, uint32_t warmup,
		      struct split_cache *c, struct split_counts *counts)
{
	char line[CAPTURE_EVENT_LINE_MAX + 2];
	FILE *f = fopen(w->events[p], "r");
	uint64_t lines = 0;
	int ret = 0;

	if (!f)
		return error_errno("cannot open '%s'", w->events[p]);
	while (fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);
		struct capture_event e;
		struct probe_split *ps;

		lines++;
		if (!l || line[l - 1] != '\n' ||
		    capture_event_parse(line, l - 1, &e)) {
			ret = error("%s: line %llu: expected KIND DIR WAY "
				    "SESSION SEQ T",
				    w->events[p], (unsigned long long)lines);
			goto out;
		}
		split_renumber(&e, 1, meta->session, warmup);
		if (!split_event_of(meta, &e) || e.f.seq >= c->n)
			continue; /* a warm-up's, the preflight's */
		ps = cache_get(c, e.f.seq);
		if (!ps) {
			ret = -1;
			goto out;
		}
		split_event(ps, p, &e, counts);
	}
	if (ferror(f))
		ret = error_errno("cannot read '%s'", w->events[p]);
	else if (lines != w->rep[p].streamed)
		ret = error("%s: cut short: %llu of %llu events",
			    w->events[p], (unsigned long long)lines,
			    (unsigned long long)w->rep[p].streamed);
out:
	fclose(f);
	return ret;
}

/*
 * Every point's events into the splits, then each probe's durations
 * from its record (recs: the probe meter's spill, in seq order).
 */
static int capture_watch_end(struct testbed *tb, struct capture_watch *w,
			     const struct probe_meta *meta,
			     const struct probe_summary *sum, FILE *recs,
			     size_t n, uint32_t warmup, bool no_overhead,
			     FILE *splits)
{
	struct split_counts counts[SPLIT_POINTS];
	struct split_cache c = {.f = splits, .n = n, .base = SIZE_MAX};
	uint64_t sent = 0, answered = 0;
	char end[64] = "end\n";
	size_t i;
	int p, ret = 0;

	memset(counts, 0, sizeof(counts));
	/*
	 * A point on the probes' way sees each probe sent and each reply
	 * answered once: with that many frames of the run's session in, it
	 * need not wait for its ring's drain (24 ms). Duplicated replies,
	 * or a reply lost after the responder's point saw it, would make
	 * the count reach it early: then the drain.
	 */
	if (sum && !sum->duplicated && !sum->lost && sum->sent)
		snprintf(end, sizeof(end), "end %u %llu\n", meta->session,
			 (unsigned long long)(sum->sent + sum->received));
	/* all told at once: each reads on for a while before it reports */
	for (p = 0; p < SPLIT_POINTS; p++) {
		if (!w->running[p])
			continue;
		if (!w->runs)
			proc_ask_stop(&w->proc[p]);
		else if (proc_write(&w->proc[p], end, strlen(end)))
			return error("the %s capture on %s is gone",
				     w->points[p].point, w->points[p].server);
	}
	for (p = 0; p < SPLIT_POINTS; p++) {
		if (w->running[p] && point_stop(tb, w, (enum split_point)p))
			ret = -1;
	}
	if (ret)
		return -1;
	w->marked = false;
	c.written = xcalloc(n / SPLIT_CHUNK + 1, sizeof(*c.written));
	/*
	 * as large as the run needs: a whole chunk zeroed for every run
	 * cost 3.4 ms of a 100-probe run (calloc's memset of 7.5 MB, once
	 * the heap holds freed memory to reuse)
	 */
	c.chunk = xcalloc(n < SPLIT_CHUNK ? n + 1 : SPLIT_CHUNK,
			  sizeof(*c.chunk));
	for (p = 0; p < w->npoints && !ret; p++) {
		if (!w->points[p].reason)
			ret = join_point(w, (enum split_point)p, meta, warmup,
					 &c, &counts[p]);
	}
	rewind(recs);
	for (i = 0; i < n && !ret; i++) {
		struct probe_rec r;
		struct probe_split *ps = cache_get(&c, i);

		if (!ps || fread(&r, sizeof(r), 1, recs) != 1) {
			ret = error("cannot read the probes' spill back");
			break;
		}
		split_finish(ps, &r);
		/* where the guest's transmit stamp is not the guest's, its
		 * overhead is the order of two events at the PF, not a
		 * cost */
		if (no_overhead)
			ps->overhead = SPLIT_NONE;
		sent += !(r.flags & PROBE_SEND_ERROR);
		answered += r.replies > 0;
	}
	if (!ret)
		ret = cache_flush(&c);
	if (!ret && fflush(splits))
		ret = error_errno("cannot write the splits' spill");
	free(c.written);
	free(c.chunk);
	if (ret)
		return -1;
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

/* A run is over: its reports and event files go, the captures stay. */
static void capture_watch_run_done(struct capture_watch *w)
{
	int p;

	for (p = 0; p < SPLIT_POINTS; p++) {
		capture_report_release(&w->rep[p]);
		if (*w->events[p])
			unlink(w->events[p]);
	}
}

/*
 * Each running capture of the setup's its control line (a "begin" names
 * the run's events file, so lines[] has one per point), all told first,
 * then their answers read: want from each, or "gone" (-ENODEV: its
 * interface was made anew). 0, -ENODEV or -1.
 */
static int capture_watch_ask(struct capture_watch *w,
			     const char *const *lines, const char *want)
{
	char line[64];
	int p, ret = 0;

	for (p = 0; p < w->npoints && !ret; p++) {
		if (w->running[p] &&
		    proc_write(&w->proc[p], lines[p], strlen(lines[p])))
			ret = error("the %s capture on %s is gone",
				    w->points[p].point, w->points[p].server);
	}
	for (p = 0; p < w->npoints && !ret; p++) {
		if (!w->running[p])
			continue;
		if (proc_read_line(&w->proc[p], line, sizeof(line),
				   CAPTURE_READY_NS, NULL))
			ret = error("the %s capture on %s did not answer '%.*s'",
				    w->points[p].point, w->points[p].server,
				    (int)strcspn(lines[p], " \n"), lines[p]);
		else if (!strcmp(line, "gone"))
			ret = -ENODEV;
		else if (strcmp(line, want))
			ret = error("the %s capture on %s: '%s' to a %.*s",
				    w->points[p].point, w->points[p].server,
				    line, (int)strcspn(lines[p], " \n"),
				    lines[p]);
	}
	return ret;
}

/* Each capture of the setup's: the run's events go to its file now. */
static int capture_watch_mark(struct testbed *tb, struct capture_watch *w,
			      uint32_t warmup)
{
	static char buf[SPLIT_POINTS][PATH_MAX + 32];
	const char *lines[SPLIT_POINTS];
	int p;

	w->marked = true;
	for (p = 0; p < w->npoints; p++) {
		snprintf(buf[p], sizeof(buf[p]), "begin %u %s\n", warmup,
			 tb->remote ? w->events_there[p] : w->events[p]);
		lines[p] = buf[p];
	}
	return capture_watch_ask(w, lines, "begun");
}

/*
 * Each capture of the setup's: what came so far (the warm-up exchange)
 * is no run's.
 */
static int capture_watch_skip(struct capture_watch *w)
{
	const char *lines[SPLIT_POINTS];
	int p;

	for (p = 0; p < w->npoints; p++)
		lines[p] = "skip\n";
	return capture_watch_ask(w, lines, "skipped");
}

static void capture_watch_release(struct capture_watch *w)
{
	int p;

	/* all told at once: each drains its ring on its way out */
	for (p = 0; p < SPLIT_POINTS; p++) {
		if (w->running[p])
			proc_ask_stop(&w->proc[p]);
	}
	for (p = 0; p < SPLIT_POINTS; p++) {
		if (w->running[p])
			proc_kill(&w->proc[p], NSEC_PER_SEC);
		w->running[p] = false;
		proc_release(&w->proc[p]);
		capture_report_release(&w->rep[p]);
		if (*w->events[p])
			unlink(w->events[p]);
	}
}

/* ---- the meter ---- */

struct split_state {
	struct capture_watch w;
	bool on;
	bool up; /* w's captures live for the setup (w.runs) */
	FILE *splits; /* per probe of the run, in seq order: n of them */
	size_t n;
};

static bool split_wanted(const struct campaign *c, const struct test *t)
{
	/* it splits the probes' RTT: rtt matrices only */
	return c->prober.capture && t->v[F_CAPTURE] == CAPTURE_ON &&
	       t->v[F_MEASURE] == MEASURE_RTT;
}

/* pcap files: RESULTS.logs/TESTID-REP */
static void pcap_base(struct run_ctx *ctx, char *buf, size_t len)
{
	char run[RUN_ID_MAX], *p;

	plan_run_id(ctx->t, ctx->rep, run, sizeof(run));
	for (p = run; *p; p++) {
		if (*p == '/')
			*p = '-';
	}
	snprintf(buf, len, "%s/%s", ctx->tb->logdir, run);
}

static void split_setup_done(struct run_ctx *ctx, void *st)
{
	struct split_state *ss = st;

	(void)ctx;
	if (ss->up)
		capture_watch_release(&ss->w);
	ss->up = false;
}

/*
 * The captures start once per setup and its probes' NIC, and each run is
 * marked on them: starting and stopping two captures was ~90 ms of every
 * run (bench/RESULTS.md). On a real server the marks go through ssh's
 * stdin, and each run's events file is fetched after its end. A run
 * that keeps pcap files has captures of its own (a pcap is written
 * whole when its capture stops).
 */
static int split_begin_setup(struct run_ctx *ctx, struct split_state *ss)
{
	unsigned nic = (unsigned)ctx->t->v[F_NIC];
	int tries, ret = -1;

	if (ss->up && ss->w.nic != nic)
		split_setup_done(ctx, ss);
	/* a capture whose interface was made anew since (an event's
	 * unplug and plug, a migration): new captures, once */
	for (tries = 0; tries < 2; tries++) {
		if (!ss->up) {
			if (capture_watch_begin(ctx->tb, &ss->w, nic, ctx->exe,
						NULL, true))
				return -1;
			ss->up = true;
		}
		ret = capture_watch_mark(
			ctx->tb, &ss->w,
			(uint32_t)prober_run_warmup(&ctx->c->prober));
		if (!ret)
			break;
		split_setup_done(ctx, ss);
		if (ret != -ENODEV)
			break;
	}
	if (ret)
		return ret == -ENODEV ?
			       run_fail(ctx, "the capture points' interfaces "
					     "keep going") :
			       -1;
	ss->on = true;
	return 0;
}

/*
 * The setup's guests are up: its captures start now, so that the first
 * run does not wait for them alone (under TCG their start is slower).
 */
static void split_setup_begin(struct run_ctx *ctx, void *st)
{
	struct split_state *ss = st;

	if (ctx->c->prober.pcap || ss->up)
		return;
	if (capture_watch_begin(ctx->tb, &ss->w, (unsigned)ctx->t->v[F_NIC],
				ctx->exe, NULL, true))
		return; /* the first run tries again, and says why */
	ss->up = true;
}

/* The exchange is over: the captures leave it out of the first run. */
static void split_setup_ready(struct run_ctx *ctx, void *st)
{
	struct split_state *ss = st;

	if (ss->up && capture_watch_skip(&ss->w))
		split_setup_done(ctx, ss); /* the first run starts new ones */
}

static int split_begin(struct run_ctx *ctx, void *st)
{
	struct split_state *ss = st;
	char base[PATH_MAX - 64]; /* room for -POINT.pcap */

	if (ctx->dry)
		return 0;
	if (!ctx->c->prober.pcap)
		return split_begin_setup(ctx, ss);
	pcap_base(ctx, base, sizeof(base));
	if (capture_watch_begin(ctx->tb, &ss->w, (unsigned)ctx->t->v[F_NIC],
				ctx->exe,
				ctx->c->prober.pcap ? base : NULL, false))
		return -1;
	ss->on = true;
	return 0;
}

static int split_end(struct run_ctx *ctx, void *st)
{
	struct split_state *ss = st;
	char path[PATH_MAX];
	int fd;

	if (ctx->dry || !ss->on)
		return 0;
	if (!ctx->meta)
		return run_fail(ctx, "the capture points have no probes to "
				     "match");
	ss->n = ctx->n;
	/* unnamed: gone with its descriptor, also after a crash */
	snprintf(path, sizeof(path), "%s/.splits-XXXXXX", ctx->tb->logdir);
	fd = mkstemp(path);
	if (fd >= 0) {
		unlink(path);
		ss->splits = fdopen(fd, "w+");
		if (!ss->splits)
			close(fd);
	}
	if (!ss->splits)
		return run_fail(ctx, "cannot create '%s': %s", path,
				strerror(errno));
	if (capture_watch_end(ctx->tb, &ss->w, ctx->meta, ctx->sum, ctx->recs,
			      ctx->n,
			      (uint32_t)prober_run_warmup(&ctx->c->prober),
			      dataplane_table[ctx->tb->setup.dataplane]
				      .no_overhead,
			      ss->splits))
		return run_fail(ctx, "the capture points failed");
	return 0;
}

static int split_rows(void *st, unsigned table, struct row_sink *sink)
{
	struct split_state *ss = st;
	struct cell c[METER_COLS_MAX];
	size_t i;
	int p;

	if (table == 0 && ss->splits)
		rewind(ss->splits);
	for (i = 0; table == 0 && ss->splits && i < ss->n; i++) {
		struct probe_split ps;

		if (fread(&ps, sizeof(ps), 1, ss->splits) != 1)
			return error("cannot read the splits' spill back");
		/* the probes' spill is in seq order, from 0 */
		if (meter_split_probe_cells((uint32_t)i, &ps, c) &&
		    sink->put(sink, c))
			return -1;
	}
	for (p = 0; table == 1 && p < ss->w.npoints; p++) {
		meter_split_point_cells(&ss->w.points[p], c);
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

static void split_run_done(void *st)
{
	struct split_state *ss = st;

	if (ss->up && !ss->w.marked) {
		capture_watch_run_done(&ss->w);
	} else if (ss->on || ss->up) {
		/* a run that did not end its marks: the captures' state is
		 * not known, the next run starts new ones */
		capture_watch_release(&ss->w);
		ss->up = false;
	}
	if (ss->splits)
		fclose(ss->splits);
	ss->splits = NULL;
	ss->n = 0;
	ss->on = false;
}

static void split_release(void *st)
{
	struct split_state *ss = st;

	split_run_done(st);
	split_setup_done(NULL, st);
	memset(ss, 0, sizeof(*ss));
}

const struct meter_ops meter_split_ops = {
	.def = &meter_split,
	.state_size = sizeof(struct split_state),
	.wanted = split_wanted,
	.begin = split_begin,
	.end = split_end,
	.rows = split_rows,
	.run_done = split_run_done,
	.setup_begin = split_setup_begin,
	.setup_ready = split_setup_ready,
	/* a capture: off run has no packet socket on its path */
	.skip = split_setup_done,
	.setup_done = split_setup_done,
	.release = split_release,
};
