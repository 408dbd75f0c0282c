// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/writer.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"

struct writer {
	enum writer_format fmt;
	FILE *out;
	size_t rows;
	/* text: the first rows, kept to size columns */
	int ncols;
	char **names;
	char **cells; /* kept * ncols */
	bool *numeric;
	size_t kept, alloc;
	/* text, past TEXT_LOOKAHEAD rows: the widths, rows printed as
	 * they come */
	size_t *width;
};

/*
 * Text sizes its columns from the first rows only, then streams: a table
 * of millions of probes takes constant memory, and a later cell wider
 * than its column just pushes the rest of its line.
 */
#define TEXT_LOOKAHEAD 1000

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text",
	[FORMAT_CSV] = "csv",
	[FORMAT_JSON] = "json",
	[FORMAT_HTML] = "html",
	[FORMAT_NDJSON] = "ndjson",
};

int writer_format_find(const char *name, enum writer_format *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(format_names); i++) {
		if (!strcmp(format_names[i], name)) {
			*out = (enum writer_format)i;
			return 0;
		}
	}
	return -1;
}

struct writer *writer_new(enum writer_format fmt, FILE *out)
{
	struct writer *w = xcalloc(1, sizeof(*w));

	w->fmt = fmt;
	w->out = out;
	return w;
}

static void csv_field(FILE *f, const char *v)
{
	if (!v)
		return; /* NULL: an empty field */
	if (!strpbrk(v, ",\"\r\n")) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

static void csv_row(struct writer *w, const struct store_row *row)
{
	int i;

	if (!w->rows) {
		for (i = 0; i < row->n; i++) {
			if (i)
				fputc(',', w->out);
			csv_field(w->out, row->names[i]);
		}
		fputs("\r\n", w->out);
	}
	for (i = 0; i < row->n; i++) {
		if (i)
			fputc(',', w->out);
		csv_field(w->out, row->values[i]);
	}
	fputs("\r\n", w->out);
}

/* the largest integer a double holds exactly: 2^53 */
#define JSON_EXACT_MAX 9007199254740992LL

static json_t *json_value(const char *v, bool numeric)
{
	char *end;
	long long ll;

	if (!v)
		return json_null();
	if (numeric) {
		errno = 0;
		ll = strtoll(v, &end, 10);
		/*
		 * JavaScript, jq and every reader that takes numbers as
		 * doubles round integers beyond 2^53 (realtime ns are
		 * 1.7e18): those become strings of their exact digits.
		 */
		if (!*end && !errno &&
		    (ll > JSON_EXACT_MAX || ll < -JSON_EXACT_MAX))
			return json_string(v);
		if (!*end && !errno)
			return json_integer(ll);
		return json_real(strtod(v, NULL));
	}
	/* host facts are stored as JSON: keep them an object */
	if (*v == '{') {
		json_t *j = json_loads(v, 0, NULL);

		if (j)
			return j;
	}
	return json_string(v);
}

static void json_row(struct writer *w, const struct store_row *row)
{
	json_t *o = json_object();
	char *text;
	int i;

	for (i = 0; i < row->n; i++)
		json_object_set_new(o, row->names[i],
				    json_value(row->values[i],
					       row->numeric[i]));
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (w->fmt == FORMAT_NDJSON)
		fprintf(w->out, "%s\n", text ? text : "{}");
	else
		fprintf(w->out, "%s\n  %s", w->rows ? "," : "[",
			text ? text : "{}");
	free(text);
	json_decref(o);
}

void writer_html_escape(FILE *out, const char *v)
{
	for (; *v; v++) {
		switch (*v) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			fputc(*v, out);
		}
	}
}

static void html_row(struct writer *w, const struct store_row *row)
{
	int i;

	if (!w->rows) {
		fputs("<table>\n<thead><tr>", w->out);
		for (i = 0; i < row->n; i++) {
			fputs("<th>", w->out);
			writer_html_escape(w->out, row->names[i]);
			fputs("</th>", w->out);
		}
		fputs("</tr></thead>\n<tbody>\n", w->out);
	}
	fputs("<tr>", w->out);
	for (i = 0; i < row->n; i++) {
		fputs(row->numeric[i] ? "<td class=\"num\">" : "<td>", w->out);
		writer_html_escape(w->out,
				   row->values[i] ? row->values[i] : "-");
		fputs("</td>", w->out);
	}
	fputs("</tr>\n", w->out);
}

