// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The events meter, pure half: each event of a run (a NIC's link going
 * down or up, a NIC unplugged or plugged, a live migration) with what
 * the probes saw of it (outage, probes lost, RTT before, during and
 * after: core/event.c's analysis) and, for a migration, QEMU's own
 * figures from query-migrate. Per test: the mean over its runs of the
 * largest outage and the probes lost of the switch events (link and
 * hotplug), and the same of migrations beside QEMU's downtime; in a
 * throughput run, each event's throughput before, during and after and
 * its dip (core/event_tput.c), per test the largest dip. The OS
 * half is runner/meter_events.c.
 */
#include <math.h>
#include <string.h>

#include "core/meter_events.h"
#include "util/alloc.h"

enum {
	C_EVENT, C_KIND, C_TARGET, C_AT_NS, C_DONE_NS, C_TOOK_NS, C_OUTAGE_NS,
	C_RECOVERED, C_LOST, C_PROBES, C_RTT_BEFORE_NS, C_RTT_DURING_NS, C_RTT_AFTER_NS,
	C_QEMU_DOWNTIME_MS, C_QEMU_TOTAL_MS, C_QEMU_SETUP_MS, C_RAM_BYTES,
	C_ERROR, C_TPUT_BEFORE, C_TPUT_DURING, C_TPUT_AFTER, C_TPUT_LOWEST,
	C_TPUT_DIP,
};
static const struct meter_column event_cols[] = {
	[C_EVENT] = {"event", CELL_INT, COL_KEY},
	[C_KIND] = {"kind", CELL_TEXT, COL_NOT_NULL},
	[C_TARGET] = {"target", CELL_TEXT, COL_NOT_NULL},
	[C_AT_NS] = {"at_ns", CELL_INT, COL_NOT_NULL},
	[C_DONE_NS] = {"done_ns", CELL_INT, 0},
	[C_TOOK_NS] = {"took_ns", CELL_INT, 0},
	[C_OUTAGE_NS] = {"outage_ns", CELL_INT, 0},
	[C_RECOVERED] = {"recovered", CELL_INT, 0},
	[C_LOST] = {"lost", CELL_INT, 0},
	[C_PROBES] = {"probes", CELL_INT, 0},
	[C_RTT_BEFORE_NS] = {"rtt_before_ns", CELL_INT, 0},
	[C_RTT_DURING_NS] = {"rtt_during_ns", CELL_INT, 0},
	[C_RTT_AFTER_NS] = {"rtt_after_ns", CELL_INT, 0},
	[C_QEMU_DOWNTIME_MS] = {"qemu_downtime_ms", CELL_INT, 0},
	[C_QEMU_TOTAL_MS] = {"qemu_total_ms", CELL_INT, 0},
	[C_QEMU_SETUP_MS] = {"qemu_setup_ms", CELL_INT, 0},
	[C_RAM_BYTES] = {"ram_bytes", CELL_INT, 0},
	[C_ERROR] = {"error", CELL_TEXT, 0},
	[C_TPUT_BEFORE] = {"tput_before_bps", CELL_REAL, 0},
	[C_TPUT_DURING] = {"tput_during_bps", CELL_REAL, 0},
	[C_TPUT_AFTER] = {"tput_after_bps", CELL_REAL, 0},
	[C_TPUT_LOWEST] = {"tput_lowest_bps", CELL_REAL, 0},
	[C_TPUT_DIP] = {"tput_dip_pct", CELL_REAL, 0},
};
_Static_assert(ARRAY_SIZE(event_cols) == EVENT_COLS, "events");

static const struct meter_table tables[] = {
	{
		.name = "events",
		.unit = "event",
		.cols = event_cols,
		.ncols = ARRAY_SIZE(event_cols),
		.fold = COL(C_KIND) | COL(C_OUTAGE_NS) | COL(C_LOST) |
			COL(C_QEMU_DOWNTIME_MS) | COL(C_TPUT_DIP),
	},
};

enum { M_OUTAGE, M_LOST, M_MIG_OUTAGE, M_MIG_DOWNTIME, M_MIG_LOST,
       M_TPUT_DIP, M_COUNT };

#define EV (METRIC_MACHINE | METRIC_HUMAN | METRIC_OBSERVED | METRIC_IF_ANY)

static const struct metric metrics[] = {
	[M_OUTAGE] = {"event_outage_ms", "outage", "ms", "%.3f", 1e6, "%.1f",
		      0, EV, GROUP_EVENTS,
		      "largest outage of a run's link and hotplug events: last "
		      "reply before to first reply after"},
	[M_LOST] = {"event_lost", "ev_lost", "", "%.1f", 0, NULL, 0, EV, GROUP_EVENTS,
		    "probes lost in the windows of a run's link and hotplug "
		    "events"},
	[M_MIG_OUTAGE] = {"migration_outage_ms", "mig_outage", "ms", "%.3f",
			  1e6, "%.1f", 0, EV, GROUP_EVENTS,
			  "a migration's outage as the probes saw it"},
	[M_MIG_DOWNTIME] = {"migration_downtime_ms", "qemu_down", "ms",
			    "%.0f", 0, NULL, 0, EV, GROUP_EVENTS,
			    "QEMU's own downtime of the migration "
			    "(query-migrate)"},
	[M_MIG_LOST] = {"migration_lost", "mig_lost", "", "%.1f", 0, NULL, 0,
			EV, GROUP_EVENTS, "probes lost in a migration's window"},
	[M_TPUT_DIP] = {"event_tput_dip_pct", "tput_dip", "%", "%.2f", 0,
			"%.1f", 0, EV, GROUP_EVENTS,
			"throughput runs: the largest dip of a run's events, "
			"the lowest interval from the event on against the "
			"mean before"},
};

struct sums {
	double v;
	unsigned n;
};

struct acc {
	/* the run in progress: largest outages, losses, QEMU's downtime */
	double outage, mig_outage, lost, mig_lost, downtime, dip;
	bool any, mig, has_outage, has_mig_outage, has_downtime, has_dip;
	struct sums m[M_COUNT];
};

static void add(struct sums *s, double v)
{
	s->v += v;
	s->n++;
}

static void run_close(struct acc *a)
{
	if (a->any) {
		if (a->has_outage)
			add(&a->m[M_OUTAGE], a->outage);
		add(&a->m[M_LOST], a->lost);
	}
	if (a->mig) {
		if (a->has_mig_outage)
			add(&a->m[M_MIG_OUTAGE], a->mig_outage);
		if (a->has_downtime)
			add(&a->m[M_MIG_DOWNTIME], a->downtime);
		add(&a->m[M_MIG_LOST], a->mig_lost);
	}
	if (a->has_dip)
		add(&a->m[M_TPUT_DIP], a->dip);
	a->outage = a->mig_outage = a->lost = a->mig_lost = a->downtime = 0;
	a->dip = 0;
	a->any = a->mig = a->has_outage = a->has_mig_outage =
		a->has_downtime = a->has_dip = false;
}

static void events_run(void *p, const struct meter_run *run)
{
	(void)run;
	run_close(p);
}

static void events_row(void *p, unsigned table, const struct cell *c)
{
	struct acc *a = p;
	bool mig = c[C_KIND].type == CELL_TEXT &&
		   !strcmp(c[C_KIND].s, event_kind_table[EV_MIGRATE].name);
	double outage = cell_num(&c[C_OUTAGE_NS], -1);
	double lost = cell_num(&c[C_LOST], 0);
	double dip = cell_num(&c[C_TPUT_DIP], -1);

	(void)table;
	if (dip >= 0 && (!a->has_dip || dip > a->dip)) {
		a->dip = dip;
		a->has_dip = true;
	}
	if (mig) {
		a->mig = true;
		a->mig_lost += lost;
		if (outage >= 0 && (!a->has_mig_outage || outage > a->mig_outage)) {
			a->mig_outage = outage;
			a->has_mig_outage = true;
		}
		if (c[C_QEMU_DOWNTIME_MS].type != CELL_NULL) {
			a->downtime += cell_num(&c[C_QEMU_DOWNTIME_MS], 0);
			a->has_downtime = true;
		}
		return;
	}
	a->any = true;
	a->lost += lost;
	if (outage >= 0 && (!a->has_outage || outage > a->outage)) {
		a->outage = outage;
		a->has_outage = true;
	}
}

static void events_finish(void *p, struct metric_value *out)
{
	struct acc *a = p;
	int k;

	run_close(a);
	for (k = 0; k < M_COUNT; k++) {
		if (a->m[k].n)
			metric_set_measured(&out[k], a->m[k].v / a->m[k].n);
	}
}

static struct cell opt_int(int64_t v)
{
	return v >= 0 ? cell_int(v) : cell_null();
}

static struct cell opt_real(bool have, double v)
{
	return have && isfinite(v) ? cell_real(v) : cell_null();
}

void meter_events_cells(const struct event_row *e, struct cell *c)
{
	c[C_EVENT] = cell_int(e->index);
	c[C_KIND] = cell_text(event_kind_table[e->ev->kind].name);
	c[C_TARGET] = cell_text(e->target);
	c[C_AT_NS] = cell_int(e->ev->at_ns);
	c[C_DONE_NS] = opt_int(e->done_ns);
	c[C_TOOK_NS] = opt_int(e->took_ns);
	c[C_OUTAGE_NS] = opt_int(e->fig.outage_ns);
	c[C_RECOVERED] = e->fig.probes ? cell_int(e->fig.recovered) :
					  cell_null();
	c[C_LOST] = e->fig.probes ? cell_int((int64_t)e->fig.lost) : cell_null();
	c[C_PROBES] = cell_int((int64_t)e->fig.probes);
	c[C_RTT_BEFORE_NS] = opt_int(e->fig.rtt_before_ns);
	c[C_RTT_DURING_NS] = opt_int(e->fig.rtt_during_ns);
	c[C_RTT_AFTER_NS] = opt_int(e->fig.rtt_after_ns);
	c[C_QEMU_DOWNTIME_MS] = opt_int(e->qemu_downtime_ms);
	c[C_QEMU_TOTAL_MS] = opt_int(e->qemu_total_ms);
	c[C_QEMU_SETUP_MS] = opt_int(e->qemu_setup_ms);
	c[C_RAM_BYTES] = opt_int(e->ram_bytes);
	c[C_ERROR] = cell_text(e->error);
	c[C_TPUT_BEFORE] = opt_real(e->have_tput, e->tput.before_bps);
	c[C_TPUT_DURING] = opt_real(e->have_tput, e->tput.during_bps);
	c[C_TPUT_AFTER] = opt_real(e->have_tput, e->tput.after_bps);
	c[C_TPUT_LOWEST] = opt_real(e->have_tput, e->tput.lowest_bps);
	c[C_TPUT_DIP] = opt_real(e->have_tput, e->tput.dip_pct);
}

const struct meter_def meter_events = {
	.name = "events",
	.doc = "events in a run: link, hotplug and migration, and what the "
	       "probes and QEMU saw of each",
	.tables = tables,
	.ntables = ARRAY_SIZE(tables),
	.metrics = metrics,
	.nmetrics = M_COUNT,
	.acc_size = sizeof(struct acc),
	.run = events_run,
	.row = events_row,
	.finish = events_finish,
	/* only with its columns, shown when some test had events */
	.note_group = GROUP_EVENTS,
	.note_alt = "events: the largest outage (last reply before to first "
		"reply after) and the probes lost of the link and hotplug "
		"events, a migration's outage beside QEMU's downtime, a "
		"throughput run's largest dip; means over runs (report --table events: each event)",
};
