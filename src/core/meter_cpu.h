/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CPU meter's stored rows (core/meter_cpu.c): mpstat's columns per
 * CPU of each server, and the CPU time of each guest's process; the
 * column order its OS half (runner/meter_cpu.c) fills.
 */
#ifndef IOV_CORE_METER_CPU_H
#define IOV_CORE_METER_CPU_H

#include "core/cpustat.h"
#include "core/meter.h"

/* mpstat's columns for one CPU ("all" or its number) of one server. */
struct cpu_row {
	const char *server;
	char cpu[12];
	double seconds; /* the interval */
	struct cpu_usage u;
};

/* CPU time of a guest's process (a QEMU, or a container's loads). */
struct process_row {
	const char *server, *guest, *role; /* role: main, background */
	long pid;
	double cpu_seconds, seconds;
};

#define CPU_COLS 13
#define PROCESS_COLS 6

void meter_cpu_cells(const struct cpu_row *r, struct cell *cells);
void meter_process_cells(const struct process_row *p, struct cell *cells);

#endif
