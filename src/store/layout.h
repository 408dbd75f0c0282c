/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Meter tables with stored columns (store/layout.c, core/meter.h's
 * stored_in): the table that holds the rows and the view users read.
 */
#ifndef IOV_STORE_LAYOUT_H
#define IOV_STORE_LAYOUT_H

#include "core/meter.h"
#include "util/strbuf.h"

struct store;

/* The stored table (and columns it gained), and the view named t->name. */
int layout_create(struct store *s, const struct meter_table *t);
/*
 * The INSERT of rows rows; row j's parameters are ?(j * P + 1) its run,
 * ?(j * P + 2) the run's started_ns (0 if none) and ?(j * P + 3 + c)
 * column c of t->cols, P = t->ncols + 2. -1 if a put names no column.
 */
int layout_insert_sql(const struct meter_table *t, unsigned rows,
		      struct strbuf *sql);
/* A schema-2 table t->name (every column stored) into this layout. */
int layout_convert(struct store *s, const struct meter_table *t);

#endif
