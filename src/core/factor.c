// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/factor.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/dataplane.h"
#include "core/units.h"

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

static unsigned probe_count(void)
{
	return PROBE_KIND_COUNT;
}

static const char *probe_name(unsigned i)
{
	return probe_kind_name((enum probe_kind)i);
}

static unsigned dataplane_count(void)
{
	return dataplane_table_len;
}

static const char *dataplane_name(unsigned i)
{
	return dataplane_table[i].name;
}

const struct factor factor_table[FACTOR_COUNT] = {
	[F_DATAPLANE] = {
		.name = "dataplane",
		.kind = FACTOR_ENUM,
		.level = LEVEL_GUESTS,
		.enum_count = dataplane_count,
		.enum_name = dataplane_name,
		.def = "veth-bridge",
		.doc = "how the main guests reach their server's NIC",
	},
	[F_PROBE] = {
		.name = "probe",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = probe_count,
		.enum_name = probe_name,
		.def = "icmp",
		.doc = "icmp: echo answered by the responder guest's kernel; "
		       "udp: echo answered by `iovbench reflect`",
	},
	[F_SIZE] = {
		.name = "size",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 64,
		.max = 1518,
		.unit = "B",
		.def = "64",
		.doc = "Ethernet frame size in bytes, FCS included (RFC 2544)",
	},
	[F_RATE] = {
		.name = "rate",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 1,
		.max = 1000000,
		.unit = "pps",
		.def = "1k",
		.doc = "probes per second, paced by busy waiting",
	},
	[F_COUNT] = {
		.name = "count",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 1,
		.max = 10000000,
		.def = "100",
		.doc = "probes per run (the paper: 100)",
	},
	[F_REPETITIONS] = {
		.name = "repetitions",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.flags = FACTOR_NOT_IN_ID,
		.min = 1,
		.max = 10000,
		.def = "10",
		.doc = "runs per test (the paper: 10); raising it later keeps "
		       "the runs already done",
	},
};

int factor_find(const char *name)
{
	int i;

	for (i = 0; i < FACTOR_COUNT; i++) {
		if (!strcmp(factor_table[i].name, name))
			return i;
	}
	return -1;
}

static void enum_list(const struct factor *f, char *buf, size_t len)
{
	size_t used;
	unsigned i, n = f->enum_count();

	used = (size_t)snprintf(buf, len, "expected one of:");
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s %s",
					 i ? "," : "", f->enum_name(i));
}

int factor_parse(enum factor_id id, const char *text, int64_t *out,
		 char *why, size_t whylen)
{
	const struct factor *f = &factor_table[id];
	char lo[32], hi[32];
	unsigned i, n;
	int64_t v;

	if (f->kind == FACTOR_ENUM) {
		n = f->enum_count();
		for (i = 0; i < n; i++) {
			if (!strcmp(f->enum_name(i), text)) {
				*out = i;
				return 0;
			}
		}
		enum_list(f, why, whylen);
		return -EINVAL;
	}
	if (units_parse_si(text, f->unit, &v)) {
		snprintf(why, whylen, "expected a whole number%s%s%s",
			 f->unit ? " (optionally with k/M and '" : "",
			 f->unit ? f->unit : "", f->unit ? "')" : "");
		return -EINVAL;
	}
	if (v < f->min || v > f->max) {
		units_format_si(f->min, lo, sizeof(lo));
		units_format_si(f->max, hi, sizeof(hi));
		snprintf(why, whylen, "out of range %s..%s%s%s", lo, hi,
			 f->unit ? " " : "", f->unit ? f->unit : "");
		return -ERANGE;
	}
	*out = v;
	return 0;
}

void factor_format(enum factor_id id, int64_t v, char *buf, size_t len)
{
	const struct factor *f = &factor_table[id];

	if (f->kind == FACTOR_ENUM)
		snprintf(buf, len, "%s", f->enum_name((unsigned)v));
	else
		snprintf(buf, len, "%lld", (long long)v);
}

void factor_format_human(enum factor_id id, int64_t v, char *buf, size_t len)
{
	if (factor_table[id].kind == FACTOR_INT && id != F_SIZE)
		units_format_si(v, buf, len);
	else
		factor_format(id, v, buf, len);
}
