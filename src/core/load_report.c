// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/load_report.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static const char *const role_names[LOAD_ROLE_COUNT] = {
	[LOAD_ROLE_CPU] = "cpu",
	[LOAD_ROLE_NET] = "net",
	[LOAD_ROLE_SINK] = "sink",
};

const char *load_role_name(enum load_role r)
{
	return (unsigned)r < LOAD_ROLE_COUNT ? role_names[r] : "?";
}

int load_role_find(const char *name)
{
	int i;

	for (i = 0; i < LOAD_ROLE_COUNT; i++) {
		if (!strcmp(role_names[i], name))
			return i;
	}
	return -1;
}

void load_report_format(const struct load_report *r, struct strbuf *out)
{
	strbuf_addf(out,
		    "load %s packets=%llu bytes=%llu errors=%llu seconds=%.6f "
		    "cpu_seconds=%.6f\n",
		    load_role_name(r->role), (unsigned long long)r->packets,
		    (unsigned long long)r->bytes,
		    (unsigned long long)r->errors, r->seconds, r->cpu_seconds);
}

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
	char buf[32], *end;

	/* strto*() would skip any white space, then take a sign */
	if (!n || n >= sizeof(buf) || *s == '-' || *s == '+' ||
	    isspace((unsigned char)*s))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*out = strtoull(buf, &end, 10);
	return errno || end != buf + n ? -1 : 0; /* a NUL in s included */
}

static int parse_seconds(const char *s, size_t n, double *out)
{
	char buf[32], *end;

	/* strto*() would skip any white space, then take a sign */
	if (!n || n >= sizeof(buf) || *s == '-' || *s == '+' ||
	    isspace((unsigned char)*s))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtod(buf, &end);
	return end != buf + n || !isfinite(*out) || *out < 0 || *out > 1e9 ?
		       -1 : 0;
}

/* One line: "load ROLE k=v ..." with every key exactly once. */
static int parse_line(const char *p, size_t n, struct load_report *r)
{
	static const char *const keys[] = {"packets", "bytes", "errors",
					   "seconds", "cpu_seconds"};
	unsigned seen = 0;
	const char *end = p + n, *w;
	char role[8];
	int ri;
	size_t i, wl;

	memset(r, 0, sizeof(*r));
	if (n < 5 || memcmp(p, "load ", 5))
		return -1;
	p += 5;
	wl = (size_t)((w = memchr(p, ' ', (size_t)(end - p))) ? w - p :
								 end - p);
	if (!wl || wl >= sizeof(role))
		return -1;
	memcpy(role, p, wl);
	role[wl] = '\0';
	if ((ri = load_role_find(role)) < 0)
		return -1;
	r->role = (enum load_role)ri;
	p += wl;
	while (p < end) {
		const char *eq;

		if (*p++ != ' ')
			return -1;
		w = memchr(p, ' ', (size_t)(end - p));
		wl = (size_t)((w ? w : end) - p);
		eq = memchr(p, '=', wl);
		if (!eq)
			return -1;
		for (i = 0; i < ARRAY_SIZE(keys); i++) {
			if ((size_t)(eq - p) == strlen(keys[i]) &&
			    !memcmp(p, keys[i], (size_t)(eq - p)))
				break;
		}
		if (i == ARRAY_SIZE(keys) || seen & (1u << i))
			return -1;
		seen |= 1u << i;
		eq++;
		if ((i == 0 && parse_u64(eq, wl - (size_t)(eq - p), &r->packets)) ||
		    (i == 1 && parse_u64(eq, wl - (size_t)(eq - p), &r->bytes)) ||
		    (i == 2 && parse_u64(eq, wl - (size_t)(eq - p), &r->errors)) ||
		    (i == 3 &&
		     parse_seconds(eq, wl - (size_t)(eq - p), &r->seconds)) ||
		    (i == 4 && parse_seconds(eq, wl - (size_t)(eq - p),
					     &r->cpu_seconds)))
			return -1;
		p += wl;
	}
	return seen == (1u << ARRAY_SIZE(keys)) - 1 ? 0 : -1;
}

int load_report_parse(const char *text, size_t len, struct load_report *r)
{
	const char *p = text, *end = text + len;
	struct load_report cur;
	int found = -1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		if (!parse_line(p, n, &cur)) {
			*r = cur;
			found = 0;
		}
		p += n + (nl != NULL);
	}
	return found;
}

double load_report_pps(const struct load_report *r)
{
	return r->seconds > 0 ? (double)r->packets / r->seconds : 0;
}

double load_report_bps(const struct load_report *r)
{
	return r->seconds > 0 ? (double)r->bytes * 8 / r->seconds : 0;
}
