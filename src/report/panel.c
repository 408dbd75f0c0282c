// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Panels: which tests a figure draws together. Over the background
 * count, a campaign's tests without background guests have load "none"
 * and would be a panel of their own; they join every panel whose tests
 * they are the reference of (core/pairing.h), as in the paper's figures.
 */
#include "report/panel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pairing.h"
#include "util/alloc.h"

static bool same_panel(const struct series_test *a,
		       const struct series_test *b, int fx)
{
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		if (f == fx || f == F_DATAPLANE ||
		    (factor_table[f].flags & FACTOR_NOT_IN_ID))
			continue;
		if (a->v[f] != b->v[f])
			return false;
	}
	return true;
}

/* r is the reference of a panel of b's: b's data plane may differ */
static bool reference_of(const struct series_test *r,
			 const struct series_test *b)
{
	struct series_test same_dp = *b;

	same_dp.v[F_DATAPLANE] = r->v[F_DATAPLANE];
	return pairing_reference_of(r, &same_dp);
}

static size_t add_distinct(int64_t *v, size_t n, int64_t x)
{
	size_t i;

	for (i = 0; i < n && v[i] != x; i++)
		;
	if (i == n)
		v[n++] = x;
	return n;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* the distinct texts of metric name over the panel, "a/b" */
static void distinct_text(const struct series *s, const struct panel *p,
			  const char *name, char *buf, size_t len)
{
	int m = series_metric_find(s, name);
	size_t i, used = 0;

	buf[0] = '\0';
	if (m < 0)
		return;
	for (i = 0; i < p->n; i++) {
		const struct metric_value *v = &s->tests[p->tests[i]].values[m];

		if (v->type != CELL_TEXT || !*v->s || v->placeholder ||
		    strstr(buf, v->s))
			continue;
		used += (size_t)snprintf(buf + used,
					 used < len ? len - used : 0,
					 "%s%s", used ? "/" : "", v->s);
	}
}

void panel_qualify(const struct series *s, struct panel *p)
{
	char accel[64], vf[64], ts[64];

	distinct_text(s, p, "accel", accel, sizeof(accel));
	distinct_text(s, p, "vf", vf, sizeof(vf));
	distinct_text(s, p, "ts_source", ts, sizeof(ts));
	/* each part is short: truncation would only shorten the title */
	snprintf(p->qualifiers, sizeof(p->qualifiers), "%.40s%.40s; ",
		 *accel ? "accel " : "", *accel ? accel : "containers");
	snprintf(p->qualifiers + strlen(p->qualifiers),
		 sizeof(p->qualifiers) - strlen(p->qualifiers),
		 "%.40s VFs; %.40s timestamps", *vf ? vf : "no emulated",
		 *ts ? ts : "unknown");
}

/* the panel's tests by background, so lines run left to right */
static void panel_sort(const struct series *s, struct panel *p)
{
	size_t i, j;

	for (i = 1; i < p->n; i++) {
		size_t t = p->tests[i];

		for (j = i; j > 0 && s->tests[p->tests[j - 1]].v[p->fx] >
					     s->tests[t].v[p->fx];
		     j--)
			p->tests[j] = p->tests[j - 1];
		p->tests[j] = t;
	}
}

static void panel_add(const struct series *s, struct panel *p, size_t i)
{
	p->tests[p->n++] = i;
	p->ndp = add_distinct(p->dps, p->ndp, s->tests[i].v[F_DATAPLANE]);
	p->nx = add_distinct(p->xs, p->nx, s->tests[i].v[p->fx]);
}

/* A new panel of fx, labelled after test i. */
static struct panel *panel_new(const struct series *s, struct panel *p,
			       size_t *n, int fx, const bool *varies, size_t i)
{
	struct panel *q = &p[(*n)++];

	q->fx = fx;
	q->tests = xcalloc(2 * s->ntests, sizeof(size_t));
	q->dps = xcalloc(s->ntests, sizeof(int64_t));
	q->xs = xcalloc(s->ntests, sizeof(int64_t));
	pairing_label(&s->tests[i], varies, -1, q->label, sizeof(q->label));
	return q;
}

size_t panels_make(const struct series *s, int fx, struct panel **out)
{
	struct panel *p = xcalloc(s->ntests ? s->ntests : 1, sizeof(*p));
	bool varies[FACTOR_COUNT], placed, refs = fx == F_BACKGROUND;
	size_t i, j, n = 0;

	pairing_varying(s, varies);
	varies[fx] = varies[F_DATAPLANE] = false;
	/* over the background count, the tests with background guests
	 * make the panels; over anything else, every test */
	for (i = 0; i < s->ntests; i++) {
		if (refs && !s->tests[i].v[F_BACKGROUND])
			continue;
		for (j = 0; j < n; j++) {
			if (same_panel(&s->tests[p[j].tests[0]], &s->tests[i],
				       fx))
				break;
		}
		if (j == n)
			panel_new(s, p, &n, fx, varies, i);
		panel_add(s, &p[j], i);
	}
	/* then each test without background guests: in every panel it is
	 * the reference of, or one of its own kind */
	for (i = 0; refs && i < s->ntests; i++) {
		size_t made = n;

		if (s->tests[i].v[F_BACKGROUND])
			continue;
		placed = false;
		for (j = 0; j < made; j++) {
			if (p[j].n && s->tests[p[j].tests[0]].v[F_BACKGROUND] &&
			    reference_of(&s->tests[i],
					 &s->tests[p[j].tests[0]])) {
				panel_add(s, &p[j], i);
				placed = true;
			}
		}
		if (placed)
			continue;
		for (j = 0; j < n; j++) {
			if (!s->tests[p[j].tests[0]].v[F_BACKGROUND] &&
			    same_panel(&s->tests[p[j].tests[0]], &s->tests[i],
				       fx))
				break;
		}
		if (j == n)
			panel_new(s, p, &n, fx, varies, i);
		panel_add(s, &p[j], i);
	}
	for (j = 0; j < n; j++) {
		qsort(p[j].xs, p[j].nx, sizeof(int64_t), cmp_i64);
		panel_sort(s, &p[j]);
		panel_qualify(s, &p[j]);
	}
	*out = p;
	return n;
}

void panels_free(struct panel *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].tests);
		free(p[i].dps);
		free(p[i].xs);
	}
	free(p);
}

size_t panel_x(const struct panel *p, int64_t v)
{
	size_t i;

	for (i = 0; i < p->nx && p->xs[i] != v; i++)
		;
	return i;
}

