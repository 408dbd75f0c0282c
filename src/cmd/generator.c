// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench generator: an external load generator (core/generators.h:
 * moongen, trex) run here, on the sender server, for one load-latency
 * run; what it measured is printed in `iovbench loadgen`'s format
 * (core/loadgen_report.h), so the runner reads every generator alike.
 *
 * MoonGen runs until interrupted: it is sent SIGINT when the runtime is
 * over, counted from its first per-second counter line (its devices are
 * up and the load has run a second by then, so the load's time is the
 * runtime plus that second). A warm-up is a MoonGen run of its own just
 * before, whose output is dropped. TRex's driver times itself (warm-up,
 * runtime, cool-down) and prints the API's stats once.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/generators.h"
#include "host/proc.h"
#include "util/error.h"
#include "util/time.h"

/* DPDK's EAL, the ports' links, TRex's connection: before the load */
#define START_NS (60 * NSEC_PER_SEC)
#define STOP_NS (10 * NSEC_PER_SEC)

/*
 * MoonGen for a->runtime_s from its first counter line, then SIGINT;
 * its stdout into out and the load's time into a->seconds.
 */
static int run_interrupted(const struct generator_def *g,
			   struct generator_args *a, struct strbuf *out)
{
	struct spawn_opts so = {.capture = true};
	struct strv argv = STRV_INIT;
	char line[512];
	struct proc p;
	int64_t t0, end;
	int ret = -1, r;

	g->argv(a, &argv);
	if (proc_spawn(argv.v, &so, &p)) {
		error("cannot start '%s'", argv.v[0]);
		goto clear;
	}
	end = now_mono() + START_NS;
	for (;;) {
		int64_t left = end - now_mono();

		r = left > 0 ? proc_read_line(&p, line, sizeof(line), left,
					      &cmd_stop) :
			       -ETIMEDOUT;
		if (r) {
			error("%s did not start loading (%s)", g->name,
			      r == -EINTR	 ? "stopped" :
			      r == -ETIMEDOUT ? "timed out" :
						 "it exited");
			proc_kill(&p, STOP_NS);
			goto release;
		}
		strbuf_addstr(out, line);
		strbuf_addch(out, '\n');
		if (!strncmp(line, "[Device: ", 9))
			break;
	}
	t0 = now_mono() - NSEC_PER_SEC;
	end = now_mono() + a->runtime_s * NSEC_PER_SEC;
	while (now_mono() < end && !cmd_stop && proc_running(&p))
		usleep(20000);
	a->seconds = (double)(now_mono() - t0) / NSEC_PER_SEC;
	if (p.pid > 0)
		kill(p.pid, SIGINT);
	r = proc_wait(&p, STOP_NS, NULL);
	strbuf_add(out, p.out.buf, p.out.len);
	if (r < 0) {
		error("%s did not stop after SIGINT", g->name);
		proc_kill(&p, STOP_NS);
		goto release;
	}
	ret = cmd_stop ? -EINTR : 0;
release:
	proc_release(&p);
clear:
	strv_clear(&argv);
	return ret;
}

/* TRex's driver to its end; its stdout into out */
static int run_to_end(const struct generator_def *g,
		      const struct generator_args *a, struct strbuf *out)
{
	struct spawn_opts so = {.capture = true};
	struct strv argv = STRV_INIT;
	int64_t limit = (a->warmup_s + a->runtime_s) * NSEC_PER_SEC +
			a->cooldown_ms * 1000000 + START_NS;
	int st;

	g->argv(a, &argv);
	st = proc_run(argv.v, &so, limit, out);
	if (st)
		error("'%s' failed (%s %d)", argv.v[0],
		      st < 0 ? "error" : "exit status", st);
	strv_clear(&argv);
	return st ? -1 : 0;
}