static void text_line(struct writer *w, const char *const *v)
{
	int c;

	for (c = 0; c < w->ncols; c++) {
		/* numbers right-aligned; no padding at line end */
		int pad = w->numeric[c] ? (int)w->width[c] :
			  c + 1 < w->ncols ? -(int)w->width[c] :
					     0;

		fprintf(w->out, "%s%*s", c ? "  " : "", pad, v[c]);
	}
	fputc('\n', w->out);
}

/* Size the columns from the rows kept, print them, keep none. */
static void text_flush(struct writer *w)
{
	size_t r;
	int c;

	w->width = xcalloc((size_t)w->ncols, sizeof(size_t));
	for (c = 0; c < w->ncols; c++) {
		w->width[c] = strlen(w->names[c]);
		for (r = 0; r < w->kept; r++) {
			size_t l = strlen(w->cells[r * (size_t)w->ncols +
						   (size_t)c]);

			if (l > w->width[c])
				w->width[c] = l;
		}
	}
	text_line(w, (const char *const *)w->names);
	for (r = 0; r < w->kept; r++) {
		char **row = &w->cells[r * (size_t)w->ncols];

		text_line(w, (const char *const *)row);
	}
	for (r = 0; r < w->kept * (size_t)w->ncols; r++)
		free(w->cells[r]);
	w->kept = 0;
}

static void text_keep(struct writer *w, const struct store_row *row)
{
	int i;

	if (!w->rows) {
		w->ncols = row->n;
		w->names = xcalloc((size_t)row->n, sizeof(char *));
		w->numeric = xcalloc((size_t)row->n, sizeof(bool));
		for (i = 0; i < row->n; i++)
			w->names[i] = xstrdup(row->names[i]);
	}
	if (w->width) { /* streaming */
		const char **v = xcalloc((size_t)w->ncols, sizeof(*v));

		for (i = 0; i < w->ncols; i++)
			v[i] = i < row->n && row->values[i] ? row->values[i] :
							     "-";
		text_line(w, v);
		free(v);
		return;
	}
	ALLOC_GROW(w->cells, (w->kept + 1) * (size_t)w->ncols, w->alloc);
	for (i = 0; i < w->ncols; i++) {
		w->cells[w->kept * (size_t)w->ncols + (size_t)i] = xstrdup(
			i < row->n && row->values[i] ? row->values[i] : "-");
		if (i < row->n && row->numeric[i])
			w->numeric[i] = true;
	}
	if (++w->kept == TEXT_LOOKAHEAD)
		text_flush(w);
}

int writer_row(const struct store_row *row, void *data)
{
	struct writer *w = data;

	switch (w->fmt) {
	case FORMAT_CSV:
		csv_row(w, row);
		break;
	case FORMAT_JSON:
	case FORMAT_NDJSON:
		json_row(w, row);
		break;
	case FORMAT_TEXT:
		text_keep(w, row);
		break;
	case FORMAT_HTML:
		html_row(w, row);
		break;
	}
	w->rows++;
	return ferror(w->out) ? -1 : 0;
}

int writer_finish(struct writer *w)
{
	size_t i;
	int ret;

	if (w->fmt == FORMAT_JSON)
		fputs(w->rows ? "\n]\n" : "[]\n", w->out);
	if (w->fmt == FORMAT_TEXT && w->rows && !w->width)
		text_flush(w);
	if (w->fmt == FORMAT_HTML)
		fputs(w->rows ? "</tbody>\n</table>\n" :
				"<p>(no rows)</p>\n", w->out);
	ret = fflush(w->out) || ferror(w->out) ? -1 : 0;
	for (i = 0; i < w->kept * (size_t)w->ncols; i++)
		free(w->cells[i]);
	free(w->width);
	for (i = 0; i < (size_t)w->ncols; i++)
		free(w->names[i]);
	free(w->cells);
	free(w->names);
	free(w->numeric);
	free(w);
	return ret;
}
