/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which timestamps the load-latency generator's TPACKET rings hold, and
 * which of them a latency frame's latency is taken from. Pure: the
 * generator (measure/loadgen.c) asks the NIC for hardware stamps
 * (SIOCSHWTSTAMP, then PACKET_TIMESTAMP with SOF_TIMESTAMPING_RAW_HARDWARE
 * on its rings) and hands the slots' tp_status bits and stamps here.
 *
 * A slot's status says which stamp its tp_sec/tp_nsec hold
 * (packet_mmap.rst): TP_STATUS_TS_RAW_HARDWARE the NIC's clock (its PHC),
 * TP_STATUS_TS_SOFTWARE the kernel's CLOCK_REALTIME. The two clocks are
 * not the same clock, so a frame's latency comes from a hardware pair
 * (both stamps hardware, the same NIC sends and receives) or from the
 * software stamps, never from one of each.
 */
#ifndef IOV_CORE_RINGSTAMP_H
#define IOV_CORE_RINGSTAMP_H

#include <stdbool.h>
#include <stdint.h>

enum ringstamp_src {
	RINGSTAMP_NONE,
	RINGSTAMP_SOFTWARE,
	RINGSTAMP_HARDWARE,
};

/* The stamp a TPACKET ring slot holds, from its tp_status. */
enum ringstamp_src ringstamp_slot(uint32_t status);

/*
 * Does this errno of SIOCSHWTSTAMP/SIOCGHWTSTAMP (or of PACKET_TIMESTAMP)
 * mean "this device does not stamp" (veth, tap, bridges: EOPNOTSUPP or
 * the kernel's ENOTSUPP; a filter it cannot do: ERANGE), so that the
 * generator falls back quietly? Anything else is worth a warning.
 */
bool ringstamp_refused(int err);

/* One latency frame's stamps, ns; 0: absent. */
struct ringstamp_lat {
	int64_t intended;  /* CLOCK_REALTIME: when it was due */
	int64_t sent_user; /* CLOCK_REALTIME: the clock just before send */
	int64_t sent_hw;   /* NIC clock: the TX slot's hardware stamp */
	int64_t rx;	   /* CLOCK_REALTIME: kernel (or user) receive */
	int64_t rx_hw;	   /* NIC clock: the RX slot's hardware stamp */
	bool rx_user;	   /* rx is the clock in the RX thread */
};

/* where a returned frame's two stamps came from */
struct ringstamp_used {
	enum ringstamp_src tx, rx; /* HARDWARE or SOFTWARE */
	bool rx_user;		   /* rx SOFTWARE: the clock, not the kernel */
};

/*
 * The latency of a frame that came back (false: it did not) from its
 * actual and from its intended send time, >= 0, and which stamps gave
 * it. A hardware pair when both stamps are hardware; its latency from
 * the intended time adds how late the send was (sent_user - intended),
 * as the NIC's clock cannot be compared with the intended time.
 */
bool ringstamp_latency(const struct ringstamp_lat *l, int64_t *actual,
		       int64_t *intended, struct ringstamp_used *used);

/* Counts of the sources the returned frames' stamps came from. */
struct ringstamp_tally {
	uint64_t hardware, kernel, user;
};

void ringstamp_count(struct ringstamp_tally *tx, struct ringstamp_tally *rx,
		     const struct ringstamp_used *u);
/*
 * The word a run records (loadlat_runs.tx_stamp, rx_stamp): `hardware`,
 * `kernel` or `user` when every frame's stamp came from it, `mixed` when
 * they differ, none when no frame came back.
 */
const char *ringstamp_word(const struct ringstamp_tally *t, const char *none);

#endif
