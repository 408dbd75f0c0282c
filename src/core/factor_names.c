// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The names of the probe-side factors' values (probe, schedule, capture,
 * wakeup) and the interned strings of factors whose values are free text
 * (qemu builds, named sets): factor.c's table refers to both.
 */
#include "core/factor.h"

#include <string.h>

#include "util/alloc.h"

static const char *const probe_kind_names[PROBE_KIND_COUNT] = {
	[PROBE_ICMP] = "icmp",
	[PROBE_UDP] = "udp",
};

const char *probe_kind_name(enum probe_kind k)
{
	return (unsigned)k < PROBE_KIND_COUNT ? probe_kind_names[k] : "?";
}

int probe_kind_find(const char *name)
{
	int i;

	for (i = 0; i < PROBE_KIND_COUNT; i++) {
		if (!strcmp(probe_kind_names[i], name))
			return i;
	}
	return -1;
}

static const char *const schedule_names[SCHEDULE_KIND_COUNT] = {
	[SCHEDULE_FIXED] = "fixed",
	[SCHEDULE_POISSON] = "poisson",
};

const char *schedule_kind_name(enum schedule_kind k)
{
	return (unsigned)k < SCHEDULE_KIND_COUNT ? schedule_names[k] : "?";
}

static const char *const capture_names[CAPTURE_MODE_COUNT] = {
	[CAPTURE_ON] = "on",
	[CAPTURE_OFF] = "off",
};

const char *capture_mode_name(enum capture_mode m)
{
	return (unsigned)m < CAPTURE_MODE_COUNT ? capture_names[m] : "?";
}

static const char *const sender_names[PROBE_SENDER_COUNT] = {
	[SENDER_SOCKET] = "socket",
	[SENDER_RING] = "ring",
};

const char *probe_sender_name(enum probe_sender s)
{
	return (unsigned)s < PROBE_SENDER_COUNT ? sender_names[s] : "?";
}

static const char *const wakeup_names[WAKEUP_MODE_COUNT] = {
	[WAKEUP_AUTO] = "auto",
	[WAKEUP_BLOCK] = "block",
	[WAKEUP_BUSY_POLL] = "busy-poll",
	[WAKEUP_PINNED] = "pinned",
};

const char *wakeup_mode_name(enum wakeup_mode m)
{
	return (unsigned)m < WAKEUP_MODE_COUNT ? wakeup_names[m] : "?";
}

int wakeup_mode_find(const char *name)
{
	int i;

	for (i = 0; i < WAKEUP_MODE_COUNT; i++) {
		if (!strcmp(wakeup_names[i], name))
			return i;
	}
	return -1;
}

enum wakeup_mode wakeup_resolve(enum wakeup_mode m, long ncpus)
{
	if (m != WAKEUP_AUTO)
		return m;
	return ncpus >= WAKEUP_AUTO_MIN_CPUS ? WAKEUP_BUSY_POLL : WAKEUP_BLOCK;
}

/* Interned strings; never freed (a campaign has a handful). */
#define STRINGS_MAX 4096
static char *strings[STRINGS_MAX];
static int64_t nstrings;

int64_t factor_intern(const char *s)
{
	int64_t i;

	for (i = 0; i < nstrings; i++) {
		if (!strcmp(strings[i], s))
			return i;
	}
	if (nstrings == STRINGS_MAX)
		return -1;
	strings[nstrings] = xstrdup(s);
	return nstrings++;
}

const char *factor_string(int64_t v)
{
	return v >= 0 && v < nstrings ? strings[v] : "?";
}
