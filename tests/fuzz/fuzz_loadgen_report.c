// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: loadgen_report_parse() on arbitrary bytes (what the
 * load-latency generator in a guest prints), and llframe_parse() on the
 * same bytes as a frame off the wire. A parsed report must hold only
 * valid buckets, and format and parse back to the same counters and
 * histograms.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/llframe.h"
#include "core/loadgen_report.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct loadgen_report r, r2;
	struct strbuf text = STRBUF_INIT;
	struct llframe_hdr h;
	unsigned k;

	if (!llframe_parse(data, size, 0, &h) && h.kind > LLFRAME_LATENCY)
		abort();
	loadgen_report_init(&r);
	loadgen_report_init(&r2);
	if (loadgen_report_parse((const char *)data, size, &r))
		goto out;
	if (!isfinite(r.seconds) || !isfinite(r.rate_mean) ||
	    !isfinite(r.rate_sd) || !r.tx_stamp[0])
		abort();
	loadgen_report_format(&r, &text);
	if (loadgen_report_parse(text.buf, text.len, &r2) ||
	    r2.offered != r.offered || r2.sent_load != r.sent_load ||
	    r2.recv_lat != r.recv_lat || strcmp(r2.tx_stamp, r.tx_stamp) ||
	    !hist_equal(&r.actual, &r2.actual) ||
	    !hist_equal(&r.intended, &r2.intended) ||
	    r2.sent_bytes != r.sent_bytes || r2.nguests != r.nguests ||
	    r.nguests > LOADGEN_GUESTS_MAX)
		abort();
	for (k = 0; k < r.nguests; k++) {
		if (r2.guests[k].recv_load != r.guests[k].recv_load ||
		    r2.guests[k].sent_lat != r.guests[k].sent_lat ||
		    !hist_equal(&r.guests[k].actual, &r2.guests[k].actual))
			abort();
	}
out:
	strbuf_release(&text);
	loadgen_report_release(&r);
	loadgen_report_release(&r2);
	return 0;
}
