// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench reflect: the UDP echo responder. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "measure/reflector.h"
#include "net/netns.h"
#include "util/error.h"

static int reflect_main(struct cmd_ctx *ctx)
{
	struct reflector_opts o = {.cpu = -1};
	struct reflector_stats st;
	const char *netns = NULL;
	int saved, c;
	bool ready = false;
	const struct option_spec options[] = {
		OPT_PORT('p', "port", &o.port, "UDP port", .def = "7"),
		OPT_FLAG('B', "busy-poll", &o.busy_poll,
			 "spin on the socket instead of sleeping"),
		OPT_INT('c', "cpu", &o.cpu, "CPU", 0, 4095,
			"pin to this CPU (default: not pinned)"),
		OPT_NETNS(&netns),
		OPT_READY(&ready,
			  "print \"ready\" on stdout once the port is bound"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (ready)
		o.ready = cmd_say_ready;
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

const struct command cmd_reflect = {
	.name = "reflect",
	.summary = "echo UDP probes back (the responder)",
	.flags = CMD_GUEST,
	.fn = reflect_main,
	.usage = "iovbench reflect [options]",
	.doc = "Send every probe received on UDP port PORT back to its sender,\n"
	       "unchanged, until interrupted; then print what was reflected "
	       "and\n"
	       "what was dropped: datagrams that are not probes, broadcasts, "
	       "and\n"
	       "datagrams from its own addresses or from a reflector's port "
	       "(which\n"
	       "would loop).\n",
};
