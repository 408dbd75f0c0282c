// SPDX-License-Identifier: GPL-2.0-or-later
/* What every subcommand uses, in iovbench and in iovbench-guest alike. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/units.h"
#include "util/error.h"

volatile sig_atomic_t cmd_stop;

static void on_stop(int sig)
{
	(void)sig;
	cmd_stop = 1;
}

void cmd_install_stop_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: blocking calls return EINTR and see the flag */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int cmd_parse_port(const char *opt, const char *arg, uint16_t *port)
{
	int64_t v;

	if (units_parse_si(arg, NULL, &v) || v < 1 || v > 65535)
		return error("%s: '%s' is not a port (1..65535)", opt, arg);
	*port = (uint16_t)v;
	return 0;
}

void cmd_say_ready(void *data)
{
	(void)data;
	printf("ready\n");
	fflush(stdout);
}

void cmd_usage(const char *usage, int status)
{
	fputs(usage, status ? stderr : stdout);
	exit(status);
}

