// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CPU sampler of bench/cpu: reads the output of `mpstat -P ALL 1 N`
 * on stdin as it streams and snapshots /proc/stat at the moment each of
 * mpstat's interval blocks begins, i.e. right after mpstat itself read
 * /proc/stat for that block. Usage between consecutive snapshots comes
 * from src/core/cpustat.c (cpustat_usage, the code under test).
 *
 * mpstat prints a block per interval: a blank line, a header, "all" and
 * one line per online CPU. The blank line is printed just after mpstat
 * read /proc/stat at the end of that interval, so snapshot k (taken on
 * blank line k) lags mpstat's k-th read by the time mpstat takes to
 * start printing plus a pipe wake-up: tens to hundreds of microseconds.
 * mpstat's first read happens after its banner line, before any blank
 * line, so its first interval has no partner here and is not compared.
 * The "Average:" block that ends mpstat's output has no read of its own:
 * the snapshot taken on its blank line is dropped.
 *
 * Output, one record a line:
 *   M k <mpstat's line>              mpstat's lines of block k
 *   S k CPU usr nice sys iowait irq soft steal guest gnice idle
 *                                    this sampler's interval k (k >= 2)
 *   T k GAP_MS READ_US               time since snapshot k-1, and how long
 *                                    reading /proc/stat took
 * CPU is "all" (the "cpu" line of /proc/stat) or the CPU's number.
 *
 * usage: mpstat -P ALL 1 N | cpu_sampler
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpustat.h"
#include "util/strbuf.h"
#include "util/time.h"

static struct strbuf text = STRBUF_INIT;

/* 0, or -1 if /proc/stat cannot be read or parsed */
static int snapshot(struct cpu_snapshot *s, int64_t *read_ns)
{
	int64_t t0 = now_mono();

	strbuf_reset(&text);
	if (strbuf_read_file(&text, "/proc/stat", 0))
		return -1;
	*read_ns = now_mono() - t0;
	return cpustat_parse(text.buf, text.len, s);
}

static void print_usage(int k, const char *cpu, const struct cpu_times *a,
			const struct cpu_times *b)
{
	struct cpu_usage u;

	cpustat_usage(a, b, &u);
	printf("S %d %s %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f\n", k,
	       cpu, u.usr, u.nice, u.sys, u.iowait, u.irq, u.soft, u.steal,
	       u.guest, u.gnice, u.idle);
}

/* Print interval k, from a to b, for "all" and each CPU in both. */
static void print_interval(int k, const struct cpu_snapshot *a,
			   const struct cpu_snapshot *b)
{
	char name[16];
	int i, j;

	print_usage(k, "all", &a->all, &b->all);
	for (i = 0; i < b->ncpu; i++) {
		for (j = 0; j < a->ncpu && a->id[j] != b->id[i]; j++)
			;
		if (j == a->ncpu)
			continue; /* came online during the interval */
		snprintf(name, sizeof(name), "%d", b->id[i]);
		print_usage(k, name, &a->cpu[j], &b->cpu[i]);
	}
}

int main(void)
{
	struct cpu_snapshot prev = {0}, cur = {0};
	int64_t t_prev = 0, t_cur = 0, read_ns = 0;
	int k = 0, pending = 0, have_prev = 0, done = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (done)
			continue;
		if (!strcmp(line, "\n")) {
			/* first thing: read /proc/stat, as close to mpstat */
			cpustat_release(&cur);
			t_cur = now_mono();
			if (snapshot(&cur, &read_ns)) {
				fprintf(stderr, "cpu_sampler: cannot read "
						"'/proc/stat'\n");
				return 1;
			}
			k++;
			pending = 1;
			continue;
		}
		if (pending) {
			pending = 0;
			if (!strncmp(line, "Average", 7)) {
				done = 1; /* no read behind this block */
				continue;
			}
			if (have_prev) {
				print_interval(k, &prev, &cur);
				printf("T %d %.3f %.1f\n", k,
				       (double)(t_cur - t_prev) / NSEC_PER_MSEC,
				       (double)read_ns / NSEC_PER_USEC);
			}
			cpustat_release(&prev);
			prev = cur;
			memset(&cur, 0, sizeof(cur));
			t_prev = t_cur;
			have_prev = 1;
		}
		printf("M %d %s", k, line);
	}
	fflush(stdout);
	free(line);
	cpustat_release(&prev);
	cpustat_release(&cur);
	strbuf_release(&text);
	return 0;
}
