// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe meter, OS half: the prober in the sender's main guest (the
 * ways to it: runner/sender_prober.c), and for UDP probes the reflector
 * in the responder's, started once per setup. Its records stream to a spill file as they come, are
 * read from it once (checked, summarised, turned into a binary spill)
 * and left there for the store and the meters that end after it (the
 * split): a run of any length takes constant memory here.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/hygiene.h"
#include "core/meter_probe.h"
#include "core/probe_serve.h"
#include "core/records.h"
#include "core/schedule.h"
#include "host/proc.h"
#include "runner/guestproc.h"
#include "runner/meter.h"
#include "runner/sender_prober.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/*
 * A prober gets its run's length PROBER_LATE times over, and
 * PROBER_SLACK_NS (runner/sender_prober.h) more, to finish: one that
 * falls behind a rate the host cannot keep (at 100 kpps here it sends
 * ~50 kpps) still ends with its records, and says so in its pacing;
 * only a hung one is stopped.
 */
#define PROBER_LATE 3

struct probe_state {
	struct guest_proc reflector; /* of the setup, for UDP probes */
	struct sender_prober prober; /* its way to the records */
	/* the run's */
	struct probe_meta meta;
	FILE *recs; /* the binary spill: n records */
	size_t n;
	struct probe_summary sum;
	char suspect[160]; /* why the run is suspect, or "" */
	char overload[200]; /* why the run is overloaded, or "" */
	uint64_t seed;	    /* of a poisson schedule, else 0 */
	struct probe_gaps gaps; /* its gaps, collected in records_take() */
	struct ad_result ad; /* their fit (n 0: not tested) */
	char schedule_off[200]; /* why its gaps are off, or "" */
	/* UDP: how the reflector waits (resolved), and its CPU or -1 */
	enum wakeup_mode wakeup;
	int wakeup_cpu;
};

/* how long the prober sends */
static double probes_length(const struct campaign *c, const struct test *t)
{
	return (double)(prober_run_warmup(&c->prober) + t->v[F_COUNT]) /
	       (double)t->v[F_RATE];
}

static double probe_seconds(const struct campaign *c, const struct test *t)
{
	/* a throughput run's probes run inside its load (its seconds) */
	if (t->v[F_MEASURE] != MEASURE_RTT)
		return 0;
	return probes_length(c, t);
}

/* ---- the reflector, in the responder's main guest ---- */

static void reflector_stop(struct run_ctx *ctx, struct probe_state *ps)
{
	if (ctx->dry)
		ps->reflector.up = false;
	guest_proc_stop(&ps->reflector, NULL);
}

/*
 * The CPUs the responder's main guest has: a VM's vCPUs, a container's
 * pinned ones, or else its server's online CPUs (highest: the last).
 */
static int guest_cpus(struct run_ctx *ctx, const struct guest *g, int *highest)
{
	const struct campaign *c = ctx->c;
	struct host *h = &ctx->tb->hosts[g->server];
	struct strbuf sb = STRBUF_INIT;
	int n = 0, i;

	*highest = -1;
	if (g->vm) {
		*highest = (int)c->main_guests.vcpus - 1;
		return (int)c->main_guests.vcpus;
	}
	for (i = 0; c->main_guests.cpus && i < 64; i++) {
		if (c->main_guests.cpus & (UINT64_C(1) << i)) {
			n++;
			*highest = i;
		}
	}
	if (n)
		return n;
	if (ctx->dry || h->be->read_file(h, "/sys/devices/system/cpu/online",
					 &sb) ||
	    cpulist_parse(sb.buf, sb.len, &n, highest))
		n = 0;
	strbuf_release(&sb);
	return n;
}

/*
 * The wake-up a UDP run's reflector has: the wakeup factor, auto
 * resolved from the responder guest's CPUs (prober.busy_poll: busy-poll
 * as before the factor); pinned to the guest's last CPU.
 */
static void wakeup_choose(struct run_ctx *ctx, struct probe_state *ps)
{
	enum wakeup_mode m = (enum wakeup_mode)ctx->t->v[F_WAKEUP];
	int highest, n;

	n = guest_cpus(ctx, &ctx->tb->main[SERVER_RESPONDER], &highest);
	if (m == WAKEUP_AUTO && ctx->c->prober.busy_poll)
		m = WAKEUP_BUSY_POLL;
	ps->wakeup = wakeup_resolve(m, n);
	ps->wakeup_cpu = ps->wakeup == WAKEUP_PINNED ? highest : -1;
	if (ps->wakeup == WAKEUP_PINNED && highest < 0)
		ps->wakeup = WAKEUP_BUSY_POLL; /* no CPU known to pin to */
}

