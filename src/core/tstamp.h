/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading SO_TIMESTAMPING control messages. Pure: takes a msghdr's
 * control buffer as bytes, so it is unit-tested with hand-built cmsgs.
 *
 * SCM_TIMESTAMPING carries three timespecs: [0] software, [1] deprecated,
 * [2] raw hardware (Documentation/networking/timestamping.rst). A
 * transmit stamp comes back on the error queue with a sock_extended_err
 * (origin SO_EE_ORIGIN_TIMESTAMPING) whose ee_data is the OPT_ID key:
 * the number of datagrams the socket sent before this one. A packet
 * socket's comes with level SOL_PACKET, type PACKET_TX_TIMESTAMP.
 */
#ifndef IOV_CORE_TSTAMP_H
#define IOV_CORE_TSTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct tstamp {
	int64_t sw; /* ns, CLOCK_REALTIME; 0 if absent */
	int64_t hw; /* ns, NIC clock; 0 if absent */
	bool has_key;
	uint32_t key; /* OPT_ID of a transmit stamp */
};

/* Parse the control messages of a received msghdr. */
void tstamp_parse(const struct msghdr *msg, struct tstamp *ts);

#endif
