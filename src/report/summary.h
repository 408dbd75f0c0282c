/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-test summary: factor values, runs, loss, and the RTT
 * distribution over all repetitions (docs/metrics.md defines each
 * column). Rows go to a writer; for people (text) factors that are the
 * same in every test become one "every test:" line above the table.
 */
#ifndef IOV_REPORT_SUMMARY_H
#define IOV_REPORT_SUMMARY_H

#include <stdio.h>

#include "report/writer.h"
#include "store/store.h"

/* Tests in ids (n of them) only, if ids is not NULL. 0 or -1. */
int report_summary(struct store *s, char *const *ids, size_t n,
		   enum writer_format fmt, FILE *out);

#endif
