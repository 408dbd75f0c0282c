/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Load generators of load-latency tests, pure half: one entry each, the
 * `generator` factor's values. An entry says where the generator runs,
 * the command line it is driven with and how its output becomes the
 * numbers the built-in generator reports (core/loadgen_report.h: sent
 * and received load and latency frames, rates, latency histogram), so
 * the runner, the store and the report never ask which one ran.
 *
 *   builtin  `iovbench loadgen` in the sender's main guest
 *   moongen  MoonGen's l2-load-latency.lua (autotest's variant, which
 *            takes -r kpps -s size -f histogram -T seconds) on a DPDK
 *            port of the sender server, NIC timestamps
 *   trex     TRex's stateless Python API through tools/trex-loadlat.py
 *            on the sender server, which prints the API's stats JSON
 *
 * The external ones run through `iovbench generator NAME` on the server
 * (cmd/generator.c): it builds their command line here, runs it, and
 * prints what they measured in loadgen's format. Parsers take untrusted
 * text and are fuzzed (tests/fuzz/fuzz_generator.c).
 */
#ifndef IOV_CORE_GENERATORS_H
#define IOV_CORE_GENERATORS_H

#include <stddef.h>
#include <stdint.h>

#include "core/loadgen_report.h"
#include "util/strv.h"

enum generator_place {
	GEN_IN_GUEST,  /* the sender's main guest, like the reflector */
	GEN_ON_SERVER, /* the sender server itself, on a DPDK port */
};

/* What a run asks of a generator. */
struct generator_args {
	const char *program; /* the generator's binary or driver */
	const char *script;  /* moongen: l2-load-latency.lua */
	const char *port;    /* DPDK port (moongen, trex) */
	/* the reflector's MAC (or builtin: address); builtin: one per
	 * guest under test, comma-separated */
	const char *to;
	const char *hist;    /* moongen: where its histogram goes */
	int64_t rate;	     /* load frames per second */
	int64_t size;	     /* frame size, FCS included (a mix: largest) */
	/* builtin: a size mix's canonical text (core/sizemix.h), or NULL */
	const char *size_mix;
	int64_t runtime_s;
	/* how long the load ran, as timed; 0: runtime_s */
	double seconds;
	int64_t lat_rate;    /* latency frames per second */
	int64_t threads;     /* builtin: sending threads (0, 1: one) */
	int64_t warmup_s;
	int64_t cooldown_ms;
};

struct generator_def {
	const char *name;
	enum generator_place place;
	const char *program; /* default of generator_args.program */
	/* why the local testbed cannot run it (after its name); NULL: can */
	const char *local_refusal;
	/*
	 * why it cannot spread its load over several guests under test
	 * (the guests factor; after its name); NULL: it can
	 */
	const char *multi_refusal;
	/* why it cannot send a size mix (after its name); NULL: it can */
	const char *mix_refusal;
	/*
	 * Its cool-down is fixed at this many ms (it cannot wait longer
	 * for frames in flight); -1: it takes the cooldown factor.
	 */
	int64_t fixed_cooldown_ms;
	/* Append the command line of one measured run to argv. */
	void (*argv)(const struct generator_args *a, struct strv *argv);
	/*
	 * Its output (out) and its histogram file (hist, NULL if none)
	 * into r (initialised by the caller): 0, or -1 with why.
	 */
	int (*parse)(const struct generator_args *a, const char *out,
		     size_t olen, const char *hist, size_t hlen,
		     struct loadgen_report *r, char *why, size_t wlen);
	const char *doc;
};

extern const struct generator_def generator_table[];
extern const size_t generator_table_len;

/* By name, or NULL. */
const struct generator_def *generator_find(const char *name);

/* MoonGen's summary lines and `latency_ns,count` histogram. */
int generator_moongen_parse(const struct generator_args *a, const char *out,
			    size_t olen, const char *hist, size_t hlen,
			    struct loadgen_report *r, char *why, size_t wlen);
/* TRex's stats JSON (STLClient.get_stats()) as trex-loadlat.py prints it */
int generator_trex_parse(const struct generator_args *a, const char *out,
			 size_t olen, const char *hist, size_t hlen,
			 struct loadgen_report *r, char *why, size_t wlen);

/* the pg_ids tools/trex-loadlat.py gives its load and latency streams */
#define TREX_PG_LOAD 1
#define TREX_PG_LATENCY 2

#endif
