// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/fairness.h"

#include <math.h>

double jain_index(const double *x, size_t n)
{
	double sum = 0, sq = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(x[i] >= 0))
			return NAN;
		sum += x[i];
		sq += x[i] * x[i];
	}
	if (!n || sq <= 0)
		return NAN;
	return sum * sum / ((double)n * sq);
}
