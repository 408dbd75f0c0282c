// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: frame_parse() on arbitrary frames. The first 2 bytes
 * are the reflector's UDP port, the rest is the frame. Beyond not
 * crashing or reading past the end (libFuzzer's buffer is exactly the
 * input; ASan watches it), the result must not depend on what follows
 * the IPv4 packet (Ethernet padding, an FCS), nor on an 802.1Q tag put
 * in front of it, and an accepted frame must hold the probe header that
 * packet_find_probe() finds by searching.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/frame.h"
#include "core/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(int r1, const struct probe_frame *a, int r2,
		const struct probe_frame *b)
{
	if (r1 != r2)
		return 0;
	return r1 || (a->kind == b->kind && a->request == b->request &&
		      a->session == b->session && a->seq == b->seq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_frame pf, other;
	uint16_t port;
	uint32_t seq;
	uint8_t *copy;
	int r, r2;

	if (size < 2)
		return 0;
	port = (uint16_t)(data[0] << 8 | data[1]);
	data += 2;
	size -= 2;

	r = frame_parse(data, size, port, &pf);
	if (!r && packet_find_probe(data, size, pf.session, &seq))
		abort();

	/* 4 bytes of padding after the frame */
	copy = malloc(size + 4);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(copy + size, 0xaa, 4);
	r2 = frame_parse(copy, size + 4, port, &other);
	/* padding after an accepted frame changes nothing; it may complete
	 * a frame that was cut short, never the other way */
	if (!r && !same(r, &pf, r2, &other))
		abort();
	free(copy);

	/* the same frame behind a VLAN tag, unless it already has one */
	if (size >= 14 && !(data[12] == 0x81 && data[13] == 0x00)) {
		copy = malloc(size + 4);
		if (!copy)
			return 0;
		memcpy(copy, data, 12);
		copy[12] = 0x81;
		copy[13] = 0x00;
		copy[14] = 0x00;
		copy[15] = 0x2a;
		memcpy(copy + 16, data + 12, size - 12);
		r2 = frame_parse(copy, size + 4, port, &other);
		if (!same(r, &pf, r2, &other))
			abort();
		free(copy);
	}
	return 0;
}
