// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-test summary: a loop over the series (core/series.h). For
 * machines (CSV, JSON) one row per test with every metric's machine
 * column; for people (text) the factors that are the same in every
 * test on one "every test:" line, then a table of the RTT and, when runs
 * observed more, a second table of what they observed, each with the
 * notes of the meters whose columns it holds.
 */
#include "report/summary.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/series.h"
#include "util/alloc.h"
#include "util/strbuf.h"

/* A row's cells: text kept in one buffer, pointers into it. */
struct cells {
	const char **names, **values;
	bool *numeric;
	char (*buf)[80];
	int n, max;
};

static void cells_init(struct cells *c, int max)
{
	c->names = xcalloc((size_t)max, sizeof(*c->names));
	c->values = xcalloc((size_t)max, sizeof(*c->values));
	c->numeric = xcalloc((size_t)max, sizeof(*c->numeric));
	c->buf = xcalloc((size_t)max, sizeof(*c->buf));
	c->n = 0;
	c->max = max;
}

static void cells_release(struct cells *c)
{
	free(c->names);
	free(c->values);
	free(c->numeric);
	free(c->buf);
}

static void cell(struct cells *c, const char *name, bool numeric,
		 const char *value)
{
	if (c->n == c->max)
		return;
	snprintf(c->buf[c->n], sizeof(c->buf[c->n]), "%s", value);
	c->names[c->n] = name;
	c->values[c->n] = c->buf[c->n];
	c->numeric[c->n] = numeric;
	c->n++;
}

static void metric_cell(struct cells *c, const struct metric *m,
			const struct metric_value *v, bool human)
{
	char buf[80];

	if (v->type == CELL_NULL) {
		if (c->n == c->max)
			return;
		c->names[c->n] = human ? m->human : m->name;
		c->values[c->n] = NULL;
		c->numeric[c->n] = true;
		c->n++;
		return;
	}
	series_format(m, v, human, buf, sizeof(buf));
	cell(c, human ? m->human : m->name, v->type != CELL_TEXT, buf);
}

static int emit(struct cells *c, struct writer *w)
{
	struct store_row row = {c->n, c->names, c->values, c->numeric};
	int ret = writer_row(&row, w);

	c->n = 0;
	return ret;
}

/* ---- which columns people get ---- */

struct view {
	const struct series *s;
	bool show[FACTOR_COUNT]; /* factor columns */
	bool group[32];		 /* METRIC_IF_ANY groups with a value */
	bool observed;		 /* the second table has a value */
};

static bool informative(const struct metric_value *v)
{
	return v->type != CELL_NULL && !v->placeholder;
}

static void view_init(struct view *vw, const struct series *s, bool human)
{
	size_t i;
	unsigned k;
	int f;

	memset(vw, 0, sizeof(*vw));
	vw->s = s;
	/* people get constant factors once, above the table */
	for (f = 0; f < FACTOR_COUNT; f++) {
		vw->show[f] = !(factor_table[f].flags & FACTOR_NOT_IN_ID);
		if (!human || !vw->show[f] || s->ntests < 2)
			continue;
		for (i = 1; i < s->ntests && s->tests[i].v[f] == s->tests[0].v[f];
		     i++)
			;
		vw->show[f] = i < s->ntests;
	}
	for (i = 0; i < s->ntests; i++) {
		for (k = 0; k < s->nmetrics; k++) {
			const struct metric *m = s->metrics[k];

			if (!informative(&s->tests[i].values[k]))
				continue;
			if (m->group < ARRAY_SIZE(vw->group))
				vw->group[m->group] = true;
			if ((m->flags & METRIC_OBSERVED) &&
			    (m->flags & METRIC_HUMAN))
				vw->observed = true;
		}
	}
}

static bool human_column(const struct view *vw, const struct metric *m,
			 bool observed)
{
	if (!(m->flags & METRIC_HUMAN) ||
	    !(m->flags & METRIC_OBSERVED) != !observed)
		return false;
	return !(m->flags & METRIC_IF_ANY) || vw->group[m->group];
}

static void factor_cells(const struct view *vw, const struct series_test *t,
			 bool human, struct cells *c)
{
	char val[64];
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		if (!vw->show[f])
			continue;
		if (human)
			factor_format_human((enum factor_id)f, t->v[f], val,
					    sizeof(val));
		else
			factor_format((enum factor_id)f, t->v[f], val,
				      sizeof(val));
		cell(c, factor_table[f].name,
		     factor_table[f].kind == FACTOR_INT && !human &&
			     !factor_word((enum factor_id)f, t->v[f]),
		     val);
	}
}

/* a factor of none of the tests' kinds (probe in loadlat) is no news */
static bool applies_to_any(const struct series *s, int f)
{
	size_t i;

	for (i = 0; i < s->ntests; i++) {
		if (factor_applies((enum factor_id)f, s->tests[i].v))
			return true;
	}
	return false;
}

static void every_test_line(const struct view *vw, FILE *out)
{
	const struct series_test *t = &vw->s->tests[0];
	struct strbuf same = STRBUF_INIT;
	char val[64];
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		if (vw->show[f] || (factor_table[f].flags & FACTOR_NOT_IN_ID) ||
		    factor_is_implicit((enum factor_id)f, t->v[f]) ||
		    !applies_to_any(vw->s, f))
			continue;
		factor_format_human((enum factor_id)f, t->v[f], val,
				    sizeof(val));
		strbuf_addf(&same, " %s=%s", factor_table[f].name, val);
	}
	if (same.len)
		fprintf(out, "every test:%s\n", same.buf);
	strbuf_release(&same);
}

