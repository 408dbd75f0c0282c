// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing: a run, and the rows of its meters, in one transaction. The
 * INSERT of a meter's table is made from its entry and prepared once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iov_config.h"
#include "store/db.h"
#include "store/layout.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

int store_complete_runs(struct store *s, char ***ids, size_t *n)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	st = db_prepare(s, "SELECT run_id FROM runs WHERE status = 'complete'",
			"cannot list runs");
	if (!st)
		return -1;
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

	st = db_prepare(s,
			"INSERT INTO campaigns VALUES (?1, ?2, ?3, ?3, ?4) ON "
			"CONFLICT(name) DO UPDATE SET file = ?2, last_ns = ?3, "
			"config = ?4",
			"cannot record the campaign");
	if (!st)
		return -1;
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
	st = db_prepare(s, sql.buf, "cannot save a test");
	strbuf_release(&sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->key, -1, SQLITE_STATIC);
	for (f = 0, col = 3; f < FACTOR_COUNT; f++) {
		if (factor_table[f].flags & FACTOR_NOT_IN_ID)
			continue;
		/* a scaled one as written ("0.1" %), read back by parsing;
		 * a word (a size mix) as its text, never its interned id */
		if (factor_table[f].kind != FACTOR_INT ||
		    factor_table[f].scale > 1 ||
		    factor_word((enum factor_id)f, t->v[f])) {
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

	st = db_prepare(s, "SELECT status FROM runs WHERE run_id = ?1",
			"cannot look up a run");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, run_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		complete = !strcmp((const char *)sqlite3_column_text(st, 0),
				   "complete");
	sqlite3_finalize(st);
	if (complete)
		return error("run %s is already complete in '%s'", run_id,
			     s->path);
	st = db_prepare(s, "DELETE FROM runs WHERE run_id = ?1",
			"cannot replace a run");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, run_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "cannot replace a run");
}

static void bind_opt_text(sqlite3_stmt *st, int col, const char *v)
{
	if (v)
		sqlite3_bind_text(st, col, v, -1, SQLITE_STATIC);
}

static int insert_run(struct store *s, const struct run_record *r,
		      const char *run_id, sqlite3_int64 *rowid)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(s,
			"INSERT INTO runs (run_id, test_id, rep, campaign, "
			"status, error, started_ns, ended_ns, tool_version, "
			"host, setup) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
			"?9, ?10, ?11)",
			"cannot save a run");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, run_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->test->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, (int)r->rep);
	sqlite3_bind_text(st, 4, r->campaign, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, run_status_name(r->status), -1,
			  SQLITE_STATIC);
	bind_opt_text(st, 6, r->error);
	if (r->started > 0)
		sqlite3_bind_int64(st, 7, r->started);
	if (r->ended > 0)
		sqlite3_bind_int64(st, 8, r->ended);
	sqlite3_bind_text(st, 9, IOV_VERSION, -1, SQLITE_STATIC);
	bind_opt_text(st, 10, r->host);
	bind_opt_text(st, 11, r->setup);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, "cannot save a run");
	*rowid = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* ---- the meters' rows ---- */

/*
 * Rows go in by INSERTs of STORE_BATCH rows each (the rest one by one):
 * most of a one-row INSERT's cost is the statement's (its cursor, its
 * halt), not the row's (bench/store measures both). Row j's parameters
 * are ?(j * P + 1) :run, ?(j * P + 2) :base and ?(j * P + 3 + c) column
 * c, P = ncols + 2 (layout.c numbers a stored table's the same way).
 */
#define STORE_BATCH 64

struct insert_sink {
	struct row_sink sink;
	struct store *s;
	sqlite3_stmt *one, *many;
	const struct meter_table *t;
	sqlite3_int64 run, base;
	/* rows not inserted yet, their text copied */
	struct cell *rows;
	unsigned n;
};

static void bind_row(struct insert_sink *is, sqlite3_stmt *st, unsigned j,
		     const struct cell *cells)
{
	int off = (int)(j * (is->t->ncols + 2));
	unsigned c;

	sqlite3_bind_int64(st, off + 1, is->run);
	sqlite3_bind_int64(st, off + 2, is->base);
	for (c = 0; c < is->t->ncols; c++) {
		const struct cell *v = &cells[c];
		int col = off + 3 + (int)c;

		switch (v->type) {
		case CELL_INT:
			sqlite3_bind_int64(st, col, v->i);
			break;
		case CELL_REAL:
			sqlite3_bind_double(st, col, v->d);
			break;
		case CELL_TEXT:
			sqlite3_bind_text(st, col, v->s, -1, SQLITE_STATIC);
			break;
		default:
			sqlite3_bind_null(st, col);
		}
	}
}

/* Every parameter is bound again for the next rows: none is cleared. */
static int insert_step(struct insert_sink *is, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	return error("%s: cannot save a row of '%s': %s", is->s->path,
		     is->t->name, sqlite3_errmsg(is->s->db));
}

