/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Clocks, in int64 nanoseconds. Both are vDSO calls (~30 ns here). */
#ifndef IOV_UTIL_TIME_H
#define IOV_UTIL_TIME_H

#include <stdint.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000LL
#define NSEC_PER_MSEC 1000000LL
#define NSEC_PER_USEC 1000LL

static inline int64_t timespec_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * NSEC_PER_SEC + t->tv_nsec;
}

/* For pacing and timeouts: never steps. */
static inline int64_t now_mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return timespec_ns(&t);
}

/* For records: the clock of the kernel's software timestamps. */
static inline int64_t now_real(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return timespec_ns(&t);
}

#endif
