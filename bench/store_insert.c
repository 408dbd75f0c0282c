// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/store's driver: N synthetic probe records saved as one run,
 * either through iovbench's save path (store_open(), store_save_run()
 * with the probe and split meters' rows, meter_probe_cells() and
 * meter_split_probe_cells(): what the runner calls after a run), or by
 * the floor a program writing the same values can reach: one prepared
 * INSERT per table, every column as measured in a plain table, one
 * transaction, the same journal settings. Or, with csv, the same rows
 * as CSV for the sqlite3 shell's .import.
 *
 * The records are what a veth-bridge run at 40 kpps looks like: realtime
 * nanosecond stamps, a 25 us schedule, 0-300 ns late, RTT ~10 us with a
 * tail, one probe in 1000 lost, kernel software stamps; the NIC split of
 * the default capture points (rtt_nic, response, wire, overhead). The
 * same seed gives every mode the same values.
 *
 * usage: store_insert iovbench|iovbench-probes|floor|csv DB|- N
 * (iovbench-probes: the probe meter's rows only, no split)
 * prints "SECONDS" (the save, from open to close) on stdout.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/meter_probe.h"
#include "core/meter_split.h"
#include "core/plan.h"
#include "core/split.h"
#include "store/store.h"

struct gen {
	uint64_t x;
	uint64_t n, i;
	int64_t t0;
};

static uint64_t next(struct gen *g)
{
	g->x ^= g->x << 13;
	g->x ^= g->x >> 7;
	g->x ^= g->x << 17;
	return g->x;
}

static void gen_init(struct gen *g, uint64_t n)
{
	g->x = 0x9e3779b97f4a7c15ull;
	g->n = n;
	g->i = 0;
	g->t0 = 1764680000000000000ll; /* 2025-12-02, as CLOCK_REALTIME */
}

/* probe g->i and its split */
static void gen_probe(struct gen *g, struct probe_rec *r,
		      struct probe_split *ps)
{
	uint64_t u = next(g);
	int64_t rtt = 8000 + (int64_t)(u % 4000);

	if (u % 997 == 0)
		rtt += (int64_t)(u % 200000); /* the tail */
	memset(r, 0, sizeof(*r));
	r->seq = (uint32_t)g->i;
	r->flags = PROBE_TX_SW | PROBE_RX_SW;
	r->t_sched = g->t0 + (int64_t)g->i * 25000;
	r->t_tx_user = r->t_sched + (int64_t)((u >> 12) % 300);
	r->t_tx = r->t_tx_user + 1000 + (int64_t)((u >> 20) % 2000);
	split_reset(ps);
	if ((u >> 32) % 1000) {
		r->replies = 1;
		r->t_rx = r->t_tx + rtt;
		r->t_rx_user = r->t_rx + 2000 + (int64_t)((u >> 40) % 4000);
		ps->overhead = 1500 + (int64_t)((u >> 24) % 1000);
		ps->rtt_nic = rtt - ps->overhead;
		ps->response = 2000 + (int64_t)((u >> 44) % 3000);
		ps->wire = ps->rtt_nic - ps->response;
	}
	g->i++;
}

/* ---- through iovbench ---- */

static int probe_rows(void *data, unsigned table, struct row_sink *sink)
{
	struct gen *g = data;
	struct cell c[METER_COLS_MAX];
	struct probe_rec r;
	struct probe_split ps;

	if (table == 0) {
		struct probe_summary sum = {.count = g->n};
		struct probe_meta meta = {.session = 1};

		meter_probe_run_cells(&sum, &meta, &(struct probe_verdict){0},
				      c);
		return sink->put(sink, c);
	}
	for (gen_init(g, g->n); g->i < g->n;) {
		gen_probe(g, &r, &ps);
		meter_probe_cells(&r, c);
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

static int split_rows(void *data, unsigned table, struct row_sink *sink)
{
	struct gen *g = data;
	struct cell c[METER_COLS_MAX];
	struct probe_rec r;
	struct probe_split ps;

	if (table != 0)
		return 0;
	for (gen_init(g, g->n); g->i < g->n;) {
		uint32_t seq = (uint32_t)g->i;

		gen_probe(g, &r, &ps);
		if (meter_split_probe_cells(seq, &ps, c) && sink->put(sink, c))
			return -1;
	}
	return 0;
}

static int via_iovbench(const char *path, uint64_t n, bool splits)
{
	struct gen gp, gs;
	struct meter_rows rows[] = {
		{&meter_probe, probe_rows, &gp},
		{&meter_split, split_rows, &gs},
	};
	struct test t;
	struct run_record rr = {
		.test = &t,
		.rep = 1,
		.campaign = "bench",
		.status = RUN_COMPLETE,
		.started = 1764680000000000000ll - 5000000,
		.ended = 1764680000000000000ll + (int64_t)n * 25000,
		.meters = rows,
		.nmeters = splits ? 2 : 1,
	};
	struct store *s;
	int f, ret;

	memset(&t, 0, sizeof(t));
	for (f = 0; f < FACTOR_COUNT; f++)
		t.v[f] = factor_default((enum factor_id)f);
	t.key = (char *)"probe=icmp";
	snprintf(t.id, sizeof(t.id), "00000000000000bb");
	gp.n = gs.n = n;
	if (store_open(path, STORE_CREATE, &s))
		return -1;
	ret = store_save_run(s, &rr);
	store_close(s);
	return ret;
}

/* ---- the floor: the same values, one plain INSERT per table ---- */

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	fprintf(stderr, "store_insert: %s\n", msg ? msg : "error");
	sqlite3_free(msg);
	return -1;
}

static void bind_opt(sqlite3_stmt *st, int i, int64_t v, int64_t none)
{
	if (v == none)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

static int floor_insert(const char *path, uint64_t n)
{
	sqlite3 *db;
	sqlite3_stmt *p, *sp;
	struct gen g;
	struct probe_rec r;
	struct probe_split ps;
	int ret = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
		     "CREATE TABLE probes (run INTEGER, seq INTEGER, t_sched "
		     "INTEGER, t_tx_user INTEGER, t_tx INTEGER, t_rx INTEGER, "
		     "t_rx_user INTEGER, replies INTEGER, flags INTEGER, "
		     "rtt_ns INTEGER, rtt_user_ns INTEGER, pacing_ns INTEGER, "
		     "PRIMARY KEY (run, seq)) WITHOUT ROWID;"
		     "CREATE TABLE probe_splits (run INTEGER, seq INTEGER, "
		     "rtt_nic_ns INTEGER, response_ns INTEGER, wire_ns "
		     "INTEGER, overhead_ns INTEGER, PRIMARY KEY (run, seq)) "
		     "WITHOUT ROWID; BEGIN"))
		goto out;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO probes VALUES (1, ?, ?, ?, ?, ?, "
			       "?, ?, ?, ?, ?, ?)",
			       -1, &p, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO probe_splits VALUES (1, ?, ?, ?, ?, "
			       "?)",
			       -1, &sp, NULL) != SQLITE_OK)
		goto out;
	for (gen_init(&g, n); g.i < n;) {
		gen_probe(&g, &r, &ps);
		sqlite3_bind_int64(p, 1, r.seq);
		sqlite3_bind_int64(p, 2, r.t_sched);
		sqlite3_bind_int64(p, 3, r.t_tx_user);
		sqlite3_bind_int64(p, 4, r.t_tx);
		bind_opt(p, 5, r.t_rx, 0);
		bind_opt(p, 6, r.t_rx_user, 0);
		sqlite3_bind_int64(p, 7, r.replies);
		sqlite3_bind_int64(p, 8, r.flags);
		bind_opt(p, 9, probe_rtt(&r), -1);
		bind_opt(p, 10, probe_rtt_user(&r), -1);
		bind_opt(p, 11, probe_pacing_error(&r), -1);
		if (sqlite3_step(p) != SQLITE_DONE)
			goto out;
		sqlite3_reset(p);
		if (ps.rtt_nic == SPLIT_NONE)
			continue;
		sqlite3_bind_int64(sp, 1, r.seq);
		sqlite3_bind_int64(sp, 2, ps.rtt_nic);
		sqlite3_bind_int64(sp, 3, ps.response);
		sqlite3_bind_int64(sp, 4, ps.wire);
		sqlite3_bind_int64(sp, 5, ps.overhead);
		if (sqlite3_step(sp) != SQLITE_DONE)
			goto out;
		sqlite3_reset(sp);
	}
	sqlite3_finalize(p);
	sqlite3_finalize(sp);
	ret = exec(db, "COMMIT");
out:
	if (ret)
		fprintf(stderr, "store_insert: %s\n", sqlite3_errmsg(db));
	sqlite3_close(db);
	return ret;
}

/* the probes as CSV (the floor's probes columns), for .import */
static int csv(uint64_t n)
{
	struct gen g;
	struct probe_rec r;
	struct probe_split ps;

	for (gen_init(&g, n); g.i < n;) {
		gen_probe(&g, &r, &ps);
		printf("1,%u,%lld,%lld,%lld,", r.seq, (long long)r.t_sched,
		       (long long)r.t_tx_user, (long long)r.t_tx);
		if (r.replies)
			printf("%lld,%lld,", (long long)r.t_rx,
			       (long long)r.t_rx_user);
		else
			printf(",,");
		printf("%u,%u,", r.replies, r.flags);
		if (r.replies)
			printf("%lld,%lld,", (long long)probe_rtt(&r),
			       (long long)probe_rtt_user(&r));
		else
			printf(",,");
		printf("%lld\n", (long long)probe_pacing_error(&r));
	}
	return fflush(stdout) ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	uint64_t n;
	int ret;

	if (argc != 4) {
		fprintf(stderr, "usage: store_insert iovbench|iovbench-probes|floor|csv "
				"DB N\n");
		return 2;
	}
	n = strtoull(argv[3], NULL, 10);
	if (!strcmp(argv[1], "csv"))
		return csv(n) ? 1 : 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (!strcmp(argv[1], "iovbench"))
		ret = via_iovbench(argv[2], n, true);
	else if (!strcmp(argv[1], "iovbench-probes"))
		ret = via_iovbench(argv[2], n, false);
	else if (!strcmp(argv[1], "floor"))
		ret = floor_insert(argv[2], n);
	else
		ret = 2;
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (ret)
		return 1;
	printf("%.3f\n", (double)(b.tv_sec - a.tv_sec) +
				 (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
