// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench reflect: the UDP echo responder. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "measure/reflector.h"
#include "net/netns.h"
#include "util/error.h"

static const char usage_text[] =
	"usage: iovbench reflect [options]\n"
	"\n"
	"Send every probe received on UDP port PORT back to its sender,\n"
	"unchanged, until interrupted; then print what was reflected and\n"
	"what was dropped: datagrams that are not probes, broadcasts, and\n"
	"datagrams from its own addresses or from a reflector's port (which\n"
	"would loop).\n"
	"\n"
	"  -p, --port PORT    UDP port; default 7\n"
	"  -B, --busy-poll    spin on the socket instead of sleeping\n"
	"  -n, --netns NAME   run inside network namespace NAME\n"
	"      --ready        print \"ready\" on stdout once the port is bound\n"
	"  -h, --help         this text\n";

int cmd_reflect(int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"busy-poll", no_argument, NULL, 'B'},
		{"netns", required_argument, NULL, 'n'},
		{"ready", no_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct reflector_opts o = {.port = 7};
	struct reflector_stats st;
	const char *netns = NULL;
	int c, saved;

	while ((c = getopt_long(argc, argv, "p:Bn:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (cmd_parse_port("--port", optarg, &o.port))
				return EXIT_USAGE;
			break;
		case 'B':
			o.busy_poll = true;
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
	if (optind != argc)
		cmd_usage(usage_text, EXIT_USAGE);
	if (netns && netns_enter(netns, &saved))
		return EXIT_FAIL;
	cmd_install_stop_handler();
	o.stop = &cmd_stop;
	if (reflector_run(&o, &st))
		return EXIT_FAIL;
	fprintf(stderr, "reflected %llu of %llu datagrams (%llu send errors",
		(unsigned long long)st.sent, (unsigned long long)st.received,
		(unsigned long long)st.send_errors);
	for (c = REFLECT_ANSWER + 1; c < REFLECT_VERDICTS; c++)
		fprintf(stderr, "; dropped %llu %s",
			(unsigned long long)st.dropped[c],
			reflect_verdict_name((enum reflect_verdict)c));
	fprintf(stderr, ")\n");
	return EXIT_OK;
}
