/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The statistics of `iovbench stats` (docs/metrics.md): rows for a
 * writer, each with a plain-language reading, computed from the series
 * (per-test values: the paper's pairing over per-test medians) or from
 * the stored probes (per-probe samples).
 */
#ifndef IOV_REPORT_ANALYSIS_H
#define IOV_REPORT_ANALYSIS_H

#include <stdbool.h>

#include "core/series.h"
#include "report/writer.h"
#include "store/store.h"

struct analysis_opts {
	int factor;		    /* compared or ordered factor */
	int by;			    /* compare within each value of it; -1 */
	const char *const *metrics; /* series metrics, for per-test */
	size_t nmetrics;
	bool per_probe;	    /* compare samples of probes, not tests */
	double level;	    /* of intervals and tests: 0.95 */
	double bound_ns;    /* p99 intervals wider than this: flagged */
	size_t *rows;	    /* if not NULL: counts the rows written */
};

/* Every pair of values of o->factor: Wilcoxon signed-rank over the
 * paired tests' values of each metric, or (per_probe) Mann-Whitney,
 * Hodges-Lehmann and Cliff's delta over the probes of each pair. */
int analysis_compare(struct store *st, const struct series *s,
		     const struct analysis_opts *o, struct writer *w);

/* Kendall's tau-b of each metric against o->factor's values, per group
 * of tests that differ in it only; for the background count, with the
 * tests without background guests they are compared with
 * (pairing_reference_of()). */
int analysis_trend(const struct series *s, const struct analysis_opts *o,
		   struct writer *w);

/* Per test: p50, p99 and p99.9 of the probes' RTT with intervals from
 * order statistics; a p99 interval wider than o->bound_ns is flagged. */
int analysis_intervals(struct store *st, const struct series *s,
		       const struct analysis_opts *o, struct writer *w);

#endif
