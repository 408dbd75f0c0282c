// SPDX-License-Identifier: GPL-2.0-or-later
#include "store/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iov_config.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/time.h"

struct store {
	sqlite3 *db;
	char *path;
	/* "r.setup", or "NULL" in a read-only database from before it */
	const char *setup_col;
	/* factor columns tests has (a read-only database may predate some) */
	bool has_factor[FACTOR_COUNT];
	/* the RTT split's probe columns (a read-only database may have the
	 * first few: split_cols), the captures, loads, ... tables */
	int split_cols;
	bool has_observed;
};

static int has_column(struct store *s, const char *table, const char *col);

static void find_factor_columns(struct store *s)
{
	int f;

	for (f = 0; f < FACTOR_COUNT; f++)
		s->has_factor[f] = has_column(s, "tests", factor_table[f].name);
	for (s->split_cols = 0; s->split_cols < SPLIT_DURATIONS;
	     s->split_cols++) {
		char col[32];

		snprintf(col, sizeof(col), "%s_ns",
			 split_duration_name(s->split_cols));
		if (!has_column(s, "probes", col))
			break;
	}
	s->has_observed = has_column(s, "captures", "run");
}

/*
 * Schema 1. Times are integer nanoseconds (CLOCK_REALTIME); NULL where a
 * time was not taken. tests gets one column per factor, added by
 * add_factor_columns() as the factor table grows.
 */
