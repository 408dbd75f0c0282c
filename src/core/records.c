// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The records' text: how a prober's records leave it (a file, a pipe, a
 * guest's channel) and how the runner reads them, whole (records_parse)
 * or one line at a time (records_stream), so that a run of any length
 * takes constant memory on both ends.
 */
#include "core/records.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define RECORDS_MAGIC "iovbench-probes 1"
#define RECORDS_COLUMNS "seq sched tx_user tx rx rx_user replies flags"

void records_format_header(const struct probe_meta *m, struct strbuf *out)
{
	strbuf_addf(out,
		    RECORDS_MAGIC "\n"
				  "kind %s\ntarget %s\nport %" PRIu32
				  "\nrate %" PRIu64 "\ncount %" PRIu64
				  "\nsize %" PRIu32 "\nsession %" PRIu32
				  "\nstarted %" PRId64 "\n",
		    probe_kind_name(m->kind), m->target, m->port, m->rate,
		    m->count, m->size, m->session, m->started);
	/* after the columns' line it would break old readers: before */
	if (m->preflight != PREFLIGHT_UNSAID)
		strbuf_addf(out, "preflight %s\n",
			    m->preflight == PREFLIGHT_ANSWERED ? "answered" :
								 "silent");
	strbuf_addstr(out, RECORDS_COLUMNS "\n");
}

/* v in decimal at p; the end. Digits backwards, then in place. */
static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	unsigned n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

/*
 * What snprintf() with "%" PRIu32 " %" PRId64 ... would write, by hand:
 * the prober formats a line per probe inside its schedule, and printf's
 * machinery was 5 % of its time at 250 kpps (perf, bench/RESULTS.md).
 */
int records_format_row(const struct probe_rec *r, char *buf, size_t len)
{
	/* 8 numbers of at most 20 characters and their separators */
	char line[8 * 21 + 1], *p = line;
	size_t n;

	p = put_u64(p, r->seq);
	*p++ = ' ';
	p = put_i64(p, r->t_sched);
	*p++ = ' ';
	p = put_i64(p, r->t_tx_user);
	*p++ = ' ';
	p = put_i64(p, r->t_tx);
	*p++ = ' ';
	p = put_i64(p, r->t_rx);
	*p++ = ' ';
	p = put_i64(p, r->t_rx_user);
	*p++ = ' ';
	p = put_u64(p, r->replies);
	*p++ = ' ';
	p = put_u64(p, r->flags);
	*p++ = '\n';
	n = (size_t)(p - line);
	if (len) {
		size_t k = n < len ? n : len - 1;

		memcpy(buf, line, k);
		buf[k] = '\0';
	}
	return (int)n;
}

void records_format(const struct probe_meta *m, const struct probe_rec *r,
		    size_t n, struct strbuf *out)
{
	char line[RECORD_LINE_MAX];
	size_t i;

	records_format_header(m, out);
	for (i = 0; i < n; i++)
		strbuf_add(out, line,
			   (size_t)records_format_row(&r[i], line,
						      sizeof(line)));
}

/* Cursor over the text, line by line. */
struct cursor {
	const char *p, *end;
	unsigned line;
	char buf[RECORD_LINE_MAX];
};

/*
 * Counts the line before looking at it, so that c->line names the line
 * an error is about: a bad one, a truncated or overlong one, or one that
 * is missing at the end of the text.
 */
static int next_line(struct cursor *c)
{
	const char *nl;
	size_t len;

	c->line++;
	if (c->p >= c->end)
		return 0;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!nl)
		return -1; /* truncated: every line ends in '\n' */
	len = (size_t)(nl - c->p);
	if (len >= sizeof(c->buf))
		return -1;
	memcpy(c->buf, c->p, len);
	c->buf[len] = '\0';
	c->p = nl + 1;
	return 1;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int header_field(struct cursor *c, const char *name, char **value)
{
	size_t n = strlen(name);

	if (next_line(c) != 1 || strncmp(c->buf, name, n) || c->buf[n] != ' ')
		return -1;
	*value = c->buf + n + 1;
	return 0;
}

static int parse_header(struct cursor *c, struct probe_meta *m)
{
	uint64_t v;
	char *s;
	int k;

	if (next_line(c) != 1 || strcmp(c->buf, RECORDS_MAGIC))
		return -1;
	if (header_field(c, "kind", &s) || (k = probe_kind_find(s)) < 0)
		return -1;
	m->kind = (enum probe_kind)k;
	if (header_field(c, "target", &s) || strlen(s) >= sizeof(m->target))
		return -1;
	strcpy(m->target, s);
	if (header_field(c, "port", &s) || parse_u64(s, 65535, &v))
		return -1;
	m->port = (uint32_t)v;
	if (header_field(c, "rate", &s) || parse_u64(s, UINT32_MAX, &m->rate))
		return -1;
	if (header_field(c, "count", &s) ||
	    parse_u64(s, PROBE_RECORDS_MAX, &m->count))
		return -1;
	if (header_field(c, "size", &s) || parse_u64(s, 65535, &v))
		return -1;
	m->size = (uint32_t)v;
	if (header_field(c, "session", &s) || parse_u64(s, UINT32_MAX, &v))
		return -1;
	m->session = (uint32_t)v;
	if (header_field(c, "started", &s) || parse_u64(s, INT64_MAX, &v))
		return -1;
	m->started = (int64_t)v;
	m->preflight = PREFLIGHT_UNSAID;
	if (next_line(c) != 1)
		return -1;
	/* optional: whether the path answered the preflight */
	if (!strcmp(c->buf, "preflight answered") ||
	    !strcmp(c->buf, "preflight silent")) {
		m->preflight = c->buf[10] == 'a' ? PREFLIGHT_ANSWERED :
						   PREFLIGHT_SILENT;
		if (next_line(c) != 1)
			return -1;
	}
	if (strcmp(c->buf, RECORDS_COLUMNS))
		return -1;
	return 0;
}

