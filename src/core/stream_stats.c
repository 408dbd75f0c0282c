// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stream_stats.h"

#include <math.h>
#include <string.h>

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
