// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The results database's schema: opening, its version (PRAGMA
 * user_version) and the numbered migrations that bring an older file to
 * this one, and the meters' tables, made from their entries
 * (core/meter.h) so that a new meter or column needs no change here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "store/layout.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"

int db_error(struct store *s, const char *what)
{
	return error("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int db_exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	error("%s: %s", s->path, msg ? msg : "error");
	sqlite3_free(msg);
	return -1;
}

sqlite3_stmt *db_prepare(struct store *s, const char *sql, const char *what)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(s, what);
		return NULL;
	}
	return st;
}

int db_has_column(struct store *s, const char *table, const char *col)
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

int db_has_table(struct store *s, const char *table)
{
	sqlite3_stmt *st;
	int found;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT 1 FROM sqlite_master WHERE type IN "
			       "('table', 'view') AND name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

unsigned store_table_index(unsigned m, unsigned k)
{
	unsigned i, n = 0;

	for (i = 0; i < m; i++)
		n += meter_defs[i]->ntables;
	return n + k;
}

unsigned store_table_count(void)
{
	return store_table_index(meter_count, 0);
}

void store_find_columns(struct store *s)
{
	unsigned m, k, c;
	int f;

	for (f = 0; f < FACTOR_COUNT; f++)
		s->has_factor[f] =
			db_has_column(s, "tests", factor_table[f].name);
	for (m = 0; m < meter_count; m++) {
		for (k = 0; k < meter_defs[m]->ntables; k++) {
			const struct meter_table *t = &meter_defs[m]->tables[k];
			unsigned i = store_table_index(m, k);

			s->has_table[i] = db_has_table(s, t->name);
			s->has_col[i] = 0;
			for (c = 0; s->has_table[i] && c < t->ncols; c++) {
				if (db_has_column(s, t->name, t->cols[c].name))
					s->has_col[i] |= COL(c);
			}
		}
	}
}

/*
 * What every version has: campaigns, tests (a column per factor, added
 * by add_factor_columns() as the factor table grows) and runs (identity,
 * status, timing, host facts). Times are integer nanoseconds
 * (CLOCK_REALTIME); NULL where a time was not taken.
 */
static const char base_sql[] =
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
	"  tool_version TEXT, host TEXT, setup TEXT);"
	"CREATE INDEX IF NOT EXISTS runs_test ON runs(test_id);";

static const char *const type_sql[] = {
	[CELL_INT] = "INTEGER", [CELL_REAL] = "REAL", [CELL_TEXT] = "TEXT",
};

/* A meter's table, as its entry describes it, keyed by run and key. */
static int create_meter_table(struct store *s, const struct meter_table *t)
{
	struct strbuf sql = STRBUF_INIT;
	unsigned c;
	int ret;

	strbuf_addf(&sql, "CREATE TABLE IF NOT EXISTS %s (run INTEGER NOT "
			  "NULL REFERENCES runs(id) ON DELETE CASCADE",
		    t->name);
	for (c = 0; c < t->ncols; c++)
		strbuf_addf(&sql, ", %s %s%s", t->cols[c].name,
			    type_sql[t->cols[c].type],
			    t->cols[c].flags & COL_NOT_NULL ? " NOT NULL" : "");
	strbuf_addstr(&sql, ", PRIMARY KEY (run");
	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & COL_KEY)
			strbuf_addf(&sql, ", %s", t->cols[c].name);
	}
	strbuf_addstr(&sql, ")) WITHOUT ROWID");
	ret = db_exec(s, sql.buf);
	strbuf_release(&sql);
	return ret;
}

static int add_column(struct store *s, const char *table, const char *col,
		      const char *type)
{
	char sql[512];

	if (db_has_column(s, table, col))
		return 0;
	snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s %s", table,
		 col, type);
	return db_exec(s, sql);
}

/*
 * Every meter's tables, and columns an entry gained since the file was
 * made (NULL in the rows before: not measured then). plain: as schema 2
 * made them, every column stored (for the migrations up to it); else a
 * table with stored columns is its stored table and view (layout.c).
 */
