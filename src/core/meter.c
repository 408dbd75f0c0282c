// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/meter.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * Every meter. Their metrics appear in reports in this order; a new
 * meter is one entry here (and its files, docs/hacking.md).
 */
const struct meter_def *const meter_defs[] = {
	&meter_probe,
	&meter_split,
	&meter_cpu,
	&meter_load,
	&meter_loadlat,
	&meter_tput,
	&meter_events,
	&meter_hygiene,
};
const unsigned meter_count = sizeof(meter_defs) / sizeof(meter_defs[0]);
_Static_assert(sizeof(meter_defs) / sizeof(meter_defs[0]) <= METER_DEFS_MAX,
	       "a series holds METER_DEFS_MAX meters");

const struct meter_def *meter_table_find(const char *name, unsigned *k)
{
	unsigned m, i;

	for (m = 0; m < meter_count; m++) {
		for (i = 0; i < meter_defs[m]->ntables; i++) {
			if (!strcmp(meter_defs[m]->tables[i].name, name)) {
				if (k)
					*k = i;
				return meter_defs[m];
			}
		}
	}
	return NULL;
}

double cell_num(const struct cell *c, double dflt)
{
	switch (c->type) {
	case CELL_INT:
		return (double)c->i;
	case CELL_REAL:
		return c->d;
	default:
		return dflt;
	}
}

void metric_set_num(struct metric_value *v, double d)
{
	v->type = CELL_REAL;
	v->d = d;
}

void metric_set_measured(struct metric_value *v, double d)
{
	if (d >= 0 && !isnan(d))
		metric_set_num(v, d);
	else
		v->type = CELL_NULL;
}

void metric_set_text(struct metric_value *v, const char *s, bool placeholder)
{
	v->type = CELL_TEXT;
	v->placeholder = placeholder;
	snprintf(v->s, sizeof(v->s), "%s", s);
}