static int generator_main(struct cmd_ctx *ctx)
{
	struct generator_args a = {0};
	const struct generator_def *g;
	struct strbuf out = STRBUF_INIT, hist = STRBUF_INIT, text = STRBUF_INIT;
	struct loadgen_report rep;
	char hist_path[PATH_MAX], why[160];
	int ret = EXIT_FAIL;
	const struct option_spec options[] = {
		OPT_STRING('t', "to", &a.to, "MAC", "the reflector's MAC",
			   .flags = OPTION_REQUIRED),
		OPT_INT('r', "rate", &a.rate, "PPS", 1, 1000000000,
			"load frames per second", .def = "10k"),
		OPT_INT('l', "latency-rate", &a.lat_rate, "PPS", 1, 1000000,
			"latency frames per second (trex; moongen's timer "
			"sets its own)",
			.def = "1k"),
		OPT_INT('s', "size", &a.size, "BYTES", 64, 9018,
			"Ethernet frame size, FCS included", .def = "64"),
		OPT_INT('T', "runtime", &a.runtime_s, "SECONDS", 1, 3600,
			"seconds of load", .def = "2"),
		OPT_INT('w', "warmup", &a.warmup_s, "SECONDS", 0, 600,
			"seconds of load before, not counted", .def = "0"),
		OPT_INT('c', "cooldown", &a.cooldown_ms, "MS", 0, 60000,
			"trex: ms to wait for frames in flight", .def = "0"),
		OPT_STRING('p', "program", &a.program, "PATH",
			   "the generator's program (default: the table's)"),
		OPT_STRING('S', "script", &a.script, "PATH",
			   "moongen: l2-load-latency.lua",
			   .def = "l2-load-latency.lua"),
		OPT_STRING('P', "port", &a.port, "PORT",
			   "the DPDK port to send on", .def = "0"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	g = generator_find(ctx->argv[0]);
	if (!g || g->place != GEN_ON_SERVER) {
		error("'%s' is not an external generator (moongen, trex; the "
		      "builtin one is `iovbench loadgen`)",
		      ctx->argv[0]);
		return EXIT_USAGE;
	}
	if (!a.program)
		a.program = g->program;
	snprintf(hist_path, sizeof(hist_path), "/tmp/iovbench-hist-%d.csv",
		 (int)getpid());
	a.hist = hist_path;
	cmd_install_stop_handler();
	loadgen_report_init(&rep);
	if (g->fixed_cooldown_ms < 0) {
		if (run_to_end(g, &a, &out))
			goto release;
	} else {
		if (a.warmup_s) {
			struct generator_args w = a;

			w.runtime_s = a.warmup_s;
			if (run_interrupted(g, &w, &out))
				goto release;
			strbuf_reset(&out);
			unlink(hist_path);
		}
		if (run_interrupted(g, &a, &out))
			goto release;
		if (strbuf_read_file(&hist, hist_path, 64 << 20) < 0) {
			error("%s wrote no histogram to '%s'", g->name,
			      hist_path);
			goto release;
		}
	}
	if (g->parse(&a, out.buf ? out.buf : "", out.len,
		     hist.len ? hist.buf : NULL, hist.len, &rep, why,
		     sizeof(why))) {
		error("%s: %s", g->name, why);
		goto release;
	}
	loadgen_report_format(&rep, &text);
	fputs(text.buf, stdout);
	fflush(stdout);
	ret = EXIT_OK;
release:
	unlink(hist_path);
	loadgen_report_release(&rep);
	strbuf_release(&out);
	strbuf_release(&hist);
	strbuf_release(&text);
	return ret;
}

const struct command cmd_generator = {
	.name = "generator",
	.summary = "run an external load generator (moongen, trex) once",
	.fn = generator_main,
	.usage = "iovbench generator moongen|trex --to MAC [--rate PPS] "
		 "[--size BYTES] [--runtime SECONDS] [--warmup SECONDS] "
		 "[--cooldown MS] [--program PATH] [--script PATH] "
		 "[--port PORT]",
	.doc = "Run one load-latency measurement with an external generator "
	       "on this\n"
	       "server and print what it measured as `iovbench loadgen` "
	       "does:\n"
	       "  loadgen offered=N sent_load=N ... and hist actual LOW COUNT "
	       "lines\n"
	       "\n"
	       "  moongen  MoonGen PROGRAM SCRIPT PORT MAC -r KPPS -s SIZE-4 "
	       "-f FILE -T S\n"
	       "           (autotest's l2-load-latency.lua), interrupted after "
	       "the runtime\n"
	       "  trex     tools/trex-loadlat.py, which drives a running TRex "
	       "server\n"
	       "           through its Python API and prints its stats JSON\n"
	       "\n"
	       "The runner starts it on the sender server for generator: "
	       "moongen|trex.\n",
	.min_args = 1,
	.max_args = 1,
};