static int meter_tables(struct store *s, bool plain)
{
	unsigned m, k, c;

	for (m = 0; m < meter_count; m++) {
		for (k = 0; k < meter_defs[m]->ntables; k++) {
			const struct meter_table *t = &meter_defs[m]->tables[k];

			if (t->stored_in && !plain) {
				if (layout_create(s, t))
					return -1;
				continue;
			}
			if (create_meter_table(s, t))
				return -1;
			for (c = 0; c < t->ncols; c++) {
				if (add_column(s, t->name, t->cols[c].name,
					       type_sql[t->cols[c].type]))
					return -1;
			}
		}
	}
	return 0;
}

/* A column per factor: plain SQL (WHERE rate = 10000) for users. */
static int add_factor_columns(struct store *s)
{
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		const struct factor *fac = &factor_table[f];

		if (!(fac->flags & FACTOR_NOT_IN_ID) &&
		    add_column(s, "tests", fac->name,
			       fac->kind == FACTOR_INT ? "INTEGER" : "TEXT"))
			return -1;
	}
	return 0;
}

/* ---- versions ---- */

/*
 * Schema 1 (up to commit 26b89a8, version in meta only): the probe
 * summary in runs, the RTT split in probes. Schema 2: runs holds the
 * run; each meter owns its tables (probe_runs, probe_splits).
 */
static const char *const probe_run_cols =
	"count, sent, received, lost, duplicated, reordered, send_errors, "
	"tx_stamped, rx_stamped, ts_source, session";
static const char *const split_cols[] = {
	"rtt_nic_ns", "response_ns", "wire_ns", "overhead_ns",
	"snd_host_ns", "rsp_host_ns", "rsp_guest_ns",
};

static int migrate_1_to_2(struct store *s)
{
	struct strbuf sql = STRBUF_INIT, any = STRBUF_INIT;
	const char *p;
	size_t i;
	int ret = -1;

	/* schema 1 grew in place: what its oldest files lack, added first */
	if (add_column(s, "runs", "setup", "TEXT"))
		goto out;
	for (i = 0; i < ARRAY_SIZE(split_cols); i++) {
		if (add_column(s, "probes", split_cols[i], "INTEGER"))
			goto out;
	}
	if (meter_tables(s, true))
		goto out;
	strbuf_addf(&sql,
		    "INSERT INTO probe_runs (run, %s) SELECT id, %s FROM runs "
		    "WHERE status = 'complete';",
		    probe_run_cols, probe_run_cols);
	strbuf_addstr(&sql, "INSERT INTO probe_splits (run, seq");
	for (i = 0; i < ARRAY_SIZE(split_cols); i++) {
		strbuf_addf(&sql, ", %s", split_cols[i]);
		strbuf_addf(&any, "%s%s IS NOT NULL", i ? " OR " : "",
			    split_cols[i]);
	}
	strbuf_addstr(&sql, ") SELECT run, seq");
	for (i = 0; i < ARRAY_SIZE(split_cols); i++)
		strbuf_addf(&sql, ", %s", split_cols[i]);
	strbuf_addf(&sql, " FROM probes WHERE %s;", any.buf);
	/* then the columns that moved go */
	for (p = probe_run_cols; *p;) {
		size_t n = strcspn(p, ",");

		strbuf_addf(&sql, "ALTER TABLE runs DROP COLUMN %.*s;", (int)n,
			    p);
		p += n;
		p += strspn(p, ", ");
	}
	for (i = 0; i < ARRAY_SIZE(split_cols); i++)
		strbuf_addf(&sql, "ALTER TABLE probes DROP COLUMN %s;",
			    split_cols[i]);
	ret = db_exec(s, sql.buf);
out:
	strbuf_release(&sql);
	strbuf_release(&any);
	return ret;
}

/*
 * Schema 3: the tables with stored columns (probes, probe_splits) keep
 * what was measured in their stored tables, and are views (layout.c).
 * Their schema-2 tables gain what schema 2 added since the file was
 * made, then move.
 */
