// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/testpmd_report.h"

#include <stdio.h>
#include <string.h>

/* "RX-packets: N RX-dropped: N" or the TX one; 1 if line was one */
static int counts_line(const char *line, const char *dir, uint64_t *pkts,
		       uint64_t *dropped)
{
	char fmt[64];
	unsigned long long p, d;

	snprintf(fmt, sizeof(fmt), " %s-packets: %%llu %s-dropped: %%llu",
		 dir, dir);
	if (sscanf(line, fmt, &p, &d) != 2)
		return 0;
	*pkts = p;
	*dropped = d;
	return 1;
}

int testpmd_report_parse(const char *text, size_t len,
			 struct testpmd_counts *c)
{
	const char *p = text, *end = text + len;
	struct testpmd_counts cur = {0};
	bool have_rx = false, found = false, accumulated = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[256];

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		if (strstr(line, "orward statistics for")) {
			/* a new block: the accumulated one is final */
			if (found && accumulated)
				break;
			accumulated = strstr(line, "Accumulated") != NULL;
			have_rx = false;
			continue;
		}
		if (counts_line(line, "RX", &cur.rx, &cur.rx_dropped)) {
			have_rx = true;
		} else if (have_rx &&
			   counts_line(line, "TX", &cur.tx, &cur.tx_dropped)) {
			*c = cur;
			found = true;
			have_rx = false;
		}
	}
	return found ? 0 : -1;
}

bool testpmd_report_ready(const char *text, size_t len)
{
	size_t n = strlen(TESTPMD_READY_LINE);
	const char *p = text, *end = text + len;

	while ((size_t)(end - p) >= n) {
		const char *q = memchr(p, 'P', (size_t)(end - p) - n + 1);

		if (!q)
			return false;
		if (!memcmp(q, TESTPMD_READY_LINE, n))
			return true;
		p = q + 1;
	}
	return false;
}
