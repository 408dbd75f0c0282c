/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the prober records for every probe, the summary of a run, and the
 * text format that carries records from a prober (run in a guest) to the
 * runner. All times are CLOCK_REALTIME nanoseconds, the clock of the
 * kernel's SO_TIMESTAMPING software stamps, so times taken at different
 * capture points compare; 0 means "not taken".
 */
#ifndef IOV_CORE_PROBE_H
#define IOV_CORE_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/adtest.h"
#include "core/factor.h"
#include "util/strbuf.h"

enum probe_flags {
	PROBE_TX_SW = 1u << 0,	   /* t_tx is a kernel software stamp */
	PROBE_TX_HW = 1u << 1,	   /* t_tx is a NIC hardware stamp */
	PROBE_RX_SW = 1u << 2,	   /* t_rx is a kernel software stamp */
	PROBE_RX_HW = 1u << 3,	   /* t_rx is a NIC hardware stamp */
	PROBE_REORDERED = 1u << 4, /* its reply came after a later probe's */
	PROBE_SEND_ERROR = 1u << 5, /* sendto() failed: never left */
};

struct probe_rec {
	uint32_t seq;
	uint32_t flags;
	uint32_t replies; /* 0: lost; > 1: duplicated */
	int64_t t_sched;  /* scheduled departure */
	int64_t t_tx_user; /* user space, just before sendto() */
	int64_t t_tx;	  /* kernel or NIC transmit stamp */
	int64_t t_rx;	  /* kernel or NIC receive stamp, first reply */
	int64_t t_rx_user; /* user space, when recvmsg() returned it */
};

/* RTT from kernel/NIC stamps (same source at both ends), or -1. */
int64_t probe_rtt(const struct probe_rec *r);
/* RTT from user-space times, or -1. */
int64_t probe_rtt_user(const struct probe_rec *r);
/* Actual minus scheduled departure, or -1 if it was never sent. */
int64_t probe_pacing_error(const struct probe_rec *r);
/*
 * RTT from the scheduled departure (coordinated omission: a prober that
 * fell behind cannot hide the queueing it caused) to the reply's receive
 * stamp when that is a kernel software stamp (CLOCK_REALTIME, the
 * schedule's clock), else to its user-space receive time; or -1.
 */
int64_t probe_rtt_sched(const struct probe_rec *r);
/* "software", "hardware", "mixed" or "none" for a set of flags. */
const char *probe_ts_source(uint32_t tx_rx_flags);

struct probe_summary {
	uint64_t count;	     /* probes planned */
	uint64_t sent;	     /* left the socket */
	uint64_t send_errors;
	uint64_t received;   /* answered at least once */
	uint64_t lost;	     /* sent and never answered */
	uint64_t duplicated; /* answered more than once */
	uint64_t reordered;
	uint64_t tx_stamped; /* sent with a kernel/NIC transmit stamp */
	uint64_t rx_stamped; /* answered with a kernel/NIC receive stamp */
	uint32_t ts_flags;   /* union of PROBE_{TX,RX}_{SW,HW} */
	int64_t first_tx;    /* user time of the first and last departure */
	int64_t last_tx;
	int64_t first_sched; /* scheduled time of the first and last probe */
	int64_t last_sched;
	/* sent later than one mean scheduled interval after their time */
	uint64_t late;
};

void probe_summarize(const struct probe_rec *r, size_t n,
		     struct probe_summary *s);
/* One record more: s from zero, then one call per record, in one pass. */
void probe_summary_add(struct probe_summary *s, const struct probe_rec *r);
/*
 * The rate the probes left at, (sent - 1) / (last - first departure),
 * and the rate of their schedule, (count - 1) / (last - first scheduled
 * time), in probes per second; 0 when fewer than two probes say.
 */
double probe_achieved_rate(const struct probe_summary *s);
double probe_scheduled_rate(const struct probe_summary *s);
/* prober.rate_tolerance's and late_tolerance's defaults, also
 * `iovbench probe`'s */
#define PROBE_RATE_TOLERANCE 10
#define PROBE_LATE_TOLERANCE 1
struct probe_tolerance {
	int64_t rate_pct; /* achieved rate off the schedule's, percent */
	int64_t late_pct; /* probes later than one interval, percent */
};
/*
 * Whether the host did not keep the schedule: the achieved rate is off
 * the schedule's by more than tol->rate_pct percent (Lancet's rule), or
 * more than tol->late_pct percent of the probes sent left later than one
 * interval. 1 with why filled, else 0.
 */
int probe_overloaded(const struct probe_summary *s,
		     const struct probe_tolerance *tol, char *why, size_t len);

/*
 * Anderson-Darling of the realised inter-departure gaps (consecutive
 * sent probes' t_tx_user) against the exponential: how far a Poisson
 * schedule's departures are from one. -1 with fewer than 3 sent.
 */
int probe_gaps_ad(const struct probe_rec *r, size_t n, struct ad_result *ad);
/*
 * The same in one pass over records that stream by: the gaps are kept
 * (8 bytes a probe, for a Poisson run only) until probe_gaps_fit().
 */
struct probe_gaps {
	double *v;
	size_t n, alloc;
	int64_t last; /* the previous sent probe's t_tx_user */
};
void probe_gaps_add(struct probe_gaps *g, const struct probe_rec *r);
int probe_gaps_fit(const struct probe_gaps *g, struct ad_result *ad);
void probe_gaps_release(struct probe_gaps *g);
/* Off when rejected at AD_OFF_PCT: 1 with why filled, else 0. */
#define AD_OFF_PCT 1.0
int probe_schedule_off(const struct ad_result *ad, char *why, size_t len);

/* The settings of a prober run, carried in the records' header. */
struct probe_meta {
	enum probe_kind kind;
	char target[64];
	uint32_t port;
	uint64_t rate;
	uint64_t count;
	uint32_t size;
	uint32_t session;
	int64_t started; /* realtime ns */
	/* whether the path answered the prober's preflight */
	enum { PREFLIGHT_UNSAID, PREFLIGHT_ANSWERED, PREFLIGHT_SILENT } preflight;
};

#define PROBE_RECORDS_MAX 50000000u

/*
 * Text format, one line per probe after a header:
 *
 *   iovbench-probes 1
 *   kind icmp
 *   ...
 *   seq sched tx_user tx rx rx_user replies flags
 *   0 1700000000000000000 ... 1 5
 *
 * records_parse() takes untrusted text (it comes from a guest) and is
 * fuzzed; on error it returns -1 with "line N: what" in err.
 */
void records_format(const struct probe_meta *m, const struct probe_rec *r,
		    size_t n, struct strbuf *out);
int records_parse(const char *text, size_t len, struct probe_meta *m,
		  struct probe_rec **r, size_t *n, struct strbuf *err);

#endif
