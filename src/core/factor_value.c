// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A factor's values as text (core/factor.h): finding a factor by name,
 * parsing a campaign's value with the reason it is refused, defaults,
 * and formatting for machines and for people. The factors themselves
 * are core/factor.c's table.
 */
#include "core/factor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "util/alloc.h"

int factor_find(const char *name)
{
	int i;

	for (i = 0; i < FACTOR_COUNT; i++) {
		if (!strcmp(factor_table[i].name, name))
			return i;
	}
	return -1;
}

static void enum_list(const struct factor *f, char *buf, size_t len)
{
	size_t used;
	unsigned i, n = f->enum_count();

	used = (size_t)snprintf(buf, len, "expected one of:");
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s %s",
					 i ? "," : "", f->enum_name(i));
}

/* "0.5" or "0.5%": the number times f->scale, which must be whole */
static int scaled_parse(const struct factor *f, const char *text, int64_t *v)
{
	size_t n = strlen(text), u = f->unit ? strlen(f->unit) : 0;
	char buf[32], *end;
	double d, r;

	if (u && n > u && !strcmp(text + n - u, f->unit))
		n -= u;
	if (!n || n >= sizeof(buf) || !strchr("0123456789.", text[0]))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	d = strtod(buf, &end);
	if (*end || !(d >= 0) || d > 1e12)
		return -1;
	d *= (double)f->scale;
	r = (double)(int64_t)(d + 0.5);
	if (r - d > 1e-6 || d - r > 1e-6)
		return -1;
	*v = (int64_t)r;
	return 0;
}

