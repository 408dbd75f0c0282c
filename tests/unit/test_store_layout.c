// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stored layout of schema 3 (store/layout.c): probes and their
 * splits saved through store_save_run() read back through the views
 * exactly as meter_probe_cells() and meter_split_probe_cells() made
 * them, for every kind of probe: lost, duplicated, send errors, mixed
 * hardware and software stamps, no schedule, a run without a start;
 * counts around the INSERT batch (64 rows) so that both statements run.
 */
#include "unit.h"

#include <sqlite3.h>
#include <unistd.h>

#include "core/meter_probe.h"
#include "core/meter_split.h"
#include "core/split.h"
#include "store/store.h"
#include "util/alloc.h"

struct layout_run {
	struct probe_rec *r;
	struct probe_split *ps;
	size_t n;
};

static int probe_rows(void *data, unsigned table, struct row_sink *sink)
{
	struct layout_run *lr = data;
	struct cell c[METER_COLS_MAX];
	size_t i;

	if (table == 0) {
		struct probe_summary sum = {.count = lr->n};
		struct probe_meta meta = {.session = 3};

		meter_probe_run_cells(&sum, &meta, &(struct probe_verdict){0},
				      c);
		return sink->put(sink, c);
	}
	for (i = 0; i < lr->n; i++) {
		meter_probe_cells(&lr->r[i], c);
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

static int split_rows(void *data, unsigned table, struct row_sink *sink)
{
	struct layout_run *lr = data;
	struct cell c[METER_COLS_MAX];
	size_t i;

	for (i = 0; table == 0 && i < lr->n; i++) {
		if (meter_split_probe_cells((uint32_t)i, &lr->ps[i], c) &&
		    sink->put(sink, c))
			return -1;
	}
	return 0;
}

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* what split_finish() leaves in wire */
static void split_finish_wire(struct probe_split *ps)
{
	if (ps->rtt_nic != SPLIT_NONE && ps->response != SPLIT_NONE)
		ps->wire = ps->rtt_nic - ps->response;
}

/* every kind of probe, by the probe's number */
static void make(struct layout_run *lr, size_t n, uint64_t seed)
{
	static const uint32_t kinds[] = {
		PROBE_TX_SW | PROBE_RX_SW, PROBE_TX_HW | PROBE_RX_HW,
		PROBE_TX_SW | PROBE_RX_HW, PROBE_TX_HW,
		PROBE_TX_SW | PROBE_RX_SW | PROBE_REORDERED, PROBE_SEND_ERROR,
	};
	size_t i;

	lr->n = n;
	lr->r = test_calloc(n, sizeof(*lr->r));
	lr->ps = test_calloc(n, sizeof(*lr->ps));
	for (i = 0; i < n; i++) {
		struct probe_rec *r = &lr->r[i];
		struct probe_split *ps = &lr->ps[i];
		uint64_t u = rnd(&seed);

		r->seq = (uint32_t)i;
		r->flags = kinds[u % ARRAY_SIZE(kinds)];
		r->t_sched = i % 7 == 3 ? 0 : 1764680000000000000ll +
						      (int64_t)i * 25000;
		r->t_tx_user = (r->t_sched ? r->t_sched :
					     1764680000000000000ll) +
			       (int64_t)(u >> 8) % 500 - 50;
		/* a NIC's stamps are on its own clock */
		r->t_tx = r->flags & PROBE_TX_HW ?
				  123456789 + (int64_t)i * 25000 :
				  r->t_tx_user + 1500;
		if (i % 11 == 5)
			r->t_tx = 0;
		r->replies = (uint32_t)(u >> 20) % 13 == 0 ? 0 :
			     (u >> 20) % 13 == 1 ? 2 : 1;
		if (r->replies && !(r->flags & PROBE_SEND_ERROR)) {
			r->t_rx = (r->flags & PROBE_RX_HW ?
					   123456789 + (int64_t)i * 25000 :
					   r->t_tx_user) +
				  9000 + (int64_t)(u >> 32) % 4000;
			r->t_rx_user = i % 17 == 2 ? 0 :
						     r->t_tx_user + 20000;
		}
		split_reset(ps);
		if (i % 3) {
			ps->rtt_nic = 8000 + (int64_t)(u >> 40) % 900;
			ps->overhead = i % 5 ? 1200 : SPLIT_NONE;
		}
		if (i % 4) {
			ps->response = 2000 + (int64_t)(u >> 44) % 700;
			ps->rsp_guest = i % 8 == 1 ? 900 : SPLIT_NONE;
		}
		split_finish_wire(ps);
	}
}

struct check {
	struct layout_run *lr;
	size_t rows;
};

static int col(const struct store_row *row, const char *name)
{
	int i;

	for (i = 0; i < row->n; i++) {
		if (!strcmp(row->names[i], name))
			return i;
	}
	fail_msg("no column '%s'", name);
	return -1;
}

static void same(const struct store_row *row, const char *name,
		 const struct cell *want)
{
	const char *got = row->values[col(row, name)];
	char buf[32];

	if (want->type == CELL_NULL) {
		if (got)
			fail_msg("%s: '%s', want NULL", name, got);
		return;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)want->i);
	if (!got || strcmp(got, buf))
		fail_msg("%s: '%s', want %s", name, got ? got : "NULL", buf);
}

static int check_row(const struct store_row *row, void *data)
{
	struct check *ck = data;
	const struct meter_def *pd = &meter_probe, *sd = &meter_split;
	struct cell want[METER_COLS_MAX], split[METER_COLS_MAX];
	unsigned seq = (unsigned)atoi(row->values[col(row, "seq")]);
	unsigned c, k;
	bool has_split;

	assert_true(seq < ck->lr->n);
	meter_probe_cells(&ck->lr->r[seq], want);
	has_split = meter_split_probe_cells(seq, &ck->lr->ps[seq], split);
	for (k = 0; k < pd->ntables; k++) {
		if (strcmp(pd->tables[k].name, "probes"))
			continue;
		for (c = 0; c < pd->tables[k].ncols; c++)
			same(row, pd->tables[k].cols[c].name, &want[c]);
	}
	for (c = 1; c < sd->tables[0].ncols; c++)
		same(row, sd->tables[0].cols[c].name,
		     has_split ? &split[c] : &(struct cell){.type = CELL_NULL});
	ck->rows++;
	return 0;
}

static void round_trip(size_t n, int64_t started)
{
	char path[128];
	struct layout_run lr;
	struct meter_rows rows[] = {
		{&meter_probe, probe_rows, &lr},
		{&meter_split, split_rows, &lr},
	};
	struct test t;
	struct run_record rr = {
		.test = &t,
		.rep = 1,
		.campaign = "unit",
		.status = RUN_COMPLETE,
		.started = started,
		.ended = started + 1,
		.meters = rows,
		.nmeters = 2,
	};
	struct check ck = {&lr, 0};
	struct store *s;
	int f;

	snprintf(path, sizeof(path), "/tmp/iovbench-unit-layout-%d.db",
		 (int)getpid());
	unlink(path);
	memset(&t, 0, sizeof(t));
	for (f = 0; f < FACTOR_COUNT; f++)
		t.v[f] = factor_default((enum factor_id)f);
	t.key = (char *)"probe=icmp";
	snprintf(t.id, sizeof(t.id), "00000000000000cc");
	make(&lr, n, 0x1234567 + n);
	assert_int_equal(store_open(path, STORE_CREATE, &s), 0);
	assert_int_equal(store_save_run(s, &rr), 0);
	store_close(s);
	assert_int_equal(store_open(path, STORE_READ, &s), 0);
	assert_int_equal(store_export(s, "probes", check_row, &ck), 0);
	store_close(s);
	assert_int_equal(ck.rows, n);
	test_free(lr.r);
	test_free(lr.ps);
	unlink(path);
	/* a read-only open leaves the WAL's files: they go too */
	strcat(path, "-wal");
	unlink(path);
	strcpy(path + strlen(path) - 4, "-shm");
	unlink(path);
}

static void test_round_trip(void **state)
{
	static const size_t counts[] = {1, 63, 64, 65, 200, 1000};
	unsigned i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		round_trip(counts[i], 1764679999000000000ll);
		/* a run without a start: the times from 0 */
		round_trip(counts[i], 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
