// SPDX-License-Identifier: GPL-2.0-or-later
/* The load generators' table (core/generators.h). */
#include "core/generators.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

static void builtin_argv(const struct generator_args *a, struct strv *argv)
{
	strv_push(argv, "loadgen");
	strv_push(argv, "--to");
	strv_push(argv, a->to);
	strv_push(argv, "--rate");
	strv_pushf(argv, "%lld", (long long)a->rate);
	strv_push(argv, "--size");
	if (a->size_mix)
		strv_push(argv, a->size_mix);
	else
		strv_pushf(argv, "%lld", (long long)a->size);
	strv_push(argv, "--runtime");
	strv_pushf(argv, "%llds", (long long)a->runtime_s);
	strv_push(argv, "--latency-rate");
	strv_pushf(argv, "%lld", (long long)a->lat_rate);
	/* only when asked: one thread's command line is as it was */
	if (a->threads > 1) {
		strv_push(argv, "--threads");
		strv_pushf(argv, "%lld", (long long)a->threads);
	}
	strv_push(argv, "--ready");
}

static int builtin_parse(const struct generator_args *a, const char *out,
			 size_t olen, const char *hist, size_t hlen,
			 struct loadgen_report *r, char *why, size_t wlen)
{
	(void)a;
	(void)hist;
	(void)hlen;
	if (!loadgen_report_parse(out, olen, r))
		return 0;
	snprintf(why, wlen, "no loadgen line");
	return -1;
}

/*
 * autotest's l2-load-latency.lua: DEV MAC -r KPPS -s BYTES -f FILE
 * -T SECONDS. Its sizes leave out the FCS (60 is a 64-byte frame); its
 * timer sends a PTP frame at a time and waits for it, so the latency
 * rate is its own. It runs until interrupted (its -T is not honoured by
 * every version): `iovbench generator` sends SIGINT after the runtime.
 */
static void moongen_argv(const struct generator_args *a, struct strv *argv)
{
	strv_push(argv, a->program);
	strv_push(argv, a->script);
	strv_push(argv, a->port);
	strv_push(argv, a->to);
	strv_push(argv, "-r");
	strv_pushf(argv, "%g", (double)a->rate / 1000);
	strv_push(argv, "-s");
	strv_pushf(argv, "%lld", (long long)(a->size - 4));
	strv_push(argv, "-f");
	strv_push(argv, a->hist);
	strv_push(argv, "-T");
	strv_pushf(argv, "%lld", (long long)a->runtime_s);
}

/* tools/trex-loadlat.py: its options are its own (its --help) */
static void trex_argv(const struct generator_args *a, struct strv *argv)
{
	strv_push(argv, a->program);
	strv_push(argv, "--port");
	strv_push(argv, a->port);
	strv_push(argv, "--dst-mac");
	strv_push(argv, a->to);
	strv_push(argv, "--rate");
	strv_pushf(argv, "%lld", (long long)a->rate);
	strv_push(argv, "--size");
	strv_pushf(argv, "%lld", (long long)(a->size - 4));
	strv_push(argv, "--duration");
	strv_pushf(argv, "%lld", (long long)a->runtime_s);
	strv_push(argv, "--latency-rate");
	strv_pushf(argv, "%lld", (long long)a->lat_rate);
	strv_push(argv, "--warmup");
	strv_pushf(argv, "%lld", (long long)a->warmup_s);
	strv_push(argv, "--cooldown-ms");
	strv_pushf(argv, "%lld", (long long)a->cooldown_ms);
}

const struct generator_def generator_table[] = {
	{
		.name = "builtin",
		.place = GEN_IN_GUEST,
		.program = "iovbench",
		/* measure/loadgen.c drains for DRAIN_NS after the load */
		.fixed_cooldown_ms = 200,
		.argv = builtin_argv,
		.parse = builtin_parse,
		.doc = "`iovbench loadgen` in the sender's main guest: "
		       "AF_PACKET TX ring, a 1k/s latency stream, kernel "
		       "software stamps; spreads both over several guests "
		       "under test, frame by frame",
	},
	{
		.name = "moongen",
		.place = GEN_ON_SERVER,
		.program = "MoonGen",
		.local_refusal = "needs MoonGen on a DPDK port of a real NIC "
				 "(not packaged for Debian; not here)",
		/* autotest's script takes one destination MAC */
		.multi_refusal = "sends to one MAC (l2-load-latency.lua "
				 "takes one destination): one guest under "
				 "test",
		.mix_refusal = "sends one frame size (l2-load-latency.lua's "
			       "-s): no size mix",
		/* it stops its counters and its timer with the load */
		.fixed_cooldown_ms = 0,
		.argv = moongen_argv,
		.parse = generator_moongen_parse,
		.doc = "MoonGen's l2-load-latency.lua (autotest's) on the "
		       "sender server's DPDK port: NIC timestamps",
	},
	{
		.name = "trex",
		.place = GEN_ON_SERVER,
		.program = "trex-loadlat.py",
		.local_refusal = "needs a TRex server on a DPDK port of a real "
				 "NIC (not packaged for Debian; not here)",
		/* TRex itself can: one stream pair per guest, by pg_id */
		.multi_refusal = "drives one destination MAC in "
				 "tools/trex-loadlat.py (TRex could, with a "
				 "load and a latency stream per guest: not "
				 "done yet)",
		.mix_refusal = "sends one frame size in tools/trex-loadlat.py "
			       "(TRex could, with a stream per size: not done "
			       "yet)",
		.fixed_cooldown_ms = -1,
		.argv = trex_argv,
		.parse = generator_trex_parse,
		.doc = "TRex stateless through tools/trex-loadlat.py on the "
		       "sender server: flow stats and latency streams",
	},
};
const size_t generator_table_len = ARRAY_SIZE(generator_table);

const struct generator_def *generator_find(const char *name)
{
	size_t i;

	for (i = 0; i < generator_table_len; i++) {
		if (!strcmp(generator_table[i].name, name))
			return &generator_table[i];
	}
	return NULL;
}
