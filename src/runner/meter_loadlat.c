// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The load-latency meter, OS half: per run, the reflector of the test
 * starts in the responder's main guest (`iovbench macswap NAME`), then
 * the test's generator (core/generators.h) loads for its runtime: the
 * builtin one in the sender's main guest (`iovbench loadgen`, after a
 * warm-up run of its own if the test has one), an external one on the
 * sender server (`iovbench generator NAME`, through the server's host
 * backend); all report in loadgen's format on their way out
 * (core/loadgen_report.h, measure/macswap.h) and the rows go to the
 * store (core/meter_loadlat.h). With several guests under test (the
 * guests factor: the responder's guests of pairs 1..N), the reflector
 * runs in each, the builtin generator takes all their addresses and
 * reports per guest too (core/loadlat_guests.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/generators.h"
#include "core/llframe.h"
#include "core/loadlat_guests.h"
#include "core/loadgen_report.h"
#include "core/meter_loadlat.h"
#include "core/reflectors.h"
#include "core/search.h"
#include "core/sizemix.h"
#include "runner/guestproc.h"
#include "runner/meter.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* latency frames per second, mixed into the load (MoonGen's timer) */
#define LATENCY_RATE 1000
/* after the runtime: the generator's drain, and its report */
#define TAIL_NS (400 * 1000 * 1000LL)
/* an external generator's start (DPDK's EAL, links) and stop */
#define EXTERNAL_SLACK_NS (90 * NSEC_PER_SEC)

/* room for every guest's address in --to */
#define TO_LEN (LOADGEN_GUESTS_MAX * 16)

struct ll_state {
	/* the reflector of guest under test k+1 */
	struct guest_proc refl[LOADGEN_GUESTS_MAX];
	unsigned nrefl;
	struct guest_proc gen;
	struct proc ext; /* an external generator, on the sender server */
	bool ext_up;	 /* ext was spawned and not yet released */
	struct loadgen_report rep;
	bool have_rep;
	int64_t reflected, refl_dropped; /* all reflectors' */
	int64_t g_reflected[LOADGEN_GUESTS_MAX], g_dropped[LOADGEN_GUESTS_MAX];
	char refl_mode[16];
	const char *guest;
	/* the run's rate, and its place in a search (NULL role: none) */
	int64_t rate;
	const char *search_role;
	int search_point;
	const char *names[LOADGEN_GUESTS_MAX]; /* the guests under test */
};

/* The responder's guest under test k (1..), or NULL. */
static struct guest *guest_under_test(struct run_ctx *ctx, unsigned k)
{
	return testbed_pair(ctx->tb, k, SERVER_RESPONDER);
}

static unsigned guests_of(const struct test *t)
{
	return (unsigned)t->v[F_GUESTS];
}

static const struct generator_def *generator_of(const struct test *t)
{
	return &generator_table[t->v[F_GENERATOR]];
}

/*
 * The generator's arguments for run ctx: the builtin one takes the
 * responder guest's address (its kernel resolves the MAC: a VF's or a
 * macvtap's may not be the one the testbed chose), external ones the
 * MAC; bufs holds their text. Several guests under test: the builtin
 * one takes all their addresses, comma-separated (the plan refuses
 * several to the others).
 */
static void gen_args(struct run_ctx *ctx, struct generator_args *a,
		     char bufs[2][TO_LEN])
{
	const struct test *t = ctx->t;
	const struct generator_def *g = generator_of(t);
	const struct guest *resp = &ctx->tb->main[SERVER_RESPONDER];
	const struct server_config *sv =
		&ctx->c->testbed.servers[SERVER_SENDER];

	memset(a, 0, sizeof(*a));
	if (g->place == GEN_IN_GUEST) {
		unsigned k;
		size_t n = 0;

		ipv4_format(resp->addr, bufs[0], TO_LEN);
		for (k = 2; k <= guests_of(t); k++) {
			const struct guest *r = guest_under_test(ctx, k);

			n = strlen(bufs[0]);
			if (!r || n + 1 >= TO_LEN)
				break;
			bufs[0][n] = ',';
			ipv4_format(r->addr, bufs[0] + n + 1, TO_LEN - n - 1);
		}
	} else {
		llframe_mac_format(resp->mac, bufs[0], TO_LEN);
		a->program = !strcmp(g->name, "moongen") ? sv->moongen :
							    sv->trex;
		a->script = sv->moongen_script;
		a->port = sv->dpdk_port;
	}
	a->to = bufs[0];
	snprintf(bufs[1], TO_LEN, "/tmp/iovbench-hist-PID.csv");
	a->hist = bufs[1];
	a->rate = t->v[F_RATE];
	/* a mix: its text for the builtin generator (the plan refuses
	 * mixes to the others), its largest frame for the rest */
	a->size_mix = factor_word(F_SIZE, t->v[F_SIZE]);
	a->size = sizemix_value_largest(t->v[F_SIZE]);
	a->runtime_s = t->v[F_RUNTIME];
	a->lat_rate = LATENCY_RATE;
	a->threads = ctx->c->testbed.loadgen_threads;
	a->warmup_s = t->v[F_WARMUP];
	a->cooldown_ms = t->v[F_COOLDOWN];
}

/* `iovbench generator NAME ...`: what runs on the sender server */
static void external_words(const struct generator_args *a,
			   const struct generator_def *g, struct strv *w)
{
	strv_push(w, "generator");
	strv_push(w, g->name);
	strv_push(w, "--to");
	strv_push(w, a->to);
	strv_pushf(w, "--rate=%lld", (long long)a->rate);
	strv_pushf(w, "--size=%lld", (long long)a->size);
	strv_pushf(w, "--runtime=%lld", (long long)a->runtime_s);
	strv_pushf(w, "--warmup=%lld", (long long)a->warmup_s);
	strv_pushf(w, "--cooldown=%lld", (long long)a->cooldown_ms);
	strv_pushf(w, "--program=%s", a->program);
	strv_pushf(w, "--script=%s", a->script);
	strv_pushf(w, "--port=%s", a->port);
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
	char log[PATH_MAX + 16];
	const char *words[] = {"macswap", reflector_of(ctx->t), "--ready",
			       "--native"};
	struct guest_proc_opts o = {
		.exe = ctx->exe,
		.cpus = ctx->c->main_guests.cpus,
		.log = log,
		.stop = ctx->stop,
	};
	unsigned k, n = guests_of(ctx->t);

	s->reflected = s->refl_dropped = -1;
	s->refl_mode[0] = '\0';
	s->guest = ctx->tb->main[SERVER_SENDER].name;
	s->nrefl = 0;
	for (k = 0; k < n && k < LOADGEN_GUESTS_MAX; k++) {
		struct guest *g = guest_under_test(ctx, k + 1);
		/* a DPDK reflector in a VM drives its passed-through NIC;
		 * an emulated one it reaches through the guest's kernel */
		bool pci = g && g->vm &&
			   reflector_table[ctx->t->v[F_REFLECTOR]]
				   .vm_pci_device &&
			   dataplane_passthrough(
				   &dataplane_table[ctx->t->v[F_DATAPLANE]]);
		int nw = pci ? 4 : 3;

		if (!g)
			return run_fail(ctx, "no guest under test %u of %u "
					     "on the responder",
					k + 1, n);
		s->names[k] = g->name;
		s->g_reflected[k] = s->g_dropped[k] = -1;
		if (ctx->dry) {
			note_words(ctx, SERVER_RESPONDER, g, words, nw);
			continue;
		}
		/* guest 1's log keeps its name of one-guest runs */
		if (k)
			snprintf(log, sizeof(log), "%s/macswap-%u.log",
				 ctx->tb->rundir, k + 1);
		else
			snprintf(log, sizeof(log), "%s/macswap.log",
				 ctx->tb->rundir);
		if (guest_proc_start(ctx->tb, &s->refl[k], g, words, nw, &o))
			return -1;
		s->nrefl = k + 1;
	}
	return 0;
}

/* Run the builtin generator in the sender's main guest for secs. */
static int guest_load(struct run_ctx *ctx, struct ll_state *s,
		      const struct generator_args *a, int64_t secs,
		      struct strbuf *out)
{
	struct guest *g = &ctx->tb->main[SERVER_SENDER];
	struct generator_args one = *a;
	struct strv w = STRV_INIT;
	char log[PATH_MAX + 16];
	struct guest_proc_opts o = {
		.exe = ctx->exe,
		.cpus = ctx->c->main_guests.cpus,
		.log = log,
		.stop = ctx->stop,
	};
	int64_t end;
	int ret;

	one.runtime_s = secs;
	generator_of(ctx->t)->argv(&one, &w);
	snprintf(log, sizeof(log), "%s/loadgen.log", ctx->tb->rundir);
	ret = guest_proc_start(ctx->tb, &s->gen, g, (const char *const *)w.v,
			       (int)w.n, &o);
	strv_clear(&w);
	if (ret)
		return ret;
	end = now_mono() + secs * NSEC_PER_SEC + TAIL_NS;
	while (now_mono() < end) {
		if (*ctx->stop)
			return -EINTR;
		if (!guest_proc_alive(&s->gen))
			break;
		usleep(20000);
	}
	guest_proc_stop(&s->gen, out);
	return 0;
}

/* Run `iovbench generator NAME` on the sender server to its end. */
static int server_load(struct run_ctx *ctx, struct ll_state *s,
		       const struct generator_args *a, struct strbuf *out)
{
	struct host *h = &ctx->tb->hosts[SERVER_SENDER];
	const struct generator_def *g = generator_of(ctx->t);
	struct strv w = STRV_INIT;
	char log[PATH_MAX + 16];
	struct spawn_opts so = {.capture = true, .log = log};
	int64_t limit = (a->warmup_s + a->runtime_s) * NSEC_PER_SEC +
			a->cooldown_ms * 1000000 + EXTERNAL_SLACK_NS;
	int ret;

	snprintf(log, sizeof(log), "%s/generator.log", ctx->tb->rundir);
	strv_push(&w, ctx->exe);
	external_words(a, g, &w);
	ret = h->be->spawn(h, w.v, &so, &s->ext);
	strv_clear(&w);
	if (ret)
		return run_fail(ctx, "cannot start generator %s on %s",
				g->name, h->name);
	s->ext_up = true;
	ret = proc_wait(&s->ext, limit, ctx->stop);
	strbuf_add(out, s->ext.out.buf, s->ext.out.len);
	if (ret == -EINTR)
		return -EINTR;
	if (ret)
		return run_fail(ctx, "generator %s on %s failed (%d; see %s)",
				g->name, h->name, ret, log);
	return 0;
}

static void dry_notes(struct run_ctx *ctx, const struct generator_args *a)
{
	const struct generator_def *g = generator_of(ctx->t);
	struct guest *sg = &ctx->tb->main[SERVER_SENDER];
	struct strv w = STRV_INIT;
	struct strbuf line = STRBUF_INIT;
	struct generator_args one = *a;

	if (g->place == GEN_IN_GUEST) {
		if (a->warmup_s) {
			one.runtime_s = a->warmup_s;
			g->argv(&one, &w);
			note_words(ctx, SERVER_SENDER, sg,
				   (const char *const *)w.v, (int)w.n);
			strv_clear(&w);
		}
		g->argv(a, &w);
		note_words(ctx, SERVER_SENDER, sg, (const char *const *)w.v,
			   (int)w.n);
		strv_clear(&w);
		strbuf_release(&line);
		return;
	}
	strv_push(&w, "iovbench");
	external_words(a, g, &w);
	strv_join(&w, &line);
	testbed_note(ctx->tb, SERVER_SENDER, "run on the server: %s",
		     line.buf);
	strv_clear(&w);
	strbuf_reset(&line);
	g->argv(a, &w);
	strv_join(&w, &line);
	testbed_note(ctx->tb, SERVER_SENDER, "  which runs%s: %s",
		     a->warmup_s && g->fixed_cooldown_ms >= 0 ?
			     " (after a warm-up run of the same)" :
			     "",
		     line.buf);
	strv_clear(&w);
	strbuf_release(&line);
}

static int ll_measure(struct run_ctx *ctx, void *st)
{
	struct ll_state *s = st;
	const struct generator_def *g = generator_of(ctx->t);
	struct strbuf out = STRBUF_INIT;
	struct generator_args a;
	char bufs[2][TO_LEN];
	int ret;

	gen_args(ctx, &a, bufs);
	s->rate = a.rate;
	s->search_role = !ctx->step ? NULL :
			 ctx->step->kind == STEP_LATENCY ? "latency" :
							   "trial";
	s->search_point = ctx->step ? ctx->step->point_pct : 0;
	if (ctx->dry) {
		dry_notes(ctx, &a);
		return 0;
	}
	if (g->place == GEN_IN_GUEST) {
		/* the warm-up: the same load, its report dropped */
		if (a.warmup_s) {
			ret = guest_load(ctx, s, &a, a.warmup_s, NULL);
			if (ret)
				return ret;
		}
		ret = guest_load(ctx, s, &a, a.runtime_s, &out);
	} else {
		s->guest = ctx->tb->hosts[SERVER_SENDER].name;
		ret = server_load(ctx, s, &a, &out);
	}
	if (ret) {
		strbuf_release(&out);
		return ret;
	}
	loadgen_report_init(&s->rep);
	s->have_rep = true;
	ret = loadgen_report_parse(out.buf ? out.buf : "", out.len, &s->rep);
	strbuf_release(&out);
	if (ret)
		return run_fail(ctx, "generator %s on %s said nothing of "
				     "what it measured (see %s/%s.log)",
				g->name, s->guest, ctx->tb->rundir,
				g->place == GEN_IN_GUEST ? "loadgen" :
							   "generator");
	return 0;
}

/*
 * The reflector's line (untrusted, from the guest):
 * "macswap NAME received=N reflected=N dropped=N [mode=MODE]"
 * into *refl_out, *drop_out (left alone without one) and mode_out.
 */
static void refl_parse(const char *text, int64_t *refl_out,
		       int64_t *drop_out, char mode_out[16])
{
	const char *p = strstr(text, "macswap ");
	unsigned long long rcv, refl, drop;
	char name[32], mode[16];

	if (!p || sscanf(p, "macswap %31s received=%llu reflected=%llu "
			    "dropped=%llu",
			 name, &rcv, &refl, &drop) != 4)
		return;
	*refl_out = (int64_t)refl;
	*drop_out = (int64_t)drop;
	p = strstr(p, " mode=");
	if (p && sscanf(p, " mode=%15[a-z_]", mode) == 1)
		snprintf(mode_out, 16, "%s", mode);
}

static int ll_end(struct run_ctx *ctx, void *st)
{
	struct ll_state *s = st;
	unsigned k;

	if (ctx->dry)
		return 0;
	for (k = 0; k < s->nrefl; k++) {
		struct strbuf out = STRBUF_INIT;

		guest_proc_stop(&s->refl[k], &out);
		refl_parse(out.buf ? out.buf : "", &s->g_reflected[k],
			   &s->g_dropped[k], s->refl_mode);
		strbuf_release(&out);
		/* the run's row: the sums over the reflectors that said */
		if (s->g_reflected[k] < 0)
			continue;
		if (s->reflected < 0)
			s->reflected = s->refl_dropped = 0;
		s->reflected += s->g_reflected[k];
		s->refl_dropped += s->g_dropped[k];
	}
	return 0;
}

static int ll_rows(void *st, unsigned table, struct row_sink *sink)
{
	struct ll_state *s = st;
	struct cell c[METER_COLS_MAX];
	unsigned b = 0, k = 0;

	if (!s->have_rep)
		return 0;
	if (table == 0) {
		struct loadlat_row row = {
			.guest = s->guest,
			.rep = &s->rep,
			.reflected = s->reflected,
			.refl_dropped = s->refl_dropped,
			.refl_mode = s->refl_mode,
			.rate = s->rate,
			.search_role = s->search_role,
			.search_point = s->search_point,
		};

		meter_loadlat_run_cells(&row, c);
		return sink->put(sink, c);
	}
	if (table == 1) {
		while (meter_loadlat_hist_cells(&s->rep, &b, c)) {
			if (sink->put(sink, c))
				return -1;
		}
		return 0;
	}
	/* the guests' tables: runs with several guests under test only */
	if (table == 2) {
		for (k = 0; k < s->rep.nguests && k < s->nrefl; k++) {
			struct loadlat_guest_row row = {
				.index = k + 1,
				.name = s->names[k],
				.g = &s->rep.guests[k],
				.seconds = s->rep.seconds,
				.reflected = s->g_reflected[k],
				.refl_dropped = s->g_dropped[k],
			};

			loadlat_guest_cells(&row, c);
			if (sink->put(sink, c))
				return -1;
		}
		return 0;
	}
	while (loadlat_ghist_cells(&s->rep, &k, &b, c)) {
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

static void ll_done(void *st)
{
	struct ll_state *s = st;
	unsigned k;

	guest_proc_stop(&s->gen, NULL);
	for (k = 0; k < LOADGEN_GUESTS_MAX; k++)
		guest_proc_stop(&s->refl[k], NULL);
	s->nrefl = 0;
	if (s->ext_up) {
		if (proc_running(&s->ext))
			proc_stop(&s->ext, 5 * NSEC_PER_SEC);
		proc_release(&s->ext);
		s->ext_up = false;
	}
	if (s->have_rep)
		loadgen_report_release(&s->rep);
	s->have_rep = false;
}

static double ll_seconds(const struct campaign *c, const struct test *t)
{
	(void)c;
	return t->v[F_MEASURE] == MEASURE_LOADLAT ?
		       (double)(t->v[F_WARMUP] + t->v[F_RUNTIME]) +
			       (double)TAIL_NS / NSEC_PER_SEC :
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
