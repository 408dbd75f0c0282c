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

#include <stdint.h>

#include "core/hist.h"

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

#endif