static void drop_rows(struct insert_sink *is)
{
	unsigned j, c;

	for (j = 0; j < is->n; j++) {
		for (c = 0; c < is->t->ncols; c++) {
			struct cell *v = &is->rows[j * is->t->ncols + c];

			if (v->type == CELL_TEXT)
				free((char *)v->s);
		}
	}
	is->n = 0;
}

/* The rows held: in one INSERT when they are STORE_BATCH, else each. */
static int insert_flush(struct insert_sink *is)
{
	unsigned j;
	int ret = 0;

	if (is->n == STORE_BATCH) {
		for (j = 0; j < is->n; j++)
			bind_row(is, is->many, j,
				 &is->rows[j * is->t->ncols]);
		ret = insert_step(is, is->many);
	} else {
		for (j = 0; j < is->n && !ret; j++) {
			bind_row(is, is->one, 0, &is->rows[j * is->t->ncols]);
			ret = insert_step(is, is->one);
		}
	}
	drop_rows(is);
	return ret;
}

static int insert_put(struct row_sink *sink, const struct cell *cells)
{
	struct insert_sink *is = (struct insert_sink *)sink;
	struct cell *row = &is->rows[is->n++ * is->t->ncols];
	unsigned c;

	for (c = 0; c < is->t->ncols; c++) {
		row[c] = cells[c];
		if (cells[c].type == CELL_TEXT)
			row[c].s = xstrdup(cells[c].s);
	}
	return is->n == STORE_BATCH ? insert_flush(is) : 0;
}

/* A plain table's row: its columns as they are. */
static void plain_row(const struct meter_table *t, unsigned j,
		      struct strbuf *sql)
{
	unsigned off = j * (t->ncols + 2), c;

	strbuf_addf(sql, "%s(?%u", j ? ", " : "", off + 1);
	for (c = 0; c < t->ncols; c++)
		strbuf_addf(sql, ", ?%u", off + 3 + c);
	strbuf_addch(sql, ')');
}

static sqlite3_stmt *insert_stmt(struct store *s, unsigned m, unsigned k,
				 unsigned rows)
{
	const struct meter_table *t = &meter_defs[m]->tables[k];
	unsigned i = store_table_index(m, k), c, j;
	sqlite3_stmt **st = rows == 1 ? &s->insert[i] : &s->insert_many[i];
	struct strbuf sql = STRBUF_INIT;

	if (*st)
		return *st;
	if (t->stored_in) {
		if (layout_insert_sql(t, rows, &sql)) {
			strbuf_release(&sql);
			return NULL;
		}
	} else {
		strbuf_addf(&sql, "INSERT INTO %s (run", t->name);
		for (c = 0; c < t->ncols; c++)
			strbuf_addf(&sql, ", %s", t->cols[c].name);
		strbuf_addstr(&sql, ") VALUES ");
		for (j = 0; j < rows; j++)
			plain_row(t, j, &sql);
	}
	*st = db_prepare(s, sql.buf, "cannot save what a run measured");
	strbuf_release(&sql);
	return *st;
}

static int meter_index(const struct meter_def *def)
{
	unsigned m;

	for (m = 0; m < meter_count; m++) {
		if (meter_defs[m] == def)
			return (int)m;
	}
	return -1;
}

static int save_meters(struct store *s, const struct run_record *r,
		       sqlite3_int64 run)
{
	struct cell *rows = xcalloc(STORE_BATCH * METER_COLS_MAX,
				    sizeof(*rows));
	size_t i;
	unsigned k;
	int ret = -1;

	for (i = 0; i < r->nmeters; i++) {
		const struct meter_rows *mr = &r->meters[i];
		int m = meter_index(mr->def);

		if (m < 0) {
			error("a meter without an entry in meter_defs");
			goto out;
		}
		for (k = 0; k < mr->def->ntables; k++) {
			struct insert_sink is = {
				.sink.put = insert_put,
				.s = s,
				.one = insert_stmt(s, (unsigned)m, k, 1),
				.many = insert_stmt(s, (unsigned)m, k,
						    STORE_BATCH),
				.t = &mr->def->tables[k],
				.run = run,
				/* as runs.started_ns reads in the views */
				.base = r->started > 0 ? r->started : 0,
				.rows = rows,
			};
			int bad = !is.one || !is.many ||
				  mr->rows(mr->data, k, &is.sink) ||
				  insert_flush(&is);

			drop_rows(&is);
			if (bad)
				goto out;
		}
	}
	ret = 0;
out:
	free(rows);
	return ret;
}

int store_save_run(struct store *s, const struct run_record *r)
{
	char run_id[RUN_ID_MAX];
	sqlite3_int64 rowid = 0;

	plan_run_id(r->test, r->rep, run_id, sizeof(run_id));
	/* IMMEDIATE: take the write lock now, not halfway through */
	if (db_exec(s, "BEGIN IMMEDIATE"))
		return -1;
	if (save_test(s, r->test) || clear_failed(s, run_id) ||
	    insert_run(s, r, run_id, &rowid) ||
	    (r->status == RUN_COMPLETE && save_meters(s, r, rowid)) ||
	    db_exec(s, "COMMIT")) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}
