// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: qdisc_reply_parse() on arbitrary bytes (the
 * kernel's RTM_GETQDISC dump, or a server's). Every root it keeps must
 * be a terminated, non-empty name, at most max of them, one per
 * ifindex; an error says so.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/qdisc_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdisc_root r[8];
	size_t n = 0, i, j;
	int err;
	enum qdisc_reply_end end = qdisc_reply_parse(data, size, r, 8, &n, &err);

	if (n > 8 || (err && end != QDISC_REPLY_ERROR))
		abort();
	for (i = 0; i < n; i++) {
		if (!memchr(r[i].kind, '\0', sizeof(r[i].kind)) || !r[i].kind[0])
			abort();
		for (j = 0; j < i; j++) {
			if (r[j].ifindex == r[i].ifindex)
				abort();
		}
		if (qdisc_root_kind(r, n, r[i].ifindex) != r[i].kind)
			abort();
	}
	return 0;
}