static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS meta ("
	"  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS campaigns ("
	"  name TEXT PRIMARY KEY, file TEXT, first_ns INTEGER,"
	"  last_ns INTEGER, config TEXT);"
	"CREATE TABLE IF NOT EXISTS tests ("
	"  id TEXT PRIMARY KEY, key TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS runs ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id TEXT NOT NULL UNIQUE,"
	"  test_id TEXT NOT NULL REFERENCES tests(id),"
	"  rep INTEGER NOT NULL,"
	"  campaign TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  error TEXT,"
	"  started_ns INTEGER, ended_ns INTEGER,"
	"  count INTEGER, sent INTEGER, received INTEGER, lost INTEGER,"
	"  duplicated INTEGER, reordered INTEGER, send_errors INTEGER,"
	"  tx_stamped INTEGER, rx_stamped INTEGER, ts_source TEXT,"
	"  session INTEGER, tool_version TEXT, host TEXT, setup TEXT);"
	"CREATE INDEX IF NOT EXISTS runs_test ON runs(test_id);"
	"CREATE TABLE IF NOT EXISTS probes ("
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  t_sched INTEGER, t_tx_user INTEGER, t_tx INTEGER, t_rx INTEGER,"
	"  t_rx_user INTEGER, replies INTEGER NOT NULL, flags INTEGER NOT NULL,"
	"  rtt_ns INTEGER, rtt_user_ns INTEGER, pacing_ns INTEGER,"
	"  PRIMARY KEY (run, seq)) WITHOUT ROWID;"
	/* what a run measured besides its probes (docs/results.md) */
	"CREATE TABLE IF NOT EXISTS captures ("
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  point TEXT NOT NULL, server TEXT, interface TEXT,"
	"  available INTEGER NOT NULL, reason TEXT, frames INTEGER,"
	"  drops INTEGER, requests INTEGER, replies INTEGER,"
	"  expected_requests INTEGER, expected_replies INTEGER,"
	"  wrong_way INTEGER, repeats INTEGER, pcap TEXT,"
	"  PRIMARY KEY (run, point)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS loads ("
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  server TEXT NOT NULL, guest TEXT NOT NULL, role TEXT NOT NULL,"
	"  packets INTEGER, bytes INTEGER, errors INTEGER, seconds REAL,"
	"  cpu_seconds REAL, pps REAL, bps REAL,"
	"  PRIMARY KEY (run, guest, role)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS cpu ("
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  server TEXT NOT NULL, cpu TEXT NOT NULL, seconds REAL,"
	"  usr REAL, nice REAL, sys REAL, iowait REAL, irq REAL, soft REAL,"
	"  steal REAL, guest REAL, gnice REAL, idle REAL,"
	"  PRIMARY KEY (run, server, cpu)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS processes ("
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  server TEXT NOT NULL, guest TEXT NOT NULL, role TEXT NOT NULL,"
	"  pid INTEGER, cpu_seconds REAL, seconds REAL,"
	"  PRIMARY KEY (run, guest)) WITHOUT ROWID;";

static int db_error(struct store *s, const char *what)
{
	return error("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	error("%s: %s", s->path, msg ? msg : "error");
	sqlite3_free(msg);
	return -1;
}

static int has_column(struct store *s, const char *table, const char *col)
{
	sqlite3_stmt *st;
	char sql[128];
	int found = 0;

	snprintf(sql, sizeof(sql), "PRAGMA table_info(%s)", table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!strcmp((const char *)sqlite3_column_text(st, 1), col))
			found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

/* Columns added since schema 1 was first written. */
static const struct {
	const char *table, *column, *type;
} added_columns[] = {
	{"runs", "setup", "TEXT"},
	/* and the RTT split's durations, from core/split.h's table */
};

static int add_column(struct store *s, const char *table, const char *col,
		      const char *type)
{
	char sql[512];

	if (has_column(s, table, col))
		return 0;
	snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s %s", table,
		 col, type);
	return exec(s, sql);
}

/* A column per factor: plain SQL (WHERE rate = 10000) for users. */
static int add_factor_columns(struct store *s)
{
	char col[64];
	size_t i;
	int f, d;

	for (i = 0; i < ARRAY_SIZE(added_columns); i++) {
		if (add_column(s, added_columns[i].table,
			       added_columns[i].column, added_columns[i].type))
			return -1;
	}
	for (d = 0; d < SPLIT_DURATIONS; d++) {
		snprintf(col, sizeof(col), "%s_ns", split_duration_name(d));
		if (add_column(s, "probes", col, "INTEGER"))
			return -1;
	}

	for (f = 0; f < FACTOR_COUNT; f++) {
		const struct factor *fac = &factor_table[f];

		if (!(fac->flags & FACTOR_NOT_IN_ID) &&
		    add_column(s, "tests", fac->name,
			       fac->kind == FACTOR_INT ? "INTEGER" : "TEXT"))
			return -1;
	}
	return 0;
}

static int check_version(struct store *s)
{
	sqlite3_stmt *st;
	int version = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT value FROM meta WHERE key='schema'", -1,
			       &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot read the schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > STORE_SCHEMA_VERSION)
		return error("%s: written by a newer iovbench (schema %d, this "
			     "one knows %d)",
			     s->path, version, STORE_SCHEMA_VERSION);
	return 0;
}

int store_open(const char *path, enum store_mode mode, struct store **out)
{
	struct store *s = xcalloc(1, sizeof(*s));
	int flags = mode == STORE_READ ? SQLITE_OPEN_READONLY :
					 SQLITE_OPEN_READWRITE |
						 SQLITE_OPEN_CREATE;

	s->path = xstrdup(path);
	if (mode == STORE_READ && access(path, R_OK)) {
		error_errno("cannot open results '%s'", path);
		goto fail;
	}
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		db_error(s, "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 10000);
	if (exec(s, "PRAGMA foreign_keys = ON"))
		goto fail;
	if (mode == STORE_READ) {
		if (!has_column(s, "runs", "run_id")) {
			error("'%s' is not an iovbench results database", path);
			goto fail;
		}
		if (check_version(s))
			goto fail;
		s->setup_col = has_column(s, "runs", "setup") ? "r.setup" :
								 "NULL";
		find_factor_columns(s);
		*out = s;
		return 0;
	}
	s->setup_col = "r.setup";
	/*
	 * WAL: readers (report) run beside the writer. synchronous=FULL:
	 * a committed run survives power loss, not only a killed process.
	 */
	if (exec(s, "PRAGMA journal_mode = WAL") ||
	    exec(s, "PRAGMA synchronous = FULL") ||
	    exec(s, "BEGIN IMMEDIATE") || exec(s, schema_sql) ||
	    check_version(s) || add_factor_columns(s) ||
	    exec(s, "INSERT OR IGNORE INTO meta VALUES ('schema', '1')") ||
	    exec(s, "COMMIT")) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	find_factor_columns(s);
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int store_complete_runs(struct store *s, char ***ids, size_t *n)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT run_id FROM runs WHERE status = "
			       "'complete'",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot list runs");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*ids, *n + 1, alloc);
		(*ids)[(*n)++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, "cannot list runs");
	return 0;
}

int store_touch_campaign(struct store *s, const struct campaign *c,
			 const char *config)
{
	sqlite3_stmt *st;
	int64_t now = now_real();
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO campaigns VALUES (?1, ?2, ?3, ?3, "
			       "?4) ON CONFLICT(name) DO UPDATE SET "
			       "file = ?2, last_ns = ?3, config = ?4",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot record the campaign");
	sqlite3_bind_text(st, 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, config, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "cannot record the campaign");
}

static int save_test(struct store *s, const struct test *t)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	char val[64];
	int f, col = 3, rc;

	strbuf_addstr(&sql, "INSERT OR IGNORE INTO tests (id, key");
	for (f = 0; f < FACTOR_COUNT; f++) {
		if (!(factor_table[f].flags & FACTOR_NOT_IN_ID))
			strbuf_addf(&sql, ", %s", factor_table[f].name);
	}
	strbuf_addstr(&sql, ") VALUES (?1, ?2");
	for (f = 0; f < FACTOR_COUNT; f++) {
		if (!(factor_table[f].flags & FACTOR_NOT_IN_ID))
			strbuf_addf(&sql, ", ?%d", col++);
	}
	strbuf_addstr(&sql, ")");
	rc = sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL);
	strbuf_release(&sql);
	if (rc != SQLITE_OK)
		return db_error(s, "cannot save a test");
	sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->key, -1, SQLITE_STATIC);
	for (f = 0, col = 3; f < FACTOR_COUNT; f++) {
		if (factor_table[f].flags & FACTOR_NOT_IN_ID)
			continue;
		if (factor_table[f].kind != FACTOR_INT) {
			factor_format((enum factor_id)f, t->v[f], val,
				      sizeof(val));
			sqlite3_bind_text(st, col++, val, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_int64(st, col++, t->v[f]);
		}
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "cannot save a test");
}

static void bind_time(sqlite3_stmt *st, int col, int64_t v)
{
	if (v > 0)
		sqlite3_bind_int64(st, col, v);
	else
		sqlite3_bind_null(st, col);
}

static void bind_split(sqlite3_stmt *st, int col, int64_t v)
{
	if (v != SPLIT_NONE)
		sqlite3_bind_int64(st, col, v);
	else
		sqlite3_bind_null(st, col);
}

static int save_probes(struct store *s, sqlite3_int64 run,
		       const struct probe_rec *r, size_t n,
		       const struct probe_split *split)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	size_t i;
	int d, rc;

	strbuf_addstr(&sql, "INSERT INTO probes (run, seq, t_sched, "
			    "t_tx_user, t_tx, t_rx, t_rx_user, replies, flags, "
			    "rtt_ns, rtt_user_ns, pacing_ns");
	for (d = 0; d < SPLIT_DURATIONS; d++)
		strbuf_addf(&sql, ", %s_ns", split_duration_name(d));
	strbuf_addstr(&sql, ") VALUES (?1");
	for (d = 2; d <= 12 + SPLIT_DURATIONS; d++)
		strbuf_addf(&sql, ", ?%d", d);
	strbuf_addch(&sql, ')');
	rc = sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL);
	strbuf_release(&sql);
	if (rc != SQLITE_OK)
		return db_error(s, "cannot save probes");
	for (i = 0; i < n; i++) {
		int64_t rtt = probe_rtt(&r[i]), user = probe_rtt_user(&r[i]);
		int64_t pace = probe_pacing_error(&r[i]);

		sqlite3_clear_bindings(st);
		sqlite3_bind_int64(st, 1, run);
		sqlite3_bind_int64(st, 2, r[i].seq);
		bind_time(st, 3, r[i].t_sched);
		bind_time(st, 4, r[i].t_tx_user);
		bind_time(st, 5, r[i].t_tx);
		bind_time(st, 6, r[i].t_rx);
		bind_time(st, 7, r[i].t_rx_user);
		sqlite3_bind_int64(st, 8, r[i].replies);
		sqlite3_bind_int64(st, 9, r[i].flags);
		if (rtt >= 0)
			sqlite3_bind_int64(st, 10, rtt);
		if (user >= 0)
			sqlite3_bind_int64(st, 11, user);
		if (pace >= 0)
			sqlite3_bind_int64(st, 12, pace);
		for (d = 0; split && d < SPLIT_DURATIONS; d++)
			bind_split(st, 13 + d, split_duration(&split[i], d));
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_error(s, "cannot save a probe");
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

/* Prepare sql, or say what could not be saved. */
static sqlite3_stmt *prepare(struct store *s, const char *sql,
			     const char *what)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(s, what);
		return NULL;
	}
	return st;
}