int factor_parse(enum factor_id id, const char *text, int64_t *out,
		 char *why, size_t whylen)
{
	const struct factor *f = &factor_table[id];
	char lo[32], hi[32];
	unsigned i, n;
	int64_t v;

	if (f->kind == FACTOR_ENUM) {
		n = f->enum_count();
		for (i = 0; i < n; i++) {
			if (!strcmp(f->enum_name(i), text)) {
				*out = i;
				return 0;
			}
		}
		enum_list(f, why, whylen);
		return -EINVAL;
	}
	if (f->kind == FACTOR_STRING) {
		if (strlen(text) > 255) {
			snprintf(why, whylen, "longer than 255 characters");
			return -EINVAL;
		}
		if (f->check && f->check(text, why, whylen))
			return -EINVAL;
		v = factor_intern(text);
		if (v < 0) {
			snprintf(why, whylen, "too many distinct values");
			return -ERANGE;
		}
		*out = v;
		return 0;
	}
	if (f->scale > 1) {
		if (scaled_parse(f, text, &v)) {
			snprintf(why, whylen, "expected a number%s%s in "
					      "steps of %g",
				 f->unit ? " with or without " : "",
				 f->unit ? f->unit : "", 1.0 / (double)f->scale);
			return -EINVAL;
		}
		if (v < f->min || v > f->max) {
			snprintf(why, whylen, "out of range %g..%g%s",
				 (double)f->min / (double)f->scale,
				 (double)f->max / (double)f->scale,
				 f->unit ? f->unit : "");
			return -ERANGE;
		}
		*out = v;
		return 0;
	}
	/* a word: not a number, and the factor takes words */
	if (f->word && (text[0] < '0' || text[0] > '9' || strpbrk(text, ":,/"))) {
		char canon[256];

		if (f->word(text, canon, sizeof(canon), why, whylen))
			return -EINVAL;
		v = factor_intern(canon);
		if (v < 0) {
			snprintf(why, whylen, "too many distinct values");
			return -ERANGE;
		}
		*out = -1 - v;
		return 0;
	}
	if (units_parse_si(text, f->unit, &v)) {
		snprintf(why, whylen, "expected a whole number%s%s%s",
			 f->unit ? " (optionally with k/M and '" : "",
			 f->unit ? f->unit : "", f->unit ? "')" : "");
		return -EINVAL;
	}
	if (v < f->min || v > f->max) {
		units_format_si(f->min, lo, sizeof(lo));
		units_format_si(f->max, hi, sizeof(hi));
		snprintf(why, whylen, "out of range %s..%s%s%s", lo, hi,
			 f->unit ? " " : "", f->unit ? f->unit : "");
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int64_t factor_default(enum factor_id id)
{
	char why[128];
	int64_t v = 0;

	if (factor_parse(id, factor_table[id].def, &v, why, sizeof(why)))
		abort(); /* a bad default is a bug: the tests catch it */
	return v;
}

bool factor_is_implicit(enum factor_id id, int64_t v)
{
	const struct factor *f = &factor_table[id];
	char why[128];
	int64_t iv;

	if (!f->implicit || factor_parse(id, f->implicit, &iv, why, sizeof(why)))
		return false;
	return v == iv;
}

void factor_format(enum factor_id id, int64_t v, char *buf, size_t len)
{
	const struct factor *f = &factor_table[id];

	if (f->kind == FACTOR_ENUM)
		snprintf(buf, len, "%s", f->enum_name((unsigned)v));
	else if (f->kind == FACTOR_STRING && f->identity)
		f->identity(factor_string(v), buf, len);
	else if (f->kind == FACTOR_STRING)
		snprintf(buf, len, "%s", factor_string(v));
	else if (f->scale > 1)
		snprintf(buf, len, "%g", (double)v / (double)f->scale);
	else if (factor_word(id, v))
		snprintf(buf, len, "%s", factor_word(id, v));
	else
		snprintf(buf, len, "%lld", (long long)v);
}

const char *factor_word(enum factor_id id, int64_t v)
{
	const struct factor *f = &factor_table[id];

	return f->kind == FACTOR_INT && f->word && v < 0 ?
		       factor_string(-1 - v) :
		       NULL;
}

void factor_format_human(enum factor_id id, int64_t v, char *buf, size_t len)
{
	const struct factor *f = &factor_table[id];

	if (f->kind == FACTOR_INT && f->scale > 1)
		snprintf(buf, len, "%g%s", (double)v / (double)f->scale,
			 f->unit ? f->unit : "");
	else if (f->kind == FACTOR_INT && f->unit && !strcmp(f->unit, "ms"))
		snprintf(buf, len, "%lldms", (long long)v); /* not "1k" ms */
	else if (f->kind == FACTOR_INT && id != F_SIZE && !factor_word(id, v))
		units_format_si(v, buf, len);
	else
		factor_format(id, v, buf, len);
}

/* A sweep's from or to: a number of the factor, said as config.c says */
static int sweep_end(enum factor_id id, const char *text, int64_t *v,
		     char *why, size_t whylen)
{
	char what[200];
	int ret = factor_parse(id, text, v, what, sizeof(what));

	if (!ret && *v >= 0)
		return 0;
	if (!ret)
		snprintf(why, whylen, "'%s' is not a number", text);
	else
		snprintf(why, whylen, "'%s' is %s%s", text,
			 ret == -ERANGE ? "" : "invalid: ", what);
	return -1;
}

int factor_sweep(enum factor_id id, const char *from, const char *to,
		 const char *times, int64_t *out, size_t max, char *why,
		 size_t whylen)
{
	const struct factor *f = &factor_table[id];
	int64_t lo, hi, last = -1;
	double t, x;
	char *end;
	size_t n = 0;

	if (f->kind != FACTOR_INT) {
		snprintf(why, whylen, "a sweep is for numbers, and %s takes "
				      "words", f->name);
		return -1;
	}
	if (sweep_end(id, from, &lo, why, whylen) ||
	    sweep_end(id, to, &hi, why, whylen))
		return -1;
	if (lo > hi) {
		snprintf(why, whylen, "from (%s) is above to (%s)", from, to);
		return -1;
	}
	errno = 0;
	t = strtod(times, &end);
	/* 1.01: a sweep of a few values per decade at the least */
	if (errno || end == times || *end || !(t >= 1.01 && t <= 1000)) {
		snprintf(why, whylen, "times '%s': expected a number from "
				      "1.01 to 1000",
			 times);
		return -1;
	}
	for (x = (double)lo; x <= (double)hi + 0.5; x *= t) {
		int64_t v = (int64_t)(x + 0.5);

		if (v > hi)
			break;
		if (v == last)
			continue; /* a small from and times: rounds alike */
		if (n == max) {
			snprintf(why, whylen, "more than %zu values from %s "
					      "to %s",
				 max, from, to);
			return -1;
		}
		out[n++] = last = v;
	}
	return (int)n;
}

