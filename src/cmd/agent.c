// SPDX-License-Identifier: GPL-2.0-or-later
#include "cmd/cmd.h"
#include "util/error.h"
int cmd_agent(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return error("agent: not yet"), 1;
}
