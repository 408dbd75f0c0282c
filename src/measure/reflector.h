/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The UDP reflector: sends every probe back to where it came from,
 * unchanged, in batches (recvmmsg/sendmmsg). It answers UDP probes in the
 * responder guest as the guest's kernel answers ICMP ones; what is not a
 * probe sent to it (core/reflect_rule.h) is counted and dropped.
 */
#ifndef IOV_MEASURE_REFLECTOR_H
#define IOV_MEASURE_REFLECTOR_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/reflect_rule.h"

struct reflector_opts {
	uint16_t port;
	bool busy_poll; /* spin instead of sleeping in recvmmsg */
	int cpu;	/* pin to this CPU first; -1: where it was started */
	/* Called once the socket is bound (e.g. to tell a parent). */
	void (*ready)(void *data);
	void *ready_data;
	volatile sig_atomic_t *stop;
};

struct reflector_stats {
	uint64_t received, sent, send_errors;
	uint64_t dropped[REFLECT_VERDICTS]; /* by verdict */
};

/* Runs until *stop; 0 or -errno. */
int reflector_run(const struct reflector_opts *o, struct reflector_stats *st);

#endif
