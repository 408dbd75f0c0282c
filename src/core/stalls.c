// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stalls.h"

#include <string.h>

void stall_stats_compute(const int64_t *gaps, size_t n, int64_t span_ns,
			 double rate, struct stall_stats *s)
{
	double interval = rate > 0 ? 1e9 / rate : 0, beyond = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->span_ns = span_ns;
	for (i = 0; i < n; i++) {
		if (gaps[i] <= STALL_MIN_NS)
			continue;
		s->stalls++;
		s->lost_ns += gaps[i];
		if (gaps[i] > s->longest_ns)
			s->longest_ns = gaps[i];
		if ((double)gaps[i] > interval)
			beyond += (double)gaps[i] - interval;
	}
	if (span_ns > 0) {
		s->per_s = (double)s->stalls * 1e9 / (double)span_ns;
		s->share = (double)s->lost_ns / (double)span_ns;
		s->late_bare = beyond / (double)span_ns;
	}
}

double stall_busy_limit(double late_bare, double tolerance)
{
	double b;

	if (tolerance <= 0)
		return 0;
	b = 1 - late_bare / tolerance;
	return b < 0 ? 0 : b;
}
