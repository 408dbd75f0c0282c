/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The prober: sends count probes to a target at a fixed rate and records,
 * for each, its scheduled and actual departure, its kernel (or NIC)
 * transmit and receive timestamps and user-space times, and what came
 * back (lost, duplicated, reordered).
 *
 * Probe i leaves at t0 + the schedule's i-th offset (core/schedule.h:
 * i/rate, or Poisson). It busy-waits on CLOCK_MONOTONIC until each
 * probe's departure
 * (clock_nanosleep wakes 40-115 us late on the machines we measured;
 * spinning errs by < 0.1 us), sends, and between departures drains the
 * replies and the transmit stamps (the socket's error queue, the ring's
 * tap: docs/metrics.md, "Senders"). The schedule is open loop: probe i leaves at
 * t0 + i/rate whether or not earlier replies came back, so a slow path
 * shows as latency and loss, not as a lower rate; a prober that cannot
 * keep up shows as pacing error.
 */
#ifndef IOV_MEASURE_PROBER_H
#define IOV_MEASURE_PROBER_H

#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/probe.h"

struct prober_opts {
	enum probe_kind kind;
	struct sockaddr_in target; /* port used for UDP */
	uint64_t rate;		   /* probes per second */
	enum schedule_kind schedule; /* when they leave (core/schedule.h) */
	uint64_t seed;		   /* of a poisson schedule */
	uint64_t count;		   /* probes recorded */
	uint64_t warmup;	   /* probes sent first, not recorded */
	unsigned size;		   /* frame size, FCS included */
	int64_t timeout_ns;	   /* wait for replies after the last send */
	bool busy_poll;		   /* receiver spins instead of poll() */
	/*
	 * How probes leave and replies come in (docs/metrics.md, "Senders"):
	 * "socket" (NULL: the default), a raw ICMP or UDP socket, a send()
	 * per probe; or "ring", Ethernet frames through AF_PACKET TX and
	 * RX rings on the interface towards the target.
	 */
	const char *sender;
	/*
	 * Probers, each a thread on its own CPU (where the process may run
	 * on that many) with its own sockets or rings, each taking every
	 * threads-th probe of the one schedule (prober_team.c); 0 or 1: one.
	 */
	unsigned threads;
	/*
	 * Each record once its probe is over (answered, or its timeout
	 * passed), in seq order, with the run's meta: 0, or -1 to stop the
	 * run (printed). The prober keeps no records: this is their way out.
	 */
	int (*emit)(const struct probe_meta *m, const struct probe_rec *r,
		    void *data);
	void *emit_data;
	/* Set from a signal handler: stop and return -EINTR. */
	volatile sig_atomic_t *stop;
};

struct prober_result {
	struct probe_meta meta;
	struct probe_summary sum; /* of the records emitted */
	uint64_t late; /* replies after their probe's wait, not counted */
};

/* 0 if name is a sender of prober_opts, else -1. */
int prober_sender_check(const char *name);
/* The senders' names, "a, b or c", for messages: buf. */
const char *prober_sender_names(char *buf, size_t len);

/* 0, -EINTR if stopped, or -errno (with a message printed). */
int prober_run(const struct prober_opts *o, struct prober_result *res);
void prober_result_release(struct prober_result *res);

#endif
