// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the parsers of external programs' output on
 * arbitrary bytes: MoonGen's summary lines and histogram (the bytes as
 * both), TRex's stats JSON, dpdk-testpmd's forward statistics. A parsed
 * report must hold valid histograms and format and parse back in
 * loadgen's format to the same counters.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/generators.h"
#include "core/testpmd_report.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct loadgen_report *r)
{
	struct strbuf text = STRBUF_INIT;
	struct loadgen_report r2;

	if (!isfinite(r->seconds) || !isfinite(r->rate_mean) ||
	    !isfinite(r->rate_sd))
		abort();
	loadgen_report_init(&r2);
	loadgen_report_format(r, &text);
	if (loadgen_report_parse(text.buf, text.len, &r2) ||
	    r2.sent_load != r->sent_load || r2.recv_lat != r->recv_lat ||
	    !hist_equal(&r->actual, &r2.actual))
		abort();
	loadgen_report_release(&r2);
	strbuf_release(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a run large enough for the seeds (tests/data/generators/) */
	static const struct generator_args a = {.rate = 10000000, .size = 64,
						.runtime_s = 40};
	const char *text = (const char *)data;
	struct testpmd_counts c;
	size_t i;
	char why[128];

	testpmd_report_parse(text, size, &c);
	testpmd_report_ready(text, size);
	for (i = 0; i < generator_table_len; i++) {
		const struct generator_def *g = &generator_table[i];
		struct loadgen_report r;

		loadgen_report_init(&r);
		if (!g->parse(&a, text, size, text, size, &r, why, sizeof(why)))
			check(&r);
		loadgen_report_release(&r);
	}
	return 0;
}
