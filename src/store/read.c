// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading: exports of the stored rows, and the series that the meters
 * fold from them. Both are made from the meters' entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"

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

	st = db_prepare(s, sql, "cannot query");
	if (!st)
		return -1;
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

/* ---- exports ---- */

/* Column c of meter table i, or NULL if the file predates it. */
static void table_column(struct store *s, unsigned i,
			 const struct meter_table *t, unsigned c,
			 const char *alias, struct strbuf *sql)
{
	if (s->has_col[i] & COL(c))
		strbuf_addf(sql, ", %s.%s", alias, t->cols[c].name);
	else
		strbuf_addf(sql, ", NULL AS %s", t->cols[c].name);
}

/*
 * The tables that join the export name (export_as), with alias xN:
 * their non-key columns into cols, the joins into from.
 */
static void joined_tables(struct store *s, const char *name,
			  const struct meter_table *primary,
			  struct strbuf *cols, struct strbuf *from)
{
	unsigned m, k, c, n = 0;

	for (m = 0; m < meter_count; m++) {
		for (k = 0; k < meter_defs[m]->ntables; k++) {
			const struct meter_table *t = &meter_defs[m]->tables[k];
			unsigned i = store_table_index(m, k);
			char alias[16];

			if (!t->export_as || strcmp(t->export_as, name) ||
			    !s->has_table[i])
				continue;
			snprintf(alias, sizeof(alias), "x%u", n++);
			for (c = 0; c < t->ncols; c++) {
				if (!(t->cols[c].flags & COL_KEY))
					table_column(s, i, t, c, alias, cols);
			}
			strbuf_addf(from, " LEFT JOIN %s %s ON %s.run = %s",
				    t->name, alias, alias,
				    primary ? "p.run" : "r.id");
			for (c = 0; primary && c < t->ncols; c++) {
				if (t->cols[c].flags & COL_KEY)
					strbuf_addf(from, " AND %s.%s = p.%s",
						    alias, t->cols[c].name,
						    t->cols[c].name);
			}
		}
	}
}

static void export_tests(struct store *s, struct strbuf *sql)
{
	strbuf_addstr(sql, "SELECT t.id AS test_id, ");
	factor_columns(s, sql, "t");
	strbuf_addstr(sql, "(SELECT count(*) FROM runs r WHERE r.test_id = "
			   "t.id AND r.status = 'complete') AS runs, "
			   "t.key FROM tests t");
	factor_order(s, sql, "t");
	strbuf_addstr(sql, "t.id");
}

static void export_runs(struct store *s, struct strbuf *sql)
{
	struct strbuf cols = STRBUF_INIT, from = STRBUF_INIT;

	joined_tables(s, "runs", NULL, &cols, &from);
	strbuf_addstr(sql, "SELECT r.run_id, r.test_id, ");
	factor_columns(s, sql, "t");
	strbuf_addf(sql,
		    "r.rep, r.campaign, r.status, r.error, r.started_ns, "
		    "r.ended_ns%s, r.tool_version, r.host, r.setup FROM runs "
		    "r JOIN tests t ON r.test_id = t.id%s",
		    cols.buf, from.buf);
	factor_order(s, sql, "t");
	strbuf_addstr(sql, "r.rep");
	strbuf_release(&cols);
	strbuf_release(&from);
}

/* A meter's table: its rows of complete runs, with the joined ones. */
static void export_table(struct store *s, unsigned m, unsigned k,
			 struct strbuf *sql)
{
	const struct meter_table *t = &meter_defs[m]->tables[k];
	unsigned i = store_table_index(m, k), c;
	struct strbuf cols = STRBUF_INIT, from = STRBUF_INIT;

	joined_tables(s, t->name, t, &cols, &from);
	strbuf_addstr(sql, "SELECT r.run_id, ");
	factor_columns(s, sql, "t");
	strbuf_addstr(sql, "r.rep");
	for (c = 0; c < t->ncols; c++)
		table_column(s, i, t, c, "p", sql);
	strbuf_addf(sql,
		    "%s FROM %s p JOIN runs r ON p.run = r.id JOIN tests t "
		    "ON r.test_id = t.id%s WHERE r.status = 'complete'",
		    cols.buf, t->name, from.buf);
	factor_order(s, sql, "t");
	strbuf_addstr(sql, "r.rep");
	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & COL_KEY)
			strbuf_addf(sql, ", p.%s", t->cols[c].name);
	}
	strbuf_release(&cols);
	strbuf_release(&from);
}

