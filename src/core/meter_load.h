/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The load meter's stored rows (core/meter_load.c): what each background
 * load generator achieved; the column order its OS half
 * (runner/meter_load.c) fills.
 */
#ifndef IOV_CORE_METER_LOAD_H
#define IOV_CORE_METER_LOAD_H

#include "core/load_report.h"
#include "core/meter.h"

struct load_row {
	const char *server, *guest;
	struct load_report rep;
};

#define LOAD_COLS 10

void meter_load_cells(const struct load_row *l, struct cell *cells);

/* Jain's fairness index of n rates: (sum x)^2 / (n sum x^2); NaN if none */
double meter_load_jain(const double *x, size_t n);

#endif
