/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The results database (SQLite, WAL). A run is saved in one transaction
 * with every row its meters took: after a crash at any instant a run is
 * either complete or absent, so resuming never redoes or half-keeps a
 * run. The store knows runs; what a run measured it knows only through
 * the meters' entries (core/meter.h): their tables are made, filled,
 * exported and folded into series from those entries. The schema has a
 * version (PRAGMA user_version); older files are migrated. docs/results.md
 * describes the schema for people querying it with sqlite3, pandas or R.
 */
#ifndef IOV_STORE_STORE_H
#define IOV_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/meter.h"
#include "core/plan.h"
#include "core/series.h"

struct store;

enum store_mode {
	/* an existing database, never written: one of schema 2 is read as
	 * it is, one of schema 1 through a migrated copy in memory */
	STORE_READ,
	STORE_CREATE, /* create it if missing, migrate, write */
};

/*
 * 1: up to commit 26b89a8 (the probe summary in runs); 2: meters' tables;
 * 3: probes and probe_splits are views over what was measured
 */
#define STORE_SCHEMA_VERSION 3
/* the oldest schema read without a migration (its tables are the views') */
#define STORE_READS_AS_IS 2

int store_open(const char *path, enum store_mode mode, struct store **out);
void store_close(struct store *s);
/* The schema version of the open database (after any migration). */
int store_schema_version(struct store *s);

/* Ids ("TESTID/REP") of the runs complete in the database. */
int store_complete_runs(struct store *s, char ***ids, size_t *n);

struct search_run;
/*
 * The complete runs of search test test_id, in run order (*out to
 * free; none in a file older than searches).
 */
int store_search_runs(struct store *s, const char *test_id,
		      struct search_run **out, size_t *n);
/* plan_search_settle() each search test of p from what s holds. */
int store_settle_searches(struct store *s, struct plan *p);

/* Remember that campaign c (file text config) ran now. */
int store_touch_campaign(struct store *s, const struct campaign *c,
			 const char *config);

enum run_status {
	RUN_COMPLETE, /* measured; its meters' rows are stored */
	RUN_FAILED,   /* could not be measured: error says why */
	RUN_REFUSED,  /* cannot run on this host: error says why */
};

const char *run_status_name(enum run_status st);

/* What one meter of a run stores: rows(data, k, sink) puts the rows of
 * def->tables[k], one sink->put() per row. */
struct meter_rows {
	const struct meter_def *def;
	int (*rows)(void *data, unsigned table, struct row_sink *sink);
	void *data;
};

struct run_record {
	const struct test *test;
	unsigned rep;
	const char *campaign;
	enum run_status status;
	const char *error;
	int64_t started, ended; /* realtime ns */
	const char *host;	/* JSON facts of the hosts */
	const char *setup;	/* JSON: accel, VF, image, console logs */
	const struct meter_rows *meters; /* complete runs */
	size_t nmeters;
};

/*
 * Save a run and its meters' rows in one transaction, replacing an
 * earlier failed or refused attempt of the same run. A complete run is
 * never replaced: saving it twice is an error (it would mean the plan
 * redid it).
 */
int store_save_run(struct store *s, const struct run_record *r);

/* ---- reading, for reports and exports ---- */

/* One result row: n columns, names and text values (NULL for SQL NULL). */
struct store_row {
	int n;
	const char *const *names;
	const char *const *values;
	const bool *numeric; /* the value is an integer or a real */
};
typedef int (*store_row_fn)(const struct store_row *row, void *data);

/*
 * Rows of an export, in test-tree order of the stored factor values:
 * "tests" (a row per test), "runs" (a row per run, with what its meters
 * keep per run), or a meter's table by name ("probes", "captures", ...),
 * joined with the tables that describe the same unit (probes with their
 * split). -1 and a message for a name that is none of them.
 */
int store_export(struct store *s, const char *name, store_row_fn fn,
		 void *data);
/*
 * The host settings of the complete runs (the hygiene meter's
 * host_settings), one row per setting and value: setting, value,
 * servers (","-separated), runs, distorts (0/1). None in a file from
 * before the table.
 */
int store_settings(struct store *s, store_row_fn fn, void *data);
/* The export names, ", "-separated, for messages and --help. */
void store_export_names(struct strbuf *out);

/*
 * The series (core/series.h) of the tests with complete runs, each
 * folded over its complete runs; only tests in ids (n of them) if ids
 * is not NULL. Release it with series_release().
 */
int store_load_series(struct store *s, char *const *ids, size_t n,
		      struct series *out);

/*
 * Every non-NULL value of column of meter table (by name: "probes",
 * "rtt_ns") over the complete runs of test test_id, in *out (n of them;
 * free it), in the order they were taken (by repetition, then the
 * table's key). A file that predates the table or column gives none.
 */
int store_samples(struct store *s, const char *test_id, const char *table,
		  const char *column, double **out, size_t *n);

#endif