static int migrate_2_to_3(struct store *s)
{
	unsigned m, k;

	if (meter_tables(s, true))
		return -1;
	for (m = 0; m < meter_count; m++) {
		for (k = 0; k < meter_defs[m]->ntables; k++) {
			const struct meter_table *t = &meter_defs[m]->tables[k];

			if (t->stored_in && layout_convert(s, t))
				return -1;
		}
	}
	return 0;
}

/* migrations[v] takes a file from schema v + 1 to v + 2 */
static int (*const migrations[])(struct store *s) = {
	migrate_1_to_2,
	migrate_2_to_3,
};
_Static_assert(ARRAY_SIZE(migrations) + 1 == STORE_SCHEMA_VERSION,
	       "a migration per schema version");

/* The schema the file holds: 0 if it is empty, -1 if not ours. */
static int file_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_error(s, "cannot read the schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v)
		return v;
	if (db_has_column(s, "runs", "run_id"))
		return 1; /* before user_version: schema 1 */
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1,
			       &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot read the schema");
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v ? -2 : 0;
}

int store_schema_version(struct store *s)
{
	return file_version(s);
}

int store_schema_update(struct store *s)
{
	char sql[96];
	int v = file_version(s), from = v;

	if (v == -1)
		return -1;
	if (v == -2)
		return error("'%s' is not an iovbench results database "
			     "(it holds other tables)",
			     s->path);
	if (v > STORE_SCHEMA_VERSION)
		return error("'%s' was written by a newer iovbench (schema %d; "
			     "this one knows up to %d): use that version",
			     s->path, v, STORE_SCHEMA_VERSION);
	if (db_exec(s, base_sql))
		return -1;
	for (; v && v < STORE_SCHEMA_VERSION; v++) {
		if (migrations[v - 1](s))
			return error("%s: cannot migrate schema %d to %d",
				     s->path, v, v + 1);
	}
	if (from && from < STORE_SCHEMA_VERSION)
		info("%s: migrated the results from schema %d to %d", s->path,
		     from, STORE_SCHEMA_VERSION);
	if (meter_tables(s, false) || add_factor_columns(s))
		return -1;
	snprintf(sql, sizeof(sql),
		 "PRAGMA user_version = %d; INSERT OR REPLACE INTO meta "
		 "VALUES ('schema', '%d')",
		 STORE_SCHEMA_VERSION, STORE_SCHEMA_VERSION);
	return db_exec(s, sql);
}

/* ---- opening ---- */

static int open_file(struct store *s, const char *path, int flags)
{
	/* one thread uses a connection: no mutex per call */
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		return db_error(s, "cannot open");
	sqlite3_busy_timeout(s->db, 10000);
	return db_exec(s, "PRAGMA foreign_keys = ON");
}

/* path as a file: URI, percent-escaping what a URI gives meaning to */
static void file_uri(const char *path, struct strbuf *out)
{
	const unsigned char *p;

	strbuf_addstr(out, "file:");
	for (p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 ||
		    *p > 0x7e)
			strbuf_addf(out, "%%%02X", *p);
		else
			strbuf_addch(out, (char)*p);
	}
	strbuf_addstr(out, "?immutable=1");
}

/*
 * A database on read-only media: WAL mode needs its -shm file, which
 * cannot be made there, so it is opened immutable (no locks, no WAL).
 * What a -wal file still holds is then not seen: said, not hidden.
 */
