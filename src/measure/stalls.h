/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Watch a CPU for stalls (core/stalls.h): busy-wait on CLOCK_MONOTONIC
 * there for a while, pinned to it, and keep every gap between two
 * readings longer than STALL_MIN_NS. For `iovbench doctor`.
 */
#ifndef IOV_MEASURE_STALLS_H
#define IOV_MEASURE_STALLS_H

#include <stdint.h>

#include "core/stalls.h"

/*
 * Busy-wait on cpu for span_ns (the caller's affinity is put back
 * after) and summarise its stalls, late_bare for probes at rate. 0, or
 * -1 (said why: no such CPU).
 */
int stalls_watch(int cpu, int64_t span_ns, double rate,
		 struct stall_stats *s);

#endif
