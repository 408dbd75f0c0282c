/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host hygiene: the settings of a server that move latency without
 * being part of the test (CPU frequency governor, turbo, C-states, SMT,
 * bridge netfilter, RPS, socket busy polling; the links' qdiscs,
 * offloads, XPS and queues: core/hygiene_link.h), as autotest refuses to
 * run with turbo on. One table entry per setting says which files hold
 * it, how their values fold into one word, what it does to latency and
 * when it distorts the numbers; `doctor` prints them, the hygiene meter
 * stores them with every run and `run` warns (or refuses) on them.
 *
 * Pure: the input is a dump of the files, one "PATH:VALUE" line per
 * line of each, as `grep -H . FILES` prints it (host/hygiene.c makes it,
 * `iovbench hygiene` prints it on a server). PATHs may carry a root prefix (a
 * fake tree in tests/data/hygiene/), which is removed first.
 */
#ifndef IOV_CORE_HYGIENE_H
#define IOV_CORE_HYGIENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hygiene_id {
	HY_GOVERNOR,
	HY_TURBO,
	HY_CSTATES,
	HY_SMT,
	HY_BRIDGE_NF,
	HY_RPS,
	HY_XPS,
	HY_QDISC,
	HY_OFFLOADS,
	HY_QUEUES,
	HY_BUSY_POLL,
	HY_COUNT
};

/* A deepest enabled idle state slower to leave than this distorts. */
#define HYGIENE_CSTATE_MAX_US 10

struct hygiene_value {
	char value[192]; /* "performance", "on", "C6 (133 us)", ... */
	bool known;	/* some file said; else value says why not */
	bool distorts;	/* it would distort the numbers */
};

/* What the dump's lines said, as hygiene_parse() gathers it. */
struct hygiene_fold;

struct hygiene_def {
	const char *name;	   /* the setting's row in host_settings */
	/* the files that hold it (NULL ends; none: `iovbench hygiene`
	 * says it from netlink and ethtool, net/linkset.c) */
	const char *const *globs;
	const char *good;	   /* the value that does not distort */
	/* its value from the fold: the word, known, distorts */
	void (*finish)(const struct hygiene_fold *f, struct hygiene_value *v);
	const char *effect;	   /* what it does to latency, for doctor */
};

extern const struct hygiene_def hygiene_table[HY_COUNT];

struct hygiene {
	struct hygiene_value v[HY_COUNT];
};

/*
 * Fold a dump (len bytes, not NUL-terminated) into every setting. root:
 * the prefix of its paths ("" or "/": none). Never fails: what the dump
 * lacks is "absent" with the reason; lines it does not know are ignored.
 */
void hygiene_parse(const char *dump, size_t len, const char *root,
		   struct hygiene *out);

/* Does any setting distort? Its names as "a, b" into buf. */
bool hygiene_distorting(const struct hygiene *h, char *buf, size_t len);

/*
 * A Linux CPU list ("0-3,8,10-11"): how many CPUs and the highest one
 * (-1: none). -1 if text is not one.
 */
int cpulist_parse(const char *text, size_t len, int *count, int *highest);

#endif
