/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The load-latency generator (autotest's method, MoonGen's
 * l2-load-latency): constant-rate load from a TPACKET TX ring that
 * bypasses the qdisc, with a timer stream of latency frames mixed in,
 * to a reflector that sends them back; an RX ring counts what returns
 * and stamps the latency frames. Each latency frame's latency is taken
 * from its actual send time (the clock just before the send, and the
 * kernel's receive stamp; where the NIC stamps in hardware, its transmit
 * and receive stamps: core/ringstamp.h) and from its intended send time
 * (coordinated omission: a generator that falls behind does not hide the
 * wait). With several destinations (reflector
 * guests), load and latency frames go to each in turn, frame by frame,
 * and each frame says whose it is (core/llframe.h), so that what returns
 * is counted per guest. docs/metrics.md defines the numbers.
 */
#ifndef IOV_MEASURE_LOADGEN_H
#define IOV_MEASURE_LOADGEN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/loadgen_report.h"
#include "core/sizemix.h"

/* sending threads at most (--threads) */
#define LOADGEN_THREADS_MAX 16

struct loadgen_opts {
	const char *ifname;
	/* the reflectors' MACs, or (resolve[k] not NULL) their IPv4
	 * addresses: dst[k] from ARP */
	uint8_t dst[LOADGEN_GUESTS_MAX][6];
	const char *resolve[LOADGEN_GUESTS_MAX];
	unsigned ndst; /* 1..LOADGEN_GUESTS_MAX */
	uint64_t rate;	      /* load frames per second */
	uint64_t lat_rate;    /* latency frames per second */
	/*
	 * Ethernet frame sizes, FCS included: load frames in the mix's
	 * interleaved order (core/sizemix.h; one size: a mix of one),
	 * latency frames at its smallest size
	 */
	struct sizemix mix;
	int64_t runtime_ns;
	/* do not ask the NIC for hardware stamps (it is asked by default:
	 * core/ringstamp.h; a device that refuses gets software stamps) */
	bool no_hwstamp;
	/*
	 * sending threads (0: 1), each with its TX ring and rate/threads of
	 * the load; the first also sends the latency frames. Thread k runs
	 * on cpus[k] if k < ncpus, else where the scheduler puts it.
	 */
	unsigned threads;
	int cpus[LOADGEN_THREADS_MAX];
	unsigned ncpus;
	void (*ready)(void *data); /* called once the rings are set up */
	void *ready_data;
	volatile sig_atomic_t *stop;
};

/* Load for runtime_ns (or until *stop); 0 or -1 (printed). */
int loadgen_run(const struct loadgen_opts *o, struct loadgen_report *out);

#endif