static int step_reset(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, what);
}

static void bind_text(sqlite3_stmt *st, int col, const char *v)
{
	if (v)
		sqlite3_bind_text(st, col, v, -1, SQLITE_TRANSIENT);
}

static int save_points(struct store *s, sqlite3_int64 run,
		       const struct run_extras *x)
{
	static const char what[] = "cannot save a capture point";
	sqlite3_stmt *st;
	size_t i;
	int ret = 0;

	if (!x->npoints)
		return 0;
	st = prepare(s,
		     "INSERT INTO captures VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		     "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
		     what);
	if (!st)
		return -1;
	for (i = 0; i < x->npoints && !ret; i++) {
		const struct point_rec *p = &x->points[i];
		bool avail = !p->reason;

		sqlite3_bind_int64(st, 1, run);
		bind_text(st, 2, p->point);
		bind_text(st, 3, p->server);
		bind_text(st, 4, p->ifname);
		sqlite3_bind_int(st, 5, avail);
		bind_text(st, 6, p->reason);
		if (avail) {
			sqlite3_bind_int64(st, 7, (sqlite3_int64)p->frames);
			sqlite3_bind_int64(st, 8, (sqlite3_int64)p->drops);
			sqlite3_bind_int64(st, 9,
					   (sqlite3_int64)p->counts.requests);
			sqlite3_bind_int64(st, 10,
					   (sqlite3_int64)p->counts.replies);
			sqlite3_bind_int64(st, 11,
					   (sqlite3_int64)p->expected_requests);
			sqlite3_bind_int64(st, 12,
					   (sqlite3_int64)p->expected_replies);
			sqlite3_bind_int64(st, 13,
					   (sqlite3_int64)p->counts.wrong_way);
			sqlite3_bind_int64(st, 14,
					   (sqlite3_int64)p->counts.repeats);
		}
		bind_text(st, 15, p->pcap);
		ret = step_reset(s, st, what);
	}
	sqlite3_finalize(st);
	return ret;
}

