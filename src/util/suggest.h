/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "Did you mean": the known word closest to a mistyped one, for campaign
 * keys, commands and options alike.
 */
#ifndef IOV_UTIL_SUGGEST_H
#define IOV_UTIL_SUGGEST_H

#include <stddef.h>

/*
 * The candidate (of n, NULL entries skipped) at the smallest edit
 * distance from word, if that is at most 2 edits; else NULL. Ties go to
 * the first candidate.
 */
const char *suggest_closest(const char *word, const char *const *cands,
			    size_t n);

#endif
