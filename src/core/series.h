/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The series: per test, its factor values and one value per metric of
 * every meter (core/meter.h), in meter order. Reports, statistics,
 * figures and comparisons all read this one structure, whatever meters
 * made it. Built by folding stored rows (store_load_series() feeds it);
 * pure.
 */
#ifndef IOV_CORE_SERIES_H
#define IOV_CORE_SERIES_H

#include <stddef.h>

#include "core/meter.h"
#include "core/plan.h"

struct series_test {
	char id[TEST_ID_LEN + 1];
	int64_t v[FACTOR_COUNT]; /* factor values */
	unsigned runs;		 /* complete runs folded */
	struct metric_value *values; /* series.nmetrics */
};

struct series {
	/* every metric of every meter: metrics[i] is values[i] of a test */
	const struct metric **metrics;
	unsigned nmetrics;
	unsigned first[METER_DEFS_MAX]; /* meter_defs[m]'s first metric */
	struct series_test *tests;
	size_t ntests, alloc;
	/* the fold in progress */
	void *acc[METER_DEFS_MAX];
	struct series_test *cur;
};

void series_init(struct series *s);
void series_release(struct series *s);

/* Folding one test: begin, then each run and its meters' rows, end. */
void series_test_begin(struct series *s, const char *id,
		       const int64_t v[FACTOR_COUNT]);
void series_run(struct series *s, const struct meter_run *run);
/* A row of table k of meter m (its index in meter_defs). */
void series_row(struct series *s, unsigned m, unsigned k,
		const struct cell *cells);
void series_test_end(struct series *s);
/* After the last test: order by factors, then the across-test metrics. */
void series_finish(struct series *s);

/* Index of the metric named name, or -1. */
int series_metric_find(const struct series *s, const char *name);

/* Format v as metric m would print it (human: the text table's). */
void series_format(const struct metric *m, const struct metric_value *v,
		   bool human, char *buf, size_t len);

#endif
