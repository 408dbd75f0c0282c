// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/summary.h"

#include <math.h>
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
	struct stats split[SPLIT_DURATIONS]; /* by enum split_duration */
	uint64_t cap_seen, cap_expected, cap_drops;
	bool cap_unavailable;
	double busy[2], load_pps, load_bps, sink_pps, load_cpu, jain;
	double interference; /* p50 minus the quiet test's; NAN: none */
};

struct rows {
	struct test_row *r;
	size_t n, alloc;
};

static int collect(const struct store_test_rtts *t, void *data)
{
	struct rows *rows = data;
	struct test_row *r;
	int k;

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
	for (k = 0; k < SPLIT_DURATIONS; k++)
		stats_compute(t->split[k], t->nsplit[k], &r->split[k]);
	r->cap_seen = t->cap_seen;
	r->cap_expected = t->cap_expected;
	r->cap_drops = t->cap_drops;
	r->cap_unavailable = t->cap_unavailable;
	r->busy[0] = t->busy[0];
	r->busy[1] = t->busy[1];
	r->load_pps = t->load_pps;
	r->load_bps = t->load_bps;
	r->sink_pps = t->sink_pps;
	r->load_cpu = t->load_cpu;
	r->jain = t->jain;
	r->interference = NAN;
	return 0;
}

/* Factors that make a test loaded rather than quiet. */
static const enum factor_id load_factors[] = {
	F_BACKGROUND, F_BG_KIND, F_BG_DATAPLANE, F_LOAD_TYPE, F_LOAD_LOCATION,
};

/*
 * Interference: a test's median RTT minus that of the same test without
 * background guests (the paper's "as background load grows", per data
 * plane and everything else held).
 */
static void interference(struct rows *rows)
{
	size_t i, j, k;

	for (i = 0; i < rows->n; i++) {
		struct test_row *r = &rows->r[i];
		int64_t quiet[FACTOR_COUNT];

		if (!r->v[F_BACKGROUND] || !r->rtt.n)
			continue;
		memcpy(quiet, r->v, sizeof(quiet));
		for (k = 0; k < ARRAY_SIZE(load_factors); k++)
			quiet[load_factors[k]] = factor_default(load_factors[k]);
		for (j = 0; j < rows->n; j++) {
			if (rows->r[j].rtt.n &&
			    !memcmp(rows->r[j].v, quiet, sizeof(quiet))) {
				r->interference = r->rtt.p50 - rows->r[j].rtt.p50;
				break;
			}
		}
	}
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
	const char *names[96];
	const char *values[96];
	bool numeric[96];
	char buf[96][40];
	int n;
};

