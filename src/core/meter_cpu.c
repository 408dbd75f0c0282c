// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CPU meter, pure half: each server's CPU usage over the probes of a
 * run (mpstat's columns, per CPU and "all") and the CPU time of each
 * guest's process; per test, the mean busy share (100 - %idle) of all
 * CPUs of each server (docs/metrics.md). The OS half is
 * runner/meter_cpu.c.
 */
#include <string.h>

#include "core/meter_cpu.h"
#include "util/alloc.h"

enum { T_CPU, T_PROCESSES };

enum {
	C_SERVER, C_CPU, C_SECONDS, C_USR, C_NICE, C_SYS, C_IOWAIT, C_IRQ,
	C_SOFT, C_STEAL, C_GUEST, C_GNICE, C_IDLE,
};
static const struct meter_column cpu_cols[] = {
	[C_SERVER] = {"server", CELL_TEXT, COL_KEY},
	[C_CPU] = {"cpu", CELL_TEXT, COL_KEY},
	[C_SECONDS] = {"seconds", CELL_REAL, 0},
	[C_USR] = {"usr", CELL_REAL, 0},
	[C_NICE] = {"nice", CELL_REAL, 0},
	[C_SYS] = {"sys", CELL_REAL, 0},
	[C_IOWAIT] = {"iowait", CELL_REAL, 0},
	[C_IRQ] = {"irq", CELL_REAL, 0},
	[C_SOFT] = {"soft", CELL_REAL, 0},
	[C_STEAL] = {"steal", CELL_REAL, 0},
	[C_GUEST] = {"guest", CELL_REAL, 0},
	[C_GNICE] = {"gnice", CELL_REAL, 0},
	[C_IDLE] = {"idle", CELL_REAL, 0},
};
_Static_assert(ARRAY_SIZE(cpu_cols) == CPU_COLS, "cpu");

static const struct meter_column process_cols[] = {
	{"server", CELL_TEXT, COL_NOT_NULL},
	{"guest", CELL_TEXT, COL_KEY},
	{"role", CELL_TEXT, COL_NOT_NULL},
	{"pid", CELL_INT, 0},
	{"cpu_seconds", CELL_REAL, 0},
	{"seconds", CELL_REAL, 0},
};
_Static_assert(ARRAY_SIZE(process_cols) == PROCESS_COLS, "processes");

static const struct meter_table tables[] = {
	[T_CPU] = {
		.name = "cpu",
		.unit = "CPU of a server",
		.cols = cpu_cols,
		.ncols = ARRAY_SIZE(cpu_cols),
		.fold = COL(C_SERVER) | COL(C_CPU) | COL(C_IDLE),
	},
	[T_PROCESSES] = {
		.name = "processes",
		.unit = "guest process",
		.cols = process_cols,
		.ncols = ARRAY_SIZE(process_cols),
	},
};

enum { M_BUSY_SENDER, M_BUSY_RESPONDER, M_COUNT };

#define OBS (METRIC_MACHINE | METRIC_HUMAN | METRIC_OBSERVED)

static const struct metric metrics[] = {
	[M_BUSY_SENDER] = {"cpu_busy_sender_pct", "busy%_s", "%", "%.1f", 0,
			   NULL, 0, OBS, 0,
			   "100 - %idle of the sender's CPUs, mean over runs"},
	[M_BUSY_RESPONDER] = {"cpu_busy_responder_pct", "busy%_r", "%",
			      "%.1f", 0, NULL, 0, OBS, 0,
			      "100 - %idle of the responder's CPUs, mean "
			      "over runs"},
};

struct acc {
	double busy[2];
	unsigned n[2];
};

static void cpu_row(void *a, unsigned table, const struct cell *c)
{
	struct acc *acc = a;
	const char *server = c[C_SERVER].type == CELL_TEXT ? c[C_SERVER].s : "";

	if (table != T_CPU || c[C_CPU].type != CELL_TEXT ||
	    strcmp(c[C_CPU].s, "all") || c[C_IDLE].type == CELL_NULL)
		return;
	/* the local testbed's servers are one host: its rows serve both */
	if (strcmp(server, "responder")) {
		acc->busy[0] += 100 - cell_num(&c[C_IDLE], 0);
		acc->n[0]++;
	}
	if (strcmp(server, "sender")) {
		acc->busy[1] += 100 - cell_num(&c[C_IDLE], 0);
		acc->n[1]++;
	}
}

static void cpu_finish(void *a, struct metric_value *out)
{
	struct acc *acc = a;
	int k;

	for (k = 0; k < 2; k++) {
		if (acc->n[k])
			metric_set_measured(&out[k], acc->busy[k] / acc->n[k]);
	}
}

void meter_cpu_cells(const struct cpu_row *r, struct cell *c)
{
	const double v[] = {r->u.usr,	r->u.nice, r->u.sys,   r->u.iowait,
			    r->u.irq,	r->u.soft, r->u.steal, r->u.guest,
			    r->u.gnice, r->u.idle};
	size_t k;

	c[C_SERVER] = cell_text(r->server);
	c[C_CPU] = cell_text(r->cpu);
	c[C_SECONDS] = cell_real(r->seconds);
	for (k = 0; k < ARRAY_SIZE(v); k++)
		c[C_USR + k] = cell_real(v[k]);
}

void meter_process_cells(const struct process_row *p, struct cell *c)
{
	c[0] = cell_text(p->server);
	c[1] = cell_text(p->guest);
	c[2] = cell_text(p->role);
	c[3] = cell_int(p->pid);
	c[4] = cell_real(p->cpu_seconds);
	c[5] = cell_real(p->seconds);
}

const struct meter_def meter_cpu = {
	.name = "cpu",
	.doc = "CPU usage of the servers and the guests' processes",
	.tables = tables,
	.ntables = ARRAY_SIZE(tables),
	.metrics = metrics,
	.nmetrics = M_COUNT,
	.acc_size = sizeof(struct acc),
	.row = cpu_row,
	.finish = cpu_finish,
	.note = "CPU busy% per server",
};
