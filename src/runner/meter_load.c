// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The load meter, OS half: a run's background load (the paper's section
 * 3.1.1), started in the background guests before the probes, stopped
 * after them, and what each generator achieved collected for the store.
 *
 *   cpu  a busy loop in every background guest of the loaded server(s)
 *   net  background guest i of the other server sends bursts to its
 *        peer, background guest i of the loaded server, which counts
 *        them; with load_location both, each direction at once
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <limits.h>

#include "core/load_report.h"
#include "core/meter_load.h"
#include "runner/guestproc.h"
#include "runner/meter.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

struct load_rec {
	enum server_id server;
	const char *guest; /* its name (the testbed's) */
	struct load_report rep;
	bool reported;	   /* rep came from the generator */
};

struct load_run {
	struct guest_proc *procs;
	struct load_rec *recs; /* after load_stop: one per generator */
	size_t n;
};

/* A generator's words: load ROLE ... --ready */
struct load_words {
	const char *w[16];
	int n;
	char bufs[6][32];
};

static void words_for(const struct campaign *c, enum load_role role,
		      uint32_t to, struct load_words *lw)
{
	const struct load_config *l = &c->load;

	lw->n = 0;
	lw->w[lw->n++] = "load";
	lw->w[lw->n++] = load_role_name(role);
	if (role == LOAD_ROLE_CPU) {
		snprintf(lw->bufs[0], 32, "%lld", (long long)l->cpu_duty);
		lw->w[lw->n++] = "--duty";
		lw->w[lw->n++] = lw->bufs[0];
	} else {
		snprintf(lw->bufs[1], 32, "%lld", (long long)l->port);
		lw->w[lw->n++] = "--port";
		lw->w[lw->n++] = lw->bufs[1];
	}
	if (role == LOAD_ROLE_NET) {
		ipv4_format(to, lw->bufs[2], 32);
		snprintf(lw->bufs[3], 32, "%lld", (long long)l->net_rate);
		snprintf(lw->bufs[4], 32, "%lld", (long long)l->net_burst);
		snprintf(lw->bufs[5], 32, "%lld", (long long)l->net_size);
		lw->w[lw->n++] = "--to";
		lw->w[lw->n++] = lw->bufs[2];
		lw->w[lw->n++] = "--rate";
		lw->w[lw->n++] = lw->bufs[3];
		lw->w[lw->n++] = "--burst";
		lw->w[lw->n++] = lw->bufs[4];
		lw->w[lw->n++] = "--size";
		lw->w[lw->n++] = lw->bufs[5];
	}
	lw->w[lw->n++] = "--ready";
}

static bool loaded(enum load_location l, enum server_id s)
{
	return l == LOAD_AT_BOTH ||
	       (l == LOAD_AT_SENDER) == (s == SERVER_SENDER);
}

/* One generator to start: where, what, to whom. */
struct gen {
	struct guest *g;
	enum load_role role;
	uint32_t to;
};

/*
 * The generators of t, sinks first (a burst that finds no sink is an
 * ICMP error, not load), in a new array of *n.
 */
static struct gen *plan_gens(struct testbed *tb, const struct test *t,
			     size_t *count)
{
	enum load_type type = (enum load_type)t->v[F_LOAD_TYPE];
	enum load_location where = (enum load_location)t->v[F_LOAD_LOCATION];
	unsigned nbg = tb->bg_up ? tb->setup.background : 0, i;
	/* at most a sink and a sender per background guest and server */
	struct gen *v = xcalloc(4 * (size_t)nbg + 1, sizeof(*v));
	size_t n = 0;
	int s, pass;

	if (type == LOAD_CPU) {
		for (s = 0; s < SERVER_COUNT; s++)
			for (i = 0; loaded(where, s) && i < nbg; i++)
				v[n++] = (struct gen){&tb->bg[s][i],
						      LOAD_ROLE_CPU, 0};
	} else if (type == LOAD_NET) {
		for (pass = 0; pass < 2; pass++) {
			for (s = 0; s < SERVER_COUNT; s++) {
				int peer = 1 - s;

				if (!loaded(where, s))
					continue;
				for (i = 0; i < nbg; i++) {
					if (pass == 0)
						v[n++] = (struct gen){
							&tb->bg[s][i],
							LOAD_ROLE_SINK, 0};
					else
						v[n++] = (struct gen){
							&tb->bg[peer][i],
							LOAD_ROLE_NET,
							tb->bg[s][i].addr};
				}
			}
		}
	}
	*count = n;
	return v;
}