static int save_loads(struct store *s, sqlite3_int64 run,
		      const struct run_extras *x)
{
	static const char what[] = "cannot save a load";
	sqlite3_stmt *st;
	size_t i;
	int ret = 0;

	if (!x->nloads)
		return 0;
	st = prepare(s,
		     "INSERT INTO loads VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		     "?8, ?9, ?10, ?11)",
		     what);
	if (!st)
		return -1;
	for (i = 0; i < x->nloads && !ret; i++) {
		const struct load_row *l = &x->loads[i];

		sqlite3_bind_int64(st, 1, run);
		bind_text(st, 2, l->server);
		bind_text(st, 3, l->guest);
		bind_text(st, 4, load_role_name(l->rep.role));
		sqlite3_bind_int64(st, 5, (sqlite3_int64)l->rep.packets);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)l->rep.bytes);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)l->rep.errors);
		sqlite3_bind_double(st, 8, l->rep.seconds);
		sqlite3_bind_double(st, 9, l->rep.cpu_seconds);
		sqlite3_bind_double(st, 10, load_report_pps(&l->rep));
		sqlite3_bind_double(st, 11, load_report_bps(&l->rep));
		ret = step_reset(s, st, what);
	}
	sqlite3_finalize(st);
	return ret;
}

static int save_cpus(struct store *s, sqlite3_int64 run,
		     const struct run_extras *x)
{
	static const char what[] = "cannot save CPU usage";
	sqlite3_stmt *st;
	size_t i;
	int ret = 0;

	if (!x->ncpus)
		return 0;
	st = prepare(s,
		     "INSERT INTO cpu VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		     "?9, ?10, ?11, ?12, ?13, ?14)",
		     what);
	if (!st)
		return -1;
	for (i = 0; i < x->ncpus && !ret; i++) {
		const struct cpu_row *c = &x->cpus[i];
		const double v[] = {c->u.usr,	 c->u.nice,  c->u.sys,
				    c->u.iowait, c->u.irq,   c->u.soft,
				    c->u.steal,	 c->u.guest, c->u.gnice,
				    c->u.idle};
		size_t k;

		sqlite3_bind_int64(st, 1, run);
		bind_text(st, 2, c->server);
		bind_text(st, 3, c->cpu);
		sqlite3_bind_double(st, 4, c->seconds);
		for (k = 0; k < ARRAY_SIZE(v); k++)
			sqlite3_bind_double(st, 5 + (int)k, v[k]);
		ret = step_reset(s, st, what);
	}
	sqlite3_finalize(st);
	return ret;
}

static int save_procs(struct store *s, sqlite3_int64 run,
		      const struct run_extras *x)
{
	static const char what[] = "cannot save a process's CPU time";
	sqlite3_stmt *st;
	size_t i;
	int ret = 0;

	if (!x->nprocs)
		return 0;
	st = prepare(s, "INSERT INTO processes VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
			"?7)",
		     what);
	if (!st)
		return -1;
	for (i = 0; i < x->nprocs && !ret; i++) {
		const struct process_row *p = &x->procs[i];

		sqlite3_bind_int64(st, 1, run);
		bind_text(st, 2, p->server);
		bind_text(st, 3, p->guest);
		bind_text(st, 4, p->role);
		sqlite3_bind_int64(st, 5, p->pid);
		sqlite3_bind_double(st, 6, p->cpu_seconds);
		sqlite3_bind_double(st, 7, p->seconds);
		ret = step_reset(s, st, what);
	}
	sqlite3_finalize(st);
	return ret;
}

static int save_extras(struct store *s, sqlite3_int64 run,
		       const struct run_extras *x)
{
	if (!x)
		return 0;
	return save_points(s, run, x) || save_loads(s, run, x) ||
	       save_cpus(s, run, x) || save_procs(s, run, x);
}

const char *run_status_name(enum run_status st)
{
	static const char *const names[] = {
		[RUN_COMPLETE] = "complete",
		[RUN_FAILED] = "failed",
		[RUN_REFUSED] = "refused",
	};

	return (unsigned)st < ARRAY_SIZE(names) ? names[st] : "?";
}

