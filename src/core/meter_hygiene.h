/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hygiene meter's stored rows (core/meter_hygiene.c): one per
 * setting of each server (core/hygiene.h) and the testbed's pinning,
 * with every run; the column order its OS half fills.
 */
#ifndef IOV_CORE_METER_HYGIENE_H
#define IOV_CORE_METER_HYGIENE_H

#include <stdbool.h>

#include "core/meter.h"

#define HYGIENE_COLS 4

/* server, setting, value, distorts */
void meter_hygiene_cells(const char *server, const char *setting,
			 const char *value, bool distorts, struct cell *cells);

/* mask (bit i: CPU i) as a CPU list "0-3,8" into buf; "" for 0 */
void cpulist_format(uint64_t mask, char *buf, size_t len);

#endif
