/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CPU usage from /proc/stat and /proc/PID/stat, as mpstat computes it.
 * Pure: takes the files' text, so it is unit-tested and fuzzed.
 *
 * A snapshot holds the cumulative jiffies of every CPU and of all CPUs;
 * the usage between two snapshots is each field's share of the total
 * elapsed jiffies, in percent, with mpstat's definitions: %usr excludes
 * guest time (user - guest), %nice excludes guest_nice, %guest and
 * %gnice are shown apart.
 */
#ifndef IOV_CORE_CPUSTAT_H
#define IOV_CORE_CPUSTAT_H

#include <stddef.h>
#include <stdint.h>

struct cpu_times {
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal, guest,
		guest_nice;
};

struct cpu_snapshot {
	struct cpu_times all; /* the "cpu" line */
	int ncpu;
	int *id;	       /* "cpuN": N, in file order */
	struct cpu_times *cpu; /* per CPU */
};

/* Parse /proc/stat's text; 0, or -1 if it holds no "cpu" line. */
int cpustat_parse(const char *text, size_t len, struct cpu_snapshot *out);
void cpustat_release(struct cpu_snapshot *s);

/* Percentages, mpstat's columns. */
struct cpu_usage {
	double usr, nice, sys, iowait, irq, soft, steal, guest, gnice, idle;
};

/* Usage between snapshots a and b of one CPU (or of all). */
void cpustat_usage(const struct cpu_times *a, const struct cpu_times *b,
		   struct cpu_usage *u);

/* /proc/PID/stat: the fields a sampler needs. */
struct proc_times {
	char comm[32];
	uint64_t utime, stime; /* clock ticks */
	uint64_t starttime;    /* clock ticks after boot: tells a reused pid */
};

/* Parse /proc/PID/stat (comm may hold spaces and parentheses). */
int procstat_parse(const char *text, size_t len, struct proc_times *out);

#endif