void store_export_names(struct strbuf *out)
{
	unsigned m, k;

	strbuf_addstr(out, "tests, runs");
	for (m = 0; m < meter_count; m++) {
		for (k = 0; k < meter_defs[m]->ntables; k++) {
			if (!meter_defs[m]->tables[k].export_as)
				strbuf_addf(out, ", %s",
					    meter_defs[m]->tables[k].name);
		}
	}
}

int store_settings(struct store *s, store_row_fn fn, void *data)
{
	if (!db_has_table(s, "host_settings"))
		return 0; /* a file from before the hygiene meter */
	return each_row(s,
			"SELECT setting, value, group_concat(DISTINCT server) "
			"AS servers, count(DISTINCT run) AS runs, "
			"max(distorts) AS distorts FROM host_settings JOIN runs "
			"ON runs.id = host_settings.run WHERE runs.status = "
			"'complete' GROUP BY setting, value ORDER BY setting, "
			"value",
			fn, data);
}

int store_export(struct store *s, const char *name, store_row_fn fn,
		 void *data)
{
	struct strbuf sql = STRBUF_INIT, names = STRBUF_INIT;
	const struct meter_def *def;
	unsigned k, m;
	int ret;

	if (!strcmp(name, "tests")) {
		export_tests(s, &sql);
	} else if (!strcmp(name, "runs")) {
		export_runs(s, &sql);
	} else if ((def = meter_table_find(name, &k)) &&
		   !def->tables[k].export_as) {
		for (m = 0; meter_defs[m] != def; m++)
			;
		if (!s->has_table[store_table_index(m, k)])
			return error("%s: no table '%s' (a database from an "
				     "older iovbench)",
				     s->path, name);
		export_table(s, m, k, &sql);
	} else {
		store_export_names(&names);
		error("no table '%s' to export (there are %s)", name,
		      names.buf);
		strbuf_release(&names);
		return -1;
	}
	ret = each_row(s, sql.buf, fn, data);
	strbuf_release(&sql);
	return ret;
}

/* ---- series ---- */

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

static int in_ids(const char *id, char *const *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(ids[i], id))
			return 1;
	}
	return 0;
}

/* What the folds read: a statement per meter table, by run. */
struct fold {
	sqlite3_stmt *st[STORE_MAX_TABLES];
	unsigned ncols[STORE_MAX_TABLES];
	struct cell *cells;
};

static int fold_prepare(struct store *s, struct fold *f)
{
	unsigned m, k, c, most = 1;

	for (m = 0; m < meter_count; m++) {
		for (k = 0; k < meter_defs[m]->ntables; k++) {
			const struct meter_table *t = &meter_defs[m]->tables[k];
			unsigned i = store_table_index(m, k);
			struct strbuf sql = STRBUF_INIT;

			if (t->ncols > most)
				most = t->ncols;
			if (!t->fold || !s->has_table[i])
				continue;
			strbuf_addstr(&sql, "SELECT 0");
			for (c = 0; c < t->ncols; c++) {
				if (t->fold & COL(c))
					table_column(s, i, t, c, "x", &sql);
			}
			strbuf_addf(&sql, " FROM %s x WHERE x.run = ?1",
				    t->name);
			f->st[i] = db_prepare(s, sql.buf,
					      "cannot read what runs measured");
			strbuf_release(&sql);
			if (!f->st[i])
				return -1;
		}
	}
	f->cells = xcalloc(most, sizeof(*f->cells));
	return 0;
}

static void fold_release(struct fold *f)
{
	unsigned i;

	for (i = 0; i < STORE_MAX_TABLES; i++)
		sqlite3_finalize(f->st[i]);
	free(f->cells);
}

static void read_cell(sqlite3_stmt *st, int col, struct cell *c)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_INTEGER:
		*c = cell_int(sqlite3_column_int64(st, col));
		break;
	case SQLITE_FLOAT:
		*c = cell_real(sqlite3_column_double(st, col));
		break;
	case SQLITE_TEXT:
		*c = cell_text((const char *)sqlite3_column_text(st, col));
		break;
	default:
		*c = cell_null();
	}
}

/* Fold the rows of run into the series' test in progress. */
static int fold_run(struct store *s, struct fold *f, struct series *out,
		    sqlite3_int64 run)
{
	unsigned m, k, c;
	int rc;

	for (m = 0; m < meter_count; m++) {
		for (k = 0; k < meter_defs[m]->ntables; k++) {
			const struct meter_table *t = &meter_defs[m]->tables[k];
			sqlite3_stmt *st = f->st[store_table_index(m, k)];

			if (!st)
				continue;
			sqlite3_bind_int64(st, 1, run);
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				int col = 1;

				for (c = 0; c < t->ncols; c++) {
					if (t->fold & COL(c))
						read_cell(st, col++,
							  &f->cells[c]);
					else
						f->cells[c] = cell_null();
				}
				series_row(out, m, k, f->cells);
			}
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				return db_error(s, "cannot read what runs "
						   "measured");
		}
	}
	return 0;
}

