// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/summary.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "util/alloc.h"
#include "util/strbuf.h"

struct test_row {
	char id[TEST_ID_LEN + 1];
	int64_t v[FACTOR_COUNT];
	unsigned runs;
	struct probe_summary sum;
	char ts[16];
	char accel[16], vf[16];
	struct stats rtt, user;
};

struct rows {
	struct test_row *r;
	size_t n, alloc;
};

static int collect(const struct store_test_rtts *t, void *data)
{
	struct rows *rows = data;
	struct test_row *r;

	ALLOC_GROW(rows->r, rows->n + 1, rows->alloc);
	r = &rows->r[rows->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", t->test_id);
	memcpy(r->v, t->v, sizeof(r->v));
	r->runs = t->runs;
	r->sum = t->sum;
	snprintf(r->ts, sizeof(r->ts), "%s", t->ts_source);
	snprintf(r->accel, sizeof(r->accel), "%s", t->accel);
	snprintf(r->vf, sizeof(r->vf), "%s", t->vf);
	/* stats_compute sorts in place: the arrays are ours to sort */
	stats_compute(t->rtt, t->nrtt, &r->rtt);
	stats_compute(t->rtt_user, t->nrtt_user, &r->user);
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct test_row *x = a, *y = b;
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		if (x->v[f] != y->v[f])
			return x->v[f] < y->v[f] ? -1 : 1;
	}
	return strcmp(x->id, y->id);
}

/* A row's cells: text kept in one buffer, pointers into it. */
struct cells {
	const char *names[48];
	const char *values[48];
	bool numeric[48];
	char buf[48][40];
	int n;
};

static void cell(struct cells *c, const char *name, bool numeric,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void cell(struct cells *c, const char *name, bool numeric,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->buf[c->n], sizeof(c->buf[c->n]), fmt, ap);
	va_end(ap);
	c->names[c->n] = name;
	c->values[c->n] = c->buf[c->n];
	c->numeric[c->n] = numeric;
	c->n++;
}

static void null_cell(struct cells *c, const char *name)
{
	c->names[c->n] = name;
	c->values[c->n] = NULL;
	c->numeric[c->n] = true;
	c->n++;
}

/* RTT in microseconds with ns resolution; NULL when there is none. */
static void us_cell(struct cells *c, const char *name, size_t n, double ns)
{
	if (n)
		cell(c, name, true, "%.3f", ns / 1e3);
	else
		null_cell(c, name);
}

static void emit(const struct test_row *r, const bool *show, bool human,
		 bool notes, struct writer *w)
{
	struct cells c = {.n = 0};
	struct store_row row;
	double loss;
	int f;

	if (!human)
		cell(&c, "test_id", false, "%s", r->id);
	for (f = 0; f < FACTOR_COUNT; f++) {
		char val[64];

		if (!show[f])
			continue;
		if (human)
			factor_format_human((enum factor_id)f, r->v[f], val,
					    sizeof(val));
		else
			factor_format((enum factor_id)f, r->v[f], val,
				      sizeof(val));
		cell(&c, factor_table[f].name,
		     factor_table[f].kind == FACTOR_INT && !human, "%s", val);
	}
	loss = r->sum.sent ? 100.0 * (double)r->sum.lost / (double)r->sum.sent :
			     0;
	cell(&c, "runs", true, "%u", r->runs);
	cell(&c, "sent", true, "%llu", (unsigned long long)r->sum.sent);
	cell(&c, human ? "loss%" : "loss_pct", true, "%.2f", loss);
	cell(&c, human ? "dup" : "duplicated", true, "%llu",
	     (unsigned long long)r->sum.duplicated);
	cell(&c, human ? "reord" : "reordered", true, "%llu",
	     (unsigned long long)r->sum.reordered);
	cell(&c, human ? "ts" : "ts_source", false, "%s", r->ts);
	if (!human) {
		cell(&c, "accel", false, "%s", r->accel);
		cell(&c, "vf", false, "%s", r->vf);
	} else if (notes) {
		/* what a reader must know to read the row: software CPU, fake
		 * VFs */
		cell(&c, "notes", false, "%s%s%s", *r->accel ? r->accel : "-",
		     *r->vf ? ", VF " : "", r->vf);
	}
	us_cell(&c, human ? "min" : "rtt_min_us", r->rtt.n, r->rtt.min);
	us_cell(&c, human ? "p25" : "rtt_p25_us", r->rtt.n, r->rtt.p25);
	us_cell(&c, human ? "p50" : "rtt_p50_us", r->rtt.n, r->rtt.p50);
	us_cell(&c, human ? "p75" : "rtt_p75_us", r->rtt.n, r->rtt.p75);
	us_cell(&c, human ? "p90" : "rtt_p90_us", r->rtt.n, r->rtt.p90);
	us_cell(&c, human ? "p99" : "rtt_p99_us", r->rtt.n, r->rtt.p99);
	us_cell(&c, human ? "max" : "rtt_max_us", r->rtt.n, r->rtt.max);
	us_cell(&c, human ? "mean" : "rtt_mean_us", r->rtt.n, r->rtt.mean);
	us_cell(&c, human ? "stdev" : "rtt_stdev_us", r->rtt.n, r->rtt.stdev);
	us_cell(&c, human ? "user_p50" : "rtt_user_p50_us", r->user.n,
		r->user.p50);
	us_cell(&c, human ? "user_p99" : "rtt_user_p99_us", r->user.n,
		r->user.p99);
	row.n = c.n;
	row.names = c.names;
	row.values = c.values;
	row.numeric = c.numeric;
	writer_row(&row, w);
}

