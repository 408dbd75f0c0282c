/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A distribution taken in one pass and constant memory: exact count,
 * minimum, maximum, mean and sample deviation (Welford's update), and
 * percentiles from a log-linear histogram (core/hist.h): at most 1/256
 * (0.4 %) from the exact nearest-rank value. For summaries of runs of
 * any length (the prober's, `probe`'s); docs/metrics.md states where
 * they are used instead of a sort. Pure.
 */
#ifndef IOV_CORE_STREAM_STATS_H
#define IOV_CORE_STREAM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/hist.h"
#include "core/stats.h"

struct stream_stats {
	struct hist h;
	uint64_t n;
	double min, max, mean, m2;
};

void stream_stats_init(struct stream_stats *s);
void stream_stats_release(struct stream_stats *s);
/* v >= 0 (a duration in ns) */
void stream_stats_add(struct stream_stats *s, uint64_t v);
/* 0 < p <= 100; NaN without samples. min and max are exact. */
double stream_stats_percentile(const struct stream_stats *s, double p);
double stream_stats_stdev(const struct stream_stats *s);

/*
 * A sample folded for its statistics (core/stats.h), signed values: kept
 * and exact up to SAMPLE_EXACT_MAX values, then (the kept ones first)
 * into two one-pass distributions, of the values >= 0 and of the
 * magnitudes of those < 0, and the array freed. So a fold over runs of
 * any length takes constant memory; docs/metrics.md states the error.
 */
#define SAMPLE_EXACT_MAX (1u << 18)

struct sample_acc {
	double *v;
	size_t n, alloc;
	bool streamed;
	struct stream_stats pos, neg;
};

void sample_acc_add(struct sample_acc *a, int64_t v);
/* Its stats, and the 99.9th and 99.99th percentiles; sorts a->v. */
void sample_acc_stats(struct sample_acc *a, struct stats *st, double *p999,
		      double *p9999);
void sample_acc_release(struct sample_acc *a);

#endif
