// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: cpustat_parse() and procstat_parse() on arbitrary
 * bytes (a sampler reads them from /proc, a guest's come over the
 * agent). A parsed snapshot must format and parse back to the same
 * counters, and usage between any two of its lines must be percentages
 * that add up to 100 (or all be 0).
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpustat.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void format_times(struct strbuf *sb, const struct cpu_times *t)
{
	strbuf_addf(sb,
		    " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		    " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		    "\n",
		    t->user, t->nice, t->system, t->idle, t->iowait, t->irq,
		    t->softirq, t->steal, t->guest, t->guest_nice);
}

static void check_round_trip(const struct cpu_snapshot *s)
{
	struct strbuf text = STRBUF_INIT;
	struct cpu_snapshot s2;
	int i;

	strbuf_addstr(&text, "cpu ");
	format_times(&text, &s->all);
	for (i = 0; i < s->ncpu; i++) {
		strbuf_addf(&text, "cpu%d", s->id[i]);
		format_times(&text, &s->cpu[i]);
	}
	if (cpustat_parse(text.buf, text.len, &s2) || s2.ncpu != s->ncpu ||
	    memcmp(&s2.all, &s->all, sizeof(s->all)))
		abort();
	for (i = 0; i < s->ncpu; i++) {
		if (s2.id[i] != s->id[i] ||
		    memcmp(&s2.cpu[i], &s->cpu[i], sizeof(s->cpu[i])))
			abort();
	}
	cpustat_release(&s2);
	strbuf_release(&text);
}

static void check_usage(const struct cpu_times *a, const struct cpu_times *b)
{
	struct cpu_usage u;
	double v[10], sum = 0;
	size_t i;

	cpustat_usage(a, b, &u);
	memcpy(v, &u, sizeof(v));
	for (i = 0; i < 10; i++) {
		if (!(v[i] >= 0 && v[i] <= 100))
			abort(); /* NaN included */
		sum += v[i];
	}
	if (sum != 0 && fabs(sum - 100) > 1e-6)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct cpu_snapshot s;
	struct proc_times p;
	int i;

	if (!cpustat_parse(text, size, &s)) {
		if (s.ncpu < 0 || (s.ncpu && (!s.id || !s.cpu)))
			abort();
		for (i = 0; i < s.ncpu; i++) {
			if (s.id[i] < 0)
				abort();
			check_usage(&s.all, &s.cpu[i]);
			check_usage(&s.cpu[i], &s.all);
		}
		check_usage(&s.all, &s.all);
		check_round_trip(&s);
		cpustat_release(&s);
	} else if (s.ncpu || s.id || s.cpu) {
		abort();
	}

	if (!procstat_parse(text, size, &p)) {
		if (!memchr(p.comm, '\0', sizeof(p.comm)))
			abort();
	} else if (p.comm[0] || p.utime || p.stime || p.starttime) {
		abort();
	}
	return 0;
}
