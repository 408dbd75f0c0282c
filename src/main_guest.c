// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench-guest: what runs inside a guest VM. Statically linked (the
 * guest image holds nothing but busybox and this), it carries the prober,
 * the reflector, the load generators and the agent that the host drives over virtio-serial.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "iov_config.h"
#include "util/alloc.h"
#include "util/error.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"agent", cmd_agent, "serve the host's requests on a virtio-serial port"},
	{"probe", cmd_probe, "send timestamped probes to an address"},
	{"reflect", cmd_reflect, "echo UDP probes back"},
	{"load", cmd_load, "background CPU or network load"},
};

static int usage(int status)
{
	size_t i;

	fprintf(status ? stderr : stdout,
		"usage: iovbench-guest <command> [<args>]\n\ncommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(status ? stderr : stdout, "  %-8s %s\n",
			commands[i].name, commands[i].summary);
	return status;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage(EXIT_USAGE);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(EXIT_OK);
	if (!strcmp(argv[1], "--version")) {
		printf("iovbench-guest %s\n", IOV_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(commands[i].name, argv[1]))
			return commands[i].fn(argc - 1, argv + 1);
	}
	error("'%s' is not an iovbench-guest command", argv[1]);
	return EXIT_USAGE;
}