static int probe_prepare(struct run_ctx *ctx, void *st)
{
	struct probe_state *ps = st;
	const struct campaign *c = ctx->c;
	struct guest *g = &ctx->tb->main[SERVER_RESPONDER];
	enum wakeup_mode was = ps->wakeup;
	int was_cpu = ps->wakeup_cpu;
	char port[16], cpu[16], log[PATH_MAX + 16];
	const char *words[7] = {"reflect", "--port", port, "--ready"};
	int n = 4;
	struct guest_proc_opts o = {
		.exe = ctx->exe,
		.cpus = c->main_guests.cpus,
		.log = log,
		.stop = ctx->stop,
	};

	if (ctx->t->v[F_PROBE] != PROBE_UDP)
		return 0;
	wakeup_choose(ctx, ps);
	if (ps->wakeup != WAKEUP_BLOCK)
		words[n++] = "--busy-poll";
	if (ps->wakeup_cpu >= 0) {
		snprintf(cpu, sizeof(cpu), "%d", ps->wakeup_cpu);
		words[n++] = "--cpu";
		words[n++] = cpu;
	}
	/* a reflector of the setup waiting another way is not this run's */
	if (ps->reflector.up && (was != ps->wakeup || was_cpu != ps->wakeup_cpu))
		reflector_stop(ctx, ps);
	snprintf(port, sizeof(port), "%lld", (long long)c->prober.udp_port);
	if (ctx->dry) {
		if (!ps->reflector.up)
			testbed_note(ctx->tb, SERVER_RESPONDER,
				     "start in %s: reflect --port %s --ready%s",
				     g->name, port,
				     ps->wakeup == WAKEUP_BLOCK ? "" :
								  " --busy-poll");
		ps->reflector.up = true;
		return 0;
	}
	if (guest_proc_alive(&ps->reflector))
		return 0;
	if (ps->reflector.up) {
		warning("the reflector in '%s' died; starting a new one",
			g->name);
		reflector_stop(ctx, ps);
	}
	snprintf(log, sizeof(log), "%s/reflect.log", ctx->tb->rundir);
	return guest_proc_start(ctx->tb, &ps->reflector, g, words, n, &o);
}

/* ---- the prober, in the sender's main guest ---- */

/*
 * What the run's prober is asked: the test's factors and the campaign's
 * prober settings (the seed of a poisson schedule into ps->seed).
 */
static void probe_request(struct run_ctx *ctx, struct probe_state *ps,
			  struct probe_serve_req *rq)
{
	const struct campaign *c = ctx->c;
	const struct test *t = ctx->t;
	const struct guest *r = &ctx->tb->main[SERVER_RESPONDER];

	memset(rq, 0, sizeof(*rq));
	rq->kind = (enum probe_kind)t->v[F_PROBE];
	rq->rate = (uint64_t)t->v[F_RATE];
	rq->count = (uint64_t)t->v[F_COUNT];
	rq->size = (unsigned)t->v[F_SIZE];
	rq->warmup = prober_run_warmup(&c->prober);
	rq->port = (uint16_t)c->prober.udp_port;
	rq->timeout_ns = c->prober.timeout_ns;
	rq->busy_poll = c->prober.busy_poll;
	rq->sender = (enum probe_sender)t->v[F_SENDER];
	rq->schedule = SCHEDULE_FIXED;
	ps->seed = 0;
	if (t->v[F_SCHEDULE] == SCHEDULE_POISSON) {
		char run[RUN_ID_MAX];

		/* the run's id makes its seed: a rerun draws the same gaps */
		plan_run_id(t, ctx->rep, run, sizeof(run));
		ps->seed = schedule_seed(run);
		rq->schedule = SCHEDULE_POISSON;
		rq->seed = ps->seed;
	}
	/* nic K: the responder's NIC K, reached through the sender's */
	ipv4_format(t->v[F_NIC] ? r->extra[t->v[F_NIC] - 1].addr : r->addr,
		    rq->target, sizeof(rq->target));
}

static void probe_dry(struct run_ctx *ctx, const char **w, int n)
{
	struct strbuf line = STRBUF_INIT;
	char run[RUN_ID_MAX];
	int i;

	plan_run_id(ctx->t, ctx->rep, run, sizeof(run));
	for (i = 0; i < n; i++)
		strbuf_addf(&line, " %s", w[i]);
	testbed_note(ctx->tb, SERVER_SENDER, "run %s in %s:%s", run,
		     ctx->tb->main[SERVER_SENDER].name, line.buf);
	strbuf_release(&line);
}

