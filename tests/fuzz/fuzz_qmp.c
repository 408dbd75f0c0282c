// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: qmp_classify() on arbitrary bytes (what QEMU, or
 * whatever holds its socket, writes). An error's description is copied
 * into buffers of a few sizes: each must come back terminated, inside
 * its buffer, and a prefix of what a larger buffer gets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest/qmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t sizes[] = {1, 2, 8, 64, 4096};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly size bytes: no terminator to lean on past the end */
	char *line = malloc(size ? size : 1);
	char desc[sizeof(sizes) / sizeof(sizes[0])][4096 + 1];
	enum qmp_kind k, k2;
	char zero = 'z';
	size_t i;

	if (!line)
		return 0;
	memcpy(line, data, size);
	k = qmp_classify(line, size, NULL, 0);
	if ((unsigned)k > QMP_UNKNOWN)
		abort();
	/* no room: nothing written */
	if (qmp_classify(line, size, &zero, 0) != k || zero != 'z')
		abort();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		/* a guard byte past the end the callee was given */
		memset(desc[i], 'g', sizes[i] + 1);
		k2 = qmp_classify(line, size, desc[i], sizes[i]);
		if (k2 != k || desc[i][sizes[i]] != 'g' ||
		    !memchr(desc[i], '\0', sizes[i]))
			abort();
		if (k != QMP_ERROR && desc[i][0])
			abort(); /* only errors have a description */
		if (i && strncmp(desc[i - 1], desc[i], strlen(desc[i - 1])))
			abort(); /* truncation keeps the start */
	}
	/* query-migrate's answer: a status and figures that are not < -1 */
	{
		struct qmp_migration m;

		if (!qmp_migration_parse(line, size, &m) &&
		    (!m.status[0] || m.total_ms < -1 || m.downtime_ms < -1 ||
		     !memchr(m.error, '\0', sizeof(m.error))))
			abort();
	}
	free(line);
	return 0;
}