/* An earlier failed attempt of this run is replaced; a complete one not. */
static int clear_failed(struct store *s, const char *run_id)
{
	sqlite3_stmt *st;
	int rc, complete = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT status FROM runs WHERE run_id = ?1", -1,
			       &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot look up a run");
	sqlite3_bind_text(st, 1, run_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		complete = !strcmp((const char *)sqlite3_column_text(st, 0),
				   "complete");
	sqlite3_finalize(st);
	if (complete)
		return error("run %s is already complete in '%s'", run_id,
			     s->path);
	if (sqlite3_prepare_v2(s->db, "DELETE FROM runs WHERE run_id = ?1", -1,
			       &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot replace a run");
	sqlite3_bind_text(st, 1, run_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "cannot replace a run");
}

static int insert_run(struct store *s, const struct run_record *r,
		      const char *run_id, sqlite3_int64 *rowid)
{
	static const struct probe_summary none;
	const struct probe_summary *sum = r->sum ? r->sum : &none;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(
		    s->db,
		    "INSERT INTO runs (run_id, test_id, rep, campaign, status, "
		    "error, started_ns, ended_ns, count, sent, received, lost, "
		    "duplicated, reordered, send_errors, tx_stamped, "
		    "rx_stamped, ts_source, session, tool_version, host, "
		    "setup) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
		    "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
		    -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot save a run");
	sqlite3_bind_text(st, 1, run_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->test->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, (int)r->rep);
	sqlite3_bind_text(st, 4, r->campaign, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, run_status_name(r->status), -1,
			  SQLITE_STATIC);
	if (r->error)
		sqlite3_bind_text(st, 6, r->error, -1, SQLITE_STATIC);
	bind_time(st, 7, r->started);
	bind_time(st, 8, r->ended);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)sum->count);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)sum->sent);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)sum->received);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)sum->lost);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)sum->duplicated);
	sqlite3_bind_int64(st, 14, (sqlite3_int64)sum->reordered);
	sqlite3_bind_int64(st, 15, (sqlite3_int64)sum->send_errors);
	sqlite3_bind_int64(st, 16, (sqlite3_int64)sum->tx_stamped);
	sqlite3_bind_int64(st, 17, (sqlite3_int64)sum->rx_stamped);
	sqlite3_bind_text(st, 18, probe_ts_source(sum->ts_flags), -1,
			  SQLITE_STATIC);
	if (r->meta)
		sqlite3_bind_int64(st, 19, r->meta->session);
	sqlite3_bind_text(st, 20, IOV_VERSION, -1, SQLITE_STATIC);
	if (r->host)
		sqlite3_bind_text(st, 21, r->host, -1, SQLITE_STATIC);
	if (r->setup)
		sqlite3_bind_text(st, 22, r->setup, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, "cannot save a run");
	*rowid = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int store_save_run(struct store *s, const struct run_record *r)
{
	char run_id[RUN_ID_MAX];
	sqlite3_int64 rowid = 0;

	plan_run_id(r->test, r->rep, run_id, sizeof(run_id));
	/* IMMEDIATE: take the write lock now, not halfway through */
	if (exec(s, "BEGIN IMMEDIATE"))
		return -1;
	if (save_test(s, r->test) || clear_failed(s, run_id) ||
	    insert_run(s, r, run_id, &rowid) ||
	    (r->status == RUN_COMPLETE &&
	     (save_probes(s, rowid, r->recs, r->n,
			  r->extras ? r->extras->split : NULL) ||
	      save_extras(s, rowid, r->extras))) ||
	    exec(s, "COMMIT")) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* ---- reading ---- */

/*
 * The factor columns; one the database predates reads as the factor's
 * implicit value, which every test stored before it had.
 */
static void factor_columns(struct store *s, struct strbuf *sql,
			   const char *alias)
{
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		const struct factor *fac = &factor_table[f];

		if (fac->flags & FACTOR_NOT_IN_ID)
			continue;
		if (s->has_factor[f] && fac->implicit)
			/* rows from before the column hold NULL */
			strbuf_addf(sql, fac->kind == FACTOR_INT ?
						 "coalesce(%s.%s, %s) AS %s, " :
						 "coalesce(%s.%s, '%s') AS %s, ",
				    alias, fac->name, fac->implicit, fac->name);
		else if (s->has_factor[f])
			strbuf_addf(sql, "%s.%s, ", alias, fac->name);
		else if (fac->kind == FACTOR_INT)
			strbuf_addf(sql, "%s AS %s, ",
				    fac->implicit ? fac->implicit : "NULL",
				    fac->name);
		else
			strbuf_addf(sql, "'%s' AS %s, ",
				    fac->implicit ? fac->implicit : "",
				    fac->name);
	}
}