static void cell(struct cells *c, const char *name, bool numeric,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void cell(struct cells *c, const char *name, bool numeric,
		 const char *fmt, ...)
{
	va_list ap;

	if (c->n == (int)ARRAY_SIZE(c->names))
		return; /* a table grew past its row: caught by the tests */
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
	if (c->n == (int)ARRAY_SIZE(c->names))
		return;
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

/* A value, or NULL when it was not measured (negative, NaN). */
static void num_cell(struct cells *c, const char *name, const char *fmt,
		     double v, double scale)
{
	if (v >= 0 && !isnan(v))
		cell(c, name, true, fmt, v * scale);
	else
		null_cell(c, name);
}

/* What the capture points, the CPU and the load said (docs/metrics.md). */
static void observed_cells(struct cells *c, const struct test_row *r,
			   bool human, bool ports)
{
	static const char *const split_names[2][SPLIT_DURATIONS] = {
		{"nic_p50_us", "response_p50_us", "wire_p50_us",
		 "overhead_p50_us", "snd_host_p50_us", "rsp_host_p50_us",
		 "rsp_guest_p50_us"},
		{"nic_p50", "resp_p50", "wire_p50", "ovh_p50", "shost_p50",
		 "rhost_p50", "rguest_p50"},
	};
	int k;

	for (k = 0; k <= SPLIT_OVERHEAD; k++)
		us_cell(c, split_names[human][k], r->split[k].n,
			r->split[k].p50);
	us_cell(c, human ? "ovh_min" : "overhead_min_us",
		r->split[SPLIT_OVERHEAD].n, r->split[SPLIT_OVERHEAD].min);
	/* the ports' columns: people get them when a test has them */
	for (k = SPLIT_OVERHEAD + 1; k < SPLIT_DURATIONS; k++) {
		if (ports || !human)
			us_cell(c, split_names[human][k], r->split[k].n,
				r->split[k].p50);
	}
	if (human) {
		if (r->cap_expected)
			cell(c, "captured%", true, "%.2f",
			     100.0 * (double)r->cap_seen /
				     (double)r->cap_expected);
		else
			cell(c, "captured%", false, "%s",
			     r->cap_unavailable ? "n/a" : "-");
	} else {
		cell(c, "capture_seen", true, "%llu",
		     (unsigned long long)r->cap_seen);
		cell(c, "capture_expected", true, "%llu",
		     (unsigned long long)r->cap_expected);
	}
	cell(c, human ? "cap_drops" : "capture_drops", true, "%llu",
	     (unsigned long long)r->cap_drops);
	num_cell(c, human ? "busy%_s" : "cpu_busy_sender_pct", "%.1f",
		 r->busy[0], 1);
	num_cell(c, human ? "busy%_r" : "cpu_busy_responder_pct", "%.1f",
		 r->busy[1], 1);
	num_cell(c, human ? "load_kpps" : "load_sent_pps",
		 human ? "%.2f" : "%.1f", r->load_pps, human ? 1e-3 : 1);
	num_cell(c, human ? "sink_kpps" : "load_received_pps",
		 human ? "%.2f" : "%.1f", r->sink_pps, human ? 1e-3 : 1);
	num_cell(c, human ? "load_Mbps" : "load_sent_bps",
		 human ? "%.1f" : "%.0f", r->load_bps, human ? 1e-6 : 1);
	num_cell(c, human ? "load_cpu" : "load_cpu_cores", "%.2f",
		 r->load_cpu, 1);
	num_cell(c, human ? "jain" : "load_jain", "%.3f", r->jain, 1);
	if (isnan(r->interference))
		null_cell(c, human ? "intf_p50" : "interference_p50_us");
	else
		cell(c, human ? "intf_p50" : "interference_p50_us", true,
		     "%.3f", r->interference / 1e3);
}

static void emit_observed(const struct test_row *r, const bool *show,
			  bool ports, struct writer *w)
{
	struct cells c = {.n = 0};
	struct store_row row;
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		char val[64];

		if (!show[f])
			continue;
		factor_format_human((enum factor_id)f, r->v[f], val,
				    sizeof(val));
		cell(&c, factor_table[f].name, false, "%s", val);
	}
	observed_cells(&c, r, true, ports);
	row.n = c.n;
	row.names = c.names;
	row.values = c.values;
	row.numeric = c.numeric;
	writer_row(&row, w);
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
	if (!human)
		observed_cells(&c, r, false, true);
	row.n = c.n;
	row.names = c.names;
	row.values = c.values;
	row.numeric = c.numeric;
	writer_row(&row, w);
}

static bool observed_any(const struct rows *rows)
{
	size_t i;

	for (i = 0; i < rows->n; i++) {
		const struct test_row *r = &rows->r[i];

		if (r->split[0].n || r->cap_expected || r->cap_unavailable ||
		    r->busy[0] >= 0 || r->v[F_BACKGROUND])
			return true;
	}
	return false;
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
	interference(&rows);
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
	if (human && !ret && observed_any(&rows)) {
		bool ports = false;

		for (i = 0; i < rows.n; i++)
			ports |= rows.r[i].split[SPLIT_SND_HOST].n ||
				 rows.r[i].split[SPLIT_RSP_GUEST].n;
		fprintf(out, "\n");
		w = writer_new(fmt, out);
		for (i = 0; i < rows.n; i++)
			emit_observed(&rows.r[i], show, ports, w);
		ret = writer_finish(w);
		if (!ret)
			fprintf(out,
				"where the RTT went (p50 in microseconds: at "
				"the sender NIC, the responder's response "
				"time, the wire, the sender's overhead%s), "
				"the share of probe frames the capture points saw, "
				"CPU busy%% per server, the background load "
				"achieved and its fairness (Jain), and the "
				"interference: p50 minus the same test's "
				"without background (docs/metrics.md)\n",
				ports ? "; with the ports: the sender's "
					"and the responder's host data "
					"plane, the responder guest" :
					"");
	}
out:
	free(rows.r);
	return ret;
}
