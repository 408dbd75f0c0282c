/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What dpdk-testpmd prints, read by the testpmd reflector
 * (measure/testpmd.c): the line that says it forwards, and the counters
 * it prints when it stops (tests/data/testpmd/ has real output):
 *
 *   Press enter to exit
 *   ...
 *   +++++++++++++++ Accumulated forward statistics for all ports+++++++
 *   RX-packets: 2              RX-dropped: 0             RX-total: 2
 *   TX-packets: 2              TX-dropped: 0             TX-total: 2
 *
 * (the per-port block has the same lines; the accumulated one, or else
 * the last one, wins). Untrusted text (a program's output), fuzzed.
 */
#ifndef IOV_CORE_TESTPMD_REPORT_H
#define IOV_CORE_TESTPMD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TESTPMD_READY_LINE "Press enter to exit"

struct testpmd_counts {
	uint64_t rx, rx_dropped, tx, tx_dropped;
};

/* Its last (accumulated) counters: 0, or -1 if it printed none. */
int testpmd_report_parse(const char *text, size_t len,
			 struct testpmd_counts *c);
/* Does text hold the line it prints once forwarding? */
bool testpmd_report_ready(const char *text, size_t len);

#endif
