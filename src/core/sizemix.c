// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/sizemix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/factor.h"

/* the classic simple IMIX, by frame size with the FCS */
static const struct sizemix imix = {
	.n = 3,
	.size = {64, 570, 1518},
	.weight = {7, 4, 1},
	.named = 1,
};

/* "N" of at most 6 digits at *p, moving *p past it: 0, or -1 */
static int number(const char **p, unsigned *out)
{
	unsigned v = 0, digits = 0;

	while (**p >= '0' && **p <= '9') {
		if (++digits > 6)
			return -1;
		v = v * 10 + (unsigned)(**p - '0');
		(*p)++;
	}
	if (!digits)
		return -1;
	*out = v;
	return 0;
}

int sizemix_parse(const char *text, unsigned min, unsigned max,
		  struct sizemix *m, char *why, size_t len)
{
	const char *p = text;
	unsigned total = 0;

	memset(m, 0, sizeof(*m));
	if (!strcmp(text, "imix")) {
		*m = imix;
		if (imix.size[2] > max) {
			snprintf(why, len, "imix has %u-byte frames, over %u",
				 imix.size[2], max);
			return -1;
		}
		return 0;
	}
	for (;;) {
		unsigned size, weight = 1;

		if (m->n == SIZEMIX_MAX) {
			snprintf(why, len, "more than %d sizes in a mix",
				 SIZEMIX_MAX);
			return -1;
		}
		if (number(&p, &size)) {
			snprintf(why, len,
				 "expected imix or SIZE:WEIGHT[,SIZE:WEIGHT...]"
				 " (e.g. 64:7,570:4,1518:1)");
			return -1;
		}
		if (*p == ':') {
			p++;
			if (number(&p, &weight) || !weight) {
				snprintf(why, len, "weight of %u: expected a "
						   "whole number from 1",
					 size);
				return -1;
			}
		}
		if (size < min || size > max) {
			snprintf(why, len, "size %u out of range %u..%u", size,
				 min, max);
			return -1;
		}
		total += weight;
		if (total > SIZEMIX_CYCLE_MAX) {
			snprintf(why, len, "weights add up to more than %d",
				 SIZEMIX_CYCLE_MAX);
			return -1;
		}
		m->size[m->n] = size;
		m->weight[m->n++] = weight;
		if (!*p)
			return 0;
		if (*p != ',' && *p != '/') {
			snprintf(why, len, "unexpected '%c' in a size mix", *p);
			return -1;
		}
		p++;
	}
}

void sizemix_format(const struct sizemix *m, char *buf, size_t len)
{
	size_t n = 0;
	unsigned i;

	if (len)
		buf[0] = '\0';
	if (m->named) {
		snprintf(buf, len, "imix");
		return;
	}
	for (i = 0; i < m->n && n < len; i++) {
		int k = snprintf(buf + n, len - n, "%s%u:%u", i ? "," : "",
				 m->size[i], m->weight[i]);

		if (k < 0)
			return;
		n += (size_t)k;
	}
}

unsigned sizemix_total_weight(const struct sizemix *m)
{
	unsigned i, t = 0;

	for (i = 0; i < m->n; i++)
		t += m->weight[i];
	return t;
}

void sizemix_cycle(const struct sizemix *m, uint16_t *order)
{
	long cur[SIZEMIX_MAX] = {0};
	unsigned total = sizemix_total_weight(m), k, i;

	for (k = 0; k < total; k++) {
		unsigned best = 0;

		for (i = 0; i < m->n; i++) {
			cur[i] += m->weight[i];
			if (cur[i] > cur[best])
				best = i;
		}
		cur[best] -= (long)total;
		order[k] = (uint16_t)m->size[best];
	}
}

double sizemix_mean(const struct sizemix *m)
{
	unsigned total = sizemix_total_weight(m), i;
	double s = 0;

	for (i = 0; i < m->n; i++)
		s += (double)m->size[i] * m->weight[i];
	return total ? s / total : 0;
}

unsigned sizemix_largest(const struct sizemix *m)
{
	unsigned i, v = 0;

	for (i = 0; i < m->n; i++)
		if (m->size[i] > v)
			v = m->size[i];
	return v;
}

unsigned sizemix_smallest(const struct sizemix *m)
{
	unsigned i, v = m->n ? m->size[0] : 0;

	for (i = 1; i < m->n; i++)
		if (m->size[i] < v)
			v = m->size[i];
	return v;
}

int size_word(const char *text, char *canon, size_t clen, char *why,
	      size_t wlen)
{
	const struct factor *f = &factor_table[F_SIZE];
	struct sizemix m;

	if (sizemix_parse(text, (unsigned)f->min, (unsigned)f->max, &m, why,
			  wlen))
		return -1;
	sizemix_format(&m, canon, clen);
	return 0;
}

int sizemix_of_value(int64_t v, struct sizemix *m)
{
	const struct factor *f = &factor_table[F_SIZE];
	char why[128];

	if (v >= 0) {
		memset(m, 0, sizeof(*m));
		m->n = 1;
		m->size[0] = (unsigned)v;
		m->weight[0] = 1;
		return 0;
	}
	return sizemix_parse(factor_string(-1 - v), (unsigned)f->min,
			     (unsigned)f->max, m, why, sizeof(why));
}

int64_t sizemix_value_largest(int64_t v)
{
	struct sizemix m;

	if (v >= 0)
		return v;
	return sizemix_of_value(v, &m) ? 0 : sizemix_largest(&m);
}
