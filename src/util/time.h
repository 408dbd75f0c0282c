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

/*
 * CLOCK_REALTIME - CLOCK_MONOTONIC, to put monotonic times on the
 * records' clock (the two are slewed alike and differ only by the
 * real-time clock's steps). Two plain reads are as far apart as a
 * preemption between them (tens of us on a loaded host, more under
 * ASan): read real between two monotonic reads, keep the narrowest of a
 * few tries and take the middle of its bracket, so the offset is good to
 * half the bracket (~30 ns here). Differences of times put on the
 * real-time clock with one offset (a pacing error, a user-space RTT)
 * carry none of its error.
 */
static inline int64_t clock_real_minus_mono(void)
{
	int64_t best_off = 0, best_width = INT64_MAX;

	for (int i = 0; i < 8; i++) {
		int64_t m1 = now_mono();
		int64_t r = now_real();
		int64_t m2 = now_mono();

		if (m2 - m1 < best_width) {
			best_width = m2 - m1;
			best_off = r - m1 - (m2 - m1) / 2;
		}
		if (best_width < 200)
			break;
	}
	return best_off;
}

#endif
