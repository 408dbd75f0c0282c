/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The events meter's stored rows (core/meter_events.c): each event of a
 * run (core/event.h) and what the probes and QEMU saw of it; the column
 * order its OS half (runner/meter_events.c) fills.
 */
#ifndef IOV_CORE_METER_EVENTS_H
#define IOV_CORE_METER_EVENTS_H

#include "core/event.h"
#include "core/event_tput.h"
#include "core/meter.h"

/* One event of a run, as done. */
struct event_row {
	unsigned index;		/* in the schedule */
	const struct event *ev;
	char target[32];	/* event_target() */
	int64_t done_ns;	/* issued, from the start of the schedule */
	int64_t took_ns;	/* until QEMU said it was over; -1: unknown */
	struct event_figures fig;
	/* migrate: QEMU's query-migrate figures, ms; -1: none */
	int64_t qemu_downtime_ms, qemu_total_ms, qemu_setup_ms;
	int64_t ram_bytes;	/* RAM transferred */
	const char *error;	/* why it failed, or NULL */
	/* a throughput run: what pair 1's load saw of it (runner/meter_tput.c
	 * fills it after the events' end); have_tput false: no load */
	struct event_tput tput;
	bool have_tput;
};

#define EVENT_COLS 23

void meter_events_cells(const struct event_row *e, struct cell *cells);

#endif
