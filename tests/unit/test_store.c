// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The store: a fresh database, saving runs atomically and reading them
 * back through the meters, the migration of a database written by commit
 * 26b89a8 (tests/data/store), refusing newer and foreign files.
 */
#include "unit.h"

#include <sqlite3.h>
#include <unistd.h>

#include "core/meter_probe.h"
#include "report/summary.h"
#include "store/store.h"
#include "util/error.h"

static char errors[4096];

static void keep_error(const char *line)
{
	size_t n = strlen(errors);

	snprintf(errors + n, sizeof(errors) - n, "%s\n", line);
}

/* A database and its WAL files. */
static void rm_db(const char *path)
{
	char side[300];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "/tmp/iovbench-unit-store-%d-%s", (int)getpid(),
		 name);
	rm_db(buf);
}

static void copy_file(const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(strbuf_read_file(&sb, from, 1 << 24), 0);
	assert_int_equal(write_file(to, sb.buf, sb.len), 0);
	strbuf_release(&sb);
}

static long long sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* ---- a run of our own ---- */

static struct test a_test(void)
{
	struct test t;
	int f;

	memset(&t, 0, sizeof(t));
	for (f = 0; f < FACTOR_COUNT; f++)
		t.v[f] = factor_default((enum factor_id)f);
	t.v[F_COUNT] = 4;
	t.key = (char *)"probe=icmp,count=4";
	snprintf(t.id, sizeof(t.id), "00000000000000aa");
	return t;
}

struct probes {
	struct probe_rec r[4];
	struct probe_summary sum;
	struct probe_meta meta;
	int fail_at; /* fail after this many probe rows (-1: never) */
};

static int probe_rows(void *data, unsigned table, struct row_sink *sink)
{
	struct probes *p = data;
	struct cell c[METER_COLS_MAX];
	int i;

	if (table == 0) {
		meter_probe_run_cells(&p->sum, &p->meta,
				      &(struct probe_verdict){.suspect =
								  "it lost some"},
				      c);
		return sink->put(sink, c);
	}
	for (i = 0; i < 4; i++) {
		if (i == p->fail_at)
			return error("no more probes");
		meter_probe_cells(&p->r[i], c);
		if (sink->put(sink, c))
			return -1;
	}
	return 0;
}

/* RTTs 10, 20, 30 us; the fourth probe lost. */
static void make_probes(struct probes *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->fail_at = -1;
	p->meta.session = 7;
	for (i = 0; i < 4; i++) {
		p->r[i].seq = (uint32_t)i;
		p->r[i].t_sched = 1000000000 + i * 1000000;
		p->r[i].t_tx_user = p->r[i].t_sched + 100;
		p->r[i].t_tx = p->r[i].t_sched + 200;
		p->r[i].flags = PROBE_TX_SW | PROBE_RX_SW;
		if (i < 3) {
			p->r[i].replies = 1;
			p->r[i].t_rx = p->r[i].t_tx + (i + 1) * 10000;
			p->r[i].t_rx_user = p->r[i].t_rx + 5000;
		}
	}
	probe_summarize(p->r, 4, &p->sum);
}

static void save(struct store *s, struct test *t, unsigned rep,
		 enum run_status st, struct probes *p, int want)
{
	struct meter_rows rows = {&meter_probe, probe_rows, p};
	struct run_record rr = {
		.test = t,
		.rep = rep,
		.campaign = "unit",
		.status = st,
		.error = st == RUN_COMPLETE ? NULL : "it broke",
		.started = 1,
		.ended = 2,
		.setup = "{\"accel\":\"tcg\"}",
		.meters = &rows,
		.nmeters = 1,
	};

	assert_int_equal(store_save_run(s, &rr), want);
}

