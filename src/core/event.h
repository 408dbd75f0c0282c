/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Events in a run: things done to a guest at given times while the
 * probes flow (a NIC's link down or up, a NIC unplugged or plugged back,
 * the VM migrated), and what the probes saw of each. The `events`
 * factor's value is a schedule:
 *
 *   "1s link-down responder.0; 2s link-up responder.0"
 *   "1.5s migrate responder"
 *
 * items TIME KIND TARGET separated by ';', TIME from the start of the
 * probes, TARGET a main guest (sender, responder) and for NIC events its
 * NIC (.K, 0 the first). Each kind is one entry of event_kind_table[]:
 * this is its pure half (name, arguments, why a test refuses it); the OS
 * half, what it does, is runner/events.c. Pure.
 */
#ifndef IOV_CORE_EVENT_H
#define IOV_CORE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/factor.h"

#define EVENTS_MAX 16
/* NICs a main guest may have: the data plane's and nics' */
#define GUEST_NICS_MAX 4

enum event_flags {
	EVENT_NIC = 1u << 0,	 /* acts on one NIC of the guest */
	EVENT_ID = 1u << 1,	 /* needs the NIC's device id (hotplug) */
	EVENT_MIGRATE = 1u << 2, /* moves the VM: QEMU's downtime figure */
};

/* What the guest an event acts on is, for the kinds' refusals. */
struct event_where {
	bool vm;
	unsigned nics;		/* NICs the guest has */
	enum bond_mode bond;
	bool hotplug;		/* its machine has a hotpluggable bus */
	bool local;		/* the local testbed */
	bool taps_only;		/* every NIC is a tap in the PF's bridge */
	bool passthrough;	/* NIC 0 is a VFIO VF */
};

struct event_kind {
	const char *name;
	unsigned flags;
	/* why e cannot happen to a guest like w (after its kind's flags
	 * were checked), or 0 */
	int (*refuse)(const struct event_where *w, int nic, char *why,
		      size_t len);
	const char *doc;
};

enum event_kind_id {
	EV_LINK_DOWN,
	EV_LINK_UP,
	EV_UNPLUG,
	EV_PLUG,
	EV_MIGRATE,
	EVENT_KIND_COUNT
};

extern const struct event_kind event_kind_table[EVENT_KIND_COUNT];

struct event {
	enum event_kind_id kind;
	int64_t at_ns;	/* from the start of the probes */
	int server;	/* enum server_id: 0 sender, 1 responder */
	int nic;	/* EVENT_NIC: which NIC; else 0 */
};

struct event_schedule {
	struct event ev[EVENTS_MAX];
	unsigned n;
};

/*
 * Parse a schedule ("none": no events). 0, or -1 with why naming the
 * item and what is wrong with it. Times must not go backwards.
 */
int event_schedule_parse(const char *text, struct event_schedule *s,
			 char *why, size_t len);
/* The `events` factor's check (factor.c). */
int event_schedule_check(const char *text, char *why, size_t len);
/* "responder.0", "responder" */
void event_target(const struct event *e, char *buf, size_t len);

/*
 * Why event e cannot happen to a guest like w: its kind's flags
 * (a VM only, a NIC it has) then its refuse hook. 0 or 1.
 */
int event_refusal(const struct event *e, const struct event_where *w,
		  char *why, size_t len);

/* ---- what the probes saw: pure analysis of a run's records ---- */

struct probe_rec;

/* One event as the analysis needs it. */
struct event_timing {
	int64_t at_ns;	 /* when it happened, from the start of the probes */
	int64_t span_ns; /* how long it lasted before its switch-over
			  * (a migration's total time), or 0 */
};

struct event_figures {
	int64_t outage_ns;	/* largest gap between replies, or -1 */
	int64_t gap_start_ns;	/* the last reply before it, from start */
	bool recovered;		/* a reply came after it in the window; else
				 * the outage lasts at least outage_ns */
	uint64_t lost;		/* probes of its window never answered */
	uint64_t probes;	/* probes sent in its window */
	int64_t rtt_before_ns;	/* medians, -1: no reply there */
	int64_t rtt_during_ns;
	int64_t rtt_after_ns;
};

/*
 * The figures of n events (sorted by time) from a run's records: each
 * event's window runs from half-way after the previous event to
 * half-way before the next one (the first from the start, the last to
 * the end), so that a clock offset of the schedule smaller than half
 * the spacing of events still gives each its own outage. In its
 * window: the outage is the largest gap between two consecutive reply
 * arrivals (the last reply before to the first reply after: it
 * includes one probe interval; if probes sent after the last reply
 * were all lost, from that reply to the last of them, not recovered),
 * lost the probes sent there and never
 * answered; RTTs are medians of the answered probes sent before the
 * outage (less the span), during it, and after it.
 */
void event_analyze(const struct probe_rec *r, size_t n,
		   const struct event_timing *ev, unsigned nev,
		   struct event_figures *out);

#endif
