// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/json_scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* past the string at p (its opening quote), or NULL */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '"')
			return p + 1;
		if ((unsigned char)*p < 0x20)
			return NULL;
	}
	return NULL;
}

static const char *skip_value(const char *p, const char *end, int depth);

/* past the object or array at p, whose closing byte is close */
static const char *skip_container(const char *p, const char *end, char close,
				  int depth)
{
	bool object = close == '}';

	p = skip_ws(p + 1, end);
	if (p < end && *p == close)
		return p + 1;
	while (p < end) {
		if (object) {
			if (*p != '"' || !(p = skip_string(p, end)))
				return NULL;
			p = skip_ws(p, end);
			if (p >= end || *p != ':')
				return NULL;
			p = skip_ws(p + 1, end);
		}
		p = skip_value(p, end, depth + 1);
		if (!p)
			return NULL;
		p = skip_ws(p, end);
		if (p < end && *p == close)
			return p + 1;
		if (p >= end || *p != ',')
			return NULL;
		p = skip_ws(p + 1, end);
	}
	return NULL;
}

static const char *skip_word(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(end - p) >= n && !memcmp(p, w, n) ? p + n : NULL;
}

static const char *skip_number(const char *p, const char *end)
{
	const char *s = p;

	while (p < end && strchr("+-0123456789.eE", *p) && *p)
		p++;
	return p > s ? p : NULL;
}

/* past the value at p, or NULL */
static const char *skip_value(const char *p, const char *end, int depth)
{
	if (p >= end || depth > JSON_SCAN_DEPTH)
		return NULL;
	switch (*p) {
	case '{':
		return skip_container(p, end, '}', depth);
	case '[':
		return skip_container(p, end, ']', depth);
	case '"':
		return skip_string(p, end);
	case 't':
		return skip_word(p, end, "true");
	case 'f':
		return skip_word(p, end, "false");
	case 'n':
		return skip_word(p, end, "null");
	default:
		return skip_number(p, end);
	}
}

int json_scan_root(const char *text, size_t len, struct json_span *v)
{
	const char *end = text + len, *p = skip_ws(text, end), *q;

	q = skip_value(p, end, 0);
	if (!q || skip_ws(q, end) != end)
		return -1;
	v->p = p;
	v->end = q;
	return 0;
}

bool json_scan_is_object(const struct json_span *v)
{
	return v->p < v->end && *v->p == '{';
}

int json_scan_next(const struct json_span *obj, const char **pos, char *key,
		   size_t klen, struct json_span *val)
{
	const char *p, *end = obj->end, *k, *q;
	size_t n;

	if (!json_scan_is_object(obj) || !klen)
		return -1;
	p = skip_ws(*pos ? *pos : obj->p + 1, end);
	if (p < end && *p == ',' && *pos)
		p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return 0;
	if (p >= end || *p != '"' || !(q = skip_string(p, end)))
		return -1;
	k = p + 1;
	n = (size_t)(q - 1 - k);
	if (n >= klen)
		n = klen - 1;
	memcpy(key, k, n);
	key[n] = '\0';
	p = skip_ws(q, end);
	if (p >= end || *p != ':')
		return -1;
	p = skip_ws(p + 1, end);
	q = skip_value(p, end, 1);
	if (!q)
		return -1;
	val->p = p;
	val->end = q;
	*pos = q;
	return 1;
}

int json_scan_get(const struct json_span *obj, const char *key,
		  struct json_span *val)
{
	const char *pos = NULL;
	char k[64];
	int ret;

	while ((ret = json_scan_next(obj, &pos, k, sizeof(k), val)) == 1) {
		if (!strcmp(k, key))
			return 0;
	}
	return -1;
}

int json_scan_number(const struct json_span *v, double *out)
{
	char buf[48], *e;
	size_t n = (size_t)(v->end - v->p);

	if (!n || n >= sizeof(buf) || !skip_number(v->p, v->end))
		return -1;
	memcpy(buf, v->p, n);
	buf[n] = '\0';
	*out = strtod(buf, &e);
	return e == buf + n && isfinite(*out) ? 0 : -1;
}

int json_scan_get_number(const struct json_span *obj, const char *key,
			 double *out)
{
	struct json_span v;

	return json_scan_get(obj, key, &v) ? -1 : json_scan_number(&v, out);
}
