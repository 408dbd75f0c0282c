// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The meters' table and the phases of a run over it (runner/meter.h):
 * what run_one() in runner.c loops over.
 */
#include "runner/meter.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/*
 * In the order of their begin phases: the loads are on before the capture
 * points start, and they before CPU usage is sampled, so that the CPU
 * interval is the probes'; the prober last.
 */
const struct meter_ops *const meter_ops_table[] = {
	/* the settings first: a run they refuse starts nothing */
	&meter_hygiene_ops,
	/* its end is the last: the probes and CPU sampling end under load */
	&meter_tput_ops,
	&meter_load_ops,
	&meter_split_ops,
	&meter_cpu_ops,
	/* the schedule starts with the last begin, just before the probes */
	&meter_events_ops,
	&meter_probe_ops,
	&meter_loadlat_ops,
};
const unsigned meter_ops_count = ARRAY_SIZE(meter_ops_table);

int run_fail(struct run_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(&ctx->why);
	va_start(ap, fmt);
	strbuf_vaddf(&ctx->why, fmt, ap);
	va_end(ap);
	return error("%s", ctx->why.buf);
}

void meters_init(struct meters *m, const struct meter_ops *const *ops,
		 unsigned n)
{
	unsigned i;

	memset(m, 0, sizeof(*m));
	m->ops = ops ? ops : meter_ops_table;
	m->n = ops ? n : meter_ops_count;
	if (m->n > METERS_MAX)
		die("%u meters: METERS_MAX is %d", m->n, METERS_MAX);
	for (i = 0; i < m->n; i++)
		m->state[i] = xcalloc(1, m->ops[i]->state_size ?
						 m->ops[i]->state_size :
						 1);
}

void meters_release(struct meters *m)
{
	unsigned i;

	for (i = 0; i < m->n; i++) {
		if (m->state[i] && m->ops[i]->release)
			m->ops[i]->release(m->state[i]);
		free(m->state[i]);
		m->state[i] = NULL;
	}
}

void meters_setup_done(struct meters *m, struct run_ctx *ctx)
{
	unsigned i;

	for (i = 0; i < m->n; i++) {
		if (m->ops[i]->setup_done)
			m->ops[i]->setup_done(ctx, m->state[i]);
	}
}

static bool wanted(const struct meters *m, const struct run_ctx *ctx,
		   unsigned i)
{
	const struct meter_ops *o = m->ops[i];

	return !o->wanted || o->wanted(ctx->c, ctx->t);
}

/*
 * In the order of the begins: the settings read, the capture points
 * started, and the probe meter's warm-up exchange last, just before the
 * first run. A prober left idle while the captures started (~0.1 s)
 * made a VM's first run 2-5 ms dearer than the next (bench/RESULTS.md);
 * then each meter's setup_ready: the captures read their rings past the
 * exchange, whose frames are no run's (the split meter's).
 */
void meters_setup_begin(struct meters *m, struct run_ctx *ctx)
{
	unsigned i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < m->n; i++) {
			const struct meter_ops *o = m->ops[i];
			void (*hook)(struct run_ctx *, void *) =
				pass ? o->setup_ready : o->setup_begin;
			int64_t t;

			if (!hook || !wanted(m, ctx, i))
				continue;
			t = now_mono();
			hook(ctx, m->state[i]);
			debug("meter %s setup %s: %.3f ms",
			      o->def ? o->def->name : "?",
			      pass ? "ready" : "begin",
			      (double)(now_mono() - t) / NSEC_PER_MSEC);
		}
	}
}

enum phase { PREPARE, BEGIN, MEASURE, END };

typedef int (*hook_fn)(struct run_ctx *ctx, void *st);

static hook_fn hook_of(const struct meter_ops *o, enum phase p)
{
	switch (p) {
	case PREPARE:
		return o->prepare;
	case BEGIN:
		return o->begin;
	case MEASURE:
		return o->measure;
	default:
		return o->end;
	}
}

static const char *const phase_name[] = {"prepare", "begin", "measure",
					 "end"};

/*
 * One meter's hook, timed: `iovbench -vv run` says where a run's time
 * goes beyond its probing (bench/overhead, the first run after a boot).
 */
static int timed(const struct meter_ops *o, enum phase p, hook_fn hook,
		 struct run_ctx *ctx, void *st)
{
	int64_t t = now_mono();
	int ret = hook(ctx, st);

	debug("meter %s %s: %.3f ms", o->def ? o->def->name : "?",
	      phase_name[p], (double)(now_mono() - t) / NSEC_PER_MSEC);
	return ret;
}

/* A phase of every meter the test takes, in table order. */
static int phase(struct meters *m, struct run_ctx *ctx, enum phase p)
{
	unsigned i;
	int ret;

	for (i = 0; i < m->n; i++) {
		hook_fn hook = hook_of(m->ops[i], p);

		if (!m->on[i] || !hook)
			continue;
		ret = timed(m->ops[i], p, hook, ctx, m->state[i]);
		if (ret)
			return ret;
	}
	return 0;
}

int meters_run(struct meters *m, struct run_ctx *ctx)
{
	unsigned i;
	int ret, end;

	for (i = 0; i < m->n; i++) {
		m->on[i] = wanted(m, ctx, i);
		/* what it keeps for the setup must not run beside a run
		 * that does not take it (a capture: off twin) */
		if (!m->on[i] && m->ops[i]->skip)
			m->ops[i]->skip(ctx, m->state[i]);
	}
	ret = phase(m, ctx, PREPARE);
	if (!ret)
		ret = phase(m, ctx, BEGIN);
	if (!ret)
		ret = phase(m, ctx, MEASURE);
	if (ret)
		return ret; /* meters_done() stops what began */
	/* in reverse: a meter may read what a later one measured */
	for (i = m->n; i-- > 0;) {
		const struct meter_ops *o = m->ops[i];

		if (!m->on[i] || !o->end)
			continue;
		end = timed(o, END, o->end, ctx, m->state[i]);
		if (end && !ret)
			ret = end;
	}
	return ret;
}

size_t meters_rows(struct meters *m, struct meter_rows *out)
{
	size_t n = 0;
	unsigned i;

	for (i = 0; i < m->n; i++) {
		if (!m->on[i] || !m->ops[i]->rows)
			continue;
		out[n].def = m->ops[i]->def;
		out[n].rows = m->ops[i]->rows;
		out[n].data = m->state[i];
		n++;
	}
	return n;
}

void meters_done(struct meters *m)
{
	unsigned i;

	for (i = 0; i < m->n; i++) {
		if (m->ops[i]->run_done)
			m->ops[i]->run_done(m->state[i]);
		m->on[i] = false;
	}
}

double meters_seconds(const struct meters *m, const struct campaign *c,
		      const struct test *t)
{
	double s = 0;
	unsigned i;

	for (i = 0; i < m->n; i++) {
		if (m->ops[i]->seconds)
			s += m->ops[i]->seconds(c, t);
	}
	return s;
}
