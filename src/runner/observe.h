/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a run observes besides its probes, from the servers:
 *
 *   CPU usage    /proc/stat of each server before and after the probes
 *                (mpstat's columns, per CPU and all), and the CPU time of
 *                each guest's QEMU from /proc/PID/stat. The local
 *                testbed's two servers are one host: one set of rows,
 *                server "host".
 *   capture      the main guests' NIC functions on each server, the PF
 *                (bridge, macvlan) or the VF (macvtap), captured while
 *                the probes run by `iovbench capture` on that server
 *                (TPACKET_V3, measure/capture.h; here or over ssh), and
 *                matched to the probes (core/split.h). A point that
 *                cannot exist is recorded with the reason.
 */
#ifndef IOV_RUNNER_OBSERVE_H
#define IOV_RUNNER_OBSERVE_H

#include "core/cpustat.h"
#include "core/split.h"
#include "core/capture_report.h"
#include "host/proc.h"
#include "store/store.h"
#include "testbed/testbed.h"

struct cpu_watch {
	struct cpu_snapshot before[SERVER_COUNT];
	int nservers;
	int64_t t0;
	struct vm_watch {
		struct guest *g;
		long pid;
		struct proc_times a;
		bool ok;
	} *vms;
	size_t nvms;
	/* after cpu_watch_end: */
	struct cpu_row *rows;
	size_t nrows;
	struct process_row *procs;
	size_t nprocs;
};

int cpu_watch_begin(struct testbed *tb, struct cpu_watch *w);
/* Fill rows and procs; a part that could not be read is left out. */
void cpu_watch_end(struct testbed *tb, struct cpu_watch *w);
void cpu_watch_release(struct cpu_watch *w);

struct capture_watch {
	struct proc proc[SPLIT_POINTS]; /* `iovbench capture`, per point */
	bool running[SPLIT_POINTS];
	struct capture_report rep[SPLIT_POINTS];
	struct point_rec points[SPLIT_POINTS]; /* the first npoints taken */
	int npoints;
	char ifname[SPLIT_POINTS][64];
	char reason[SPLIT_POINTS][128];
	char pcap[SPLIT_POINTS][PATH_MAX];	 /* here */
	char pcap_there[SPLIT_POINTS][PATH_MAX]; /* on a real server */
};

/*
 * Start the points of the main guests' data plane: `exe capture` on
 * their servers; with pcap_base, each also writes PCAP_BASE-POINT.pcap.
 * 0 or -1.
 */
int capture_watch_begin(struct testbed *tb, struct capture_watch *w,
			const char *exe, const char *pcap_base);
/*
 * Stop, match to the run's probes (split has n entries; the first
 * warmup probes on the wire were not recorded) and fill w->points.
 */
int capture_watch_end(struct testbed *tb, struct capture_watch *w,
		      const struct probe_meta *meta,
		      const struct probe_rec *recs, size_t n,
		      uint32_t warmup, struct probe_split *split);
void capture_watch_release(struct capture_watch *w);

#endif
