// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the per-setup prober's request line on arbitrary
 * bytes. A line that parses must format back into a line that parses to
 * the same request: the runner's formatter and the prober's parser agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/probe_serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct probe_serve_req req, req2;
static char line[PROBE_SERVE_LINE_MAX + 64], out[PROBE_SERVE_LINE_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[160];
	int n;

	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = '\0';
	why[0] = '\0';
	if (probe_serve_parse(line, &req, why, sizeof(why))) {
		if (!why[0])
			abort(); /* refused without saying why */
		return 0;
	}
	n = probe_serve_format(&req, out, sizeof(out));
	if (n <= 0 || out[n - 1] != '\n')
		abort();
	out[n - 1] = '\0';
	if (probe_serve_parse(out, &req2, why, sizeof(why)) ||
	    memcmp(&req, &req2, sizeof(req)))
		abort();
	return 0;
}
