// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: capture_report_parse() on arbitrary bytes (what
 * `iovbench capture` on a server sent back over ssh). A parsed report
 * formats and parses back to the same counters and events, and a
 * refusal leaves nothing allocated and says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_report.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture_report r, back;
	struct strbuf text = STRBUF_INIT;
	char why[64] = "";

	if (capture_report_parse((const char *)data, size, &r, why,
				 sizeof(why))) {
		if (r.ev || r.n || !why[0])
			abort();
		return 0;
	}
	if (r.n && !r.ev)
		abort();
	capture_report_format(&r, &text);
	if (capture_report_parse(text.buf, text.len, &back, why, sizeof(why)))
		abort();
	if (back.n != r.n || back.frames != r.frames ||
	    back.drops != r.drops ||
	    (r.n && memcmp(back.ev, r.ev, r.n * sizeof(*r.ev))))
		abort();
	capture_report_release(&back);
	strbuf_release(&text);
	capture_report_release(&r);
	return 0;
}
