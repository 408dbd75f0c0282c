// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/capture_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define MAGIC "iovbench-capture 1"

static const char *const dir_names[] = {"reply", "request"};
static const char *const way_names[] = {"in", "out"};

void capture_report_format(const struct capture_report *r,
			   struct strbuf *out)
{
	size_t i;

	strbuf_addf(out, MAGIC "\nframes=%llu drops=%llu events=%zu",
		    (unsigned long long)r->frames,
		    (unsigned long long)r->drops, r->n);
	if (r->streamed)
		strbuf_addf(out, " streamed=%llu",
			    (unsigned long long)r->streamed);
	strbuf_addstr(out, "\n");
	for (i = 0; i < r->n; i++) {
		char line[CAPTURE_EVENT_LINE_MAX];

		strbuf_add(out, line,
			   (size_t)capture_event_format(&r->ev[i], line,
							sizeof(line)));
	}
}

int capture_event_format(const struct capture_event *e, char *buf, size_t len)
{
	return snprintf(buf, len, "%s %s %s %u %u %lld\n",
			probe_kind_name(e->f.kind), dir_names[e->f.request],
			way_names[e->outgoing], e->f.session, e->f.seq,
			(long long)e->t);
}

/* Words of one line, split at single spaces: none empty. */
#define MAX_WORDS 6
#define WORD_MAX 32 /* frames=18446744073709551615 fits */

static int split_words(const char *p, size_t n, char words[][WORD_MAX])
{
	size_t i, w = 0, k = 0;

	for (i = 0;; i++) {
		if (i == n || p[i] == ' ') {
			if (!k)
				return -1;
			words[w++][k] = '\0';
			k = 0;
			if (i == n)
				return (int)w;
		} else {
			if (w == MAX_WORDS || k == WORD_MAX - 1 || !p[i])
				return -1;
			words[w][k++] = p[i];
		}
	}
}

/* A decimal number in 0..max: digits only, no sign, no space. */
static int parse_num(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int find_name(const char *const *names, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], w))
			return (int)i;
	}
	return -1;
}

static int parse_event(char words[][WORD_MAX], int nw, struct capture_event *e)
{
	uint64_t session, seq, t;
	int kind, dir, way;

	if (nw != 6)
		return -1;
	kind = probe_kind_find(words[0]);
	dir = find_name(dir_names, ARRAY_SIZE(dir_names), words[1]);
	way = find_name(way_names, ARRAY_SIZE(way_names), words[2]);
	if (kind < 0 || dir < 0 || way < 0 ||
	    parse_num(words[3], UINT32_MAX, &session) ||
	    parse_num(words[4], UINT32_MAX, &seq) ||
	    parse_num(words[5], INT64_MAX, &t))
		return -1;
	memset(e, 0, sizeof(*e));
	e->f.kind = (enum probe_kind)kind;
	e->f.request = dir;
	e->f.session = (uint32_t)session;
	e->f.seq = (uint32_t)seq;
	e->outgoing = way;
	e->t = (int64_t)t;
	return 0;
}

/* "frames=N drops=N events=N", in that order. */
static int parse_counts(char words[][WORD_MAX], int nw, struct capture_report *r,
			uint64_t *events)
{
	static const char *const keys[] = {"frames=", "drops=", "events="};
	uint64_t *dst[] = {&r->frames, &r->drops, events};
	size_t i;

	if (nw != 3 && nw != 4)
		return -1;
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		size_t kl = strlen(keys[i]);

		if (strncmp(words[i], keys[i], kl) ||
		    parse_num(words[i] + kl, UINT64_MAX, dst[i]))
			return -1;
	}
	/* events written to a file of their own (capture --events) */
	if (nw == 4 && (strncmp(words[3], "streamed=", 9) ||
			parse_num(words[3] + 9, UINT64_MAX, &r->streamed)))
		return -1;
	return 0;
}

int capture_event_parse(const char *line, size_t n, struct capture_event *e)
{
	char words[MAX_WORDS][WORD_MAX];
	int nw = split_words(line, n, words);

	return nw < 0 ? -1 : parse_event(words, nw, e);
}

int capture_report_parse(const char *text, size_t len,
			 struct capture_report *r, char *why, size_t wlen)
{
	const char *p = text, *end = text + len;
	char words[MAX_WORDS][WORD_MAX];
	uint64_t events = 0;
	size_t alloc = 0, line = 0;

	memset(r, 0, sizeof(*r));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		int nw;

		line++;
		if (!nl) {
			snprintf(why, wlen, "line %zu: cut short (no newline)",
				 line);
			goto fail;
		}
		if (line == 1) {
			if (n != strlen(MAGIC) || memcmp(p, MAGIC, n)) {
				snprintf(why, wlen, "line 1: not '" MAGIC "'");
				goto fail;
			}
		} else if (line == 2) {
			nw = split_words(p, n, words);
			if (parse_counts(words, nw, r, &events)) {
				snprintf(why, wlen,
					 "line 2: expected frames=N drops=N "
					 "events=N");
				goto fail;
			}
		} else {
			if (r->n == events) {
				snprintf(why, wlen, "line %zu: more than the "
						    "%llu events announced",
					 line, (unsigned long long)events);
				goto fail;
			}
			if (r->n == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				r->ev = xrealloc(r->ev, alloc * sizeof(*r->ev));
			}
			nw = split_words(p, n, words);
			if (parse_event(words, nw, &r->ev[r->n])) {
				snprintf(why, wlen,
					 "line %zu: expected KIND DIR WAY "
					 "SESSION SEQ T",
					 line);
				goto fail;
			}
			r->n++;
		}
		p = nl + 1;
	}
	if (line < 2) {
		snprintf(why, wlen, line ? "cut short: no counts line" :
					   "empty report");
		goto fail;
	}
	if (r->n != events) {
		snprintf(why, wlen, "cut short: %zu of %llu events", r->n,
			 (unsigned long long)events);
		goto fail;
	}
	return 0;
fail:
	capture_report_release(r);
	return -1;
}

void capture_report_release(struct capture_report *r)
{
	free(r->ev);
	memset(r, 0, sizeof(*r));
}
