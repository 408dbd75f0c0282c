// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/event_tput.h"

#include <math.h>

struct mean {
	double sum;
	unsigned n;
};

static double mean_of(const struct mean *m)
{
	return m->n ? m->sum / m->n : NAN;
}

static void one(const struct iperf_interval *iv, unsigned n, double at,
		double w0, double w1, struct event_tput *o)
{
	struct mean before = {0, 0}, during = {0, 0}, after = {0, 0};
	unsigned i, lowest = n, rec = n;
	double b, mid;

	o->intervals = 0;
	for (i = 0; i < n; i++) {
		mid = (iv[i].start + iv[i].end) / 2;
		if (mid < w0 || mid >= w1)
			continue;
		o->intervals++;
		if (iv[i].end <= at) {
			before.sum += iv[i].bps;
			before.n++;
		} else if (lowest == n || iv[i].bps < iv[lowest].bps) {
			lowest = i;
		}
	}
	b = mean_of(&before);
	o->before_bps = b;
	o->lowest_bps = lowest < n ? iv[lowest].bps : NAN;
	o->dip_pct = NAN;
	if (lowest < n && b > 0)
		o->dip_pct = iv[lowest].bps < b ?
				     100 * (b - iv[lowest].bps) / b :
				     0;
	/* the recovery: from the lowest on, the first back near "before" */
	for (i = lowest; i < n; i++) {
		mid = (iv[i].start + iv[i].end) / 2;
		if (mid >= w1)
			break;
		if (b > 0 ? iv[i].bps >= EVENT_TPUT_RECOVERED * b :
			    i > lowest) {
			rec = i;
			break;
		}
	}
	for (i = 0; i < n && lowest < n; i++) {
		mid = (iv[i].start + iv[i].end) / 2;
		if (mid < w0 || mid >= w1 || iv[i].end <= at)
			continue;
		if (i < rec) {
			during.sum += iv[i].bps;
			during.n++;
		} else {
			after.sum += iv[i].bps;
			after.n++;
		}
	}
	o->during_bps = mean_of(&during);
	o->after_bps = mean_of(&after);
}

void event_tput_analyze(const struct iperf_interval *iv, unsigned n,
			const double *at_s, unsigned nev,
			struct event_tput *out)
{
	unsigned k;

	for (k = 0; k < nev; k++) {
		double w0 = k ? (at_s[k - 1] + at_s[k]) / 2 : -INFINITY;
		double w1 = k + 1 < nev ? (at_s[k] + at_s[k + 1]) / 2 :
					  INFINITY;

		one(iv, n, at_s[k], w0, w1, &out[k]);
	}
}
