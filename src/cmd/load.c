// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench load: a background guest's CPU or network load. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/units.h"
#include "measure/load.h"
#include "net/netns.h"
#include "util/error.h"

static const char usage_text[] =
	"usage: iovbench load cpu [--duty PERCENT]\n"
	"       iovbench load net --to ADDR [--port P] [--rate PPS] [--burst N]\n"
	"                         [--size BYTES]\n"
	"       iovbench load sink [--port P]\n"
	"\n"
	"Apply background load until interrupted (SIGINT, SIGTERM), then print\n"
	"what was achieved, one line:\n"
	"  load ROLE packets=N bytes=N errors=N seconds=S cpu_seconds=S\n"
	"\n"
	"  cpu    a busy loop spinning PERCENT of every 10 ms (default 100)\n"
	"  net    UDP bursts of N frames of BYTES (Ethernet, FCS included;\n"
	"         default 32 x 1518) to ADDR:P, PPS frames/s on average\n"
	"         (default 10k); send errors are counted, not fatal\n"
	"  sink   count the UDP frames arriving on port P (default 9)\n"
	"\n"
	"  -n, --netns NAME   run inside network namespace NAME\n"
	"      --ready        print \"ready\" on stdout once loading\n"
	"  -h, --help         this text\n";

static int parse_count(const char *opt, const char *arg, int64_t min,
		       int64_t max, int64_t *v)
{
	if (units_parse_si(arg, NULL, v) || *v < min || *v > max)
		return error("%s: '%s' is not a number in %lld..%lld", opt, arg,
			     (long long)min, (long long)max);
	return 0;
}

int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{"duty", required_argument, NULL, 'd'},
		{"to", required_argument, NULL, 't'},
		{"port", required_argument, NULL, 'p'},
		{"rate", required_argument, NULL, 'r'},
		{"burst", required_argument, NULL, 'b'},
		{"size", required_argument, NULL, 's'},
		{"netns", required_argument, NULL, 'n'},
		{"ready", no_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct load_opts o = {.duty = 100, .port = 9, .rate = 10000,
			      .burst = 32, .size = 1518};
	struct load_report rep;
	struct strbuf line = STRBUF_INIT;
	const char *netns = NULL, *to = NULL;
	struct in_addr a;
	int64_t v;
	int c, role, saved;

	while ((c = getopt_long(argc, argv, "d:t:p:r:b:s:n:h", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'd':
			if (parse_count("--duty", optarg, 1, 100, &v))
				return EXIT_USAGE;
			o.duty = (unsigned)v;
			break;
		case 't':
			to = optarg;
			break;
		case 'p':
			if (cmd_parse_port("--port", optarg, &o.port))
				return EXIT_USAGE;
			break;
		case 'r':
			if (parse_count("--rate", optarg, 1, 10000000, &v))
				return EXIT_USAGE;
			o.rate = (uint64_t)v;
			break;
		case 'b':
			if (parse_count("--burst", optarg, 1, 1024, &v))
				return EXIT_USAGE;
			o.burst = (unsigned)v;
			break;
		case 's':
			if (parse_count("--size", optarg, 64, 9018, &v))
				return EXIT_USAGE;
			o.size = (unsigned)v;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'R':
			o.ready = cmd_say_ready;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind + 1 != argc)
		cmd_usage(usage_text, EXIT_USAGE);
	role = load_role_find(argv[optind]);
	if (role < 0) {
		error("'%s' is not a load (cpu, net or sink)", argv[optind]);
		return EXIT_USAGE;
	}
	o.role = (enum load_role)role;
	if (o.role == LOAD_ROLE_NET) {
		if (!to || inet_pton(AF_INET, to, &a) != 1) {
			error("load net: --to needs an IPv4 address (got '%s')",
			      to ? to : "nothing");
			return EXIT_USAGE;
		}
		o.to = ntohl(a.s_addr);
	}
	if (netns && netns_enter(netns, &saved))
		return EXIT_FAIL;
	cmd_install_stop_handler();
	o.stop = &cmd_stop;
	if (load_run(&o, &rep))
		return EXIT_FAIL;
	load_report_format(&rep, &line);
	fputs(line.buf, stdout);
	strbuf_release(&line);
	return EXIT_OK;
}
