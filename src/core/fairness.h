/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fairness across measured pairs: Jain's index (R. Jain, D. Chiu, W.
 * Hawe, DEC-TR-301, 1984), J = (sum x)^2 / (n * sum x^2), 1 when every
 * pair got the same, 1/n when one got everything. Pure.
 */
#ifndef IOV_CORE_FAIRNESS_H
#define IOV_CORE_FAIRNESS_H

#include <stddef.h>

/* Jain's index of x[0..n) (each >= 0); NAN when n is 0 or all are 0. */
double jain_index(const double *x, size_t n);

#endif
