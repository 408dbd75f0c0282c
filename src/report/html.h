/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report --html DIR: one static page, DIR/index.html (no JavaScript, no
 * network), with the tests, the statistics and their plain-language
 * readings, and the figures inline as SVG; the figures' gnuplot scripts
 * and data stay beside it (report/figure.h).
 */
#ifndef IOV_REPORT_HTML_H
#define IOV_REPORT_HTML_H

#include "store/store.h"

/* Make dir if needed and write the page and figures into it; the page's
 * path into path (len bytes). 0 or -1. */
int html_report(const char *dir, struct store *st, const char *db_path,
		char *path, size_t len);

#endif
