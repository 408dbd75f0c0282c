// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/hist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->counts = xcalloc(HIST_BUCKETS, sizeof(*h->counts));
}

void hist_release(struct hist *h)
{
	free(h->counts);
	memset(h, 0, sizeof(*h));
}

void hist_reset(struct hist *h)
{
	memset(h->counts, 0, HIST_BUCKETS * sizeof(*h->counts));
	h->total = h->overflow = 0;
}

/*
 * Bucket index: values below HIST_SUB are their own bucket; a value with
 * its top bit at k >= HIST_SUB_BITS keeps its HIST_SUB_BITS bits below
 * the top one, so the bucket is HIST_SUB per power of two after the first.
 */
unsigned hist_bucket(uint64_t v)
{
	unsigned k, shift;

	if (v < HIST_SUB)
		return (unsigned)v;
	if (v >> HIST_MAX_BITS)
		return HIST_BUCKETS - 1;
	k = 63u - (unsigned)__builtin_clzll(v);
	shift = k - HIST_SUB_BITS;
	return HIST_SUB * (shift + 1) + (unsigned)((v >> shift) - HIST_SUB);
}

uint64_t hist_bucket_low(unsigned b)
{
	unsigned shift;

	if (b < HIST_SUB)
		return b;
	shift = b / HIST_SUB - 1;
	return (uint64_t)(HIST_SUB + b % HIST_SUB) << shift;
}

uint64_t hist_bucket_width(unsigned b)
{
	return b < HIST_SUB ? 1 : UINT64_C(1) << (b / HIST_SUB - 1);
}

void hist_record(struct hist *h, uint64_t v, uint64_t count)
{
	h->counts[hist_bucket(v)] += count;
	h->total += count;
	if (v >> HIST_MAX_BITS)
		h->overflow += count;
}

int hist_add_bucket(struct hist *h, uint64_t low, uint64_t count)
{
	unsigned b = hist_bucket(low);

	if (low >> HIST_MAX_BITS || hist_bucket_low(b) != low)
		return -1;
	h->counts[b] += count;
	h->total += count;
	return 0;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	unsigned b;

	for (b = 0; b < HIST_BUCKETS; b++)
		dst->counts[b] += src->counts[b];
	dst->total += src->total;
	dst->overflow += src->overflow;
}

bool hist_equal(const struct hist *a, const struct hist *b)
{
	return a->total == b->total && a->overflow == b->overflow &&
	       !memcmp(a->counts, b->counts,
		       HIST_BUCKETS * sizeof(*a->counts));
}

static double middle(unsigned b)
{
	/* width 1: the value itself; else the middle of [low, low+width) */
	uint64_t w = hist_bucket_width(b);

	return (double)hist_bucket_low(b) + (w > 1 ? (double)(w - 1) / 2 : 0);
}

double hist_percentile(const struct hist *h, double p)
{
	uint64_t rank, seen = 0;
	unsigned b;

	if (!h->total || !(p > 0) || p > 100)
		return NAN;
	rank = (uint64_t)ceil(p / 100 * (double)h->total);
	if (rank < 1)
		rank = 1;
	if (rank > h->total)
		rank = h->total;
	for (b = 0; b < HIST_BUCKETS; b++) {
		seen += h->counts[b];
		if (seen >= rank)
			return middle(b);
	}
	return NAN;
}

double hist_max(const struct hist *h)
{
	unsigned b;

	for (b = HIST_BUCKETS; b-- > 0;) {
		if (h->counts[b])
			return (double)(hist_bucket_low(b) +
					hist_bucket_width(b) - 1);
	}
	return NAN;
}

double hist_mean(const struct hist *h)
{
	double sum = 0;
	unsigned b;

	if (!h->total)
		return NAN;
	for (b = 0; b < HIST_BUCKETS; b++)
		sum += (double)h->counts[b] * middle(b);
	return sum / (double)h->total;
}

bool hist_next(const struct hist *h, unsigned *b, uint64_t *low,
	       uint64_t *count)
{
	for (; *b < HIST_BUCKETS; (*b)++) {
		if (h->counts[*b]) {
			*low = hist_bucket_low(*b);
			*count = h->counts[*b];
			(*b)++;
			return true;
		}
	}
	return false;
}

void hist_write_csv(const struct hist *h, struct strbuf *out)
{
	uint64_t low, count;
	unsigned b = 0;

	strbuf_addstr(out, "latency_ns,count\n");
	while (hist_next(h, &b, &low, &count))
		strbuf_addf(out, "%llu,%llu\n", (unsigned long long)low,
			    (unsigned long long)count);
}