int report_summary(struct store *s, char *const *ids, size_t n,
		   enum writer_format fmt, FILE *out)
{
	struct rows rows = {NULL, 0, 0};
	bool show[FACTOR_COUNT], human = fmt == FORMAT_TEXT, notes = false;
	struct writer *w;
	size_t i;
	int f, ret;

	ret = store_each_test_rtts(s, ids, n, collect, &rows);
	if (ret)
		goto out;
	if (rows.n)
		qsort(rows.r, rows.n, sizeof(*rows.r), cmp_rows);
	/* people get constant factors once, above the table */
	for (f = 0; f < FACTOR_COUNT; f++) {
		show[f] = !(factor_table[f].flags & FACTOR_NOT_IN_ID);
		if (!human || !show[f] || rows.n < 2)
			continue;
		for (i = 1; i < rows.n && rows.r[i].v[f] == rows.r[0].v[f]; i++)
			;
		show[f] = i < rows.n;
	}
	if (human && rows.n >= 2) {
		struct strbuf same = STRBUF_INIT;
		char val[64];

		for (f = 0; f < FACTOR_COUNT; f++) {
			if (show[f] ||
			    (factor_table[f].flags & FACTOR_NOT_IN_ID) ||
			    factor_is_implicit((enum factor_id)f,
					       rows.r[0].v[f]))
				continue;
			factor_format_human((enum factor_id)f, rows.r[0].v[f],
					    val, sizeof(val));
			strbuf_addf(&same, " %s=%s", factor_table[f].name, val);
		}
		if (same.len)
			fprintf(out, "every test:%s\n", same.buf);
		strbuf_release(&same);
	}
	if (human && !rows.n) {
		fprintf(out, "no complete runs\n");
		goto out;
	}
	for (i = 0; i < rows.n; i++)
		notes |= *rows.r[i].accel || *rows.r[i].vf;
	w = writer_new(fmt, out);
	for (i = 0; i < rows.n; i++)
		emit(&rows.r[i], show, human, notes, w);
	ret = writer_finish(w);
	if (human && !ret)
		fprintf(out, "RTT in microseconds, from kernel (software) or NIC "
			     "(hardware) timestamps, over all probes of all "
			     "runs; user_* from user-space times%s "
			     "(docs/metrics.md)\n",
			notes ? "; notes: the VMs' accelerator (tcg: software "
				"emulation) and emulated SR-IOV VFs" :
				"");
out:
	free(rows.r);
	return ret;
}
