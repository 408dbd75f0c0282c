// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/cpustat.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/*
 * A cursor over text that is not NUL-terminated: every read checks
 * p < end, so a parser never looks past len.
 */
struct cursor {
	const char *p, *end;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void skip_blanks(struct cursor *c)
{
	while (c->p < c->end && is_blank(*c->p))
		c->p++;
}

/* Decimal digits into *out; -1 if none or if the value overflows 64 bits. */
static int read_u64(struct cursor *c, uint64_t *out)
{
	const char *start = c->p;
	uint64_t v = 0;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned d = (unsigned)(*c->p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		c->p++;
	}
	if (c->p == start)
		return -1;
	*out = v;
	return 0;
}

/* The end of the line at c->p (its '\n', or end). */
static const char *line_end(const struct cursor *c)
{
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));

	return nl ? nl : c->end;
}

/*
 * The fields of a "cpu" line after its name, in /proc/stat's order.
 * Linux 2.6 added iowait, irq and softirq, 2.6.11 steal, 2.6.24 guest,
 * 2.6.33 guest_nice: an older kernel's missing fields stay 0. A newer
 * kernel's extra fields are ignored.
 */
static int parse_times(struct cursor *line, struct cpu_times *t)
{
	uint64_t *field[] = {&t->user,	 &t->nice,	&t->system,  &t->idle,
			     &t->iowait, &t->irq,	&t->softirq, &t->steal,
			     &t->guest,	 &t->guest_nice};
	size_t n = 0;

	memset(t, 0, sizeof(*t));
	for (;;) {
		uint64_t v;

		skip_blanks(line);
		if (line->p == line->end)
			break;
		if (read_u64(line, &v))
			return -1;
		if (line->p < line->end && !is_blank(*line->p))
			return -1; /* "12x" */
		if (n < ARRAY_SIZE(field))
			*field[n] = v;
		n++;
	}
	/* user, nice, system and idle are in every kernel's line */
	return n >= 4 ? 0 : -1;
}

/*
 * One "cpu" or "cpuN" line: 0 with *id = -1 for "cpu", N for "cpuN";
 * 1 if the line is something else or malformed (then it is ignored).
 */
static int parse_cpu_line(struct cursor *line, int *id, struct cpu_times *t)
{
	uint64_t n;

	if (line->end - line->p < 3 || memcmp(line->p, "cpu", 3))
		return 1;
	line->p += 3;
	if (line->p == line->end || is_blank(*line->p)) {
		*id = -1;
	} else {
		if (read_u64(line, &n) || n > INT_MAX)
			return 1;
		if (line->p == line->end || !is_blank(*line->p))
			return 1; /* "cpufreq", "cpu1x" */
		*id = (int)n;
	}
	return parse_times(line, t) ? 1 : 0;
}

int cpustat_parse(const char *text, size_t len, struct cpu_snapshot *out)
{
	struct cursor c = {text, text + len};
	size_t alloc = 0;
	int seen_all = 0;

	memset(out, 0, sizeof(*out));
	while (c.p < c.end) {
		struct cursor line = {c.p, line_end(&c)};
		struct cpu_times t;
		int id;

		c.p = line.end < c.end ? line.end + 1 : c.end;
		if (parse_cpu_line(&line, &id, &t))
			continue;
		if (id < 0) {
			/* the kernel prints one: of several, keep the first */
			if (!seen_all)
				out->all = t;
			seen_all = 1;
			continue;
		}
		if (out->ncpu == INT_MAX)
			continue;
		if ((size_t)out->ncpu == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			out->id = xrealloc(out->id, alloc * sizeof(*out->id));
			out->cpu =
			    xrealloc(out->cpu, alloc * sizeof(*out->cpu));
		}
		out->id[out->ncpu] = id;
		out->cpu[out->ncpu] = t;
		out->ncpu++;
	}
	if (!seen_all) {
		cpustat_release(out);
		return -1;
	}
	return 0;
}

void cpustat_release(struct cpu_snapshot *s)
{
	free(s->id);
	free(s->cpu);
	memset(s, 0, sizeof(*s));
}

/* b - a, or 0 if the counter went backwards. */
static uint64_t delta(uint64_t a, uint64_t b)
{
	return b > a ? b - a : 0;
}

/* user - guest: the kernel adds guest time to user as well. */
static uint64_t minus(uint64_t x, uint64_t y)
{
	return x > y ? x - y : 0;
}

/* mpstat's limit above which a counter is taken to have wrapped */
#define NEAR_WRAP (UINT64_MAX - 0x7ffff)

