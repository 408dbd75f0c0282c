// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench load: a background guest's CPU or network load. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "measure/load.h"
#include "net/netns.h"
#include "util/error.h"

static int load_main(struct cmd_ctx *ctx)
{
	struct load_opts o = {0};
	struct load_report rep;
	struct strbuf line = STRBUF_INIT;
	const char *netns = NULL, *to = NULL;
	struct in_addr a;
	int role, saved;
	bool ready = false;
	const struct option_spec options[] = {
		OPT_INT('d', "duty", &o.duty, "PERCENT", 1, 100,
			"cpu: percent of every 10 ms spent spinning",
			.def = "100"),
		OPT_STRING('t', "to", &to, "ADDR", "net: the sink's address"),
		OPT_PORT('p', "port", &o.port, "net, sink: the UDP port",
			 .def = "9"),
		OPT_INT('r', "rate", &o.rate, "PPS", 1, 10000000,
			"net: frames per second, on average", .def = "10k"),
		OPT_INT('b', "burst", &o.burst, "N", 1, 1024,
			"net: frames per burst", .def = "32"),
		OPT_INT('s', "size", &o.size, "BYTES", 64, 9018,
			"net: Ethernet frame size, FCS included",
			.def = "1518"),
		OPT_NETNS(&netns),
		OPT_READY(&ready, "print \"ready\" on stdout once loading"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (ready)
		o.ready = cmd_say_ready;
	role = load_role_find(ctx->argv[0]);
	if (role < 0) {
		error("'%s' is not a load (cpu, net or sink)", ctx->argv[0]);
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

const struct command cmd_load = {
	.name = "load",
	.summary = "background CPU or network load",
	.flags = CMD_GUEST,
	.fn = load_main,
	.usage = "iovbench load cpu [--duty PERCENT]\n"
		 "       iovbench load net --to ADDR [--port P] [--rate PPS] "
		 "[--burst N]\n"
		 "                         [--size BYTES]\n"
		 "       iovbench load sink [--port P]",
	.doc = "Apply background load until interrupted (SIGINT, SIGTERM), "
	       "then print\n"
	       "what was achieved, one line:\n"
	       "  load ROLE packets=N bytes=N errors=N seconds=S "
	       "cpu_seconds=S\n"
	       "\n"
	       "  cpu    a busy loop spinning PERCENT of every 10 ms\n"
	       "  net    UDP bursts of N frames of BYTES to ADDR:P, PPS "
	       "frames/s on\n"
	       "         average; send errors are counted, not fatal\n"
	       "  sink   count the UDP frames arriving on port P\n",
	.min_args = 1,
	.max_args = 1,
};
