// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/reflect_rule.h"

#include <stdbool.h>

#include "core/packet.h"

static bool in(const uint32_t *v, unsigned n, uint32_t x)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (v[i] == x)
			return true;
	}
	return false;
}

/* 0.0.0.0, 255.255.255.255, 224.0.0.0/4, or a subnet's broadcast */
static bool group_address(const struct reflect_addrs *a, uint32_t x)
{
	return x == 0 || x == 0xffffffffu || (x >> 28) == 0xe ||
	       in(a->bcast, a->nbcast, x);
}

enum reflect_verdict reflect_judge(const struct reflect_addrs *a,
				   uint16_t port, uint32_t src, uint16_t sport,
				   uint32_t dst, const uint8_t *payload,
				   size_t len)
{
	struct probe_hdr h;

	if (group_address(a, dst) || group_address(a, src))
		return REFLECT_BROADCAST;
	if (src == dst || in(a->own, a->nown, src) || (src >> 24) == 127)
		return REFLECT_SELF;
	if (sport == port)
		return REFLECT_FROM_PORT;
	if (packet_read_payload(payload, len, &h))
		return REFLECT_NOT_PROBE;
	return REFLECT_ANSWER;
}

const char *reflect_verdict_name(enum reflect_verdict v)
{
	static const char *const names[] = {
		[REFLECT_ANSWER] = "answered",
		[REFLECT_NOT_PROBE] = "not probes",
		[REFLECT_BROADCAST] = "broadcast or multicast",
		[REFLECT_SELF] = "from its own address",
		[REFLECT_FROM_PORT] = "from a reflector's port",
	};

	return (unsigned)v < REFLECT_VERDICTS ? names[v] : "?";
}
