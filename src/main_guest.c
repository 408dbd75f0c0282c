// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench-guest: what runs inside a guest VM. Statically linked (the
 * guest image holds nothing but busybox and this), it carries the prober,
 * the reflector, the load generators and the agent that the host drives
 * over virtio-serial: the commands flagged CMD_GUEST.
 */
#include "cmd/cmd.h"
#include "util/alloc.h"

static const struct command *const commands[] = {
	&cmd_agent, &cmd_probe, &cmd_reflect, &cmd_load, &cmd_loadgen, &cmd_macswap,
	&cmd_hygiene, &cmd_noqueue,
};

static const struct cmd_program iovbench_guest = {
	.name = "iovbench-guest",
	.usage = "iovbench-guest <command> [<args>]",
	.commands = commands,
	.ncommands = ARRAY_SIZE(commands),
};

int main(int argc, char **argv)
{
	return cmd_main(&iovbench_guest, argc, argv);
}
