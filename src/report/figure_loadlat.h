/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The load-latency figures of report --html (report/figure.h draws the
 * RTT ones): latency, carried load and loss against the offered load
 * per series, and the load limit of every series.
 */
#ifndef IOV_REPORT_FIGURE_LOADLAT_H
#define IOV_REPORT_FIGURE_LOADLAT_H

#include "report/figure.h"

/* Add them to out (written into dir, not rendered yet): 0 or -1. */
int figure_loadlat(const char *dir, const struct series *s,
		   struct figures *out);

#endif
