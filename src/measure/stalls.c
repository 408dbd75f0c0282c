// SPDX-License-Identifier: GPL-2.0-or-later
#include "measure/stalls.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/time.h"

/*
 * Gaps kept: ~400 stalls a second were seen here; a host losing more
 * than this many in one watch is summarised from the first ones.
 */
#define GAPS_MAX 65536

int stalls_watch(int cpu, int64_t span_ns, double rate,
		 struct stall_stats *s)
{
	cpu_set_t old, one;
	int64_t *gaps, start, prev, t, end;
	size_t n = 0;

	if (sched_getaffinity(0, sizeof(old), &old))
		return error_errno("cannot read my CPU affinity");
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		return error_errno("cannot run on CPU %d", cpu);
	gaps = calloc(GAPS_MAX, sizeof(*gaps));
	if (!gaps) {
		sched_setaffinity(0, sizeof(old), &old);
		return error("no memory to watch CPU %d", cpu);
	}
	/* where the affinity change left us: on cpu, now */
	start = prev = now_mono();
	end = start + span_ns;
	do {
		t = now_mono();
		if (t - prev > STALL_MIN_NS && n < GAPS_MAX)
			gaps[n++] = t - prev;
		prev = t;
	} while (t < end);
	stall_stats_compute(gaps, n, t - start, rate, s);
	free(gaps);
	if (sched_setaffinity(0, sizeof(old), &old))
		return error_errno("cannot put my CPU affinity back");
	return 0;
}
