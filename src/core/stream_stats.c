// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stream_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void stream_stats_init(struct stream_stats *s)
{
	memset(s, 0, sizeof(*s));
	hist_init(&s->h);
}

void stream_stats_release(struct stream_stats *s)
{
	hist_release(&s->h);
	memset(s, 0, sizeof(*s));
}

void stream_stats_add(struct stream_stats *s, uint64_t v)
{
	double x = (double)v, d;

	hist_record(&s->h, v, 1);
	if (!s->n || x < s->min)
		s->min = x;
	if (!s->n || x > s->max)
		s->max = x;
	s->n++;
	d = x - s->mean;
	s->mean += d / (double)s->n;
	s->m2 += d * (x - s->mean);
}

double stream_stats_percentile(const struct stream_stats *s, double p)
{
	double v;

	if (!s->n)
		return NAN;
	v = hist_percentile(&s->h, p);
	/* a bucket's middle may lie past the extremes it holds */
	return v < s->min ? s->min : v > s->max ? s->max : v;
}

double stream_stats_stdev(const struct stream_stats *s)
{
	return s->n > 1 ? sqrt(s->m2 / (double)(s->n - 1)) : 0;
}

static void streamed_add(struct sample_acc *a, double v)
{
	if (v >= 0)
		stream_stats_add(&a->pos, (uint64_t)v);
	else
		stream_stats_add(&a->neg, (uint64_t)-v);
}

void sample_acc_add(struct sample_acc *a, int64_t v)
{
	size_t i;

	if (!a->streamed && a->n < SAMPLE_EXACT_MAX) {
		ALLOC_GROW(a->v, a->n + 1, a->alloc);
		a->v[a->n++] = (double)v;
		return;
	}
	if (!a->streamed) {
		stream_stats_init(&a->pos);
		stream_stats_init(&a->neg);
		for (i = 0; i < a->n; i++)
			streamed_add(a, a->v[i]);
		free(a->v);
		a->v = NULL;
		a->n = a->alloc = 0;
		a->streamed = true;
	}
	streamed_add(a, (double)v);
}

/* The value of nearest rank ceil(p/100 * n) over both halves. */
static double streamed_percentile(const struct sample_acc *a, double p)
{
	uint64_t n = a->pos.n + a->neg.n;
	uint64_t k = (uint64_t)ceil(p / 100 * (double)n);

	if (k < 1)
		k = 1;
	/* a rank's percentile, half a rank early against rounding */
	if (k <= a->neg.n)
		return -stream_stats_percentile(
			&a->neg,
			100.0 * ((double)(a->neg.n - k) + 0.5) /
				(double)a->neg.n);
	return stream_stats_percentile(&a->pos,
				       100.0 * ((double)(k - a->neg.n) - 0.5) /
					       (double)a->pos.n);
}

void sample_acc_stats(struct sample_acc *a, struct stats *st, double *p999,
		      double *p9999)
{
	uint64_t n;
	double sum, sq;

	if (!a->streamed) {
		stats_compute(a->v, a->n, st);
		/* a->v is sorted now */
		*p999 = st->n ? stats_quantile(a->v, st->n, 0.999) : 0;
		*p9999 = st->n ? stats_quantile(a->v, st->n, 0.9999) : 0;
		return;
	}
	memset(st, 0, sizeof(*st));
	n = a->pos.n + a->neg.n;
	st->n = n;
	st->min = a->neg.n ? -a->neg.max : a->pos.min;
	st->max = a->pos.n ? a->pos.max : -a->neg.min;
	/* the halves' moments, combined */
	sum = a->pos.mean * (double)a->pos.n - a->neg.mean * (double)a->neg.n;
	sq = a->pos.m2 + a->pos.mean * a->pos.mean * (double)a->pos.n +
	     a->neg.m2 + a->neg.mean * a->neg.mean * (double)a->neg.n;
	st->mean = sum / (double)n;
	st->stdev = n > 1 ? sqrt(fmax(0, (sq - sum * st->mean) /
					       (double)(n - 1))) :
			    0;
	st->p25 = streamed_percentile(a, 25);
	st->p50 = streamed_percentile(a, 50);
	st->p75 = streamed_percentile(a, 75);
	st->p90 = streamed_percentile(a, 90);
	st->p99 = streamed_percentile(a, 99);
	*p999 = streamed_percentile(a, 99.9);
	*p9999 = streamed_percentile(a, 99.99);
}

void sample_acc_release(struct sample_acc *a)
{
	free(a->v);
	if (a->streamed) {
		stream_stats_release(&a->pos);
		stream_stats_release(&a->neg);
	}
	memset(a, 0, sizeof(*a));
}
