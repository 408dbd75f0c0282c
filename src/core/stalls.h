/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stalls: the times the host takes a CPU away from a program that wants
 * it all (the guest kernel's tick, other interrupts, a hypervisor's
 * scheduling), seen by busy-waiting on the clock: a gap between two
 * consecutive readings longer than a threshold is one stall of that
 * length. What they cost a paced prober:
 *
 * A pacer that sends nothing loses only the probes due during a stall:
 * about the share s of the time lost. A sender of capacity C probes a
 * second (on a software path the whole round trip runs inside its send)
 * must also catch up after each stall, at C - r, and the probes due
 * meanwhile are late too, so at rate r about s C / (C - r) of its
 * probes leave later than one interval: to keep that within the late
 * tolerance t, its CPU may be busy (r / C) at most 1 - s / t.
 * bench/latemodel checks the model on the local testbed (the measured
 * share is 0.6-1.5x the model's up to r / C ~ 0.6, up to 2.7x above:
 * the sender's own variance adds to it, so the model is a lower bound).
 *
 * Pure: the gaps come from measure/stalls.c; tested in test_stalls.c.
 */
#ifndef IOV_CORE_STALLS_H
#define IOV_CORE_STALLS_H

#include <stddef.h>
#include <stdint.h>

/* A gap between clock readings longer than this is a stall. */
#define STALL_MIN_NS 5000

struct stall_stats {
	uint64_t stalls;
	int64_t lost_ns;    /* their lengths, summed */
	int64_t longest_ns;
	int64_t span_ns;    /* the time watched */
	double per_s;	    /* stalls a second */
	double share;	    /* lost_ns / span_ns */
	/*
	 * The share of a bare pacer's probes at the rate asked later than one
	 * interval (f): those due in a stall more than an interval before
	 * its end, sum(max(0, gap - 1 / rate)) / span_ns; s above. It
	 * tends to share as the interval gets shorter than the stalls.
	 */
	double late_bare;
};

/*
 * From n gaps (gaps longer than STALL_MIN_NS are stalls; shorter ones
 * are not counted) seen in span_ns of busy-waiting; late_bare for
 * probes at rate (per second, > 0).
 */
void stall_stats_compute(const int64_t *gaps, size_t n, int64_t span_ns,
			 double rate, struct stall_stats *s);

/*
 * The highest share of its CPU a paced sender may use (r / C) and keep
 * at most tolerance (a share, 0.01 for 1 %) of its probes late, with f
 * a bare pacer's late share (late_bare): 1 - f / tolerance, 0 if none.
 */
double stall_busy_limit(double late_bare, double tolerance);

#endif
