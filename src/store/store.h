/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The results database (SQLite, WAL). A run is saved in one transaction
 * with all its probes: after a crash at any instant a run is either
 * complete or absent, so resuming never redoes or half-keeps a run.
 * docs/results.md describes the schema for people querying it with
 * sqlite3, pandas or R.
 */
#ifndef IOV_STORE_STORE_H
#define IOV_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cpustat.h"
#include "core/load_report.h"
#include "core/plan.h"
#include "core/probe.h"
#include "core/split.h"

struct store;

enum store_mode {
	STORE_READ,   /* an existing database, read only */
	STORE_CREATE, /* create it if missing, migrate, write */
};

#define STORE_SCHEMA_VERSION 1

int store_open(const char *path, enum store_mode mode, struct store **out);
void store_close(struct store *s);

/* Ids ("TESTID/REP") of the runs complete in the database. */
int store_complete_runs(struct store *s, char ***ids, size_t *n);

/* Remember that campaign c (file text config) ran now. */
int store_touch_campaign(struct store *s, const struct campaign *c,
			 const char *config);

enum run_status {
	RUN_COMPLETE, /* measured; its probes are stored */
	RUN_FAILED,   /* could not be measured: error says why */
	RUN_REFUSED,  /* cannot run on this host: error says why */
};

/* A capture point of a run (core/split.h). */
struct point_rec {
	const char *point;  /* "sender-nic", "responder-nic" */
	const char *server;
	const char *ifname; /* NULL when unavailable */
	const char *reason; /* why it is unavailable, else NULL */
	uint64_t frames, drops;
	struct split_counts counts;
	uint64_t expected_requests, expected_replies;
	const char *pcap; /* its pcap file, or NULL */
};

/* What a load generator achieved (core/load_report.h). */
struct load_row {
	const char *server, *guest;
	struct load_report rep;
};

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

/* What a run measured besides its probes; any part may be empty. */
struct run_extras {
	const struct probe_split *split; /* n entries (the probes'), or NULL */
	const struct point_rec *points;
	size_t npoints;
	const struct load_row *loads;
	size_t nloads;
	const struct cpu_row *cpus;
	size_t ncpus;
	const struct process_row *procs;
	size_t nprocs;
};

struct run_record {
	const struct test *test;
	unsigned rep;
	const char *campaign;
	enum run_status status;
	const char *error;
	int64_t started, ended; /* realtime ns */
	const char *host;	/* JSON facts of the hosts */
	const char *setup;	/* JSON: accel, VF, image, console logs */
	const struct probe_meta *meta;
	const struct probe_rec *recs;
	size_t n;
	const struct probe_summary *sum;
	const struct run_extras *extras; /* complete runs; may be NULL */
};

const char *run_status_name(enum run_status st);

/*
 * Save a run and its probes in one transaction, replacing an earlier
 * failed or refused attempt of the same run. A complete run is never
 * replaced: saving it twice is an error (it would mean the plan redid it).
 */
int store_save_run(struct store *s, const struct run_record *r);

/* ---- reading, for reports and exports ---- */

/* One result row: n columns, names and text values (NULL for SQL NULL). */
struct store_row {
	int n;
	const char *const *names;
	const char *const *values;
	const bool *numeric; /* the value is an integer or a real */
};
typedef int (*store_row_fn)(const struct store_row *row, void *data);

enum store_table {
	STORE_TESTS,  /* a row per test: id, factor columns, runs */
	STORE_RUNS,   /* a row per run: factors, status, counts, host */
	STORE_PROBES, /* a row per probe: run, factors, times, rtt */
	/* what runs observed: a row per capture point, load generator,
	 * CPU (per server) and guest process of each complete run */
	STORE_CAPTURES,
	STORE_LOADS,
	STORE_CPU,
	STORE_PROCESSES,
};
/* Rows of one table, in test-tree order of the stored factor values. */
int store_each_row(struct store *s, enum store_table t, store_row_fn fn,
		   void *data);

/*
 * Per test with complete runs: the test, its complete-run count, and the
 * RTTs (ns, kernel/NIC stamps) of all its answered probes.
 */
struct store_test_rtts {
	const char *test_id;
	int64_t v[FACTOR_COUNT]; /* factor values */
	unsigned runs;
	struct probe_summary sum; /* summed over runs */
	double *rtt;		  /* ns */
	size_t nrtt;
	double *rtt_user;
	size_t nrtt_user;
	char ts_source[16];
	char accel[16]; /* VM guests: "tcg", "kvm", "mixed"; "" otherwise */
	char vf[16];	/* "emulated" where the VFs were, else "" */
	/* the RTT split (ns) of the probes that have it: core/split.h */
	double *split[SPLIT_DURATIONS]; /* by enum split_duration */
	size_t nsplit[SPLIT_DURATIONS];
	/* capture points over all runs: probe frames seen / expected */
	uint64_t cap_seen, cap_expected, cap_drops;
	bool cap_unavailable; /* a point could not exist */
	/* means over runs; negative when not measured */
	double busy[2];	  /* 100 - %idle, all CPUs: sender, responder */
	double load_pps;  /* net load sent, all generators */
	double load_bps;
	double sink_pps;  /* net load received */
	double load_cpu;  /* cpu load: CPU seconds per second, all guests */
	double jain;	  /* fairness of the net generators' rates */
};
typedef int (*store_test_fn)(const struct store_test_rtts *t, void *data);
/* Only tests in ids (n of them) if ids is not NULL. */
int store_each_test_rtts(struct store *s, char *const *ids, size_t n,
			 store_test_fn fn, void *data);

#endif