static void factor_order(struct store *s, struct strbuf *sql,
			 const char *alias)
{
	int f;

	strbuf_addstr(sql, " ORDER BY ");
	for (f = 0; f < FACTOR_COUNT; f++) {
		if (!(factor_table[f].flags & FACTOR_NOT_IN_ID) &&
		    s->has_factor[f])
			strbuf_addf(sql, "%s.%s, ", alias, factor_table[f].name);
	}
}

static int each_row(struct store *s, const char *sql, store_row_fn fn,
		    void *data)
{
	sqlite3_stmt *st;
	const char **names = NULL, **values = NULL;
	bool *numeric = NULL;
	int rc, n, i, ret = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot query");
	n = sqlite3_column_count(st);
	names = xcalloc((size_t)n, sizeof(*names));
	values = xcalloc((size_t)n, sizeof(*values));
	numeric = xcalloc((size_t)n, sizeof(*numeric));
	for (i = 0; i < n; i++)
		names[i] = sqlite3_column_name(st, i);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_row row = {n, names, values, numeric};

		for (i = 0; i < n; i++) {
			int t = sqlite3_column_type(st, i);

			numeric[i] = t == SQLITE_INTEGER || t == SQLITE_FLOAT;
			values[i] = t == SQLITE_NULL ?
					    NULL :
					    (const char *)sqlite3_column_text(
						    st, i);
		}
		ret = fn(&row, data);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = db_error(s, "cannot query");
	sqlite3_finalize(st);
	free(names);
	free(values);
	free(numeric);
	return ret;
}

static const char *const observed_tables[] = {"captures", "loads", "cpu",
					       "processes"};

int store_each_row(struct store *s, enum store_table t, store_row_fn fn,
		   void *data)
{
	struct strbuf sql = STRBUF_INIT;
	int ret, d;

	switch (t) {
	case STORE_TESTS:
		strbuf_addstr(&sql, "SELECT t.id AS test_id, ");
		factor_columns(s, &sql, "t");
		strbuf_addstr(&sql,
			      "(SELECT count(*) FROM runs r WHERE r.test_id = "
			      "t.id AND r.status = 'complete') AS runs, "
			      "t.key FROM tests t");
		factor_order(s, &sql, "t");
		strbuf_addstr(&sql, "t.id");
		break;
	case STORE_RUNS:
		strbuf_addstr(&sql, "SELECT r.run_id, r.test_id, ");
		factor_columns(s, &sql, "t");
		strbuf_addstr(&sql,
			      "r.rep, r.campaign, r.status, r.error, "
			      "r.started_ns, r.ended_ns, r.count, r.sent, "
			      "r.received, r.lost, r.duplicated, r.reordered, "
			      "r.send_errors, r.tx_stamped, r.rx_stamped, "
			      "r.ts_source, r.tool_version, r.host, ");
		strbuf_addf(&sql, "%s AS setup FROM runs r JOIN tests t ON "
				  "r.test_id = t.id",
			    s->setup_col);
		factor_order(s, &sql, "t");
		strbuf_addstr(&sql, "r.rep");
		break;
	case STORE_PROBES:
		strbuf_addstr(&sql, "SELECT r.run_id, ");
		factor_columns(s, &sql, "t");
		strbuf_addstr(&sql,
			      "r.rep, p.seq, p.t_sched, p.t_tx_user, p.t_tx, "
			      "p.t_rx, p.t_rx_user, p.replies, p.flags, "
			      "p.rtt_ns, p.rtt_user_ns, p.pacing_ns");
		for (d = 0; d < s->split_cols; d++)
			strbuf_addf(&sql, ", p.%s_ns", split_duration_name(d));
		strbuf_addstr(&sql,
			      " FROM probes p JOIN runs r ON p.run = r.id "
			      "JOIN tests t ON r.test_id = t.id "
			      "WHERE r.status = 'complete'");
		factor_order(s, &sql, "t");
		strbuf_addstr(&sql, "r.rep, p.seq");
		break;
	case STORE_CAPTURES:
	case STORE_LOADS:
	case STORE_CPU:
	case STORE_PROCESSES:
		/* a run's observations: the run's id, then the table's own */
		if (!s->has_observed)
			return error("%s: no table '%s' (a database from an "
				     "older iovbench)",
				     s->path,
				     observed_tables[t - STORE_CAPTURES]);
		strbuf_addf(&sql,
			    "SELECT r.run_id, x.* FROM %s x JOIN runs r ON "
			    "x.run = r.id WHERE r.status = 'complete' ORDER BY "
			    "r.run_id",
			    observed_tables[t - STORE_CAPTURES]);
		break;
	}
	ret = each_row(s, sql.buf, fn, data);
	strbuf_release(&sql);
	return ret;
}

