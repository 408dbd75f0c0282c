// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strict decimal: digits with at most one '.', no sign, no exponent. */
static int parse_decimal(const char **sp, double *out)
{
	const char *s = *sp;
	double v = 0, scale = 0.1;
	int digits = 0, dot = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (dot) {
				v += (*s - '0') * scale;
				scale /= 10;
			} else {
				v = v * 10 + (*s - '0');
			}
			digits++;
		} else if (*s == '.' && !dot) {
			dot = 1;
		} else {
			break;
		}
	}
	if (!digits)
		return -EINVAL;
	*sp = s;
	*out = v;
	return 0;
}

int units_parse_si(const char *s, const char *unit, int64_t *out)
{
	static const struct {
		char suffix;
		double mult;
	} si[] = {{'k', 1e3}, {'K', 1e3}, {'M', 1e6}, {'G', 1e9}};
	double v, mult = 1;
	size_t i;

	if (parse_decimal(&s, &v))
		return -EINVAL;
	for (i = 0; i < sizeof(si) / sizeof(si[0]); i++) {
		if (*s == si[i].suffix) {
			mult = si[i].mult;
			s++;
			break;
		}
	}
	if (*s && !(unit && !strcmp(s, unit)))
		return -EINVAL;
	v *= mult;
	if (v >= 9.2e18)
		return -ERANGE;
	/* "1.5" is not a count; "1.5k" is, and so is "0.0015M" */
	if (fabs(v - llround(v)) > 1e-6)
		return -EINVAL;
	*out = llround(v);
	return 0;
}

int units_parse_duration(const char *s, int64_t *out_ns)
{
	static const struct {
		const char *suffix;
		double ns;
	} units[] = {
		{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9},
		{"", 1e9},
	};
	double v;
	size_t i;

	if (parse_decimal(&s, &v))
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcmp(s, units[i].suffix)) {
			v *= units[i].ns;
			if (v >= 9.2e18)
				return -ERANGE;
			*out_ns = llround(v);
			return 0;
		}
	}
	return -EINVAL;
}

void units_format_si(int64_t v, char *buf, size_t len)
{
	if (v != 0 && v % 1000000000 == 0)
		snprintf(buf, len, "%lldG", (long long)(v / 1000000000));
	else if (v != 0 && v % 1000000 == 0)
		snprintf(buf, len, "%lldM", (long long)(v / 1000000));
	else if (v != 0 && v % 1000 == 0)
		snprintf(buf, len, "%lldk", (long long)(v / 1000));
	else
		snprintf(buf, len, "%lld", (long long)v);
}

void units_format_us(double ns, char *buf, size_t len)
{
	snprintf(buf, len, "%.3f", ns / 1e3);
}

int units_parse_cpulist(const char *s, uint64_t *mask)
{
	uint64_t m = 0;

	if (!*s)
		return -EINVAL;
	while (*s) {
		char *end;
		unsigned long a, b;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			s = end + 1;
			if (*s < '0' || *s > '9')
				return -EINVAL;
			b = strtoul(s, &end, 10);
		}
		if (a > b || b >= 64)
			return -EINVAL;
		for (; a <= b; a++)
			m |= 1ULL << a;
		s = end;
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return -EINVAL;
	}
	*mask = m;
	return 0;
}