static int open_immutable(struct store *s)
{
	struct strbuf uri = STRBUF_INIT, wal = STRBUF_INIT;
	int ret;

	sqlite3_close(s->db);
	s->db = NULL;
	file_uri(s->path, &uri);
	ret = open_file(s, uri.buf, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
	strbuf_addf(&wal, "%s-wal", s->path);
	if (!ret && !access(wal.buf, F_OK))
		warning("%s: read-only, so its write-ahead log '%s' is not "
			"read: runs stored since its last checkpoint are "
			"missing",
			s->path, wal.buf);
	strbuf_release(&uri);
	strbuf_release(&wal);
	return ret;
}

/* An update in one transaction: all of it, or the file as it was. */
static int update(struct store *s)
{
	if (db_exec(s, "BEGIN IMMEDIATE"))
		return -1;
	if (store_schema_update(s) || db_exec(s, "COMMIT")) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/*
 * A file of an older schema, opened to be read: it is not ours to
 * change, so it is copied into memory and the copy migrated.
 */
static int migrate_copy(struct store *s)
{
	sqlite3 *mem;
	sqlite3_backup *b;
	int rc;

	if (sqlite3_open(":memory:", &mem) != SQLITE_OK) {
		sqlite3_close(mem);
		return error("%s: cannot copy it into memory", s->path);
	}
	b = sqlite3_backup_init(mem, "main", s->db, "main");
	rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		sqlite3_close(mem);
		return db_error(s, "cannot copy it into memory");
	}
	sqlite3_close(s->db);
	s->db = mem;
	return db_exec(s, "PRAGMA foreign_keys = ON") || update(s);
}

int store_open(const char *path, enum store_mode mode, struct store **out)
{
	struct store *s = xcalloc(1, sizeof(*s));
	bool existed = !access(path, F_OK);
	struct stat sb;
	int v;

	s->path = xstrdup(path);
	s->readonly = mode == STORE_READ;
	if (mode == STORE_READ) {
		if (access(path, R_OK)) {
			error_errno("cannot open results '%s'", path);
			goto fail;
		}
		if (open_file(s, path, SQLITE_OPEN_READONLY))
			goto fail;
		if (sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master",
				 NULL, NULL, NULL) == SQLITE_CANTOPEN &&
		    open_immutable(s))
			goto fail;
		v = file_version(s);
		if (v == 0 && !stat(path, &sb) && !sb.st_size) {
			error("'%s' is empty: no run was ever stored in it (did "
			      "its disk fill up?)",
			      path);
			goto fail;
		}
		if (v == 0 || v == -2) {
			error("'%s' is not an iovbench results database", path);
			goto fail;
		}
		if (v < 0)
			goto fail;
		if (v > STORE_SCHEMA_VERSION) {
			error("'%s' was written by a newer iovbench (schema %d; "
			      "this one knows up to %d): use that version",
			      path, v, STORE_SCHEMA_VERSION);
			goto fail;
		}
		/*
		 * Schema 2 has every column readers ask for (schema 3 only
		 * stores them otherwise, behind views of the same names):
		 * read as it is, in constant memory. Schema 1 is laid out
		 * otherwise: a migrated copy, in memory.
		 */
		if (v < STORE_READS_AS_IS && migrate_copy(s))
			goto fail;
	} else {
		if (open_file(s, path,
			      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
			goto fail;
		/*
		 * WAL: readers (report) run beside the writer.
		 * synchronous=NORMAL: a run's commit is a write() to the WAL,
		 * in the kernel once it returns, so a runner killed (kill -9,
		 * a crash) keeps every run it committed; only the checkpoints
		 * fsync. Power loss (or a kernel crash) can lose the runs
		 * committed since the last checkpoint, never the database's
		 * consistency: they are not in it, and the next start redoes
		 * them as it does any run not stored (docs/results.md). FULL
		 * cost an fdatasync per run, a fixed cost of every run.
		 */
		if (db_exec(s, "PRAGMA journal_mode = WAL") ||
		    db_exec(s, "PRAGMA synchronous = NORMAL") || update(s))
			goto fail;
	}
	store_find_columns(s);
	*out = s;
	return 0;
fail:
	store_close(s);
	/* a file this call made and could not make a database of (a full
	 * disk) goes: nothing was in it, and it would fool the next run */
	if (mode == STORE_CREATE && !existed) {
		struct strbuf side = STRBUF_INIT;

		unlink(path);
		strbuf_addf(&side, "%s-wal", path);
		unlink(side.buf);
		strbuf_reset(&side);
		strbuf_addf(&side, "%s-shm", path);
		unlink(side.buf);
		strbuf_release(&side);
	}
	return -1;
}

void store_close(struct store *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < STORE_MAX_TABLES; i++)
		sqlite3_finalize(s->insert[i]);
	for (i = 0; i < STORE_MAX_TABLES; i++)
		sqlite3_finalize(s->insert_many[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}
