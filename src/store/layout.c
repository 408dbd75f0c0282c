// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tables stored in another layout than the one users read (schema 3):
 * a meter table with stored columns (core/meter.h) keeps its rows in
 * table stored_in, as few and as short integers as what was measured
 * allows, and its name is a view that gives back every column of the
 * entry, deriving the rest. Readers (read.c, report/) never see the
 * difference. Here: the stored table and its view, the INSERT that
 * encodes a row, and the copy that brings a schema-2 table (the plain
 * columns) into this layout.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/layout.h"
#include "util/error.h"

static const char *const type_sql[] = {
	[CELL_INT] = "INTEGER", [CELL_REAL] = "REAL", [CELL_TEXT] = "TEXT",
};

static int add_column(struct store *s, const char *table,
		      const struct stored_column *c)
{
	char sql[512];

	if (db_has_column(s, table, c->name))
		return 0;
	snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s %s", table,
		 c->name, type_sql[c->type]);
	return db_exec(s, sql);
}

/*
 * The stored columns: the entry's, and each column of cols that has no
 * derive and no stored column of its name, stored as it is (so that a
 * column added to the entry needs no stored twin).
 */
struct layout_cols {
	struct stored_column c[2 * METER_COLS_MAX];
	char put[METER_COLS_MAX][72];
	unsigned n;
};

static void stored_columns(const struct meter_table *t, struct layout_cols *lc)
{
	unsigned c, k;

	for (lc->n = 0; lc->n < t->nstored; lc->n++)
		lc->c[lc->n] = t->stored[lc->n];
	for (c = 0; c < t->ncols; c++) {
		if (t->derive && t->derive[c])
			continue;
		for (k = 0; k < t->nstored; k++) {
			if (!strcmp(t->stored[k].name, t->cols[c].name))
				break;
		}
		if (k < t->nstored)
			continue;
		snprintf(lc->put[c], sizeof(lc->put[c]), ":%s",
			 t->cols[c].name);
		lc->c[lc->n++] = (struct stored_column){
			t->cols[c].name, t->cols[c].type,
			t->cols[c].flags, lc->put[c]};
	}
}

static void view_sql(const struct meter_table *t, struct strbuf *sql)
{
	unsigned c;

	strbuf_addf(sql, "CREATE VIEW %s AS SELECT d.run AS run", t->name);
	for (c = 0; c < t->ncols; c++) {
		const char *e = t->derive ? t->derive[c] : NULL;

		if (e)
			strbuf_addf(sql, ", %s AS %s", e, t->cols[c].name);
		else
			strbuf_addf(sql, ", d.%s AS %s", t->cols[c].name,
				    t->cols[c].name);
	}
	strbuf_addf(sql, " FROM %s", t->view_from);
}

/* The view's text as the file holds it, or NULL (*out to free). */
static int stored_view(struct store *s, const char *name, char **out)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	st = db_prepare(s,
			"SELECT sql FROM sqlite_master WHERE type = 'view' "
			"AND name = ?1",
			"cannot read the schema");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ?
		       0 :
		       db_error(s, "cannot read the schema");
}

int layout_create(struct store *s, const struct meter_table *t)
{
	struct layout_cols lc;
	struct strbuf sql = STRBUF_INIT;
	char *old = NULL;
	unsigned c;
	int ret = -1;

	stored_columns(t, &lc);
	strbuf_addf(&sql, "CREATE TABLE IF NOT EXISTS %s (run INTEGER NOT "
			  "NULL REFERENCES runs(id) ON DELETE CASCADE",
		    t->stored_in);
	for (c = 0; c < lc.n; c++)
		strbuf_addf(&sql, ", %s %s%s", lc.c[c].name,
			    type_sql[lc.c[c].type],
			    lc.c[c].flags & COL_NOT_NULL ? " NOT NULL" :
								"");
	strbuf_addstr(&sql, ", PRIMARY KEY (run");
	for (c = 0; c < lc.n; c++) {
		if (lc.c[c].flags & COL_KEY)
			strbuf_addf(&sql, ", %s", lc.c[c].name);
	}
	strbuf_addstr(&sql, ")) WITHOUT ROWID");
	if (db_exec(s, sql.buf))
		goto out;
	for (c = 0; c < lc.n; c++) {
		if (add_column(s, t->stored_in, &lc.c[c]))
			goto out;
	}
	/* the view is remade only when its entry changed: a schema change
	 * makes every other connection prepare its statements again */
	strbuf_reset(&sql);
	view_sql(t, &sql);
	if (stored_view(s, t->name, &old))
		goto out;
	if (old && !strcmp(old, sql.buf)) {
		ret = 0;
		goto out;
	}
	if (old) {
		char drop[128];

		snprintf(drop, sizeof(drop), "DROP VIEW %s", t->name);
		if (db_exec(s, drop))
			goto out;
	}
	ret = db_exec(s, sql.buf);
out:
	sqlite3_free(old);
	strbuf_release(&sql);
	return ret;
}

static int col_index(const struct meter_table *t, const char *name,
		     size_t n)
{
	unsigned c;

	for (c = 0; c < t->ncols; c++) {
		if (strlen(t->cols[c].name) == n &&
		    !strncmp(t->cols[c].name, name, n))
			return (int)c;
	}
	return -1;
}

/*
 * A put expression with its names replaced: with rows, over the columns
 * of a schema-2 row (o.NAME, its run b's start); else over row j's
 * parameters, numbered as save.c binds them (?(j * P + 1) the run,
 * + 2 the base, + 3 + c column c; P = ncols + 2).
 */