static int load_start(struct testbed *tb, const struct test *t,
		      const struct guest_proc_opts *o, struct load_run *lr)
{
	size_t i, n;
	struct gen *gens = plan_gens(tb, t, &n);
	int ret = 0;

	memset(lr, 0, sizeof(*lr));
	lr->procs = xcalloc(n ? n : 1, sizeof(*lr->procs));
	lr->recs = xcalloc(n ? n : 1, sizeof(*lr->recs));
	for (i = 0; i < n && !ret; i++) {
		struct load_words lw;

		words_for(tb->campaign, gens[i].role, gens[i].to, &lw);
		ret = guest_proc_start(tb, &lr->procs[i], gens[i].g, lw.w,
				       lw.n, o);
		lr->recs[i].server = gens[i].g->server;
		lr->recs[i].guest = gens[i].g->name;
		lr->recs[i].rep.role = gens[i].role;
		lr->n = i + 1;
	}
	free(gens);
	if (ret)
		return ret;
	/* the probes meet a load in its stride, not its start */
	if (n && tb->campaign->load.settle_ns > 0) {
		int64_t end = now_mono() + tb->campaign->load.settle_ns;

		while (now_mono() < end) {
			if (o->stop && *o->stop)
				return -EINTR;
			usleep(50000);
		}
	}
	return 0;
}

static int load_stop(struct load_run *lr)
{
	struct strbuf out = STRBUF_INIT;
	size_t i;
	int ret = 0;

	/* stop in reverse: senders before their sinks count the last */
	for (i = lr->n; i-- > 0;) {
		struct load_rec *rec = &lr->recs[i];
		enum load_role role = rec->rep.role;

		strbuf_reset(&out);
		if (!lr->procs[i].up)
			continue;
		if (guest_proc_stop(&lr->procs[i], &out) ||
		    load_report_parse(out.buf, out.len, &rec->rep) ||
		    rec->rep.role != role) {
			rec->rep.role = role;
			ret = error("the %s load in %s said nothing of what it "
				    "did",
				    load_role_name(role), rec->guest);
			continue;
		}
		rec->reported = true;
	}
	strbuf_release(&out);
	return ret;
}

static void load_run_release(struct load_run *lr)
{
	size_t i;

	for (i = 0; i < lr->n; i++)
		guest_proc_stop(&lr->procs[i], NULL);
	free(lr->procs);
	free(lr->recs);
	memset(lr, 0, sizeof(*lr));
}

static void load_dry(struct testbed *tb, const struct test *t)
{
	size_t i, n;
	struct gen *gens = plan_gens(tb, t, &n);
	int j;

	for (i = 0; i < n; i++) {
		struct strbuf line = STRBUF_INIT;
		struct load_words lw;

		words_for(tb->campaign, gens[i].role, gens[i].to, &lw);
		for (j = 0; j < lw.n; j++)
			strbuf_addf(&line, " %s", lw.w[j]);
		testbed_note(tb, gens[i].g->server, "start in %s:%s",
			     gens[i].g->name, line.buf);
		strbuf_release(&line);
	}
	free(gens);
}

/* ---- the meter ---- */

static bool load_wanted(const struct campaign *c, const struct test *t)
{
	(void)c;
	return t->v[F_LOAD_TYPE] != LOAD_NONE;
}

static int load_begin(struct run_ctx *ctx, void *st)
{
	char log[PATH_MAX + 16];
	struct guest_proc_opts o = {
		.exe = ctx->exe,
		.cpus = 0, /* the load goes where the background guests are */
		.log = log,
		.stop = ctx->stop,
	};

	if (ctx->dry) {
		load_dry(ctx->tb, ctx->t);
		return 0;
	}
	snprintf(log, sizeof(log), "%s/load.log", ctx->tb->rundir);
	return load_start(ctx->tb, ctx->t, &o, st);
}

/* A load that cannot say what it did fails the run: its RTTs would be
 * stored under a load nobody knows was there. */
static int load_end(struct run_ctx *ctx, void *st)
{
	if (ctx->dry)
		return 0;
	return load_stop(st); /* the reason: the trap keeps its error */
}

static int load_rows(void *st, unsigned table, struct row_sink *sink)
{
	struct load_run *lr = st;
	struct cell c[METER_COLS_MAX];
	size_t i;

	(void)table;
	for (i = 0; i < lr->n; i++) {
		struct load_row row = {
			.server = server_name(lr->recs[i].server),
			.guest = lr->recs[i].guest,
			.rep = lr->recs[i].rep,
		};

		meter_load_cells(&row, c);
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

static void load_done(void *st)
{
	load_run_release(st);
}

const struct meter_ops meter_load_ops = {
	.def = &meter_load,
	.state_size = sizeof(struct load_run),
	.wanted = load_wanted,
	.begin = load_begin,
	.end = load_end,
	.rows = load_rows,
	.run_done = load_done,
	.release = load_done,
};
