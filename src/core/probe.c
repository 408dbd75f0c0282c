// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/probe.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

int64_t probe_rtt(const struct probe_rec *r)
{
	uint32_t hw = PROBE_TX_HW | PROBE_RX_HW;
	uint32_t sw = PROBE_TX_SW | PROBE_RX_SW;

	if (!r->replies || !r->t_tx || !r->t_rx)
		return -1;
	/* never subtract a software stamp from a hardware one */
	if ((r->flags & hw) != hw && (r->flags & sw) != sw)
		return -1;
	return r->t_rx - r->t_tx;
}

int64_t probe_rtt_user(const struct probe_rec *r)
{
	if (!r->replies || !r->t_tx_user || !r->t_rx_user)
		return -1;
	return r->t_rx_user - r->t_tx_user;
}

int64_t probe_pacing_error(const struct probe_rec *r)
{
	if ((r->flags & PROBE_SEND_ERROR) || !r->t_tx_user || !r->t_sched)
		return -1;
	return r->t_tx_user - r->t_sched;
}

const char *probe_ts_source(uint32_t f)
{
	int hw = !!(f & (PROBE_TX_HW | PROBE_RX_HW));
	int sw = !!(f & (PROBE_TX_SW | PROBE_RX_SW));

	if (hw && sw)
		return "mixed";
	if (hw)
		return "hardware";
	if (sw)
		return "software";
	return "none";
}

void probe_summarize(const struct probe_rec *r, size_t n,
		     struct probe_summary *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->count = n;
	for (i = 0; i < n; i++) {
		if (r[i].flags & PROBE_SEND_ERROR) {
			s->send_errors++;
			continue;
		}
		s->sent++;
		if (!s->first_tx || r[i].t_tx_user < s->first_tx)
			s->first_tx = r[i].t_tx_user;
		if (r[i].t_tx_user > s->last_tx)
			s->last_tx = r[i].t_tx_user;
		if (r[i].t_tx)
			s->tx_stamped++;
		s->ts_flags |= r[i].flags & (PROBE_TX_SW | PROBE_TX_HW |
					     PROBE_RX_SW | PROBE_RX_HW);
		if (!r[i].replies) {
			s->lost++;
			continue;
		}
		s->received++;
		if (r[i].t_rx)
			s->rx_stamped++;
		if (r[i].replies > 1)
			s->duplicated++;
		if (r[i].flags & PROBE_REORDERED)
			s->reordered++;
	}
}

#define RECORDS_MAGIC "iovbench-probes 1"
#define RECORDS_COLUMNS "seq sched tx_user tx rx rx_user replies flags"

void records_format(const struct probe_meta *m, const struct probe_rec *r,
		    size_t n, struct strbuf *out)
{
	size_t i;

	strbuf_addf(out,
		    RECORDS_MAGIC "\n"
				  "kind %s\ntarget %s\nport %" PRIu32
				  "\nrate %" PRIu64 "\ncount %" PRIu64
				  "\nsize %" PRIu32 "\nsession %" PRIu32
				  "\nstarted %" PRId64 "\n" RECORDS_COLUMNS
				  "\n",
		    probe_kind_name(m->kind), m->target, m->port, m->rate,
		    m->count, m->size, m->session, m->started);
	if (m->preflight != PREFLIGHT_UNSAID) {
		/* after the columns' line would break old readers: before */
		out->len -= strlen(RECORDS_COLUMNS "\n");
		out->buf[out->len] = '\0';
		strbuf_addf(out, "preflight %s\n" RECORDS_COLUMNS "\n",
			    m->preflight == PREFLIGHT_ANSWERED ? "answered" :
								 "silent");
	}
	for (i = 0; i < n; i++)
		strbuf_addf(out,
			    "%" PRIu32 " %" PRId64 " %" PRId64 " %" PRId64
			    " %" PRId64 " %" PRId64 " %" PRIu32 " %" PRIu32
			    "\n",
			    r[i].seq, r[i].t_sched, r[i].t_tx_user, r[i].t_tx,
			    r[i].t_rx, r[i].t_rx_user, r[i].replies,
			    r[i].flags);
}

/* Cursor over the text, line by line. */
struct cursor {
	const char *p, *end;
	unsigned line;
	char buf[512];
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
