// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: iperf_report_parse() on arbitrary bytes (iperf3's
 * JSON as a guest's iperf3 printed it). Whatever it accepts must hold
 * counts that are counts and figures that are numbers, and an error
 * without control characters.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/iperf_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iperf_report r;
	char why[200];
	size_t i;
	int ret;

	ret = iperf_report_parse((const char *)data, size, &r, why,
				 sizeof(why));
	if (!memchr(why, '\0', sizeof(why)))
		abort();
	for (i = 0; r.error[i]; i++) {
		if ((unsigned char)r.error[i] < 0x20)
			abort();
	}
	if (r.have_sums &&
	    (!isfinite(r.recv_bps) || r.recv_bps < 0 || r.sent_bps < 0 ||
	     r.recv_seconds < 0 || r.sent_seconds < 0))
		abort();
	if (!ret && (!r.have_sums || r.error[0]))
		abort();
	if (r.retransmits < -1 || r.packets < -1 || r.lost_packets < -1 ||
	    r.streams < 0 || r.blksize < 0)
		abort();
	return 0;
}
