// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: sizemix_parse() on arbitrary text (a campaign's size
 * value). A parsed mix has 1..SIZEMIX_MAX sizes within the bounds and
 * weights of at most SIZEMIX_CYCLE_MAX in all; its canonical text parses
 * back to the same mix; one cycle of its order holds each size as often
 * as its weight.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizemix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sizemix m, m2;
	uint16_t order[SIZEMIX_CYCLE_MAX];
	char text[256], canon[256], why[160];
	unsigned i, k, total, count;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sizemix_parse(text, 64, 9018, &m, why, sizeof(why)))
		return 0;
	total = sizemix_total_weight(&m);
	if (!m.n || m.n > SIZEMIX_MAX || !total || total > SIZEMIX_CYCLE_MAX)
		abort();
	for (i = 0; i < m.n; i++) {
		if (m.size[i] < 64 || m.size[i] > 9018 || !m.weight[i])
			abort();
	}
	sizemix_format(&m, canon, sizeof(canon));
	if (sizemix_parse(canon, 64, 9018, &m2, why, sizeof(why)) ||
	    m2.n != m.n || memcmp(m2.size, m.size, sizeof(m.size)) ||
	    memcmp(m2.weight, m.weight, sizeof(m.weight)))
		abort();
	sizemix_cycle(&m, order);
	for (i = 0; i < m.n; i++) {
		unsigned want = 0;

		/* a size may be listed twice: its weights add up */
		for (k = 0; k < m.n; k++)
			want += m.size[k] == m.size[i] ? m.weight[k] : 0;
		for (k = 0, count = 0; k < total; k++)
			count += order[k] == m.size[i];
		if (count != want)
			abort();
	}
	return 0;
}
