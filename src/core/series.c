// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void series_init(struct series *s)
{
	unsigned m, k, n = 0;

	memset(s, 0, sizeof(*s));
	for (m = 0; m < meter_count; m++)
		n += meter_defs[m]->nmetrics;
	s->metrics = xcalloc(n ? n : 1, sizeof(*s->metrics));
	for (m = 0; m < meter_count; m++) {
		s->first[m] = s->nmetrics;
		for (k = 0; k < meter_defs[m]->nmetrics; k++)
			s->metrics[s->nmetrics++] = &meter_defs[m]->metrics[k];
	}
}

void series_release(struct series *s)
{
	size_t i;
	unsigned m;

	for (m = 0; m < meter_count; m++) {
		if (s->acc[m] && meter_defs[m]->release)
			meter_defs[m]->release(s->acc[m]);
		free(s->acc[m]);
	}
	for (i = 0; i < s->ntests; i++)
		free(s->tests[i].values);
	free(s->tests);
	free(s->metrics);
	memset(s, 0, sizeof(*s));
}

void series_test_begin(struct series *s, const char *id,
		       const int64_t v[FACTOR_COUNT])
{
	struct series_test *t;
	unsigned m;

	ALLOC_GROW(s->tests, s->ntests + 1, s->alloc);
	t = &s->tests[s->ntests++];
	memset(t, 0, sizeof(*t));
	snprintf(t->id, sizeof(t->id), "%s", id);
	memcpy(t->v, v, sizeof(t->v));
	t->values = xcalloc(s->nmetrics ? s->nmetrics : 1, sizeof(*t->values));
	s->cur = t;
	for (m = 0; m < meter_count; m++)
		s->acc[m] = xcalloc(1, meter_defs[m]->acc_size ?
					       meter_defs[m]->acc_size :
					       1);
}

void series_run(struct series *s, const struct meter_run *run)
{
	unsigned m;

	s->cur->runs++;
	for (m = 0; m < meter_count; m++) {
		if (meter_defs[m]->run)
			meter_defs[m]->run(s->acc[m], run);
	}
}

void series_row(struct series *s, unsigned m, unsigned k,
		const struct cell *cells)
{
	if (m < meter_count && meter_defs[m]->row)
		meter_defs[m]->row(s->acc[m], k, cells);
}

void series_test_end(struct series *s)
{
	unsigned m;

	for (m = 0; m < meter_count; m++) {
		meter_defs[m]->finish(s->acc[m], s->cur->values + s->first[m]);
		if (meter_defs[m]->release)
			meter_defs[m]->release(s->acc[m]);
		free(s->acc[m]);
		s->acc[m] = NULL;
	}
	s->cur = NULL;
}

static int cmp_tests(const void *a, const void *b)
{
	const struct series_test *x = a, *y = b;
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		if (x->v[f] != y->v[f])
			return x->v[f] < y->v[f] ? -1 : 1;
	}
	return strcmp(x->id, y->id);
}

void series_finish(struct series *s)
{
	unsigned m;

	if (s->ntests)
		qsort(s->tests, s->ntests, sizeof(*s->tests), cmp_tests);
	for (m = 0; m < meter_count; m++) {
		if (meter_defs[m]->across)
			meter_defs[m]->across(s, s->first[m]);
	}
}

int series_metric_find(const struct series *s, const char *name)
{
	unsigned i;

	for (i = 0; i < s->nmetrics; i++) {
		if (!strcmp(s->metrics[i]->name, name))
			return (int)i;
	}
	return -1;
}

void series_format(const struct metric *m, const struct metric_value *v,
		   bool human, char *buf, size_t len)
{
	const char *fmt = human && m->human_fmt ? m->human_fmt : m->fmt;
	double x = m->div ? v->d / m->div : v->d;

	switch (v->type) {
	case CELL_TEXT:
		snprintf(buf, len, "%s", v->s);
		break;
	case CELL_NULL:
		snprintf(buf, len, "-");
		break;
	default:
		if (human && m->human_scale)
			x *= m->human_scale;
		snprintf(buf, len, fmt, x);
	}
}
