// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The events meter, OS half: a thread that does each event of the run's
 * schedule (core/event.h) at its time while the prober runs, over QMP,
 * and afterwards the analysis of the probes' records around each event
 * (core/event.c). Each kind's QMP command is one entry of
 * event_os_table[]; a migration's destination QEMU is started before
 * the probes (prepare) and takes the source's place after them (end:
 * testbed/migrate.c).
 *
 * The schedule starts when the meters' begin phases end, just before
 * the prober is asked to run; the prober then sends its warm-up probes
 * first. An event's place among the probes is its time less the
 * warm-up's length: the analysis' windows (half-way between events)
 * absorb the rest of the offset, the start-up of the prober.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/meter_events.h"
#include "core/nics.h"
#include "guest/qmp.h"
#include "runner/meter.h"
#include "testbed/migrate.h"
#include "util/error.h"
#include "util/time.h"

#define EV_QMP_NS (10 * NSEC_PER_SEC)
/* a migration of a TCG guest of a few hundred MiB takes seconds */
#define MIGRATE_NS (120 * NSEC_PER_SEC)
#define MIGRATE_POLL_NS (10 * NSEC_PER_MSEC)

struct events_state {
	struct testbed *tb;
	struct event_schedule s;
	struct event_row rows[EVENTS_MAX];
	char err[EVENTS_MAX][200];
	/* the thread */
	pthread_t thread;
	bool running;
	volatile int quit;
	volatile sig_atomic_t *stop;
	int64_t t0;
	char qmp[SERVER_COUNT][PATH_MAX]; /* whom events talk to */
	/* a migration's destination */
	struct guest dst;
	int mig_server;
	bool dst_up, migrated;
	char uri[PATH_MAX + 16];
};

/* ---- each kind's QMP command: the OS half of its table entry ---- */

struct event_os {
	/* the command and its arguments for event i */
	const char *command;
	json_t *(*args)(struct events_state *es, unsigned i);
	/* after the command returned (a migration waits for its end) */
	int (*after)(struct events_state *es, struct qmp *q, unsigned i);
};

static json_t *link_args(struct events_state *es, unsigned i)
{
	const struct event *e = &es->s.ev[i];
	char name[16];

	snprintf(name, sizeof(name), "net%d", e->nic);
	return json_pack("{s:s, s:b}", "name", name, "up",
			 e->kind == EV_LINK_UP);
}

static json_t *unplug_args(struct events_state *es, unsigned i)
{
	char id[16];

	snprintf(id, sizeof(id), "nic%d", es->s.ev[i].nic);
	return json_pack("{s:s}", "id", id);
}

static json_t *plug_args(struct events_state *es, unsigned i)
{
	const struct event *e = &es->s.ev[i];
	const struct guest *g = &es->tb->main[e->server];
	const char *text = e->nic ? g->extra[e->nic - 1].plug : g->plug0;

	/* vm_nic_device() wrote it: as the command line made the NIC */
	return json_loads(text, 0, NULL);
}

static json_t *migrate_args(struct events_state *es, unsigned i)
{
	(void)i;
	return json_pack("{s:s}", "uri", es->uri);
}

/* Poll query-migrate until the migration is over; its figures. */
static int migrate_after(struct events_state *es, struct qmp *q, unsigned i)
{
	struct event_row *r = &es->rows[i];
	int64_t deadline = now_mono() + MIGRATE_NS;
	struct qmp_migration m;

	for (;;) {
		json_t *ret = NULL;
		char *text;
		int bad;

		if (qmp_execute(q, "query-migrate", NULL, &ret, EV_QMP_NS))
			return -1;
		text = json_dumps(ret, JSON_COMPACT);
		json_decref(ret);
		bad = !text || qmp_migration_parse(text, strlen(text), &m);
		free(text);
		if (bad) {
			snprintf(es->err[i], sizeof(es->err[i]),
				 "query-migrate: no status in QEMU's answer");
			return -1;
		}
		if (!strcmp(m.status, "completed"))
			break;
		if (!strcmp(m.status, "failed") || !strcmp(m.status, "cancelled")) {
			snprintf(es->err[i], sizeof(es->err[i]),
				 "the migration %s: %s", m.status,
				 *m.error ? m.error : "no reason given");
			return -1;
		}
		if (now_mono() > deadline || es->quit || (es->stop && *es->stop)) {
			snprintf(es->err[i], sizeof(es->err[i]),
				 "the migration did not end within %.0f s "
				 "(status %s)",
				 MIGRATE_NS / 1e9, m.status);
			return -1;
		}
		nanosleep(&(struct timespec){0, MIGRATE_POLL_NS}, NULL);
	}
	r->qemu_downtime_ms = m.downtime_ms;
	r->qemu_total_ms = m.total_ms;
	r->qemu_setup_ms = m.setup_ms;
	r->ram_bytes = m.ram_bytes;
	es->migrated = true;
	/* later events of the run talk to the guest where it is now */
	snprintf(es->qmp[es->mig_server], sizeof(es->qmp[0]), "%s",
		 es->dst.qmp);
	return 0;
}