/* The notes of the meters with columns in this table, then the pointer. */
static void table_note(const struct view *vw, bool observed, FILE *out)
{
	const char *sep = "", *text;
	unsigned m, k;

	for (m = 0; m < meter_count; m++) {
		const struct meter_def *d = meter_defs[m];
		bool here = false;

		for (k = 0; k < d->nmetrics; k++)
			here |= human_column(vw, &d->metrics[k], observed);
		text = d->note_alt && d->note_group < ARRAY_SIZE(vw->group) &&
				       vw->group[d->note_group] ?
			       d->note_alt :
			       d->note;
		if (!here || !text)
			continue; /* a meter may speak only with its columns */
		fprintf(out, "%s%s", sep, text);
		sep = ", ";
	}
	fprintf(out, " (docs/metrics.md)\n");
}

static int human_table(const struct view *vw, bool observed, FILE *out)
{
	const struct series *s = vw->s;
	struct cells c;
	struct writer *w = writer_new(FORMAT_TEXT, out);
	size_t i;
	unsigned k;
	int ret;

	cells_init(&c, FACTOR_COUNT + 1 + (int)s->nmetrics);
	for (i = 0; i < s->ntests; i++) {
		const struct series_test *t = &s->tests[i];
		char runs[16];

		factor_cells(vw, t, true, &c);
		if (!observed) {
			snprintf(runs, sizeof(runs), "%u", t->runs);
			cell(&c, "runs", true, runs);
		}
		for (k = 0; k < s->nmetrics; k++) {
			if (human_column(vw, s->metrics[k], observed))
				metric_cell(&c, s->metrics[k], &t->values[k],
					    true);
		}
		emit(&c, w);
	}
	cells_release(&c);
	ret = writer_finish(w);
	if (!ret)
		table_note(vw, observed, out);
	return ret;
}

static int machine_table(const struct view *vw, enum writer_format fmt,
			 FILE *out)
{
	const struct series *s = vw->s;
	struct cells c;
	struct writer *w = writer_new(fmt, out);
	size_t i;
	unsigned k;

	cells_init(&c, FACTOR_COUNT + 2 + (int)s->nmetrics);
	for (i = 0; i < s->ntests; i++) {
		const struct series_test *t = &s->tests[i];
		char runs[16];

		cell(&c, "test_id", false, t->id);
		factor_cells(vw, t, false, &c);
		snprintf(runs, sizeof(runs), "%u", t->runs);
		cell(&c, "runs", true, runs);
		for (k = 0; k < s->nmetrics; k++) {
			if (s->metrics[k]->flags & METRIC_MACHINE)
				metric_cell(&c, s->metrics[k], &t->values[k],
					    false);
		}
		emit(&c, w);
	}
	cells_release(&c);
	return writer_finish(w);
}

struct settings_out {
	FILE *out;
	bool any;
};

/* One line of the settings header: "  setting  servers: value". */
static int settings_line(const struct store_row *row, void *data)
{
	struct settings_out *so = data;
	const char *const *v = row->values;

	if (row->n < 5 || !v[0])
		return 0;
	if (!so->any)
		fprintf(so->out, "host settings of the runs (docs/metrics.md, "
				 "\"Host hygiene\"):\n");
	so->any = true;
	fprintf(so->out, "  %-10s %s: %s (%s run%s)%s\n", v[0],
		v[2] ? v[2] : "?", v[1] ? v[1] : "NULL", v[3] ? v[3] : "0",
		v[3] && !strcmp(v[3], "1") ? "" : "s",
		v[4] && strcmp(v[4], "0") ? " DISTORTS" : "");
	return 0;
}

/*
 * The header of the text report: what the servers' settings were in
 * the runs (host hygiene), so that a reader sees a turbo or a governor
 * that moved the numbers before reading them.
 */
static int settings_header(struct store *st, FILE *out)
{
	struct settings_out so = {out, false};
	int ret = store_settings(st, settings_line, &so);

	if (so.any)
		fprintf(out, "\n");
	return ret;
}

int report_summary(struct store *st, char *const *ids, size_t n,
		   enum writer_format fmt, FILE *out)
{
	bool human = fmt == FORMAT_TEXT;
	struct series s;
	struct view vw;
	int ret;

	if (store_load_series(st, ids, n, &s))
		return -1;
	view_init(&vw, &s, human);
	if (!human) {
		ret = machine_table(&vw, fmt, out);
		goto out;
	}
	if (settings_header(st, out)) {
		ret = -1;
		goto out;
	}
	if (s.ntests >= 2)
		every_test_line(&vw, out);
	if (!s.ntests) {
		fprintf(out, "no complete runs\n");
		ret = 0;
		goto out;
	}
	ret = human_table(&vw, false, out);
	if (!ret && vw.observed) {
		fprintf(out, "\n");
		ret = human_table(&vw, true, out);
	}
out:
	series_release(&s);
	return ret;
}
