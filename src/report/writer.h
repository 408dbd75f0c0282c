/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table writers: rows arrive one at a time (struct store_row: column
 * names, text values, which are numbers) and leave as an aligned text
 * table, CSV (RFC 4180) or JSON (an array of objects, numbers as
 * numbers, NULL as null; integers beyond 2^53, such as realtime
 * nanoseconds, as strings of their digits, which survive JavaScript and
 * jq). Every format streams: text sizes its
 * columns from the first 1000 rows, then prints each row as it comes.
 */
#ifndef IOV_REPORT_WRITER_H
#define IOV_REPORT_WRITER_H

#include <stdio.h>

#include "store/store.h"

/* HTML: a <table> (for report --html), streamed, text escaped */
/* NDJSON: one JSON object a line, for streams of probes (jq -c, pandas
 * read_json(lines=True)) */
enum writer_format {
	FORMAT_TEXT,
	FORMAT_CSV,
	FORMAT_JSON,
	FORMAT_HTML,
	FORMAT_NDJSON,
};

struct writer;

struct writer *writer_new(enum writer_format fmt, FILE *out);
/* A store_row_fn: pass the writer as data. */
int writer_row(const struct store_row *row, void *writer);
/* Flush (text: print the table) and free; 0 or -1 on a write error. */
int writer_finish(struct writer *w);

int writer_format_find(const char *name, enum writer_format *out);

/* text with &, <, > and " escaped for HTML */
void writer_html_escape(FILE *out, const char *text);

#endif