/*
 * sysstat's get_per_cpu_interval() and write_plain_cpu_stats(), written
 * so that the interval is the sum of the columns:
 *
 * - mpstat's interval is the delta of user + nice + system + idle +
 *   iowait + irq + softirq + steal (not guest and guest_nice, which user
 *   and nice already hold), plus a shift when user - guest or nice -
 *   guest_nice went backwards (the guest counter runs a little ahead of
 *   user's). With d(user) = d(user - guest) + d(guest), that is the sum
 *   of the ten columns below, %usr and %nice clamped at 0 as mpstat does.
 * - A CPU that comes back online restarts idle and iowait from 0 while
 *   the other fields go on: mpstat then takes the previous idle as 0,
 *   and the previous iowait as the current one if idle went on growing
 *   (iowait time moved to idle), as 0 otherwise.
 * - Any other counter that went backwards counts 0 (mpstat would print a
 *   wrapped value).
 * - A zero interval (no tick elapsed, or no line) gives all zeros; mpstat
 *   prints 100% idle for a tickless CPU.
 */
void cpustat_usage(const struct cpu_times *a, const struct cpu_times *b,
		   struct cpu_usage *u)
{
	uint64_t idle0 = a->idle, iowait0 = a->iowait;
	uint64_t d[10];
	double total = 0;
	size_t i;

	if (b->iowait < iowait0 && iowait0 < NEAR_WRAP) {
		if (b->idle > a->idle || a->idle >= NEAR_WRAP)
			iowait0 = b->iowait;
		else
			iowait0 = 0;
	}
	if (b->idle < idle0 && idle0 < NEAR_WRAP)
		idle0 = 0;

	d[0] = delta(minus(a->user, a->guest), minus(b->user, b->guest));
	d[1] =
	    delta(minus(a->nice, a->guest_nice), minus(b->nice, b->guest_nice));
	d[2] = delta(a->system, b->system);
	d[3] = delta(iowait0, b->iowait);
	d[4] = delta(a->irq, b->irq);
	d[5] = delta(a->softirq, b->softirq);
	d[6] = delta(a->steal, b->steal);
	d[7] = delta(a->guest, b->guest);
	d[8] = delta(a->guest_nice, b->guest_nice);
	d[9] = delta(idle0, b->idle);

	memset(u, 0, sizeof(*u));
	/*
	 * In double: exact below 2^53 jiffies (28 million years at 100 Hz),
	 * and forged counters cannot wrap the sum.
	 */
	for (i = 0; i < ARRAY_SIZE(d); i++)
		total += (double)d[i];
	if (total == 0)
		return;
	u->usr = 100.0 * ((double)d[0] / total);
	u->nice = 100.0 * ((double)d[1] / total);
	u->sys = 100.0 * ((double)d[2] / total);
	u->iowait = 100.0 * ((double)d[3] / total);
	u->irq = 100.0 * ((double)d[4] / total);
	u->soft = 100.0 * ((double)d[5] / total);
	u->steal = 100.0 * ((double)d[6] / total);
	u->guest = 100.0 * ((double)d[7] / total);
	u->gnice = 100.0 * ((double)d[8] / total);
	u->idle = 100.0 * ((double)d[9] / total);
}

/* Skip one blank-separated field; -1 if there is none. */
static int skip_field(struct cursor *c)
{
	const char *start;

	skip_blanks(c);
	start = c->p;
	while (c->p < c->end && !is_blank(*c->p) && *c->p != '\n')
		c->p++;
	return c->p > start ? 0 : -1;
}

static int field_u64(struct cursor *c, uint64_t *out)
{
	skip_blanks(c);
	if (read_u64(c, out))
		return -1;
	if (c->p < c->end && !is_blank(*c->p) && *c->p != '\n')
		return -1;
	return 0;
}

/*
 * "pid (comm) state ppid pgrp ...": comm is the task's name as the
 * kernel has it, up to 15 bytes for a user task (longer for a kworker),
 * and may hold anything but NUL, ')' and spaces included; the fields
 * after it are numbers. So comm ends at the last ')' of the text.
 * Fields count from 1 as in proc(5): utime is 14, stime 15, starttime 22.
 */
int procstat_parse(const char *text, size_t len, struct proc_times *out)
{
	struct cursor c = {text, text + len};
	const char *open, *close = NULL, *p;
	uint64_t pid;
	size_t n;
	int field;

	memset(out, 0, sizeof(*out));
	if (read_u64(&c, &pid) || c.end - c.p < 2 || memcmp(c.p, " (", 2))
		goto invalid;
	open = c.p + 2;
	for (p = c.end; p > open; p--) {
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	}
	if (!close)
		goto invalid;
	n = (size_t)(close - open);
	if (n >= sizeof(out->comm))
		n = sizeof(out->comm) - 1;
	memcpy(out->comm, open, n);
	out->comm[n] = '\0';

	/* ") S 1 ...": the state is field 3 */
	c.p = close + 1;
	if (c.p == c.end || *c.p != ' ')
		goto invalid;
	for (field = 3; field <= 22; field++) {
		int rc;

		if (field == 14)
			rc = field_u64(&c, &out->utime);
		else if (field == 15)
			rc = field_u64(&c, &out->stime);
		else if (field == 22)
			rc = field_u64(&c, &out->starttime);
		else
			rc = skip_field(&c);
		if (rc)
			goto invalid;
	}
	return 0;

invalid:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}
