// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the probe packet parsers on arbitrary bytes. The
 * first 6 bytes are the ICMP id and the session to look for, the rest is
 * the packet. A reply the strict parsers accept holds a probe header, so
 * the searching parser must find one in it too.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t session, seq, found;
	uint16_t id;

	if (size < 6)
		return 0;
	id = (uint16_t)(data[0] << 8 | data[1]);
	session = (uint32_t)data[2] << 24 | (uint32_t)data[3] << 16 |
		  (uint32_t)data[4] << 8 | data[5];
	data += 6;
	size -= 6;

	if (!packet_parse_icmp_reply(data, size, id, session, &seq) &&
	    packet_find_probe(data, size, session, &found))
		abort();
	if (!packet_parse_udp_reply(data, size, session, &seq)) {
		/* the header at offset 0 is the first one found */
		if (packet_find_probe(data, size, session, &found) ||
		    found != seq)
			abort();
	}
	packet_find_probe(data, size, session, &found);
	return 0;
}
