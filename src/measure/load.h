/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Background load, as the paper applies it from background guests:
 *
 *   cpu   a busy loop spinning duty% of every 10 ms period;
 *   net   UDP bursts of `burst` frames of `size` bytes to a peer, at
 *         `rate` frames per second on average;
 *   sink  the peer: counts what arrives on a UDP port.
 *
 * Each runs until *stop and reports what it achieved (core/load_report.h
 * formats it), so a campaign can show its load was real.
 */
#ifndef IOV_MEASURE_LOAD_H
#define IOV_MEASURE_LOAD_H

#include <signal.h>
#include <stdint.h>

#include "core/load_report.h"

struct load_opts {
	enum load_role role;
	unsigned duty;	  /* cpu: percent of each period spent spinning */
	uint32_t to;	  /* net: the sink's IPv4 address, host order */
	uint16_t port;	  /* net, sink */
	uint64_t rate;	  /* net: frames per second */
	unsigned burst;	  /* net: frames back to back */
	unsigned size;	  /* net: Ethernet frame size, FCS included */
	void (*ready)(void *data); /* called once it is loading */
	void *ready_data;
	volatile sig_atomic_t *stop;
};

/* Runs until *stop; 0 or -1 (printed). */
int load_run(const struct load_opts *o, struct load_report *out);

#endif