/* How long a prober may take for the run before it is called hung. */
static int64_t prober_limit(struct run_ctx *ctx)
{
	return (int64_t)(probes_length(ctx->c, ctx->t) * 1e9) * PROBER_LATE +
	       ctx->c->prober.timeout_ns + PROBER_SLACK_NS;
}

/*
 * The prober's text, read once: checked line by line (it comes from a
 * guest), summarised, and written to ps->recs as binary records.
 */
static int records_take(struct probe_state *ps, FILE *text,
			struct strbuf *err)
{
	struct records_stream rs;
	struct probe_rec r;
	int ret;

	rewind(text);
	memset(&ps->sum, 0, sizeof(ps->sum));
	if (records_stream_open(&rs, text, err))
		return -1;
	while ((ret = records_stream_next(&rs, &r, err)) == 1) {
		probe_summary_add(&ps->sum, &r);
		if (ps->seed)
			probe_gaps_add(&ps->gaps, &r);
		if (fwrite(&r, sizeof(r), 1, ps->recs) != 1) {
			strbuf_addf(err, "cannot write the spill: %s",
				    strerror(errno));
			return -1;
		}
	}
	if (ret)
		return -1;
	ps->meta = rs.meta;
	ps->n = rs.n;
	if (fflush(ps->recs)) {
		strbuf_addf(err, "cannot write the spill: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Once per setup, before its first run: a short exchange of unmeasured
 * probes from the sender's guest, its records dropped. The first run
 * after a boot paid for a cold path alone: ARP (an unanswered request
 * is repeated only after a second), the guest's first exec of the
 * prober (under TCG its code's first translation), the agent's channel,
 * the kernel's timestamping switched on lazily. The runs keep their own
 * warm-up probes (prober.warmup), unless prober.warmup_once makes them
 * this exchange's.
 */
#define SETUP_EXCHANGE_PROBES 20
/*
 * at least this rate: what the exchange is for (ARP, the first exec,
 * the stamps switched on) does not depend on it, and 20 probes at
 * 1 kpps were 20 ms of every setup's start
 */
#define SETUP_EXCHANGE_RATE 10000
/*
 * A VM's exchange has a run's shape (rate, warm-up) for up to 100 ms:
 * under TCG a guest's first run of a code path costs its translation,
 * and a prober at 1 kpps waits on other paths than at 10 kpps (the first
 * run after a boot: 2.3-3.1 ms dearer, now 1.3-1.9; bench/RESULTS.md).
 */
#define SETUP_EXCHANGE_VM_NS (100 * NSEC_PER_MSEC)

static void probe_setup_begin(struct run_ctx *ctx, void *st)
{
	struct probe_state *ps = st;
	struct probe_serve_req rq;
	int ret;

	if (ctx->t->v[F_PROBE] == PROBE_UDP && probe_prepare(ctx, st))
		return; /* its run says why */
	probe_request(ctx, ps, &rq);
	if (ctx->tb->main[SERVER_SENDER].vm) {
		uint64_t k = rq.rate * SETUP_EXCHANGE_VM_NS / NSEC_PER_SEC;

		if (k < rq.count) /* at most 100 ms of the run, at least 5 */
			rq.count = k < 5 ? 5 : k;
		if (ctx->c->prober.warmup_once) /* rq.warmup is 0 */
			rq.count += (uint64_t)ctx->c->prober.warmup;
	} else {
		rq.count = ctx->c->prober.warmup_once &&
					   ctx->c->prober.warmup >
						   SETUP_EXCHANGE_PROBES ?
				   (uint64_t)ctx->c->prober.warmup :
				   SETUP_EXCHANGE_PROBES;
		rq.warmup = 0;
		if (rq.rate < SETUP_EXCHANGE_RATE)
			rq.rate = SETUP_EXCHANGE_RATE;
	}
	ps->seed = 0;
	ret = sender_prober_run(ctx, &ps->prober, &rq, prober_limit(ctx), NULL);
	if (ret)
		warning("the setup's warm-up exchange failed: %s",
			ctx->why.len ? ctx->why.buf : "see the prober's log");
	strbuf_reset(&ctx->why);
}

static int probe_measure(struct run_ctx *ctx, void *st)
{
	struct probe_state *ps = st;
	static struct probe_serve_req rq; /* 4 KiB: not on the stack */
	struct strbuf err = STRBUF_INIT;
	char bufs[8][32];
	const char *w[28];
	int n, ret;
	FILE *text;

	probe_request(ctx, ps, &rq);
	if (ctx->dry) {
		n = sender_prober_words(&rq, w, bufs);
		probe_dry(ctx, w, n);
		return 0;
	}
	ps->recs = run_spill_open(ctx);
	if (!ps->recs)
		return run_fail(ctx, "no room for the prober's records");
	ret = sender_prober_run(ctx, &ps->prober, &rq, prober_limit(ctx),
				&text);
	if (!ret && records_take(ps, text, &err))
		ret = run_fail(ctx, "the prober's records are unreadable: %s",
			       err.buf);
	if (text)
		fclose(text);
	strbuf_release(&err);
	if (ret)
		return ret;
	if (meter_probe_suspect(&ps->sum, &ps->meta, ctx->c->prober.suspect_loss,
				ps->suspect, sizeof(ps->suspect)))
		warning("a suspect run: it %s", ps->suspect);
	if (probe_overloaded(&ps->sum,
			     &(struct probe_tolerance){
				     ctx->c->prober.rate_tolerance,
				     ctx->c->prober.late_tolerance},
			     ps->overload, sizeof(ps->overload))) {
		if (ctx->c->prober.refuse_overload)
			return run_fail(ctx, "overloaded (prober.refuse_overload): "
					     "%s",
					ps->overload);
		warning("an overloaded run: %s", ps->overload);
	}
	if (ps->seed && !probe_gaps_fit(&ps->gaps, &ps->ad) &&
	    probe_schedule_off(&ps->ad, ps->schedule_off,
			       sizeof(ps->schedule_off)))
		warning("a poisson run whose schedule is off: %s",
			ps->schedule_off);
	ctx->meta = &ps->meta;
	ctx->sum = &ps->sum;
	ctx->recs = ps->recs;
	ctx->n = ps->n;
	return 0;
}

/* A reflector that died while the probes ran measured nothing. */
static int probe_end(struct run_ctx *ctx, void *st)
{
	struct probe_state *ps = st;

	if (ctx->dry || ctx->t->v[F_PROBE] != PROBE_UDP ||
	    guest_proc_alive(&ps->reflector))
		return 0;
	return run_fail(ctx, "the reflector in '%s' died during the run",
			ctx->tb->main[SERVER_RESPONDER].name);
}

static int probe_rows(void *st, unsigned table, struct row_sink *sink)
{
	struct probe_state *ps = st;
	struct cell c[METER_COLS_MAX];
	size_t i;

	if (table == 0) {
		struct probe_verdict v = {
			.suspect = *ps->suspect ? ps->suspect : NULL,
			.overload = *ps->overload ? ps->overload : NULL,
			.seed = ps->seed,
			.ad = &ps->ad,
			.schedule_off = *ps->schedule_off ? ps->schedule_off :
							    NULL,
			.wakeup = ps->meta.kind == PROBE_UDP ? wakeup_mode_name(ps->wakeup) :
						NULL,
			.wakeup_cpu = ps->wakeup_cpu,
		};

		meter_probe_run_cells(&ps->sum, &ps->meta, &v, c);
		return sink->put(sink, c);
	}
	rewind(ps->recs);
	for (i = 0; i < ps->n; i++) {
		struct probe_rec r;

		if (fread(&r, sizeof(r), 1, ps->recs) != 1)
			return error("cannot read the probes' spill back");
		meter_probe_cells(&r, c);
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

static void probe_run_done(void *st)
{
	struct probe_state *ps = st;

	if (ps->recs)
		fclose(ps->recs);
	ps->recs = NULL;
	ps->n = 0;
	ps->suspect[0] = '\0';
	ps->overload[0] = '\0';
	ps->schedule_off[0] = '\0';
	memset(&ps->ad, 0, sizeof(ps->ad));
	probe_gaps_release(&ps->gaps);
}

static void probe_setup_done(struct run_ctx *ctx, void *st)
{
	struct probe_state *ps = st;

	reflector_stop(ctx, ps);
	sender_prober_stop(&ps->prober);
	ps->prober.no_server = false; /* the next setup tries again */
}

static void probe_release(void *st)
{
	struct probe_state *ps = st;

	probe_run_done(st);
	sender_prober_stop(&ps->prober);
}

/* the prober is what an rtt matrix measures, and the RTT under load of
 * a throughput one */
static bool probe_wanted(const struct campaign *c, const struct test *t)
{
	(void)c;
	return t->v[F_MEASURE] == MEASURE_RTT ||
	       t->v[F_MEASURE] == MEASURE_THROUGHPUT;
}

const struct meter_ops meter_probe_ops = {
	.def = &meter_probe,
	.state_size = sizeof(struct probe_state),
	.wanted = probe_wanted,
	.prepare = probe_prepare,
	.measure = probe_measure,
	.end = probe_end,
	.rows = probe_rows,
	.run_done = probe_run_done,
	.setup_begin = probe_setup_begin,
	.setup_done = probe_setup_done,
	.release = probe_release,
	.seconds = probe_seconds,
};
