// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench: latency experiments on virtualized network data planes.
 * The table of subcommands (git's way); cmd_main() does the rest.
 */
#include "cmd/cmd.h"
#include "cmd/prologue.h"
#include "util/alloc.h"

static const struct command *const commands[] = {
	&cmd_run,     &cmd_plan,    &cmd_report, &cmd_testbed,
	&cmd_guest,   &cmd_probe,   &cmd_reflect, &cmd_load,
	&cmd_loadgen, &cmd_generator, &cmd_macswap, &cmd_capture, &cmd_op,
	&cmd_image,   &cmd_doctor,  &cmd_hygiene, &cmd_hist,    &cmd_stats,
	&cmd_compare,
};

static const struct cmd_program iovbench = {
	.name = "iovbench",
	.usage = "iovbench [-v | -q] <command> [<args>]",
	.doc = "Latency experiments on virtualized network data planes.\n",
	.footer = "'iovbench <command> --help' says what a command does.\n"
		  "Documentation: README.md, docs/config.md, docs/metrics.md\n",
	.commands = commands,
	.ncommands = ARRAY_SIZE(commands),
	.prepare = cmd_prologue_prepare,
	.release = cmd_prologue_release,
};

int main(int argc, char **argv)
{
	return cmd_main(&iovbench, argc, argv);
}
