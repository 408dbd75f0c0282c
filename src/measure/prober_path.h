/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How the prober's probes leave and its replies and stamps come in: a
 * kind, one table entry per path (prober_path_table[], as iproute2's
 * link_util). prober.c keeps what every path shares -- the schedule,
 * the slots, the records, the preflight -- and calls a path only
 * through these hooks; the paths (prober_socket.c, prober_ring.c) call
 * back prober_sent(), prober_reply() and prober_tx_stamp() with what
 * they saw, so that the bookkeeping of a probe is written once.
 *
 * Private to the prober's files.
 */
#ifndef IOV_MEASURE_PROBER_PATH_H
#define IOV_MEASURE_PROBER_PATH_H

#include <stdbool.h>
#include <stdint.h>

#include "util/time.h"

#include "measure/prober.h"

/* Probes handed to a path in one send: the due ones, when behind. */
#define PROBER_BATCH_MAX 16

struct prober;

struct prober_path {
	const char *name;
	const char *doc; /* one line: what its stamps and user times are */
	/*
	 * Reading replies makes no system call (memory only): the prober
	 * reads them after every send and while it waits, not only when a
	 * drain fits before the next departure.
	 */
	bool replies_free;
	/* Set up (p->path_data), 0 or -1 (printed). */
	int (*open)(struct prober *p);
	/*
	 * Build probe seq of session as the k-th of the next send (k <
	 * PROBER_BATCH_MAX). Before the departure time: the send is then
	 * all that follows the wait. 0, or -1 (printed) if it cannot.
	 */
	int (*build)(struct prober *p, unsigned k, uint32_t session,
		     uint32_t seq);
	/*
	 * Send the n probes built; for each, prober_sent() with the user
	 * time just before it went to the kernel (and whether it failed).
	 * 0, or -1 on an error that ends the run (errno set).
	 */
	int (*send)(struct prober *p, unsigned n);
	/*
	 * Read up to batch replies, then up to batch transmit stamps,
	 * without blocking: messages read (0: the queues were empty), or
	 * -1 (errno set).
	 */
	int (*drain_replies)(struct prober *p, unsigned batch);
	/* NULL: the transmit stamps come with the replies (the ring's tap) */
	int (*drain_stamps)(struct prober *p, unsigned batch);
	/* Sleep until something may have come, at most ms. */
	void (*wait)(struct prober *p, int ms);
	void (*close)(struct prober *p);
};

extern const struct prober_path prober_path_socket;
extern const struct prober_path prober_path_ring;

/* What prober.c shares with the paths. */
struct prober {
	const struct prober_opts *o;
	const struct prober_path *path;
	void *path_data;
	uint16_t icmp_id;
	uint32_t session;
	/*
	 * This prober's part of the schedule: the probes whose seq % parts
	 * is part (prober_team.c runs one per CPU; alone: 0 of 1). Inside,
	 * probes are numbered by their local index (seq / parts): slots,
	 * total, retired, batch_seq, max_seq; frames and records carry the
	 * seq.
	 */
	unsigned part, parts;
	struct prober_team *team; /* NULL: alone */
	unsigned sched_skip; /* schedule offsets to the next probe of ours */
	int64_t t0; /* the schedule's start (monotonic ns; 0: not yet) */
	/* CLOCK_REALTIME - CLOCK_MONOTONIC, read again every few ms */
	int64_t real_off;
	uint64_t total; /* of our part of warmup + count */
	struct prober_slot *slots; /* a ring of ring slots */
	uint64_t ring;
	uint64_t retired; /* probes below this one have left as records */
	uint64_t late;	  /* replies after their probe had left */
	struct prober_result *res;
	uint64_t sent, answered, tx_stamped;
	int64_t max_seq;
	int64_t drain_cost, drain_cost_at;
	unsigned backlog;
	uint64_t ctrunc; /* messages whose control data was cut */
	uint32_t preflight_session; /* 0 once the preflight is over */
	bool preflight_ok;
	/* the seqs of the send being built (preflight: none) */
	uint32_t batch_seq[PROBER_BATCH_MAX];
	bool batch_preflight;
};

/*
 * The records' user-space times: CLOCK_MONOTONIC, the schedule's clock,
 * put on CLOCK_REALTIME (the kernel's stamps' clock) by the run's offset.
 * A pacing error (t_tx_user - t_sched) is then a difference of two
 * monotonic readings, as the bare pacer's, with no error of the offset
 * in it (a user-space RTT too, unless the offset was read again between
 * its send and its reply: tens of ns).
 */
static inline int64_t prober_clock(const struct prober *p)
{
	return now_mono() + p->real_off;
}

/* Probe k of the current send left at t_user (prober_clock()), or not. */
void prober_sent(struct prober *p, unsigned k, int64_t t_user, bool failed);
/*
 * A reply of session/seq came with kernel stamps rx_sw/rx_hw (0: none)
 * and was read at t_user; dup-, order- and lateness-checked here.
 */
void prober_reply(struct prober *p, uint32_t session, uint32_t seq,
		  int64_t rx_sw, int64_t rx_hw, int64_t t_user);
/* A transmit stamp of probe seq of this run (several: the first kept). */
void prober_tx_stamp(struct prober *p, uint32_t session, uint32_t seq,
		     int64_t sw, int64_t hw);

/* By name, or NULL. */
const struct prober_path *prober_path_find(const char *name);

/*
 * Run part of parts of the schedule (prober.c): the probes of that part
 * from preflight to the last reply, their records handed to
 * prober_team_emit(). 0, -EINTR or -errno (printed).
 */
int prober_run_part(const struct prober_opts *o, struct prober_result *res,
		    struct prober_team *team, unsigned part, unsigned parts);
/*
 * Wait until every part is past its preflight; the run's meta (one for
 * all parts: the team's session, the preflight answered only if every
 * part's was) is then set from each part's m, and the schedule's start
 * (monotonic ns) returned: the parts keep one schedule.
 */
int64_t prober_team_start(struct prober_team *t, const struct probe_meta *m);
/* The session every part's probes carry. */
uint32_t prober_team_session(const struct prober_team *t);
/* A part's record, in its own seq order; 0, or -1 to stop the run. */
int prober_team_emit(struct prober_team *t, const struct probe_rec *r);
/* A part that fails before prober_team_start() (the others go on, and
 * stop). */
void prober_team_abort(struct prober_team *t);
/* Has another part failed? */
bool prober_team_failed(const struct prober_team *t);

#endif
