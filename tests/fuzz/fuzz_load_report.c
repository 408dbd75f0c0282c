// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: load_report_parse() on arbitrary bytes (the output
 * of a load generator in a guest). A parsed report must be in range,
 * and format and parse back to the same role and counters, its seconds
 * within 1e-6 relative (1e-6 absolute below 1 s: the format has
 * microseconds).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/load_report.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int close_enough(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(1, fabs(a));
}

static void check_seconds(double s)
{
	if (!(isfinite(s) && s >= 0 && s <= 1e9))
		abort(); /* NaN included */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct load_report r, r2;
	struct strbuf text = STRBUF_INIT;
	double pps, bps;

	if (load_report_parse((const char *)data, size, &r))
		return 0;
	if ((unsigned)r.role >= LOAD_ROLE_COUNT)
		abort();
	check_seconds(r.seconds);
	check_seconds(r.cpu_seconds);
	pps = load_report_pps(&r);
	bps = load_report_bps(&r);
	if (!(isfinite(pps) && pps >= 0 && isfinite(bps) && bps >= 0))
		abort();
	if (r.seconds == 0 && (pps != 0 || bps != 0))
		abort();

	load_report_format(&r, &text);
	/* one line, ending in its newline */
	if (!text.len || text.buf[text.len - 1] != '\n' ||
	    memchr(text.buf, '\n', text.len) != text.buf + text.len - 1)
		abort();
	if (load_report_parse(text.buf, text.len, &r2))
		abort();
	if (r2.role != r.role || r2.packets != r.packets ||
	    r2.bytes != r.bytes || r2.errors != r.errors ||
	    !close_enough(r.seconds, r2.seconds) ||
	    !close_enough(r.cpu_seconds, r2.cpu_seconds))
		abort();
	strbuf_release(&text);
	return 0;
}
