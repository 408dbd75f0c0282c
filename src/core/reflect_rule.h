/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the UDP reflector answers: a probe (core/packet.h's header) sent
 * to it, not a broadcast or multicast, not from one of its own addresses
 * and not from a reflector's port. The last two break loops: a datagram
 * from the reflector's own address and port to itself would be answered
 * forever, and two reflectors (both sending from the probe port) would
 * answer each other forever after one spoofed datagram. The prober sends
 * from an ephemeral port. The reflector cannot know a run's session, so
 * any session passes. Pure; addresses and ports in host byte order.
 */
#ifndef IOV_CORE_REFLECT_RULE_H
#define IOV_CORE_REFLECT_RULE_H

#include <stddef.h>
#include <stdint.h>

enum reflect_verdict {
	REFLECT_ANSWER,
	REFLECT_NOT_PROBE, /* no probe header */
	REFLECT_BROADCAST, /* to or from a broadcast or multicast address */
	REFLECT_SELF,	   /* from one of its own addresses */
	REFLECT_FROM_PORT, /* from the reflector's port: another reflector */
	REFLECT_VERDICTS
};

#define REFLECT_ADDRS_MAX 32

/* The host's addresses and its interfaces' broadcast addresses. */
struct reflect_addrs {
	uint32_t own[REFLECT_ADDRS_MAX];
	unsigned nown;
	uint32_t bcast[REFLECT_ADDRS_MAX];
	unsigned nbcast;
};

/* A datagram from src:sport to dst (its IP destination) on port. */
enum reflect_verdict reflect_judge(const struct reflect_addrs *a,
				   uint16_t port, uint32_t src, uint16_t sport,
				   uint32_t dst, const uint8_t *payload,
				   size_t len);

const char *reflect_verdict_name(enum reflect_verdict v);

#endif
