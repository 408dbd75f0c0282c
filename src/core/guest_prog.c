// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/guest_prog.h"

#include <string.h>

const struct guest_prog guest_prog_table[] = {
	{
		/* the throughput meter's engine (runner/meter_tput.c) */
		.name = "iperf3",
		.path = "/usr/bin/iperf3",
		.package = "iperf3",
		.serve_arg = "--server",
		/* "Server listening on 5201 (test #1)" */
		.ready = "listening",
	},
};

const size_t guest_prog_count =
	sizeof(guest_prog_table) / sizeof(guest_prog_table[0]);

const struct guest_prog *guest_prog_find(const char *name)
{
	size_t i;

	for (i = 0; i < guest_prog_count; i++) {
		if (!strcmp(guest_prog_table[i].name, name))
			return &guest_prog_table[i];
	}
	return NULL;
}

int guest_prog_serves(const struct guest_prog *gp, const char *const *argv,
		      int argc)
{
	int i;

	if (!gp->serve_arg)
		return 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], gp->serve_arg))
			return 1;
	}
	return 0;
}