static const struct event_os event_os_table[EVENT_KIND_COUNT] = {
	[EV_LINK_DOWN] = {"set_link", link_args, NULL},
	[EV_LINK_UP] = {"set_link", link_args, NULL},
	[EV_UNPLUG] = {"device_del", unplug_args, NULL},
	[EV_PLUG] = {"device_add", plug_args, NULL},
	[EV_MIGRATE] = {"migrate", migrate_args, migrate_after},
};

/* ---- the thread ---- */

/* Sleep until t (monotonic), a little at a time: 0, or -1 if stopped. */
static int sleep_until(struct events_state *es, int64_t t)
{
	for (;;) {
		int64_t left = t - now_mono();

		if (es->quit || (es->stop && *es->stop))
			return -1;
		if (left <= 0)
			return 0;
		if (left > 20 * NSEC_PER_MSEC)
			left = 20 * NSEC_PER_MSEC;
		nanosleep(&(struct timespec){0, (long)left}, NULL);
	}
}

static void event_do(struct events_state *es, unsigned i)
{
	const struct event *e = &es->s.ev[i];
	const struct event_os *os = &event_os_table[e->kind];
	struct event_row *r = &es->rows[i];
	int64_t start = now_mono();
	json_t *args = os->args(es, i);
	struct qmp q;

	r->done_ns = start - es->t0;
	if (qmp_open(&q, es->qmp[e->server], EV_QMP_NS)) {
		json_decref(args);
		snprintf(es->err[i], sizeof(es->err[i]),
			 "cannot reach QMP of the %s VM", e->server ?
			 "responder" : "sender");
		return;
	}
	if (qmp_execute(&q, os->command, args, NULL, EV_QMP_NS)) {
		if (!*es->err[i])
			snprintf(es->err[i], sizeof(es->err[i]),
				 "QMP %s failed (see the log)", os->command);
	} else if (!os->after || !os->after(es, &q, i)) {
		r->took_ns = now_mono() - start;
	} else if (!*es->err[i]) {
		snprintf(es->err[i], sizeof(es->err[i]), "QMP %s: no answer",
			 os->command);
	}
	qmp_close(&q);
}

static void *events_thread(void *p)
{
	struct events_state *es = p;
	unsigned i;

	for (i = 0; i < es->s.n; i++) {
		if (sleep_until(es, es->t0 + es->s.ev[i].at_ns))
			break;
		event_do(es, i);
		if (*es->err[i])
			break; /* the rest would happen to an unknown state */
	}
	return NULL;
}

/* ---- the hooks ---- */

static bool events_wanted(const struct campaign *c, const struct test *t)
{
	(void)c;
	/* a throughput run's probes flow under the load: the same events,
	 * and the throughput meter adds what the load saw */
	return (t->v[F_MEASURE] == MEASURE_RTT ||
		t->v[F_MEASURE] == MEASURE_THROUGHPUT) &&
	       strcmp(factor_string(t->v[F_EVENTS]), "none") != 0;
}

static int events_prepare(struct run_ctx *ctx, void *st)
{
	struct events_state *es = st;
	char why[200];
	unsigned i;
	int s;

	memset(es, 0, sizeof(*es));
	es->tb = ctx->tb;
	es->stop = ctx->stop;
	es->mig_server = -1;
	if (event_schedule_parse(factor_string(ctx->t->v[F_EVENTS]), &es->s,
				 why, sizeof(why)))
		return run_fail(ctx, "events: %s", why);
	for (s = 0; s < SERVER_COUNT; s++)
		snprintf(es->qmp[s], sizeof(es->qmp[s]), "%s",
			 ctx->tb->main[s].qmp);
	for (i = 0; i < es->s.n; i++) {
		struct event_row *r = &es->rows[i];

		r->index = i;
		r->ev = &es->s.ev[i];
		event_target(r->ev, r->target, sizeof(r->target));
		r->done_ns = r->took_ns = -1;
		r->qemu_downtime_ms = r->qemu_total_ms = r->qemu_setup_ms = -1;
		r->ram_bytes = -1;
		r->fig.outage_ns = r->fig.rtt_before_ns = -1;
		r->fig.rtt_during_ns = r->fig.rtt_after_ns = -1;
		if (es->s.ev[i].kind != EV_MIGRATE)
			continue;
		es->mig_server = es->s.ev[i].server;
		/* from here on, what was made of it is removed after the run
		 * (removing what is not there is fine) */
		es->dst_up = true;
		if (migrate_prepare(ctx->tb, &ctx->tb->main[es->mig_server],
				    &es->dst, es->uri, sizeof(es->uri)))
			return run_fail(ctx, "events: cannot start the "
					     "migration's destination");
	}
	return 0;
}

static void note_events(struct run_ctx *ctx, struct events_state *es)
{
	unsigned i;

	for (i = 0; i < es->s.n; i++) {
		const struct event *e = &es->s.ev[i];
		const struct event_os *os = &event_os_table[e->kind];
		json_t *args = os->args(es, i);
		char *text = json_dumps(args, JSON_COMPACT | JSON_SORT_KEYS);

		testbed_note(ctx->tb, e->server,
			     "at %.3f s of the probes: QMP %s %s to %s%s",
			     e->at_ns / 1e9, os->command, text ? text : "{}",
			     ctx->tb->main[e->server].name,
			     os->after ? ", then query-migrate until it "
					 "completes" :
					 "");
		free(text);
		json_decref(args);
	}
}

