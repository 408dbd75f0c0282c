// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/loadgen_report.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void loadgen_report_init(struct loadgen_report *r)
{
	memset(r, 0, sizeof(*r));
	hist_init(&r->actual);
	hist_init(&r->intended);
}

void loadgen_report_release(struct loadgen_report *r)
{
	unsigned k;

	hist_release(&r->actual);
	hist_release(&r->intended);
	for (k = 0; k < r->nguests; k++)
		hist_release(&r->guests[k].actual);
	r->nguests = 0;
}

void loadgen_report_guests(struct loadgen_report *r, unsigned n)
{
	if (n > LOADGEN_GUESTS_MAX)
		n = LOADGEN_GUESTS_MAX;
	for (; r->nguests < n; r->nguests++) {
		memset(&r->guests[r->nguests], 0, sizeof(r->guests[0]));
		hist_init(&r->guests[r->nguests].actual);
	}
}

int loadgen_report_plausible(const struct loadgen_report *r,
			     const char *generator, char *why, size_t wlen)
{
	if (r->sent_load <= r->offered * 2 + 1000)
		return 0;
	if (why)
		snprintf(why, wlen,
			 "%s sent %llu load frames, over twice the %llu "
			 "offered",
			 generator, (unsigned long long)r->sent_load,
			 (unsigned long long)r->offered);
	return -1;
}

static void hist_lines(const struct hist *h, const char *which,
		       struct strbuf *out)
{
	uint64_t low, count;
	unsigned b = 0;

	while (hist_next(h, &b, &low, &count))
		strbuf_addf(out, "hist %s %llu %llu\n", which,
			    (unsigned long long)low,
			    (unsigned long long)count);
}

void loadgen_report_format(const struct loadgen_report *r, struct strbuf *out)
{
	unsigned k;

	strbuf_addf(out,
		    "loadgen offered=%llu sent_load=%llu sent_lat=%llu "
		    "recv_load=%llu recv_lat=%llu errors=%llu seconds=%.6f "
		    "rate_mean=%.1f rate_sd=%.1f tx_stamp=%s rx_stamp=%s",
		    (unsigned long long)r->offered,
		    (unsigned long long)r->sent_load,
		    (unsigned long long)r->sent_lat,
		    (unsigned long long)r->recv_load,
		    (unsigned long long)r->recv_lat,
		    (unsigned long long)r->errors, r->seconds, r->rate_mean,
		    r->rate_sd, r->tx_stamp[0] ? r->tx_stamp : "user",
		    r->rx_stamp[0] ? r->rx_stamp : "kernel");
	if (r->sent_bytes)
		strbuf_addf(out, " sent_bytes=%llu",
			    (unsigned long long)r->sent_bytes);
	strbuf_addch(out, '\n');
	hist_lines(&r->actual, "actual", out);
	hist_lines(&r->intended, "intended", out);
	for (k = 0; k < r->nguests; k++) {
		const struct loadgen_guest *g = &r->guests[k];
		uint64_t low, count;
		unsigned b = 0;

		strbuf_addf(out,
			    "guest %u sent_load=%llu sent_lat=%llu "
			    "recv_load=%llu recv_lat=%llu\n",
			    k, (unsigned long long)g->sent_load,
			    (unsigned long long)g->sent_lat,
			    (unsigned long long)g->recv_load,
			    (unsigned long long)g->recv_lat);
		while (hist_next(&g->actual, &b, &low, &count))
			strbuf_addf(out, "ghist %u %llu %llu\n", k,
				    (unsigned long long)low,
				    (unsigned long long)count);
	}
}

/* A word of n bytes as an unsigned decimal (no sign, no space). */
static int word_u64(const char *s, size_t n, uint64_t *out)
{
	char buf[32], *end;

	if (!n || n >= sizeof(buf) || !isdigit((unsigned char)*s))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*out = strtoull(buf, &end, 10);
	return errno || end != buf + n ? -1 : 0;
}

static int word_real(const char *s, size_t n, double *out)
{
	char buf[32], *end;

	if (!n || n >= sizeof(buf) || !isdigit((unsigned char)*s))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtod(buf, &end);
	return end != buf + n || !isfinite(*out) || *out > 1e12 ? -1 : 0;
}

/* The next space-separated word of [*p, end): its start and length. */
static size_t next_word(const char **p, const char *end, const char **w)
{
	while (*p < end && **p == ' ')
		(*p)++;
	*w = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	return (size_t)(*p - *w);
}

enum { K_OFFERED, K_SENT_LOAD, K_SENT_LAT, K_RECV_LOAD, K_RECV_LAT,
       K_ERRORS, K_SECONDS, K_RATE_MEAN, K_RATE_SD, K_TX_STAMP, K_RX_STAMP,
       K_SENT_BYTES, K_COUNT };
/* keys a line may leave out: generators before them */
#define K_OPTIONAL (1u << K_SENT_BYTES)

static int parse_summary(const char *p, const char *end,
			 struct loadgen_report *r)
{
	static const char *const keys[K_COUNT] = {
		"offered", "sent_load", "sent_lat", "recv_load", "recv_lat",
		"errors", "seconds", "rate_mean", "rate_sd", "tx_stamp",
		"rx_stamp", "sent_bytes",
	};
	struct loadgen_report t = *r; /* the hists are shared, not copied */
	uint64_t *ints[] = {&t.offered, &t.sent_load, &t.sent_lat,
			    &t.recv_load, &t.recv_lat, &t.errors};
	double *reals[] = {&t.seconds, &t.rate_mean, &t.rate_sd};
	unsigned seen = 0, k;
	const char *w;
	size_t n;

