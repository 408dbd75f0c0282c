// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench loadgen: the load-latency generator (measure/loadgen.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/llframe.h"
#include "measure/loadgen.h"
#include "net/netns.h"
#include "util/error.h"

static int loadgen_main(struct cmd_ctx *ctx)
{
	struct loadgen_opts o = {0};
	struct loadgen_report rep;
	struct strbuf out = STRBUF_INIT;
	const char *netns = NULL, *to = NULL;
	int saved, ret = EXIT_OK;
	bool ready = false;
	const struct option_spec options[] = {
		OPT_STRING('i', "dev", &o.ifname, "IFNAME",
			   "the interface to load", .def = "eth0"),
		OPT_STRING('t', "to", &to, "MAC|ADDR",
			   "the reflector's MAC, or its IPv4 address (its MAC "
			   "from ARP, as the guest's kernel resolves it)",
			   .flags = OPTION_REQUIRED),
		OPT_INT('r', "rate", &o.rate, "PPS", 1, 100000000,
			"load frames per second", .def = "10k"),
		OPT_INT('l', "latency-rate", &o.lat_rate, "PPS", 1, 100000,
			"latency frames per second, mixed into the load",
			.def = "1k"),
		OPT_INT('s', "size", &o.size, "BYTES", 64, 9018,
			"Ethernet frame size, FCS included", .def = "64"),
		OPT_DURATION('T', "runtime", &o.runtime_ns, "DURATION",
			     "how long to load", .def = "2s"),
		OPT_NETNS(&netns),
		OPT_READY(&ready, "print \"ready\" on stdout before loading"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (!llframe_mac_parse(to, o.dst))
		o.resolve = NULL;
	else if (strchr(to, '.'))
		o.resolve = to;
	else {
		error("--to: '%s' is not a MAC or IPv4 address", to);
		return EXIT_USAGE;
	}
	if (ready)
		o.ready = cmd_say_ready;
	if (netns && netns_enter(netns, &saved))
		return EXIT_FAIL;
	cmd_install_stop_handler();
	o.stop = &cmd_stop;
	loadgen_report_init(&rep);
	if (loadgen_run(&o, &rep)) {
		ret = EXIT_FAIL;
		goto release;
	}
	/* a server process reports on its way out: wait for the stop,
	 * with the signals blocked between the check and the wait */
	if (ready) {
		sigset_t stops, old;

		sigemptyset(&stops);
		sigaddset(&stops, SIGTERM);
		sigaddset(&stops, SIGINT);
		sigprocmask(SIG_BLOCK, &stops, &old);
		while (!cmd_stop)
			sigsuspend(&old);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	loadgen_report_format(&rep, &out);
	fputs(out.buf, stdout);
	fflush(stdout);
release:
	strbuf_release(&out);
	loadgen_report_release(&rep);
	return ret;
}

const struct command cmd_loadgen = {
	.name = "loadgen",
	.summary = "constant-rate load with latency frames, to a reflector",
	.flags = CMD_GUEST,
	.fn = loadgen_main,
	.usage = "iovbench loadgen --to MAC|ADDR [--rate PPS] [--size BYTES] "
		 "[--runtime DURATION]\n"
		 "                  [--latency-rate PPS] [--dev IFNAME]",
	.doc = "Send load frames at PPS for DURATION from a TX ring that "
	       "bypasses the\n"
	       "qdisc, with latency frames mixed in at the latency rate, to "
	       "the\n"
	       "reflector at MAC (`iovbench macswap`), and count what comes "
	       "back.\n"
	       "Then (with --ready: once stopped) print what was measured:\n"
	       "  loadgen offered=N sent_load=N sent_lat=N recv_load=N "
	       "recv_lat=N ...\n"
	       "  hist actual|intended LOW_NS COUNT\n"
	       "docs/metrics.md defines the numbers.\n",
};
