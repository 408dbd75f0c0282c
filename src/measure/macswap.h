/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reflectors of load-latency tests, OS half (core/reflectors.h is the
 * pure one): `iovbench macswap NAME` in the responder guest sends every
 * load-latency frame (core/llframe.h) back with its MACs swapped until
 * stopped, then prints one line:
 *
 *   macswap NAME received=N reflected=N dropped=N [mode=MODE]
 *
 * One entry per reflector in macswap_table[], by the name of its
 * reflector_table[] entry.
 */
#ifndef IOV_MEASURE_MACSWAP_H
#define IOV_MEASURE_MACSWAP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct macswap_opts {
	const char *ifname;
	bool busy_poll;
	bool native; /* xdp: native (driver) mode, else generic */
	void (*ready)(void *data);
	void *ready_data;
	volatile sig_atomic_t *stop;
};

struct macswap_stats {
	uint64_t received, reflected, dropped;
	char mode[16]; /* xdp: native or generic; else empty */
};

struct macswap_kind {
	const char *name;
	int (*run)(const struct macswap_opts *o, struct macswap_stats *st);
};

extern const struct macswap_kind macswap_table[];
extern const unsigned macswap_table_len;

const struct macswap_kind *macswap_find(const char *name);

int macswap_afpacket_run(const struct macswap_opts *o,
			 struct macswap_stats *st);
/* the host's (libbpf) or iovbench-guest's stub that refuses */
int macswap_xdp_run(const struct macswap_opts *o, struct macswap_stats *st);
/* dpdk-testpmd in macswap forwarding (measure/testpmd.c) */
int macswap_testpmd_run(const struct macswap_opts *o,
			struct macswap_stats *st);

#endif