	while ((n = next_word(&p, end, &w))) {
		const char *eq = memchr(w, '=', n);
		size_t klen;

		if (!eq)
			return -1;
		klen = (size_t)(eq - w);
		for (k = 0; k < K_COUNT; k++) {
			if (strlen(keys[k]) == klen &&
			    !memcmp(keys[k], w, klen))
				break;
		}
		if (k == K_COUNT || (seen & (1u << k)))
			return -1;
		seen |= 1u << k;
		eq++;
		n -= klen + 1;
		if (k == K_SENT_BYTES) {
			if (word_u64(eq, n, &t.sent_bytes))
				return -1;
		} else if (k <= K_ERRORS) {
			if (word_u64(eq, n, ints[k]))
				return -1;
		} else if (k <= K_RATE_SD) {
			if (word_real(eq, n, reals[k - K_SECONDS]))
				return -1;
		} else {
			char *word = k == K_TX_STAMP ? t.tx_stamp : t.rx_stamp;
			size_t i;

			/* the text is not NUL-terminated: no strspn() */
			if (!n || n >= sizeof(t.tx_stamp))
				return -1;
			for (i = 0; i < n; i++) {
				if (eq[i] < 'a' || eq[i] > 'z')
					return -1;
			}
			memcpy(word, eq, n);
			word[n] = '\0';
		}
	}
	/* no frame is larger than a jumbo one */
	if (t.sent_bytes > t.sent_load * 9018)
		return -1;
	if ((seen | K_OPTIONAL) != (1u << K_COUNT) - 1 ||
	    loadgen_report_plausible(&t, "loadgen", NULL, 0))
		return -1;
	*r = t;
	return 0;
}

/* A histogram line's end: "LOW COUNT", a bucket's low value and count */
static int bucket_words(const char *p, const char *end, uint64_t *low,
			uint64_t *count)
{
	const char *w;
	size_t n = next_word(&p, end, &w);

	if (word_u64(w, n, low))
		return -1;
	n = next_word(&p, end, &w);
	if (word_u64(w, n, count) || *count > (UINT64_C(1) << 48))
		return -1;
	return next_word(&p, end, &w) ? -1 : 0;
}

static int parse_hist(const char *p, const char *end, struct loadgen_report *r)
{
	const char *w;
	size_t n = next_word(&p, end, &w);
	struct hist *h;
	uint64_t low, count;

	if (n == 6 && !memcmp(w, "actual", 6))
		h = &r->actual;
	else if (n == 8 && !memcmp(w, "intended", 8))
		h = &r->intended;
	else
		return -1;
	if (bucket_words(p, end, &low, &count))
		return -1;
	return hist_add_bucket(h, low, count);
}

/* "K": a guest's index, below LOADGEN_GUESTS_MAX */
static int guest_index(const char **p, const char *end, unsigned *k)
{
	const char *w;
	size_t n = next_word(p, end, &w);
	uint64_t v;

	if (word_u64(w, n, &v) || v >= LOADGEN_GUESTS_MAX)
		return -1;
	*k = (unsigned)v;
	return 0;
}

/* "K sent_load=N sent_lat=N recv_load=N recv_lat=N", in that order */
static int parse_guest(const char *p, const char *end,
		       struct loadgen_report *r)
{
	static const char *const keys[] = {"sent_load", "sent_lat",
					   "recv_load", "recv_lat"};
	uint64_t v[ARRAY_SIZE(keys)];
	struct loadgen_guest *g;
	const char *w;
	unsigned k, i;
	size_t n;

	if (guest_index(&p, end, &k))
		return -1;
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		size_t klen = strlen(keys[i]);

		n = next_word(&p, end, &w);
		if (n <= klen + 1 || memcmp(w, keys[i], klen) ||
		    w[klen] != '=' || word_u64(w + klen + 1, n - klen - 1, &v[i]))
			return -1;
	}
	if (next_word(&p, end, &w))
		return -1;
	loadgen_report_guests(r, k + 1);
	g = &r->guests[k];
	g->sent_load = v[0];
	g->sent_lat = v[1];
	g->recv_load = v[2];
	g->recv_lat = v[3];
	return 0;
}

static int parse_ghist(const char *p, const char *end,
		       struct loadgen_report *r)
{
	uint64_t low, count;
	unsigned k;

	if (guest_index(&p, end, &k) || bucket_words(p, end, &low, &count))
		return -1;
	loadgen_report_guests(r, k + 1);
	return hist_add_bucket(&r->guests[k].actual, low, count);
}

int loadgen_report_parse(const char *text, size_t len,
			 struct loadgen_report *r)
{
	const char *p = text, *end = text + len;
	int found = -1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t n = (size_t)(eol - p);

		if (n > 8 && !memcmp(p, "loadgen ", 8)) {
			if (!parse_summary(p + 8, eol, r))
				found = 0;
		} else if (n > 5 && !memcmp(p, "hist ", 5)) {
			parse_hist(p + 5, eol, r); /* a bad bucket is dropped */
		} else if (n > 6 && !memcmp(p, "guest ", 6)) {
			parse_guest(p + 6, eol, r);
		} else if (n > 6 && !memcmp(p, "ghist ", 6)) {
			parse_ghist(p + 6, eol, r);
		}
		p = eol + (nl ? 1 : 0);
	}
	return found;
}
