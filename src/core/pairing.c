// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pairing tests on their factors. Only the factors of a test's identity
 * count: repetitions say how often a test ran, not what it was.
 */
#include "core/pairing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

static bool in_id(int f)
{
	return !(factor_table[f].flags & FACTOR_NOT_IN_ID);
}

bool pairing_same_but(const struct series_test *a,
		      const struct series_test *b, int f)
{
	int g;

	for (g = 0; g < FACTOR_COUNT; g++) {
		if (g != f && in_id(g) && a->v[g] != b->v[g])
			return false;
	}
	return true;
}

bool pairing_reference_of(const struct series_test *r,
			  const struct series_test *b)
{
	int f;

	if (r->v[F_BACKGROUND] != 0 || b->v[F_BACKGROUND] == 0)
		return false;
	for (f = 0; f < FACTOR_COUNT; f++) {
		switch (f) {
		case F_BACKGROUND:
		case F_BG_KIND:
		case F_BG_DATAPLANE:
		case F_LOAD_TYPE:
		case F_LOAD_LOCATION:
			continue;
		}
		if (in_id(f) && r->v[f] != b->v[f])
			return false;
	}
	return true;
}

bool pairing_in_trend(const struct series *s, int f, const size_t *group,
		      size_t g, size_t i)
{
	size_t j;

	if (group[i] == g)
		return true;
	if (f != F_BACKGROUND)
		return false;
	for (j = 0; j < s->ntests; j++) {
		if (group[j] == g &&
		    s->tests[i].v[F_DATAPLANE] == s->tests[j].v[F_DATAPLANE] &&
		    pairing_reference_of(&s->tests[i], &s->tests[j]))
			return true;
	}
	return false;
}

size_t pairing_values(const struct series *s, int f, int64_t **out)
{
	size_t i, j, n = 0;

	*out = xcalloc(s->ntests ? s->ntests : 1, sizeof(**out));
	for (i = 0; i < s->ntests; i++) {
		for (j = 0; j < n && (*out)[j] != s->tests[i].v[f]; j++)
			;
		if (j == n)
			(*out)[n++] = s->tests[i].v[f];
	}
	return n;
}

size_t pairing_pairs(const struct series *s, int f, int64_t va, int64_t vb,
		     size_t **ia, size_t **ib)
{
	size_t i, j, n = 0;

	*ia = xcalloc(s->ntests ? s->ntests : 1, sizeof(**ia));
	*ib = xcalloc(s->ntests ? s->ntests : 1, sizeof(**ib));
	for (i = 0; i < s->ntests; i++) {
		if (s->tests[i].v[f] != va)
			continue;
		/* identities are unique: at most one partner */
		for (j = 0; j < s->ntests; j++) {
			if (s->tests[j].v[f] == vb &&
			    pairing_same_but(&s->tests[i], &s->tests[j], f)) {
				(*ia)[n] = i;
				(*ib)[n++] = j;
				break;
			}
		}
	}
	return n;
}

size_t pairing_groups(const struct series *s, int f, size_t *group)
{
	size_t i, j, n = 0;

	for (i = 0; i < s->ntests; i++) {
		for (j = 0; j < i; j++) {
			if (pairing_same_but(&s->tests[i], &s->tests[j], f))
				break;
		}
		group[i] = j < i ? group[j] : n++;
	}
	return n;
}

void pairing_varying(const struct series *s, bool varies[FACTOR_COUNT])
{
	size_t i;
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		varies[f] = false;
		for (i = 1; in_id(f) && i < s->ntests; i++) {
			if (s->tests[i].v[f] != s->tests[0].v[f])
				varies[f] = true;
		}
	}
}

void pairing_label(const struct series_test *t,
		   const bool varies[FACTOR_COUNT], int skip, char *buf,
		   size_t len)
{
	pairing_label_as(t, varies, skip, true, buf, len);
}

void pairing_label_as(const struct series_test *t,
		      const bool varies[FACTOR_COUNT], int skip, bool names,
		      char *buf, size_t len)
{
	size_t used = 0;
	int f;

	buf[0] = '\0';
	for (f = 0; f < FACTOR_COUNT; f++) {
		char v[64];

		if (f == skip || !varies[f])
			continue;
		factor_format_human(f, t->v[f], v, sizeof(v));
		used += (size_t)snprintf(buf + used,
					 used < len ? len - used : 0,
					 "%s%s%s%s", used ? " " : "",
					 names ? factor_table[f].name : "",
					 names ? "=" : "", v);
	}
	if (!used)
		snprintf(buf, len, "every test");
}

int pairing_where_parse(const char *text, struct pairing_where *w)
{
	const char *eq = strchr(text, '=');
	char name[64], why[200];

	if (!eq || eq == text || (size_t)(eq - text) >= sizeof(name))
		return error("--where: '%s' is not factor=value", text);
	memcpy(name, text, (size_t)(eq - text));
	name[eq - text] = '\0';
	w->factor = factor_find(name);
	if (w->factor < 0 ||
	    (factor_table[w->factor].flags & FACTOR_NOT_IN_ID))
		return error("--where: '%s' is not a factor of a test", name);
	if (factor_parse(w->factor, eq + 1, &w->value, why, sizeof(why)))
		return error("--where: %s: %s", name, why);
	return 0;
}

size_t pairing_filter(struct series *s, const struct pairing_where *w,
		      size_t n)
{
	size_t i, j, k = 0;

	for (i = 0; i < s->ntests; i++) {
		for (j = 0; j < n && s->tests[i].v[w[j].factor] == w[j].value;
		     j++)
			;
		if (j < n) {
			free(s->tests[i].values);
			continue;
		}
		s->tests[k++] = s->tests[i];
	}
	s->ntests = k;
	return k;
}