static void test_save_and_read_back(void **state)
{
	char path[256];
	struct store *s;
	struct test t = a_test();
	struct probes p;
	struct series se;
	char **ids;
	size_t n;
	int k;

	(void)state;
	tmp_path(path, sizeof(path), "new.db");
	assert_int_equal(store_open(path, STORE_CREATE, &s), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	make_probes(&p);
	save(s, &t, 1, RUN_FAILED, &p, 0);
	/* a failed attempt is replaced, with no rows of its own */
	save(s, &t, 1, RUN_COMPLETE, &p, 0);
	/* complete twice: the plan redid a run */
	errors[0] = '\0';
	save(s, &t, 1, RUN_COMPLETE, &p, -1);
	assert_non_null(strstr(errors, "already complete"));
	/* a meter that fails halfway leaves nothing of the run */
	p.fail_at = 2;
	save(s, &t, 2, RUN_COMPLETE, &p, -1);
	assert_int_equal(store_complete_runs(s, &ids, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], "00000000000000aa/1");
	free(ids[0]);
	free(ids);

	assert_int_equal(store_load_series(s, NULL, 0, &se), 0);
	assert_int_equal(se.ntests, 1);
	assert_int_equal(se.tests[0].runs, 1);
	k = series_metric_find(&se, "sent");
	assert_true(k >= 0);
	assert_true(se.tests[0].values[k].d == 4);
	k = series_metric_find(&se, "loss_pct");
	assert_true(se.tests[0].values[k].d == 25);
	k = series_metric_find(&se, "rtt_p50_us");
	assert_true(se.tests[0].values[k].d == 20000); /* ns, printed in us */
	k = series_metric_find(&se, "rtt_user_p50_us");
	assert_true(se.tests[0].values[k].d == 20000 + 5100);
	k = series_metric_find(&se, "accel");
	assert_string_equal(se.tests[0].values[k].s, "tcg");
	k = series_metric_find(&se, "nic_p50_us");
	assert_int_equal(se.tests[0].values[k].type, CELL_NULL);
	series_release(&se);
	store_close(s);

	assert_int_equal(sql_int(path, "SELECT count(*) FROM probes"), 4);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(sql_int(path, "SELECT session FROM probe_runs"), 7);
	assert_int_equal(sql_int(path, "PRAGMA user_version"),
			 STORE_SCHEMA_VERSION);
	rm_db(path);
}

static void test_newer_and_foreign_refused(void **state)
{
	char path[256];
	struct store *s;
	sqlite3 *db;

	(void)state;
	tmp_path(path, sizeof(path), "newer.db");
	assert_int_equal(store_open(path, STORE_CREATE, &s), 0);
	store_close(s);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
				      NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	errors[0] = '\0';
	assert_int_equal(store_open(path, STORE_READ, &s), -1);
	assert_non_null(strstr(errors, "newer iovbench (schema 99"));
	assert_int_equal(store_open(path, STORE_CREATE, &s), -1);
	rm_db(path);

	tmp_path(path, sizeof(path), "foreign.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE notes (x)", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	errors[0] = '\0';
	assert_int_equal(store_open(path, STORE_CREATE, &s), -1);
	assert_non_null(strstr(errors, "not an iovbench results database"));
	assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master"),
			 1);
	assert_int_equal(store_open(path, STORE_READ, &s), -1);
	rm_db(path);
}

/* ---- the database of commit 26b89a8 ---- */

static void summary_text(struct store *s, struct strbuf *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(report_summary(s, NULL, 0, FORMAT_TEXT, f), 0);
	fclose(f);
	strbuf_add(out, buf, len);
	free(buf);
}

static void test_old_database(void **state)
{
	char fixture[4096], path[256];
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct store *s;

	(void)state;
	unit_path("tests/data/store/26b89a8.db", fixture, sizeof(fixture));
	unit_read("tests/data/store/26b89a8/r.txt", &want);
	tmp_path(path, sizeof(path), "old.db");
	copy_file(fixture, path);

	/* read: through a migrated copy; the file is left as it was */
	strbuf_read_file(&before, path, 1 << 24);
	assert_int_equal(store_open(path, STORE_READ, &s), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	summary_text(s, &got);
	store_close(s);
	assert_string_equal(got.buf, want.buf);
	strbuf_read_file(&after, path, 1 << 24);
	assert_int_equal(before.len, after.len);
	assert_memory_equal(before.buf, after.buf, before.len);

	/* written: migrated in place, the same numbers */
	assert_int_equal(store_open(path, STORE_CREATE, &s), 0);
	strbuf_reset(&got);
	summary_text(s, &got);
	store_close(s);
	assert_string_equal(got.buf, want.buf);
	assert_int_equal(sql_int(path, "PRAGMA user_version"), 3);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM probe_runs"), 16);
	assert_int_equal(sql_int(path, "SELECT sum(sent) FROM probe_runs"), 960);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM probe_splits"),
			 960);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM pragma_table_info"
				       "('runs') WHERE name = 'sent'"),
			 0);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM pragma_table_info"
				       "('probes') WHERE name = 'wire_ns'"),
			 0);
	/* and opened again: nothing more to do */
	assert_int_equal(store_open(path, STORE_CREATE, &s), 0);
	store_close(s);
	rm_db(path);
	strbuf_release(&want);
	strbuf_release(&got);
	strbuf_release(&before);
	strbuf_release(&after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_save_and_read_back),
		cmocka_unit_test(test_newer_and_foreign_refused),
		cmocka_unit_test(test_old_database),
	};

	error_set_hook(keep_error);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
