// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench loadgen: the load-latency generator (measure/loadgen.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/llframe.h"
#include "core/sizemix.h"
#include "core/units.h"
#include "measure/loadgen.h"
#include "net/netns.h"
#include "util/error.h"

/*
 * --to A[,B...]: each a MAC or an IPv4 address; list keeps the words
 * that o->resolve points into. 0, or -1 (printed).
 */
static int to_parse(const char *to, struct loadgen_opts *o, char *list,
		    size_t len)
{
	char *save = NULL, *w;

	if (strlen(to) >= len)
		return error("--to: '%s' is too long (at most %d "
			     "destinations)",
			     to, LOADGEN_GUESTS_MAX);
	snprintf(list, len, "%s", to);
	for (w = strtok_r(list, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		if (o->ndst == LOADGEN_GUESTS_MAX)
			return error("--to: '%s' names more than %d "
				     "destinations",
				     to, LOADGEN_GUESTS_MAX);
		if (!llframe_mac_parse(w, o->dst[o->ndst]))
			o->resolve[o->ndst] = NULL;
		else if (strchr(w, '.'))
			o->resolve[o->ndst] = w;
		else
			return error("--to: '%s' is not a MAC or IPv4 address",
				     w);
		o->ndst++;
	}
	if (!o->ndst)
		return error("--to: '%s' names no destination", to);
	return 0;
}

static int loadgen_main(struct cmd_ctx *ctx)
{
	struct loadgen_opts o = {0};
	struct loadgen_report rep;
	struct strbuf out = STRBUF_INIT;
	const char *netns = NULL, *to = NULL, *size = NULL, *cpus = NULL;
	int64_t threads = 1;
	char why[160];
	char list[LOADGEN_GUESTS_MAX * 24];
	int saved, ret = EXIT_OK;
	bool ready = false;
	const struct option_spec options[] = {
		OPT_STRING('i', "dev", &o.ifname, "IFNAME",
			   "the interface to load", .def = "eth0"),
		OPT_STRING('t', "to", &to, "MAC|ADDR",
			   "the reflector's MAC, or its IPv4 address (its MAC "
			   "from ARP, as the guest's kernel resolves it); "
			   "several, comma-separated: the load is spread "
			   "over them",
			   .flags = OPTION_REQUIRED),
		OPT_INT('r', "rate", &o.rate, "PPS", 1, 100000000,
			"load frames per second", .def = "10k"),
		OPT_INT('l', "latency-rate", &o.lat_rate, "PPS", 1, 100000,
			"latency frames per second, mixed into the load",
			.def = "1k"),
		OPT_STRING('s', "size", &size, "BYTES|MIX",
			   "Ethernet frame size, FCS included, 64..9018; or a "
			   "mix: imix (64:7,570:4,1518:1) or SIZE:WEIGHT,...",
			   .def = "64"),
		OPT_DURATION('T', "runtime", &o.runtime_ns, "DURATION",
			     "how long to load", .def = "2s"),
		OPT_INT(0, "threads", &threads, "N", 1, LOADGEN_THREADS_MAX,
			"sending threads, each with its own TX ring and "
			"1/N of the rate (the first also sends the latency "
			"frames)",
			.def = "1"),
		OPT_STRING(0, "cpus", &cpus, "LIST",
			   "pin the sending threads, in order, to these CPUs "
			   "(0-3,7: the lowest first); default: not pinned"),
		OPT_FLAG(0, "no-hwstamp", &o.no_hwstamp,
			 "do not ask the NIC for hardware timestamps (asked "
			 "by default; a device that refuses, such as a veth, "
			 "gets software ones)"),
		OPT_NETNS(&netns),
		OPT_READY(&ready, "print \"ready\" on stdout before loading"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	o.threads = (unsigned)threads;
	if (cpus) {
		uint64_t mask;
		unsigned c;

		if (units_parse_cpulist(cpus, &mask)) {
			error("--cpus: '%s' is not a CPU list (0-3,7)", cpus);
			return EXIT_USAGE;
		}
		for (c = 0; c < 64 && o.ncpus < LOADGEN_THREADS_MAX; c++) {
			if (mask >> c & 1)
				o.cpus[o.ncpus++] = (int)c;
		}
	}
	if (to_parse(to, &o, list, sizeof(list)))
		return EXIT_USAGE;
	if (sizemix_parse(size, LLFRAME_MIN_FRAME, 9018, &o.mix, why,
			  sizeof(why))) {
		error("--size: '%s': %s", size, why);
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
	.usage = "iovbench loadgen --to MAC|ADDR[,...] [--rate PPS] "
		 "[--size BYTES|MIX]\n"
		 "                  [--runtime DURATION] [--latency-rate PPS] "
		 "[--dev IFNAME]\n"
		 "                  [--threads N] [--cpus LIST] "
		 "[--no-hwstamp]",
	.doc = "Send load frames at PPS for DURATION from a TX ring that "
	       "bypasses the\n"
	       "qdisc, with latency frames mixed in at the latency rate, to "
	       "the\n"
	       "reflector at MAC (`iovbench macswap`), and count what comes "
	       "back.\n"
	       "Several destinations (--to A,B): frames go to each in turn, "
	       "and what comes\n"
	       "back is counted per destination as well (guest lines).\n"
	       "A size mix: load frames in its interleaved order (imix: 64 "
	       "570 64 64 570 ...),\n"
	       "latency frames at its smallest size.\n"
	       "Then (with --ready: once stopped) print what was measured:\n"
	       "  loadgen offered=N sent_load=N sent_lat=N recv_load=N "
	       "recv_lat=N ...\n"
	       "  hist actual|intended LOW_NS COUNT\n"
	       "  guest K sent_load=N ... / ghist K LOW_NS COUNT (several "
	       "destinations)\n"
	       "Latency frames are stamped by the NIC where it can "
	       "(SIOCSHWTSTAMP; restored\n"
	       "afterwards), else by the kernel and the clock: tx_stamp= and "
	       "rx_stamp= say\n"
	       "which (hardware, kernel, user, mixed).\n"
	       "docs/metrics.md defines the numbers.\n",
};
