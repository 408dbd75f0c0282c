// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/agent_proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const verb_names[AGENT_VERB_COUNT] = {
	[AGENT_HELLO] = "hello", [AGENT_LINK] = "link", [AGENT_RUN] = "run",
	[AGENT_START] = "start", [AGENT_STOP] = "stop", [AGENT_WAIT] = "wait",
	[AGENT_COUNTERS] = "counters", [AGENT_PROBE] = "probe",
};

/* Words each verb takes after the tag: minimum, and whether more may follow. */
static const struct {
	int min;
	int open;
} verb_shape[AGENT_VERB_COUNT] = {
	[AGENT_HELLO] = {0, 0}, [AGENT_LINK] = {1, 0}, [AGENT_RUN] = {2, 1},
	[AGENT_START] = {1, 1}, [AGENT_STOP] = {1, 0}, [AGENT_WAIT] = {2, 0},
	[AGENT_COUNTERS] = {1, 0}, [AGENT_PROBE] = {2, 1},
};

const char *agent_verb_name(enum agent_verb v)
{
	return (unsigned)v < AGENT_VERB_COUNT ? verb_names[v] : "?";
}

int agent_word_ok(const char *s)
{
	size_t n = strlen(s);

	return n && n <= AGENT_MAX_WORD &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/=,+-") == n;
}

static int parse_u32(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9' || strlen(s) > 10)
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Split buf in place at single spaces; -1 on an empty or bad word. */
static int split(char *buf, char **words, int max, int *n)
{
	char *p = buf;

	*n = 0;
	if (!*p)
		return 0;
	for (;;) {
		char *sp = strchr(p, ' ');

		if (*n == max)
			return -1;
		if (sp)
			*sp = '\0';
		if (!agent_word_ok(p))
			return -1;
		words[(*n)++] = p;
		if (!sp)
			return 0;
		p = sp + 1;
	}
}

int agent_parse_request(const char *line, struct agent_request *r, char *why,
			size_t len)
{
	char *w[AGENT_MAX_WORDS + 3];
	int n, v, first;

	memset(r, 0, sizeof(*r));
	if (strlen(line) >= sizeof(r->buf)) {
		snprintf(why, len, "request longer than %d bytes",
			 AGENT_MAX_LINE - 1);
		return -1;
	}
	strcpy(r->buf, line);
	if (split(r->buf, w, AGENT_MAX_WORDS + 3, &n) || n < 2) {
		snprintf(why, len, "malformed request");
		return -1;
	}
	for (v = 0; v < AGENT_VERB_COUNT; v++) {
		if (!strcmp(w[0], verb_names[v]))
			break;
	}
	if (v == AGENT_VERB_COUNT) {
		snprintf(why, len, "unknown request '%s'", w[0]);
		return -1;
	}
	r->verb = (enum agent_verb)v;
	if (parse_u32(w[1], &r->tag)) {
		snprintf(why, len, "bad tag");
		return -1;
	}
	n -= 2;
	if (n < verb_shape[v].min || (!verb_shape[v].open &&
				      n > verb_shape[v].min) ||
	    n > AGENT_MAX_WORDS) {
		snprintf(why, len, "wrong number of words for %s", w[0]);
		return -1;
	}
	first = 2;
	if (r->verb == AGENT_RUN || r->verb == AGENT_PROBE) {
		if (parse_u32(w[2], &r->timeout_ms)) {
			snprintf(why, len, "bad timeout");
			return -1;
		}
		first = 3;
	} else if (r->verb == AGENT_STOP || r->verb == AGENT_WAIT) {
		if (parse_u32(w[2], &r->handle)) {
			snprintf(why, len, "bad handle");
			return -1;
		}
		if (r->verb == AGENT_WAIT && parse_u32(w[3], &r->timeout_ms)) {
			snprintf(why, len, "bad timeout");
			return -1;
		}
		return 0;
	}
	for (r->argc = 0; first + r->argc < n + 2; r->argc++)
		r->argv[r->argc] = w[first + r->argc];
	r->argv[r->argc] = NULL;
	return 0;
}

int agent_parse_reply(const char *line, struct agent_reply *r)
{
	char buf[AGENT_MAX_LINE];
	char *kind, *tag, *rest;
	uint32_t exitcode;
	unsigned long long len;
	char *end;

	memset(r, 0, sizeof(*r));
	if (strlen(line) >= sizeof(buf))
		return -1;
	strcpy(buf, line);
	kind = buf;
	tag = strchr(kind, ' ');
	if (!tag)
		return -1;
	*tag++ = '\0';
	rest = strchr(tag, ' ');
	if (rest)
		*rest++ = '\0';
	if (parse_u32(tag, &r->tag))
		return -1;
	if (!strcmp(kind, "ok")) {
		r->kind = AGENT_OK;
	} else if (!strcmp(kind, "err")) {
		r->kind = AGENT_ERR;
	} else if (!strcmp(kind, "data")) {
		char *lenw;

		r->kind = AGENT_DATA;
		if (!rest)
			return -1;
		lenw = strchr(rest, ' ');
		if (!lenw)
			return -1;
		*lenw++ = '\0';
		if (parse_u32(rest, &exitcode) || exitcode > 255)
			return -1;
		r->exit = (int)exitcode;
		if (*lenw < '0' || *lenw > '9')
			return -1;
		errno = 0;
		len = strtoull(lenw, &end, 10);
		if (*end || errno || len > AGENT_MAX_DATA)
			return -1;
		r->len = len;
		return 0;
	} else if (!strcmp(kind, "part")) {
		r->kind = AGENT_PART;
		if (!rest || *rest < '0' || *rest > '9')
			return -1;
		errno = 0;
		len = strtoull(rest, &end, 10);
		if (*end || errno || len > AGENT_MAX_PART)
			return -1;
		r->len = len;
		return 0;
	} else {
		return -1;
	}
	snprintf(r->text, sizeof(r->text), "%s", rest ? rest : "");
	return 0;
}

int agent_format_request(struct strbuf *out, enum agent_verb verb,
			 uint32_t tag, uint32_t number, const char *const *argv,
			 int argc)
{
	int numbered = verb == AGENT_RUN || verb == AGENT_PROBE ||
		       verb == AGENT_STOP || verb == AGENT_WAIT;
	size_t start = out->len;
	int i;

	strbuf_addf(out, "%s %u", agent_verb_name(verb), tag);
	if (numbered)
		strbuf_addf(out, " %u", number);
	for (i = 0; i < argc; i++) {
		/* the number counts among the words the parser allows */
		if (!agent_word_ok(argv[i]) ||
		    i + numbered >= AGENT_MAX_WORDS) {
			out->len = start;
			out->buf[start] = '\0';
			return -1;
		}
		strbuf_addf(out, " %s", argv[i]);
	}
	strbuf_addch(out, '\n');
	return 0;
}