static int parse_row(const char *s, struct probe_rec *r)
{
	uint64_t v[8];
	char *end;
	int i;

	for (i = 0; i < 8; i++) {
		unsigned long long x;

		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		x = strtoull(s, &end, 10);
		if (errno || x > INT64_MAX)
			return -1;
		v[i] = x;
		s = end;
		if (i < 7 && *s++ != ' ')
			return -1;
	}
	if (*s || v[0] > UINT32_MAX || v[6] > UINT32_MAX || v[7] > UINT32_MAX)
		return -1;
	r->seq = (uint32_t)v[0];
	r->t_sched = (int64_t)v[1];
	r->t_tx_user = (int64_t)v[2];
	r->t_tx = (int64_t)v[3];
	r->t_rx = (int64_t)v[4];
	r->t_rx_user = (int64_t)v[5];
	r->replies = (uint32_t)v[6];
	r->flags = (uint32_t)v[7];
	return 0;
}

int records_parse(const char *text, size_t len, struct probe_meta *m,
		  struct probe_rec **out, size_t *nout, struct strbuf *err)
{
	struct cursor c = {.p = text, .end = text + len};
	struct probe_rec *r = NULL;
	size_t n = 0, alloc = 0;
	int ret;

	memset(m, 0, sizeof(*m));
	if (parse_header(&c, m)) {
		strbuf_addf(err, "line %u: bad records header", c.line);
		return -1;
	}
	/* grow as rows arrive: the header's count is not trusted */
	while ((ret = next_line(&c)) == 1) {
		if (n >= m->count) {
			strbuf_addf(err, "line %u: more records than the %llu "
					 "announced",
				    c.line, (unsigned long long)m->count);
			goto fail;
		}
		ALLOC_GROW(r, n + 1, alloc);
		if (parse_row(c.buf, &r[n]) || r[n].seq != n) {
			strbuf_addf(err, "line %u: bad record", c.line);
			goto fail;
		}
		n++;
	}
	if (ret < 0) {
		strbuf_addf(err, "line %u: truncated or overlong line",
			    c.line);
		goto fail;
	}
	if (n != m->count) {
		strbuf_addf(err, "%zu records, %llu announced", n,
			    (unsigned long long)m->count);
		goto fail;
	}
	*out = r ? r : xcalloc(1, sizeof(*r));
	*nout = n;
	return 0;
fail:
	free(r);
	return -1;
}

/*
 * One line of f into buf, without its '\n': 1, 0 at the end, -1 for a
 * line cut short by the end of the file or longer than the buffer.
 */
static int read_line(FILE *f, char *buf, size_t len)
{
	size_t l;

	if (!fgets(buf, (int)len, f))
		return 0;
	l = strlen(buf);
	if (!l || buf[l - 1] != '\n')
		return -1;
	buf[l - 1] = '\0';
	return 1;
}

/* The header's lines: the magic to the columns, at most this many. */
#define HEADER_LINES_MAX 11

int records_stream_open(struct records_stream *rs, FILE *f,
			struct strbuf *err)
{
	struct strbuf head = STRBUF_INIT;
	struct cursor c;
	char line[RECORD_LINE_MAX];
	int i, ret = 0;

	memset(rs, 0, sizeof(*rs));
	rs->f = f;
	/* the header's lines, then the parser of whole texts on them */
	for (i = 0; i < HEADER_LINES_MAX; i++) {
		int r = read_line(f, line, sizeof(line));

		if (r != 1)
			break;
		strbuf_addf(&head, "%s\n", line);
		if (!strcmp(line, RECORDS_COLUMNS))
			break;
	}
	c = (struct cursor){.p = head.buf, .end = head.buf + head.len};
	if (parse_header(&c, &rs->meta)) {
		strbuf_addf(err, "line %u: bad records header", c.line);
		ret = -1;
	}
	rs->line = c.line;
	strbuf_release(&head);
	return ret;
}

int records_stream_next(struct records_stream *rs, struct probe_rec *r,
			struct strbuf *err)
{
	int ret;

	rs->line++;
	ret = read_line(rs->f, rs->buf, sizeof(rs->buf));
	if (ret < 0) {
		strbuf_addf(err, "line %u: truncated or overlong line",
			    rs->line);
		return -1;
	}
	if (!ret) {
		if (ferror(rs->f)) {
			strbuf_addf(err, "line %u: %s", rs->line,
				    strerror(errno));
			return -1;
		}
		if (rs->n != rs->meta.count) {
			strbuf_addf(err, "%llu records, %llu announced",
				    (unsigned long long)rs->n,
				    (unsigned long long)rs->meta.count);
			return -1;
		}
		return 0;
	}
	if (rs->n >= rs->meta.count) {
		strbuf_addf(err,
			    "line %u: more records than the %llu announced",
			    rs->line, (unsigned long long)rs->meta.count);
		return -1;
	}
	if (parse_row(rs->buf, r) || r->seq != rs->n) {
		strbuf_addf(err, "line %u: bad record", rs->line);
		return -1;
	}
	rs->n++;
	return 1;
}