static void read_factors(sqlite3_stmt *st, int first, int64_t v[FACTOR_COUNT])
{
	int f, col = first;

	for (f = 0; f < FACTOR_COUNT; f++) {
		char why[128];
		const char *text;

		v[f] = factor_default((enum factor_id)f);
		if (factor_table[f].flags & FACTOR_NOT_IN_ID)
			continue;
		text = (const char *)sqlite3_column_text(st, col++);
		/* NULL: a factor added after the run; it had the implicit
		 * value, which is its default */
		if (text)
			factor_parse((enum factor_id)f, text, &v[f], why,
				     sizeof(why));
	}
}

/* A group_concat(DISTINCT ...) column: its value, "mixed", or "". */
static void copy_distinct(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	snprintf(buf, len, "%s", !v ? "" : strchr(v, ',') ? "mixed" : v);
}

static int load_test_probes(struct store *s, struct store_test_rtts *t)
{
	sqlite3_stmt *st;
	size_t alloc = 0, ualloc = 0;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT p.rtt_ns, p.rtt_user_ns FROM probes p "
			       "JOIN runs r ON p.run = r.id WHERE r.test_id = "
			       "?1 AND r.status = 'complete'",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot read probes");
	sqlite3_bind_text(st, 1, t->test_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			ALLOC_GROW(t->rtt, t->nrtt + 1, alloc);
			t->rtt[t->nrtt++] = (double)sqlite3_column_int64(st, 0);
		}
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			ALLOC_GROW(t->rtt_user, t->nrtt_user + 1, ualloc);
			t->rtt_user[t->nrtt_user++] =
				(double)sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "cannot read probes");
}

static int load_test_split(struct store *s, struct store_test_rtts *t)
{
	size_t alloc[SPLIT_DURATIONS] = {0};
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc, k;

	if (!s->split_cols)
		return 0; /* a database from before the split */
	strbuf_addstr(&sql, "SELECT ");
	for (k = 0; k < s->split_cols; k++)
		strbuf_addf(&sql, "%sp.%s_ns", k ? ", " : "",
			    split_duration_name(k));
	strbuf_addstr(&sql, " FROM probes p JOIN runs r ON p.run = r.id "
			    "WHERE r.test_id = ?1 AND r.status = 'complete'");
	rc = sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL);
	strbuf_release(&sql);
	if (rc != SQLITE_OK)
		return db_error(s, "cannot read probes");
	sqlite3_bind_text(st, 1, t->test_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (k = 0; k < s->split_cols; k++) {
			if (sqlite3_column_type(st, k) == SQLITE_NULL)
				continue;
			ALLOC_GROW(t->split[k], t->nsplit[k] + 1, alloc[k]);
			t->split[k][t->nsplit[k]++] =
				(double)sqlite3_column_int64(st, k);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "cannot read probes");
}

/* One row of doubles (NULL: -1) from sql with the test id as ?1. */
static int test_aggregate(struct store *s, const char *test_id,
			  const char *sql, double *out, int n)
{
	sqlite3_stmt *st;
	int rc, k;

	for (k = 0; k < n; k++)
		out[k] = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot read what runs observed");
	sqlite3_bind_text(st, 1, test_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		for (k = 0; k < n; k++) {
			if (sqlite3_column_type(st, k) != SQLITE_NULL)
				out[k] = sqlite3_column_double(st, k);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ?
		       0 :
		       db_error(s, "cannot read what runs observed");
}

#define COMPLETE_RUNS "SELECT id FROM runs WHERE test_id = ?1 AND " \
		      "status = 'complete'"

/* Captures, CPU and load of a test's complete runs (docs/metrics.md). */
static int load_test_observed(struct store *s, struct store_test_rtts *t)
{
	double v[6];

	t->busy[0] = t->busy[1] = t->load_pps = t->load_bps = t->sink_pps =
		t->load_cpu = t->jain = -1;
	if (!s->has_observed)
		return 0; /* a database from before them */
	if (test_aggregate(s, t->test_id,
			   "SELECT sum(requests + replies), "
			   "sum(expected_requests + expected_replies), "
			   "sum(drops), sum(available = 0) FROM captures "
			   "WHERE run IN (" COMPLETE_RUNS ")",
			   v, 4))
		return -1;
	t->cap_seen = v[0] > 0 ? (uint64_t)v[0] : 0;
	t->cap_expected = v[1] > 0 ? (uint64_t)v[1] : 0;
	t->cap_drops = v[2] > 0 ? (uint64_t)v[2] : 0;
	t->cap_unavailable = v[3] > 0;
	/* the local testbed's servers are one host: its rows serve both */
	if (test_aggregate(s, t->test_id,
			   "SELECT avg(CASE WHEN server != 'responder' THEN "
			   "100 - idle END), avg(CASE WHEN server != 'sender' "
			   "THEN 100 - idle END) FROM cpu WHERE cpu = 'all' "
			   "AND run IN (" COMPLETE_RUNS ")",
			   t->busy, 2))
		return -1;
	/* per run: totals over generators, Jain's index of the senders;
	 * then the mean over runs */
	if (test_aggregate(s, t->test_id,
			   "SELECT avg(pps), avg(bps), avg(sink), avg(cpu), "
			   "avg(jain) FROM (SELECT run, "
			   "sum(CASE WHEN role = 'net' THEN pps END) AS pps, "
			   "sum(CASE WHEN role = 'net' THEN bps END) AS bps, "
			   "sum(CASE WHEN role = 'sink' THEN pps END) AS sink, "
			   "sum(CASE WHEN role = 'cpu' THEN cpu_seconds / "
			   "seconds END) AS cpu, "
			   "CASE WHEN sum(CASE WHEN role = 'net' THEN pps * pps "
			   "END) > 0 THEN sum(CASE WHEN role = 'net' THEN pps "
			   "END) * sum(CASE WHEN role = 'net' THEN pps END) / "
			   "(sum(role = 'net') * sum(CASE WHEN role = 'net' "
			   "THEN pps * pps END)) END AS jain FROM loads WHERE "
			   "run IN (" COMPLETE_RUNS ") GROUP BY run)",
			   v, 5))
		return -1;
	t->load_pps = v[0];
	t->load_bps = v[1];
	t->sink_pps = v[2];
	t->load_cpu = v[3];
	t->jain = v[4];
	return 0;
}

static int in_ids(const char *id, char *const *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(ids[i], id))
			return 1;
	}
	return 0;
}

