// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hygiene meter, pure half: the settings that move latency on each
 * server (core/hygiene.h) and the CPUs the guests are pinned to, stored
 * with every run in host_settings; per test, the settings that
 * distorted any of its runs (docs/metrics.md, "Host hygiene"). The OS
 * half is runner/meter_hygiene.c.
 */
#include <stdio.h>
#include <string.h>

#include "core/hygiene.h"
#include "core/meter_hygiene.h"
#include "util/alloc.h"

enum { C_SERVER, C_SETTING, C_VALUE, C_DISTORTS };

static const struct meter_column cols[] = {
	[C_SERVER] = {"server", CELL_TEXT, COL_KEY},
	[C_SETTING] = {"setting", CELL_TEXT, COL_KEY},
	[C_VALUE] = {"value", CELL_TEXT, 0},
	[C_DISTORTS] = {"distorts", CELL_INT, COL_NOT_NULL},
};
_Static_assert(ARRAY_SIZE(cols) == HYGIENE_COLS, "host_settings");

static const struct meter_table tables[] = {
	{
		.name = "host_settings",
		.unit = "setting of a server",
		.cols = cols,
		.ncols = ARRAY_SIZE(cols),
		.fold = COL(C_SETTING) | COL(C_DISTORTS),
	},
};

enum { M_DISTORTED, M_COUNT };

static const struct metric metrics[] = {
	[M_DISTORTED] = {"distorted_by", "distorted_by", "", "%s", 0, NULL, 0,
			 METRIC_MACHINE | METRIC_HUMAN | METRIC_OBSERVED |
				 METRIC_TEXT | METRIC_IF_ANY,
			 GROUP_HYGIENE,
			 "the settings that distorted some run of the test "
			 "(host_settings.distorts)"},
};

struct acc {
	bool distorted[HY_COUNT + 1];
};

static void hygiene_row(void *a, unsigned table, const struct cell *c)
{
	struct acc *acc = a;
	int k;

	(void)table;
	if (c[C_SETTING].type != CELL_TEXT || !cell_num(&c[C_DISTORTS], 0))
		return;
	for (k = 0; k < HY_COUNT; k++) {
		if (!strcmp(c[C_SETTING].s, hygiene_table[k].name))
			acc->distorted[k] = true;
	}
}

static void hygiene_finish(void *a, struct metric_value *out)
{
	struct acc *acc = a;
	char buf[sizeof(out->s)] = "";
	int k;

	for (k = 0; k < HY_COUNT; k++) {
		if (acc->distorted[k])
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "%s%s", *buf ? "," : "", hygiene_table[k].name);
	}
	if (*buf)
		metric_set_text(&out[M_DISTORTED], buf, false);
}

void meter_hygiene_cells(const char *server, const char *setting,
			 const char *value, bool distorts, struct cell *c)
{
	c[C_SERVER] = cell_text(server);
	c[C_SETTING] = cell_text(setting);
	c[C_VALUE] = cell_text(value);
	c[C_DISTORTS] = cell_int(distorts);
}

void cpulist_format(uint64_t mask, char *buf, size_t len)
{
	size_t used = 0;
	int i = 0;

	if (len)
		buf[0] = '\0';
	while (i < 64) {
		int j = i;

		if (!(mask & (UINT64_C(1) << i))) {
			i++;
			continue;
		}
		while (j + 1 < 64 && (mask & (UINT64_C(1) << (j + 1))))
			j++;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used,
						 j > i ? "%s%d-%d" : "%s%d",
						 used ? "," : "", i, j);
		i = j + 1;
	}
}

const struct meter_def meter_hygiene = {
	.name = "hygiene",
	.doc = "the servers' settings that move latency (governor, turbo, "
	       "C-states, SMT, bridge netfilter, RPS, XPS, the links' "
	       "qdiscs, offloads and queues, busy polling) and the guests' "
	       "pinning",
	.tables = tables,
	.ntables = ARRAY_SIZE(tables),
	.metrics = metrics,
	.nmetrics = M_COUNT,
	.acc_size = sizeof(struct acc),
	.row = hygiene_row,
	.finish = hygiene_finish,
	.note = "the host settings that distorted the test's runs",
};
