// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor of busy-wait pacing on this host: spin on CLOCK_MONOTONIC to
 * the same schedule as `iovbench probe` (t0 + i / rate) and send nothing.
 * Whatever lateness this shows comes from the machine (interrupts, the
 * hypervisor taking the CPU), not from iovbench; bench/probe prints it
 * next to iovbench's pacing error, measured in turns.
 *
 * usage: bare_pacer RATE COUNT   -> one lateness per line, in ns
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
	long long rate, count, i, t0, sched, t;
	long long *late;

	if (argc != 3 || (rate = atoll(argv[1])) <= 0 ||
	    (count = atoll(argv[2])) <= 0) {
		fprintf(stderr, "usage: bare_pacer RATE COUNT\n");
		return 2;
	}
	late = calloc((size_t)count, sizeof(*late));
	if (!late)
		return 1;
	t0 = now() + 100000;
	for (i = 0; i < count; i++) {
		sched = t0 + i * 1000000000LL / rate;
		while ((t = now()) < sched)
			;
		late[i] = t - sched;
	}
	for (i = 0; i < count; i++)
		printf("%lld\n", late[i]);
	free(late);
	return 0;
}