int store_each_test_rtts(struct store *s, char *const *ids, size_t nids,
			 store_test_fn fn, void *data)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc, ret = 0, k;

	strbuf_addstr(&sql, "SELECT t.id, count(*), sum(r.count), "
			    "sum(r.sent), sum(r.send_errors), sum(r.received), "
			    "sum(r.lost), sum(r.duplicated), sum(r.reordered), "
			    "sum(r.tx_stamped), sum(r.rx_stamped), "
			    "group_concat(DISTINCT r.ts_source), ");
	strbuf_addf(&sql,
		    "group_concat(DISTINCT json_extract(%s, '$.accel')), "
		    "group_concat(DISTINCT json_extract(%s, '$.vf')), ",
		    s->setup_col, s->setup_col);
	factor_columns(s, &sql, "t");
	strbuf_addstr(&sql, "1 FROM runs r JOIN tests t ON r.test_id = t.id "
			    "WHERE r.status = 'complete' GROUP BY t.id");
	factor_order(s, &sql, "t");
	strbuf_addstr(&sql, "t.id");
	rc = sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL);
	strbuf_release(&sql);
	if (rc != SQLITE_OK)
		return db_error(s, "cannot read tests");
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_test_rtts t;
		const char *src = (const char *)sqlite3_column_text(st, 11);

		memset(&t, 0, sizeof(t));
		t.test_id = (const char *)sqlite3_column_text(st, 0);
		if (ids && !in_ids(t.test_id, ids, nids))
			continue;
		t.runs = (unsigned)sqlite3_column_int(st, 1);
		t.sum.count = (uint64_t)sqlite3_column_int64(st, 2);
		t.sum.sent = (uint64_t)sqlite3_column_int64(st, 3);
		t.sum.send_errors = (uint64_t)sqlite3_column_int64(st, 4);
		t.sum.received = (uint64_t)sqlite3_column_int64(st, 5);
		t.sum.lost = (uint64_t)sqlite3_column_int64(st, 6);
		t.sum.duplicated = (uint64_t)sqlite3_column_int64(st, 7);
		t.sum.reordered = (uint64_t)sqlite3_column_int64(st, 8);
		t.sum.tx_stamped = (uint64_t)sqlite3_column_int64(st, 9);
		t.sum.rx_stamped = (uint64_t)sqlite3_column_int64(st, 10);
		snprintf(t.ts_source, sizeof(t.ts_source), "%s",
			 src && !strchr(src, ',') ? src : "mixed");
		copy_distinct(st, 12, t.accel, sizeof(t.accel));
		copy_distinct(st, 13, t.vf, sizeof(t.vf));
		read_factors(st, 14, t.v);
		ret = load_test_probes(s, &t);
		if (!ret)
			ret = load_test_split(s, &t);
		if (!ret)
			ret = load_test_observed(s, &t);
		if (!ret)
			ret = fn(&t, data);
		free(t.rtt);
		free(t.rtt_user);
		for (k = 0; k < SPLIT_DURATIONS; k++)
			free(t.split[k]);
	}
	if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = db_error(s, "cannot read tests");
	sqlite3_finalize(st);
	return ret;
}
