// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The meters' pure halves through the series: every entry well formed,
 * and the folds (RTT, the split's capture share, CPU busy, the load's
 * rates, Jain's index, interference) from rows as the store reads them.
 */
#include "unit.h"

#include <math.h>

#include "core/meter_hygiene.h"
#include "core/meter_load.h"
#include "core/meter_probe.h"
#include "core/series.h"

static unsigned meter_index(const struct meter_def *d)
{
	unsigned m;

	for (m = 0; m < meter_count; m++) {
		if (meter_defs[m] == d)
			return m;
	}
	fail_msg("meter %s is not in meter_defs", d->name);
	return 0;
}

/* A row of table k of meter d: name=value pairs, the rest NULL. */
struct row {
	const struct meter_def *d;
	unsigned k;
	struct cell c[METER_COLS_MAX];
};

static struct row *row_of(struct row *r, const struct meter_def *d,
			  const char *table)
{
	unsigned k;

	memset(r, 0, sizeof(*r));
	r->d = d;
	for (k = 0; k < d->ntables; k++) {
		if (!strcmp(d->tables[k].name, table))
			break;
	}
	assert_true(k < d->ntables);
	r->k = k;
	return r;
}

static void set(struct row *r, const char *col, struct cell v)
{
	const struct meter_table *t = &r->d->tables[r->k];
	unsigned c;

	for (c = 0; c < t->ncols; c++) {
		if (!strcmp(t->cols[c].name, col)) {
			r->c[c] = v;
			return;
		}
	}
	fail_msg("no column %s in %s", col, t->name);
}

static void put(struct series *s, struct row *r)
{
	series_row(s, meter_index(r->d), r->k, r->c);
}

static const struct metric_value *value(const struct series *s, size_t test,
					const char *name)
{
	int k = series_metric_find(s, name);

	assert_true(k >= 0);
	return &s->tests[test].values[k];
}

static void test_entries(void **state)
{
	unsigned m, k, c, j, i;

	(void)state;
	for (m = 0; m < meter_count; m++) {
		const struct meter_def *d = meter_defs[m];

		assert_non_null(d->name);
		assert_non_null(d->finish);
		for (k = 0; k < d->ntables; k++) {
			const struct meter_table *t = &d->tables[k];

			assert_true(t->ncols > 0 && t->ncols <= METER_COLS_MAX);
			assert_non_null(t->unit);
			assert_ptr_equal(meter_table_find(t->name, NULL), d);
			for (c = 0; c < t->ncols; c++) {
				assert_non_null(t->cols[c].name);
				assert_true(t->cols[c].type != CELL_NULL);
				for (j = 0; j < c; j++)
					assert_string_not_equal(
						t->cols[c].name,
						t->cols[j].name);
			}
		}
		for (i = 0; i < d->nmetrics; i++) {
			const struct metric *x = &d->metrics[i];

			assert_non_null(x->name);
			assert_non_null(x->fmt);
			assert_non_null(x->doc);
			assert_true(x->flags & (METRIC_MACHINE | METRIC_HUMAN));
			if (x->flags & METRIC_HUMAN)
				assert_non_null(x->human);
		}
	}
}

static void test_names_unique(void **state)
{
	struct series s;
	unsigned i, j;

	(void)state;
	series_init(&s);
	for (i = 0; i < s.nmetrics; i++) {
		for (j = 0; j < i; j++)
			assert_string_not_equal(s.metrics[i]->name,
						s.metrics[j]->name);
	}
	series_release(&s);
}

static void begin(struct series *s, int64_t background)
{
	int64_t v[FACTOR_COUNT];
	int f;

	for (f = 0; f < FACTOR_COUNT; f++)
		v[f] = factor_default((enum factor_id)f);
	v[F_BACKGROUND] = background;
	if (background)
		v[F_LOAD_TYPE] = LOAD_NET;
	series_test_begin(s, background ? "loaded" : "quiet", v);
}

static void probe(struct series *s, int64_t rtt)
{
	struct row r;

	row_of(&r, &meter_probe, "probes");
	set(&r, "rtt_ns", cell_int(rtt));
	set(&r, "rtt_user_ns", cell_int(rtt + 1000));
	put(s, &r);
}

static void load(struct series *s, const char *role, double pps)
{
	struct row r;

	row_of(&r, &meter_load, "loads");
	set(&r, "role", cell_text(role));
	set(&r, "pps", cell_real(pps));
	set(&r, "bps", cell_real(pps * 8000));
	set(&r, "seconds", cell_real(2));
	set(&r, "cpu_seconds", cell_real(1));
	put(s, &r);
}

static void cpu(struct series *s, const char *server, double idle)
{
	struct row r;

	row_of(&r, &meter_cpu, "cpu");
	set(&r, "server", cell_text(server));
	set(&r, "cpu", cell_text("all"));
	set(&r, "idle", cell_real(idle));
	put(s, &r);
	set(&r, "cpu", cell_text("0"));
	set(&r, "idle", cell_real(0)); /* one CPU's row is not "all" */
	put(s, &r);
}

static void test_folds(void **state)
{
	struct meter_run run = {.id = 1, .setup = NULL};
	struct series s;
	struct row r;
	char buf[64];

	(void)state;
	series_init(&s);
	/* loaded: two runs of two net generators and a sink */
	begin(&s, 2);
	series_run(&s, &run);
	probe(&s, 15000);
	probe(&s, 17000);
	load(&s, "net", 100);
	load(&s, "net", 300);
	load(&s, "sink", 390);
	cpu(&s, "host", 20);
	row_of(&r, &meter_split, "captures");
	set(&r, "available", cell_int(0));
	put(&s, &r);
	series_run(&s, &run);
	load(&s, "net", 200);
	load(&s, "net", 200);
	cpu(&s, "host", 40);
	series_test_end(&s);
	/* quiet: RTT only, and its capture points saw 3 of 4 frames */
	begin(&s, 0);
	series_run(&s, &run);
	probe(&s, 10000);
	probe(&s, 12000);
	row_of(&r, &meter_split, "captures");
	set(&r, "available", cell_int(1));
	set(&r, "requests", cell_int(2));
	set(&r, "replies", cell_int(1));
	set(&r, "expected_requests", cell_int(2));
	set(&r, "expected_replies", cell_int(2));
	put(&s, &r);
	series_test_end(&s);
	series_finish(&s);

	/* ordered by factors: the quiet test first */
	assert_string_equal(s.tests[0].id, "quiet");
	assert_true(value(&s, 0, "rtt_p50_us")->d == 11000);
	assert_true(value(&s, 1, "rtt_p50_us")->d == 16000);
	assert_true(value(&s, 1, "interference_p50_us")->d == 5000);
	assert_int_equal(value(&s, 0, "interference_p50_us")->type, CELL_NULL);
	/* per run (100 + 300, 200 + 200), then the mean over runs */
	assert_true(value(&s, 1, "load_sent_pps")->d == 400);
	assert_true(value(&s, 1, "load_received_pps")->d == 390);
	assert_true(fabs(value(&s, 1, "load_jain")->d - 0.9) < 1e-12);
	assert_int_equal(value(&s, 1, "load_cpu_cores")->type, CELL_NULL);
	/* the local testbed's one host serves both servers */
	assert_true(value(&s, 1, "cpu_busy_sender_pct")->d == 70);
	assert_true(value(&s, 1, "cpu_busy_responder_pct")->d == 70);
	assert_int_equal(value(&s, 0, "cpu_busy_sender_pct")->type, CELL_NULL);
	/* capture share: a number, n/a, or a placeholder */
	assert_true(value(&s, 0, "captured%")->d == 75);
	assert_string_equal(value(&s, 1, "captured%")->s, "n/a");
	assert_false(value(&s, 1, "captured%")->placeholder);
	assert_true(value(&s, 0, "capture_expected")->d == 4);

	/* printed as they always were */
	series_format(s.metrics[series_metric_find(&s, "load_sent_pps")],
		      value(&s, 1, "load_sent_pps"), true, buf, sizeof(buf));
	assert_string_equal(buf, "0.40");
	series_format(s.metrics[series_metric_find(&s, "rtt_p50_us")],
		      value(&s, 1, "rtt_p50_us"), false, buf, sizeof(buf));
	assert_string_equal(buf, "16.000");
	series_format(s.metrics[series_metric_find(&s, "nic_p50_us")],
		      value(&s, 1, "nic_p50_us"), true, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	series_release(&s);
}

/* a test of factors v named id, one run of these RTTs */
static void probe_test(struct series *s, const char *id, const int64_t *v,
		       int64_t a, int64_t b)
{
	struct meter_run run = {.id = 1, .setup = NULL};

	series_test_begin(s, id, v);
	series_run(s, &run);
	probe(s, a);
	probe(s, b);
	series_test_end(s);
}

/* capture_cost_us: p50 minus the capture: off twin's, per data plane */
static void test_capture_cost(void **state)
{
	int64_t v[FACTOR_COUNT], w[FACTOR_COUNT];
	struct series s;
	int f;

	(void)state;
	for (f = 0; f < FACTOR_COUNT; f++)
		v[f] = factor_default((enum factor_id)f);
	memcpy(w, v, sizeof(w));
	w[F_DATAPLANE] = v[F_DATAPLANE] + 1;
	series_init(&s);
	probe_test(&s, "a-on", v, 12000, 14000);
	v[F_CAPTURE] = CAPTURE_OFF;
	probe_test(&s, "a-off", v, 10000, 12000);
	probe_test(&s, "b-on", w, 9000, 9000); /* no twin */
	w[F_RATE] = 5; /* the twin of nothing: another rate */
	w[F_CAPTURE] = CAPTURE_OFF;
	probe_test(&s, "b-off", w, 1000, 1000);
	series_finish(&s);
	for (f = 0; f < 4; f++) {
		const char *id = s.tests[f].id;
		const struct metric_value *c = value(&s, (size_t)f,
						     "capture_cost_us");

		if (!strcmp(id, "a-on")) {
			assert_true(c->d == 2000);
			assert_true(value(&s, (size_t)f,
					  "rtt_nocap_p50_us")->d == 11000);
		} else {
			assert_int_equal(c->type, CELL_NULL);
		}
	}
	series_release(&s);
}

static void test_hygiene_fold(void **state)
{
	struct meter_run run = {.id = 1, .setup = NULL};
	struct series s;
	struct row r;

	(void)state;
	series_init(&s);
	begin(&s, 0);
	series_run(&s, &run);
	row_of(&r, &meter_hygiene, "host_settings");
	set(&r, "server", cell_text("sender"));
	set(&r, "setting", cell_text("turbo"));
	set(&r, "value", cell_text("on (intel_pstate)"));
	set(&r, "distorts", cell_int(1));
	put(&s, &r);
	set(&r, "setting", cell_text("governor"));
	set(&r, "distorts", cell_int(0));
	put(&s, &r);
	set(&r, "setting", cell_text("smt"));
	set(&r, "distorts", cell_int(1));
	put(&s, &r);
	series_test_end(&s);
	begin(&s, 2);
	series_run(&s, &run);
	set(&r, "distorts", cell_int(0));
	put(&s, &r);
	series_test_end(&s);
	series_finish(&s);
	/* in the table's order, not the rows' */
	assert_string_equal(value(&s, 0, "distorted_by")->s, "turbo,smt");
	assert_int_equal(value(&s, 1, "distorted_by")->type, CELL_NULL);
	series_release(&s);
}

static void test_jain(void **state)
{
	const double equal[] = {5, 5, 5, 5}, one[] = {10, 0, 0, 0};

	(void)state;
	assert_true(meter_load_jain(equal, 4) == 1);
	assert_true(meter_load_jain(one, 4) == 0.25);
	assert_true(isnan(meter_load_jain(one, 0)));
}

static void test_suspect(void **state)
{
	struct probe_summary sum = {.sent = 100, .lost = 60};
	struct probe_meta m = {.preflight = PREFLIGHT_ANSWERED};
	char why[160];

	(void)state;
	assert_int_equal(meter_probe_suspect(&sum, &m, 50, why, sizeof(why)),
			 1);
	assert_string_equal(why, "lost 60.0% of its probes (more than "
				 "prober.suspect_loss, 50%) on a path that "
				 "answered its preflight");
	/* at the ceiling, below it, or a path that never answered */
	sum.lost = 50;
	assert_int_equal(meter_probe_suspect(&sum, &m, 50, why, sizeof(why)),
			 0);
	sum.lost = 100;
	m.preflight = PREFLIGHT_SILENT;
	assert_int_equal(meter_probe_suspect(&sum, &m, 50, why, sizeof(why)),
			 0);
	m.preflight = PREFLIGHT_UNSAID;
	assert_int_equal(meter_probe_suspect(&sum, &m, 50, why, sizeof(why)),
			 0);
}

/* Overloaded runs: counted, their lowest ratio, late share, CO RTT. */
static void test_overload_fold(void **state)
{
	struct meter_run run = {.id = 1, .setup = NULL};
	struct series s;
	struct row r;

	(void)state;
	series_init(&s);
	begin(&s, 0);
	series_run(&s, &run);
	row_of(&r, &meter_probe, "probe_runs");
	set(&r, "sent", cell_int(100));
	set(&r, "sched_pps", cell_real(1000));
	set(&r, "achieved_pps", cell_real(500));
	set(&r, "late", cell_int(60));
	set(&r, "overload", cell_text("achieved 500 pps"));
	put(&s, &r);
	row_of(&r, &meter_probe, "probes");
	set(&r, "rtt_ns", cell_int(5000));
	set(&r, "replies", cell_int(1));
	set(&r, "flags", cell_int(PROBE_TX_SW | PROBE_RX_SW));
	set(&r, "t_sched", cell_int(1000000));
	set(&r, "t_rx", cell_int(1009000));
	set(&r, "t_rx_user", cell_int(1012000));
	put(&s, &r);
	series_run(&s, &run);
	row_of(&r, &meter_probe, "probe_runs");
	set(&r, "sent", cell_int(100));
	set(&r, "sched_pps", cell_real(1000));
	set(&r, "achieved_pps", cell_real(1000));
	set(&r, "late", cell_int(0));
	put(&s, &r);
	series_test_end(&s);
	series_finish(&s);
	assert_true(value(&s, 0, "overloaded_runs")->d == 1);
	assert_false(value(&s, 0, "overloaded_runs")->placeholder);
	assert_true(value(&s, 0, "achieved_ratio")->d == 0.5);
	assert_true(value(&s, 0, "achieved_pps")->d == 750);
	assert_true(value(&s, 0, "late_pct")->d == 30);
	assert_true(value(&s, 0, "rtt_sched_p50_us")->d == 9000);
	series_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_names_unique),
		cmocka_unit_test(test_folds),
		cmocka_unit_test(test_capture_cost),
		cmocka_unit_test(test_hygiene_fold),
		cmocka_unit_test(test_jain),
		cmocka_unit_test(test_suspect),
		cmocka_unit_test(test_overload_fold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