static int put_sql(const struct meter_table *t, const char *put, bool rows,
		   unsigned j, struct strbuf *out)
{
	unsigned off = j * (t->ncols + 2);
	const char *p = put;

	while (*p) {
		size_t n;
		int c;

		if (*p != ':') {
			strbuf_addch(out, *p++);
			continue;
		}
		p++;
		for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
			;
		c = col_index(t, p, n);
		if (n == 4 && !strncmp(p, "base", 4))
			strbuf_addf(out, rows ? "coalesce(b.started_ns, 0)" :
						"?%u",
				    off + 2);
		else if (n == 3 && !strncmp(p, "run", 3))
			strbuf_addf(out, rows ? "o.run" : "?%u", off + 1);
		else if (c < 0)
			return error("table '%s': a stored column's SQL names "
				     "'%.*s', none of its columns",
				     t->name, (int)n, p);
		else if (rows)
			strbuf_addf(out, "o.%.*s", (int)n, p);
		else
			strbuf_addf(out, "?%u", off + 3 + (unsigned)c);
		p += n;
	}
	return 0;
}

int layout_insert_sql(const struct meter_table *t, unsigned rows,
		      struct strbuf *sql)
{
	struct layout_cols lc;
	unsigned c, j;

	stored_columns(t, &lc);
	strbuf_addf(sql, "INSERT INTO %s (run", t->stored_in);
	for (c = 0; c < lc.n; c++)
		strbuf_addf(sql, ", %s", lc.c[c].name);
	strbuf_addstr(sql, ") VALUES ");
	for (j = 0; j < rows; j++) {
		strbuf_addf(sql, "%s(?%u", j ? ", " : "",
			    j * (t->ncols + 2) + 1);
		for (c = 0; c < lc.n; c++) {
			strbuf_addstr(sql, ", ");
			if (put_sql(t, lc.c[c].put, false, j, sql))
				return -1;
		}
		strbuf_addch(sql, ')');
	}
	return 0;
}

/*
 * After the copy: the rows whose view gives another value than the
 * schema-2 row held (a file edited by hand, or a value computed another
 * way), said per column rather than hidden; the stored layout keeps the
 * measured values, so the view's is what stays.
 */
static int convert_check(struct store *s, const struct meter_table *t)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	unsigned c, n = 0;
	int rc, ret = 0;

	strbuf_addstr(&sql, "SELECT (SELECT count(*) FROM ");
	strbuf_addf(&sql, "%s_schema2) - (SELECT count(*) FROM %s)", t->name,
		    t->stored_in);
	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & COL_KEY)
			continue;
		strbuf_addf(&sql, ", sum(o.%s IS NOT v.%s)", t->cols[c].name,
			    t->cols[c].name);
	}
	strbuf_addf(&sql, " FROM %s_schema2 o JOIN %s v ON v.run = o.run",
		    t->name, t->name);
	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & COL_KEY)
			strbuf_addf(&sql, " AND v.%s = o.%s", t->cols[c].name,
				    t->cols[c].name);
	}
	st = db_prepare(s, sql.buf, "cannot check the migration");
	strbuf_release(&sql);
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0)
		warning("%s: %lld rows of '%s' belong to no run: dropped",
			s->path, (long long)sqlite3_column_int64(st, 0),
			t->name);
	for (c = 0; rc == SQLITE_ROW && c < t->ncols; c++) {
		long long k;

		if (t->cols[c].flags & COL_KEY)
			continue;
		k = sqlite3_column_int64(st, (int)++n);
		if (k > 0)
			warning("%s: %lld rows of '%s' held a %s that their "
				"measured values do not give: schema 3 keeps "
				"what was measured and derives %s from it",
				s->path, k, t->name, t->cols[c].name,
				t->cols[c].name);
	}
	if (rc != SQLITE_ROW)
		ret = db_error(s, "cannot check the migration");
	sqlite3_finalize(st);
	return ret;
}

int layout_convert(struct store *s, const struct meter_table *t)
{
	struct layout_cols lc;
	struct strbuf sql = STRBUF_INIT;
	unsigned c;
	int ret;

	stored_columns(t, &lc);
	strbuf_addf(&sql, "ALTER TABLE %s RENAME TO %s_schema2", t->name,
		    t->name);
	if (db_exec(s, sql.buf) || layout_create(s, t)) {
		strbuf_release(&sql);
		return -1;
	}
	strbuf_reset(&sql);
	strbuf_addf(&sql, "INSERT INTO %s (run", t->stored_in);
	for (c = 0; c < lc.n; c++)
		strbuf_addf(&sql, ", %s", lc.c[c].name);
	strbuf_addstr(&sql, ") SELECT o.run");
	for (c = 0; c < lc.n; c++) {
		strbuf_addstr(&sql, ", ");
		if (put_sql(t, lc.c[c].put, true, 0, &sql)) {
			strbuf_release(&sql);
			return -1;
		}
	}
	strbuf_addf(&sql, " FROM %s_schema2 o JOIN runs b ON b.id = o.run",
		    t->name);
	ret = db_exec(s, sql.buf) || convert_check(s, t);
	strbuf_reset(&sql);
	strbuf_addf(&sql, "DROP TABLE %s_schema2", t->name);
	if (!ret)
		ret = db_exec(s, sql.buf);
	strbuf_release(&sql);
	return ret ? -1 : 0;
}
