// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The load-latency meter, OS half: per run, the reflector of the test
 * starts in the responder's main guest (`iovbench macswap NAME`), then
 * the generator in the sender's (`iovbench loadgen`) loads for the
 * test's runtime; both report on their way out (core/loadgen_report.h,
 * measure/macswap.h) and the rows go to the store (core/meter_loadlat.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/loadgen_report.h"
#include "core/meter_loadlat.h"
#include "core/reflectors.h"
#include "runner/guestproc.h"
#include "runner/meter.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* latency frames per second, mixed into the load (MoonGen's timer) */
#define LATENCY_RATE "1k"
/* after the runtime: the generator's drain, and its report */
#define TAIL_NS (400 * 1000 * 1000LL)

struct ll_state {
	struct guest_proc refl, gen;
	struct loadgen_report rep;
	bool have_rep;
	int64_t reflected, refl_dropped;
	char refl_mode[16];
	const char *guest;
};

struct ll_words {
	const char *w[20];
	int n;
	char bufs[5][32];
};

static void gen_words(struct run_ctx *ctx, struct ll_words *lw)
{
	const struct test *t = ctx->t;

	lw->n = 0;
	/* its address: the generator takes the MAC its kernel resolves
	 * (a VF's or a macvtap's may not be the one the testbed chose) */
	ipv4_format(ctx->tb->main[SERVER_RESPONDER].addr, lw->bufs[0], 32);
	snprintf(lw->bufs[1], 32, "%lld", (long long)t->v[F_RATE]);
	snprintf(lw->bufs[2], 32, "%lld", (long long)t->v[F_SIZE]);
	snprintf(lw->bufs[3], 32, "%llds", (long long)t->v[F_RUNTIME]);
	lw->w[lw->n++] = "loadgen";
	lw->w[lw->n++] = "--to";
	lw->w[lw->n++] = lw->bufs[0];
	lw->w[lw->n++] = "--rate";
	lw->w[lw->n++] = lw->bufs[1];
	lw->w[lw->n++] = "--size";
	lw->w[lw->n++] = lw->bufs[2];
	lw->w[lw->n++] = "--runtime";
	lw->w[lw->n++] = lw->bufs[3];
	lw->w[lw->n++] = "--latency-rate";
	lw->w[lw->n++] = LATENCY_RATE;
	lw->w[lw->n++] = "--ready";
}

static const char *reflector_of(const struct test *t)
{
	return reflector_table[t->v[F_REFLECTOR]].name;
}

static void note_words(struct run_ctx *ctx, enum server_id s,
		       const struct guest *g, const char *const *w, int n)
{
	struct strbuf line = STRBUF_INIT;
	int i;

	for (i = 0; i < n; i++)
		strbuf_addf(&line, " %s", w[i]);
	testbed_note(ctx->tb, s, "start in %s:%s", g->name, line.buf);
	strbuf_release(&line);
}

static bool ll_wanted(const struct campaign *c, const struct test *t)
{
	(void)c;
	return t->v[F_MEASURE] == MEASURE_LOADLAT;
}

static int ll_prepare(struct run_ctx *ctx, void *st)
{
	struct ll_state *s = st;
	struct guest *g = &ctx->tb->main[SERVER_RESPONDER];
	char log[PATH_MAX + 16];
	const char *words[] = {"macswap", reflector_of(ctx->t), "--ready"};
	struct guest_proc_opts o = {
		.exe = ctx->exe,
		.cpus = ctx->c->main_guests.cpus,
		.log = log,
		.stop = ctx->stop,
	};

	s->reflected = s->refl_dropped = -1;
	s->refl_mode[0] = '\0';
	s->guest = ctx->tb->main[SERVER_SENDER].name;
	if (ctx->dry) {
		note_words(ctx, SERVER_RESPONDER, g, words, 3);
		return 0;
	}
	snprintf(log, sizeof(log), "%s/macswap.log", ctx->tb->rundir);
	return guest_proc_start(ctx->tb, &s->refl, g, words, 3, &o);
}

static int ll_measure(struct run_ctx *ctx, void *st)
{
	struct ll_state *s = st;
	struct guest *g = &ctx->tb->main[SERVER_SENDER];
	struct strbuf out = STRBUF_INIT;
	char log[PATH_MAX + 16];
	struct ll_words lw;
	struct guest_proc_opts o = {
		.exe = ctx->exe,
		.cpus = ctx->c->main_guests.cpus,
		.log = log,
		.stop = ctx->stop,
	};
	int64_t end;
	int ret;

	gen_words(ctx, &lw);
	if (ctx->dry) {
		note_words(ctx, SERVER_SENDER, g, lw.w, lw.n);
		return 0;
	}
	snprintf(log, sizeof(log), "%s/loadgen.log", ctx->tb->rundir);
	ret = guest_proc_start(ctx->tb, &s->gen, g, lw.w, lw.n, &o);
	if (ret)
		return ret;
	end = now_mono() + ctx->t->v[F_RUNTIME] * NSEC_PER_SEC + TAIL_NS;
	while (now_mono() < end) {
		if (*ctx->stop)
			return -EINTR;
		if (!guest_proc_alive(&s->gen))
			break;
		usleep(20000);
	}
	guest_proc_stop(&s->gen, &out);
	loadgen_report_init(&s->rep);
	s->have_rep = true;
	ret = loadgen_report_parse(out.buf, out.len, &s->rep);
	strbuf_release(&out);
	if (ret)
		return run_fail(ctx, "the generator in '%s' said nothing of "
				     "what it measured (see %s)",
				g->name, log);
	return 0;
}

/*
 * The reflector's line (untrusted, from the guest):
 * "macswap NAME received=N reflected=N dropped=N [mode=MODE]"
 */
static void refl_parse(struct ll_state *s, const char *text)
{
	const char *p = strstr(text, "macswap ");
	unsigned long long rcv, refl, drop;
	char name[32], mode[16];

	if (!p || sscanf(p, "macswap %31s received=%llu reflected=%llu "
			    "dropped=%llu",
			 name, &rcv, &refl, &drop) != 4)
		return;
	s->reflected = (int64_t)refl;
	s->refl_dropped = (int64_t)drop;
	p = strstr(p, " mode=");
	if (p && sscanf(p, " mode=%15[a-z]", mode) == 1)
		snprintf(s->refl_mode, sizeof(s->refl_mode), "%s", mode);
}

static int ll_end(struct run_ctx *ctx, void *st)
{
	struct ll_state *s = st;
	struct strbuf out = STRBUF_INIT;

	if (ctx->dry)
		return 0;
	guest_proc_stop(&s->refl, &out);
	refl_parse(s, out.buf ? out.buf : "");
	strbuf_release(&out);
	return 0;
}

static int ll_rows(void *st, unsigned table, struct row_sink *sink)
{
	struct ll_state *s = st;
	struct cell c[METER_COLS_MAX];
	unsigned b = 0;

	if (!s->have_rep)
		return 0;
	if (table == 0) {
		struct loadlat_row row = {
			.guest = s->guest,
			.rep = &s->rep,
			.reflected = s->reflected,
			.refl_dropped = s->refl_dropped,
			.refl_mode = s->refl_mode,
		};

		meter_loadlat_run_cells(&row, c);
		return sink->put(sink, c);
	}
	while (meter_loadlat_hist_cells(&s->rep, &b, c)) {
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

static void ll_done(void *st)
{
	struct ll_state *s = st;

	guest_proc_stop(&s->gen, NULL);
	guest_proc_stop(&s->refl, NULL);
	if (s->have_rep)
		loadgen_report_release(&s->rep);
	s->have_rep = false;
}

static double ll_seconds(const struct campaign *c, const struct test *t)
{
	(void)c;
	return t->v[F_MEASURE] == MEASURE_LOADLAT ?
		       (double)t->v[F_RUNTIME] + (double)TAIL_NS / NSEC_PER_SEC :
		       0;
}

const struct meter_ops meter_loadlat_ops = {
	.def = &meter_loadlat,
	.state_size = sizeof(struct ll_state),
	.wanted = ll_wanted,
	.prepare = ll_prepare,
	.measure = ll_measure,
	.end = ll_end,
	.rows = ll_rows,
	.run_done = ll_done,
	.release = ll_done,
	.seconds = ll_seconds,
};