static int events_begin(struct run_ctx *ctx, void *st)
{
	struct events_state *es = st;
	int ret;

	if (ctx->dry) {
		note_events(ctx, es);
		return 0;
	}
	es->t0 = now_mono();
	ret = pthread_create(&es->thread, NULL, events_thread, es);
	if (ret)
		return run_fail(ctx, "events: cannot start their thread: %s",
				strerror(ret));
	es->running = true;
	return 0;
}

static void thread_join(struct events_state *es, bool quit)
{
	if (!es->running)
		return;
	if (quit)
		es->quit = 1;
	pthread_join(es->thread, NULL);
	es->running = false;
}

/* Each event's figures from the probes the probe meter left in ctx. */
static void analyze(struct run_ctx *ctx, struct events_state *es)
{
	struct event_timing tm[EVENTS_MAX];
	struct event_figures fig[EVENTS_MAX];
	struct probe_rec *recs;
	int64_t lead = 0;
	long pos;
	unsigned i;

	if (!ctx->recs || !ctx->n)
		return;
	if (ctx->t->v[F_RATE] > 0)
		lead = prober_run_warmup(&ctx->c->prober) * NSEC_PER_SEC /
		       ctx->t->v[F_RATE];
	for (i = 0; i < es->s.n; i++) {
		const struct event_row *r = &es->rows[i];

		tm[i].at_ns = (r->done_ns >= 0 ? r->done_ns : r->ev->at_ns) - lead;
		/* a migration copies memory for its total time, then stops
		 * the guest for the downtime: "during" is all of it */
		tm[i].span_ns = r->qemu_total_ms > 0 ?
					r->qemu_total_ms * NSEC_PER_MSEC :
					0;
	}
	/* the records are in a file (runner/meter.h); an event's run is
	 * short, and its analysis sorts them: read them whole */
	recs = malloc(ctx->n * sizeof(*recs));
	pos = ftell(ctx->recs);
	if (!recs || fseek(ctx->recs, 0, SEEK_SET) ||
	    fread(recs, sizeof(*recs), ctx->n, ctx->recs) != ctx->n) {
		free(recs);
		fseek(ctx->recs, pos, SEEK_SET);
		warning("events: cannot read the run's probes back");
		return;
	}
	fseek(ctx->recs, pos, SEEK_SET);
	event_analyze(recs, ctx->n, tm, es->s.n, fig);
	free(recs);
	for (i = 0; i < es->s.n; i++)
		es->rows[i].fig = fig[i];
}

static int events_end(struct run_ctx *ctx, void *st)
{
	struct events_state *es = st;
	struct guest *g;
	unsigned i;
	int ret = 0;

	thread_join(es, false);
	if (ctx->dry)
		es->migrated = es->dst_up;
	if (!ctx->dry) {
		analyze(ctx, es);
		/* for the throughput meter's end, which comes after */
		ctx->ev_rows = es->rows;
		ctx->nev = es->s.n;
		ctx->ev_t0 = es->t0;
	}
	if (es->dst_up) {
		g = &ctx->tb->main[es->mig_server];
		es->dst_up = false;
		if (es->migrated) {
			if (migrate_adopt(ctx->tb, g, &es->dst))
				ret = run_fail(ctx, "events: the migrated VM "
						    "could not take its place");
		} else {
			migrate_abandon(ctx->tb, &es->dst);
		}
	}
	for (i = 0; i < es->s.n; i++) {
		if (*es->err[i]) {
			es->rows[i].error = es->err[i];
			return run_fail(ctx, "event %u (%s %s): %s", i,
					event_kind_table[es->s.ev[i].kind].name,
					es->rows[i].target, es->err[i]);
		}
		if (!ctx->dry && es->rows[i].done_ns < 0 && !ret)
			return run_fail(ctx, "event %u (%s) did not happen: "
					     "the run was stopped",
					i, event_kind_table[es->s.ev[i].kind].name);
	}
	return ret;
}

static int events_rows(void *st, unsigned table, struct row_sink *sink)
{
	struct events_state *es = st;
	struct cell c[METER_COLS_MAX];
	unsigned i;

	(void)table;
	for (i = 0; i < es->s.n; i++) {
		meter_events_cells(&es->rows[i], c);
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

static void events_run_done(void *st)
{
	struct events_state *es = st;

	thread_join(es, true);
	if (es->dst_up) {
		migrate_abandon(es->tb, &es->dst);
		es->dst_up = false;
	}
	es->s.n = 0;
}

static void events_release(void *st)
{
	events_run_done(st);
}

const struct meter_ops meter_events_ops = {
	.def = &meter_events,
	.state_size = sizeof(struct events_state),
	.wanted = events_wanted,
	.prepare = events_prepare,
	.begin = events_begin,
	.end = events_end,
	.rows = events_rows,
	.run_done = events_run_done,
	.release = events_release,
};
