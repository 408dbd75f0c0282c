/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the store (the files of store/ only): the connection, what the open
 * database holds, and the small SQLite helpers its files share.
 */
#ifndef IOV_STORE_DB_H
#define IOV_STORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/factor.h"
#include "core/meter.h"
#include "util/strbuf.h"

#define STORE_MAX_TABLES 32

struct store {
	sqlite3 *db;
	char *path;
	bool readonly;
	/* factor columns tests has (a read-only database may predate some) */
	bool has_factor[FACTOR_COUNT];
	/* per meter table (store_table_index()): columns present, COL(i) */
	uint64_t has_col[STORE_MAX_TABLES];
	bool has_table[STORE_MAX_TABLES];
	/* INSERT statements of the meter tables, of one row and of a
	 * batch of rows (save.c), prepared on first use */
	sqlite3_stmt *insert[STORE_MAX_TABLES];
	sqlite3_stmt *insert_many[STORE_MAX_TABLES];
};

int db_error(struct store *s, const char *what);
int db_exec(struct store *s, const char *sql);
sqlite3_stmt *db_prepare(struct store *s, const char *sql, const char *what);
int db_has_column(struct store *s, const char *table, const char *col);
int db_has_table(struct store *s, const char *table);

/* Index of meter_defs[m]->tables[k] among all meter tables. */
unsigned store_table_index(unsigned m, unsigned k);
unsigned store_table_count(void);

/* Learn which factor columns and meter tables/columns the file has. */
void store_find_columns(struct store *s);

/* Bring the open database to STORE_SCHEMA_VERSION (store/schema.c). */
int store_schema_update(struct store *s);

#endif
