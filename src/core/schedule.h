/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe schedules (the `schedule` factor): when probe i of a run leaves,
 * as an offset from the run's start. fixed: i / rate, the paper's
 * periodic probes. poisson: exponential inter-departures of mean 1/rate
 * (RFC 2330, section 11.1.1: a periodic probe can phase-lock with
 * periodic activity of the system measured, and sees only some of its
 * states), drawn from a seeded generator so that a run's schedule can
 * be made again from its stored seed. Pure: no clock, no syscalls.
 */
#ifndef IOV_CORE_SCHEDULE_H
#define IOV_CORE_SCHEDULE_H

#include <stdint.h>

#include "core/factor.h"

struct schedule {
	enum schedule_kind kind;
	uint64_t rate; /* probes per second, > 0 */
	uint64_t i;    /* probes scheduled so far */
	uint64_t rng;  /* splitmix64 state */
	double t_ns;   /* poisson: the last departure's offset */
};

void schedule_init(struct schedule *s, enum schedule_kind kind, uint64_t rate,
		   uint64_t seed);
/* The next probe's departure, ns after the run's start (0 for the first). */
int64_t schedule_next(struct schedule *s);
/* A uniform double in [0, 1) from the generator (53 random bits). */
double schedule_uniform(struct schedule *s);
/* A seed made from text (a run's id): FNV-1a, 63 bits, never 0. */
uint64_t schedule_seed(const char *text);

#endif
