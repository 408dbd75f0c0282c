/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which tests of a series a statistic compares. Two tests are paired
 * for a factor when they differ in that factor only: every other factor
 * of their identity is equal (the paper's pairing: the same background,
 * load and probe, another data plane). A trend groups the tests that
 * differ in the factor only. Pure.
 */
#ifndef IOV_CORE_PAIRING_H
#define IOV_CORE_PAIRING_H

#include <stdbool.h>
#include <stddef.h>

#include "core/series.h"

/* Tests a and b differ at most in factor f (f = -1: in nothing). */
bool pairing_same_but(const struct series_test *a,
		      const struct series_test *b, int f);

/* The values of factor f in the series, distinct, in series order. */
size_t pairing_values(const struct series *s, int f, int64_t **out);

/*
 * The pairs of tests (indexes into s->tests) with f = va and f = vb and
 * every other factor equal, in series order: ia[i] pairs with ib[i].
 * Returns how many (free ia and ib).
 */
size_t pairing_pairs(const struct series *s, int f, int64_t va, int64_t vb,
		     size_t **ia, size_t **ib);

/*
 * Groups of tests that differ in f only: group[i] for test i, groups
 * numbered from 0 in series order. Returns how many groups.
 */
size_t pairing_groups(const struct series *s, int f, size_t *group);

/*
 * Test r, without background guests, is the reference of test b, with
 * them: the same but for the background's factors (count, kind, data
 * plane, load type and location) and b's data plane. A campaign's tests
 * without background have load "none", so a trend or a figure over the
 * background count would otherwise never start at 0.
 */
bool pairing_reference_of(const struct series_test *r,
			  const struct series_test *b);

/*
 * Test i belongs to the trend over factor f of group g (groups from
 * pairing_groups()): it is in g, or, for the background count, it is
 * the reference (above) of a test of g with the same data plane.
 */
bool pairing_in_trend(const struct series *s, int f, const size_t *group,
		      size_t g, size_t i);

/*
 * Which factors vary among the tests (so a label needs them): varies[f]
 * for every factor of a test's identity.
 */
void pairing_varying(const struct series *s, bool varies[FACTOR_COUNT]);

/* "background=8 probe=icmp": the varying factors of t but skip, or
 * "every test" when there are none. */
void pairing_label(const struct series_test *t,
		   const bool varies[FACTOR_COUNT], int skip, char *buf,
		   size_t len);
/* The same; without names, the values alone ("vf veth-bridge cpu"). */
void pairing_label_as(const struct series_test *t,
		      const bool varies[FACTOR_COUNT], int skip, bool names,
		      char *buf, size_t len);

/* ---- --where factor=value ---- */

struct pairing_where {
	int factor;
	int64_t value;
};

/* Parse "factor=value" into w; -1 and a message naming text if bad. */
int pairing_where_parse(const char *text, struct pairing_where *w);

/* Keep the tests that match every one of the n filters; returns how
 * many are left. */
size_t pairing_filter(struct series *s, const struct pairing_where *w,
		      size_t n);

#endif
