// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench: latency experiments on virtualized network data planes.
 * Global options, then a table of subcommands (git's way).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "iov_config.h"
#include "util/alloc.h"
#include "util/error.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"run", cmd_run, "run a campaign: testbed, guests, probes, results"},
	{"plan", cmd_plan, "print a campaign's test tree, done and to do"},
	{"report", cmd_report, "statistics of a results database; CSV/JSON"},
	{"testbed", cmd_testbed, "build, inspect or remove a testbed"},
	{"guest", cmd_guest, "start, stop or watch the main guests"},
	{"probe", cmd_probe, "send timestamped probes to an address"},
	{"reflect", cmd_reflect, "echo UDP probes back (the responder)"},
	{"load", cmd_load, "background CPU or network load"},
	{"capture", cmd_capture, "timestamp probe frames at an interface"},
	{"op", cmd_op, "carry out one testbed operation (remote servers)"},
	{"image", cmd_image, "build or locate the guest image"},
	{"doctor", cmd_doctor, "what this host can do, and what it rules out"},
};

static void usage(int status)
{
	FILE *f = status ? stderr : stdout;
	size_t i;

	fprintf(f, "usage: iovbench [-v | -q] <command> [<args>]\n\n"
		   "Latency experiments on virtualized network data planes.\n\n"
		   "commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n"
		   "options:\n"
		   "  -v, --verbose   say more (twice: debug)\n"
		   "  -q, --quiet     only errors\n"
		   "  -h, --help      this text; 'iovbench <command> --help' "
		   "for a command\n"
		   "  -V, --version   print the version\n"
		   "\n"
		   "Documentation: README.md, docs/config.md, docs/metrics.md\n");
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"verbose", no_argument, NULL, 'v'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	size_t i;
	int c;

	/* stop at the first non-option: the rest belongs to the command */
	while ((c = getopt_long(argc, argv, "+vqhV", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			iov_verbosity++;
			break;
		case 'q':
			iov_verbosity = -1;
			break;
		case 'h':
			usage(EXIT_OK);
			break;
		case 'V':
			printf("iovbench %s\n", IOV_VERSION);
			return EXIT_OK;
		default:
			usage(EXIT_USAGE);
		}
	}
	if (optind >= argc)
		usage(EXIT_USAGE);
	if (!strcmp(argv[optind], "help")) {
		if (optind + 1 < argc) {
			char *sub[] = {argv[optind + 1], "--help", NULL};

			for (i = 0; i < ARRAY_SIZE(commands); i++) {
				if (!strcmp(commands[i].name, sub[0]))
					return commands[i].fn(2, sub);
			}
		}
		usage(EXIT_OK);
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(commands[i].name, argv[optind])) {
			/* each command parses with getopt from scratch */
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;

			optind = 0;
			return commands[i].fn(sub_argc, sub_argv);
		}
	}
	error("'%s' is not an iovbench command; see 'iovbench --help'",
	      argv[optind]);
	return EXIT_USAGE;
}
