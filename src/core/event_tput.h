/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the throughput load saw of each event of a run: iperf3's
 * per-interval sums (core/iperf_report.h) around each event's time,
 * the throughput before, during and after it and its dip. Pure; the
 * runner lines the times up (runner/meter_tput.c).
 */
#ifndef IOV_CORE_EVENT_TPUT_H
#define IOV_CORE_EVENT_TPUT_H

#include "core/iperf_report.h"

/* The recovery: back at this share of the throughput before */
#define EVENT_TPUT_RECOVERED 0.9

/* bits of payload per second; NAN: no interval there */
struct event_tput {
	double before_bps; /* mean of the window's intervals before it */
	double during_bps; /* mean from it to the recovery */
	double after_bps;  /* mean from the recovery to the window's end */
	double lowest_bps; /* the lowest interval from it on */
	double dip_pct;	   /* (before - lowest) / before, %; 0: none */
	unsigned intervals; /* in its window */
};

/*
 * The figures of nev events (sorted by time, at_s[] in seconds from
 * iperf3's test start) from n intervals in order. Windows as
 * event_analyze()'s: from half-way after the previous event to half-way
 * before the next one, an interval in the window of its middle. In an
 * event's window, "before" are the intervals that end by the event's
 * time, the others are "from it on": their lowest; the recovery is the
 * first of them, at or after the lowest, back at EVENT_TPUT_RECOVERED
 * of the mean before (with no throughput before: the one after the
 * lowest); "during" the ones before the recovery, "after" the rest.
 */
void event_tput_analyze(const struct iperf_interval *iv, unsigned n,
			const double *at_s, unsigned nev,
			struct event_tput *out);

#endif
