/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Latency histograms: log-linear buckets after HdrHistogram's design
 * (written here from the idea, no code taken). Values below 2^HIST_SUB_BITS
 * have a bucket each; above, every power of two [2^k, 2^(k+1)) is split
 * into 2^HIST_SUB_BITS equal buckets, so a bucket is at most 1/128 of its
 * lowest value wide. A value is reported as its bucket's middle: at most
 * 1/256 (0.4 %) from the value recorded, the "at most 1 %" that
 * docs/metrics.md states.
 *
 * The buckets are the same for every histogram, so a bucket is named by
 * its lowest value (value_ns in the store and the CSV) and merging is
 * exact: the sum of the counts. Pure: no syscalls but malloc.
 */
#ifndef IOV_CORE_HIST_H
#define IOV_CORE_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define HIST_SUB_BITS 7
#define HIST_SUB (1u << HIST_SUB_BITS)
/* Largest value kept in its bucket (about 18 minutes in ns); above:
 * counted in the last bucket and in overflow. */
#define HIST_MAX_BITS 40
#define HIST_BUCKETS (HIST_SUB * (HIST_MAX_BITS - HIST_SUB_BITS + 1))

struct hist {
	uint64_t *counts; /* HIST_BUCKETS */
	uint64_t total;
	uint64_t overflow; /* values >= 2^HIST_MAX_BITS (in the top bucket) */
};

void hist_init(struct hist *h);
void hist_release(struct hist *h);
void hist_reset(struct hist *h);

/* The bucket of value v, and a bucket's lowest value and width. */
unsigned hist_bucket(uint64_t v);
uint64_t hist_bucket_low(unsigned b);
uint64_t hist_bucket_width(unsigned b);

void hist_record(struct hist *h, uint64_t v, uint64_t count);
/*
 * Add count to the bucket whose lowest value is low (what a stored row
 * or a report line names); -1 if low is not a bucket's lowest value.
 */
int hist_add_bucket(struct hist *h, uint64_t low, uint64_t count);
/* dst += src, exactly. */
void hist_merge(struct hist *dst, const struct hist *src);
bool hist_equal(const struct hist *a, const struct hist *b);

/*
 * The p-th percentile (0 < p <= 100) by nearest rank: the middle of the
 * bucket holding the ceil(p/100 * total)-th smallest value; NaN if empty.
 * hist_max: the highest value of the highest bucket used (an upper bound).
 */
double hist_percentile(const struct hist *h, double p);
double hist_max(const struct hist *h);
double hist_mean(const struct hist *h);

/*
 * Iterate over the buckets used: *b from 0; returns false at the end,
 * else fills the bucket's lowest value and count.
 */
bool hist_next(const struct hist *h, unsigned *b, uint64_t *low,
	       uint64_t *count);

/* "latency_ns,count" lines (MoonGen's and autotest's histogram CSV). */
void hist_write_csv(const struct hist *h, struct strbuf *out);

#endif
