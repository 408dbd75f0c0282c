// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: hygiene_parse() and cpulist_parse() on arbitrary
 * bytes (a server over ssh sends the dump). Every value must be a
 * terminated string, a setting it did not hear of must not distort,
 * and a CPU list's count must cover its highest CPU's range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hygiene.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct hygiene h;
	char why[1024];
	int k, n, hi;

	hygiene_parse(text, size, "/r", &h);
	for (k = 0; k < HY_COUNT; k++) {
		if (!memchr(h.v[k].value, '\0', sizeof(h.v[k].value)))
			abort();
		if (!h.v[k].known && h.v[k].distorts)
			abort();
	}
	if (hygiene_distorting(&h, why, sizeof(why)) != (why[0] != '\0'))
		abort();
	if (!cpulist_parse(text, size, &n, &hi) &&
	    (n < 0 || (n == 0) != (hi < 0)))
		abort();
	return 0;
}