static int fold_test(struct store *s, struct fold *f, sqlite3_stmt *runs,
		     struct series *out)
{
	int rc, ret = 0;

	while (!ret && (rc = sqlite3_step(runs)) == SQLITE_ROW) {
		struct meter_run run = {
			.id = sqlite3_column_int64(runs, 0),
			.setup = (const char *)sqlite3_column_text(runs, 1),
		};

		series_run(out, &run);
		ret = fold_run(s, f, out, run.id);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = db_error(s, "cannot read runs");
	sqlite3_reset(runs);
	return ret;
}

int store_load_series(struct store *s, char *const *ids, size_t nids,
		      struct series *out)
{
	struct strbuf sql = STRBUF_INIT;
	struct fold f;
	sqlite3_stmt *tests, *runs = NULL;
	int rc = SQLITE_DONE, ret = -1;

	memset(&f, 0, sizeof(f));
	series_init(out);
	strbuf_addstr(&sql, "SELECT t.id, ");
	factor_columns(s, &sql, "t");
	strbuf_addstr(&sql, "1 FROM tests t WHERE EXISTS (SELECT 1 FROM runs "
			    "r WHERE r.test_id = t.id AND r.status = "
			    "'complete')");
	factor_order(s, &sql, "t");
	strbuf_addstr(&sql, "t.id");
	tests = db_prepare(s, sql.buf, "cannot read tests");
	strbuf_release(&sql);
	if (!tests)
		goto out;
	runs = db_prepare(s,
			  "SELECT id, setup FROM runs WHERE test_id = ?1 AND "
			  "status = 'complete' ORDER BY rep",
			  "cannot read runs");
	if (!runs || fold_prepare(s, &f))
		goto out;
	ret = 0;
	while (!ret && (rc = sqlite3_step(tests)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(tests, 0);
		int64_t v[FACTOR_COUNT];

		if (ids && !in_ids(id, ids, nids))
			continue;
		read_factors(tests, 1, v);
		series_test_begin(out, id, v);
		sqlite3_bind_text(runs, 1, id, -1, SQLITE_TRANSIENT);
		ret = fold_test(s, &f, runs, out);
		series_test_end(out);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = db_error(s, "cannot read tests");
	if (!ret)
		series_finish(out);
out:
	fold_release(&f);
	sqlite3_finalize(runs);
	sqlite3_finalize(tests);
	if (ret)
		series_release(out);
	return ret;
}

/* ---- samples, for statistics over probes ---- */

int store_samples(struct store *s, const char *test_id, const char *table,
		  const char *column, double **out, size_t *n)
{
	unsigned m, k, c, i;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	for (m = 0; m < meter_count; m++) {
		for (k = 0; k < meter_defs[m]->ntables; k++) {
			if (!strcmp(meter_defs[m]->tables[k].name, table))
				goto found;
		}
	}
	return error("no meter table '%s'", table);
found:
	for (c = 0; c < meter_defs[m]->tables[k].ncols; c++) {
		if (!strcmp(meter_defs[m]->tables[k].cols[c].name, column))
			break;
	}
	if (c == meter_defs[m]->tables[k].ncols)
		return error("table '%s' has no column '%s'", table, column);
	/* a file that predates the table or column has no samples */
	if (!s->has_table[store_table_index(m, k)] ||
	    !(s->has_col[store_table_index(m, k)] & COL(c)))
		return 0;
	strbuf_addf(&sql,
		    "SELECT x.%s FROM %s x JOIN runs r ON x.run = r.id "
		    "WHERE r.test_id = ?1 AND r.status = 'complete' AND "
		    "x.%s IS NOT NULL ORDER BY r.rep",
		    column, table, column);
	/* in the order they were taken: scatter plots need it */
	for (i = 0; i < meter_defs[m]->tables[k].ncols; i++) {
		if (meter_defs[m]->tables[k].cols[i].flags & COL_KEY)
			strbuf_addf(&sql, ", x.%s",
				    meter_defs[m]->tables[k].cols[i].name);
	}
	st = db_prepare(s, sql.buf, "cannot read samples");
	strbuf_release(&sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, test_id, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 1024;
			*out = xrealloc(*out, alloc * sizeof(**out));
		}
		(*out)[(*n)++] = sqlite3_column_double(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return db_error(s, "cannot read samples");
	}
	return 0;
}
