// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/probe_serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/time.h"

/* a run's wait for late replies: an hour is already a hung prober */
#define TIMEOUT_MAX_NS (3600 * NSEC_PER_SEC)
#define WARMUP_MAX 1000000

/* A decimal number in 0..max, nothing else. */
static int parse_u64(const char *v, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || n > max)
		return -1;
	*out = n;
	return 0;
}

/* A value as the campaign's factor id takes it: the limits are its. */
static int parse_factor(enum factor_id id, const char *v, int64_t *out,
			char *why, size_t wlen)
{
	char w[96] = "";

	if (factor_parse(id, v, out, w, sizeof(w)) || *out < 0) {
		snprintf(why, wlen, "%s", *w ? w : "not a number");
		return -1;
	}
	return 0;
}

enum key {
	K_KIND,
	K_RATE,
	K_COUNT,
	K_SIZE,
	K_WARMUP,
	K_PORT,
	K_TIMEOUT,
	K_SCHEDULE,
	K_SEED,
	K_BUSY_POLL,
	K_SENDER,
	K_TARGET,
	K_OUT,
	KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
	[K_KIND] = "kind",	   [K_RATE] = "rate",
	[K_COUNT] = "count",	   [K_SIZE] = "size",
	[K_WARMUP] = "warmup",	   [K_PORT] = "port",
	[K_TIMEOUT] = "timeout",   [K_SCHEDULE] = "schedule",
	[K_SEED] = "seed",	   [K_BUSY_POLL] = "busy_poll",
	[K_SENDER] = "sender",
	[K_TARGET] = "target",	   [K_OUT] = "out",
};

static bool path_ok(const char *p)
{
	size_t n = strlen(p);

	if (p[0] != '/' || n >= PROBE_SERVE_PATH_MAX)
		return false;
	for (; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	}
	return true;
}

/* One key's value into req: 0, or -1 with why (the value's fault). */
static int put(struct probe_serve_req *req, enum key k, const char *v,
	       char *why, size_t wlen)
{
	struct in_addr a;
	uint64_t u;
	int64_t f;

	switch (k) {
	case K_KIND:
		if (parse_factor(F_PROBE, v, &f, why, wlen))
			return -1;
		req->kind = (enum probe_kind)f;
		return 0;
	case K_RATE:
		if (parse_factor(F_RATE, v, &f, why, wlen))
			return -1;
		req->rate = (uint64_t)f;
		return 0;
	case K_COUNT:
		if (parse_factor(F_COUNT, v, &f, why, wlen))
			return -1;
		req->count = (uint64_t)f;
		return 0;
	case K_SIZE:
		if (parse_factor(F_SIZE, v, &f, why, wlen))
			return -1;
		req->size = (unsigned)f;
		return 0;
	case K_SCHEDULE:
		if (parse_factor(F_SCHEDULE, v, &f, why, wlen))
			return -1;
		req->schedule = (enum schedule_kind)f;
		return 0;
	case K_SENDER:
		if (parse_factor(F_SENDER, v, &f, why, wlen))
			return -1;
		req->sender = (enum probe_sender)f;
		return 0;
	case K_WARMUP:
		if (parse_u64(v, WARMUP_MAX, &req->warmup))
			break;
		return 0;
	case K_PORT:
		if (parse_u64(v, UINT16_MAX, &u) || !u)
			break;
		req->port = (uint16_t)u;
		return 0;
	case K_TIMEOUT:
		if (parse_u64(v, (uint64_t)TIMEOUT_MAX_NS, &u))
			break;
		req->timeout_ns = (int64_t)u;
		return 0;
	case K_SEED:
		if (parse_u64(v, UINT64_MAX, &req->seed))
			break;
		return 0;
	case K_BUSY_POLL:
		if (parse_u64(v, 1, &u))
			break;
		req->busy_poll = u;
		return 0;
	case K_TARGET:
		if (strlen(v) >= sizeof(req->target) ||
		    inet_pton(AF_INET, v, &a) != 1)
			break;
		memcpy(req->target, v, strlen(v) + 1);
		return 0;
	case K_OUT:
		if (!path_ok(v))
			break;
		memcpy(req->out, v, strlen(v) + 1);
		return 0;
	default:
		break;
	}
	snprintf(why, wlen, "out of range or malformed");
	return -1;
}

int probe_serve_parse(const char *line, struct probe_serve_req *req,
		      char *why, size_t wlen)
{
	char buf[PROBE_SERVE_LINE_MAX], w[128];
	bool seen[KEY_COUNT] = {0};
	char *tok, *save = NULL;
	size_t n = strlen(line);
	int k;

	memset(req, 0, sizeof(*req));
	if (n >= sizeof(buf)) {
		snprintf(why, wlen, "a line of %zu bytes (at most %d)", n,
			 PROBE_SERVE_LINE_MAX - 1);
		return -1;
	}
	memcpy(buf, line, n + 1);
	tok = strtok_r(buf, " ", &save);
	if (!tok || strcmp(tok, "run")) {
		snprintf(why, wlen, "expected 'run KEY=VALUE...'");
		return -1;
	}
	while ((tok = strtok_r(NULL, " ", &save))) {
		char *eq = strchr(tok, '=');

		if (!eq) {
			snprintf(why, wlen, "'%.40s' is not KEY=VALUE", tok);
			return -1;
		}
		*eq = '\0';
		for (k = 0; k < KEY_COUNT && strcmp(key_names[k], tok); k++)
			;
		if (k == KEY_COUNT) {
			snprintf(why, wlen, "unknown key '%.40s'", tok);
			return -1;
		}
		if (seen[k]) {
			snprintf(why, wlen, "'%s' given twice", tok);
			return -1;
		}
		seen[k] = true;
		if (put(req, (enum key)k, eq + 1, w, sizeof(w))) {
			snprintf(why, wlen, "%s '%.40s': %s", tok, eq + 1, w);
			return -1;
		}
	}
	for (k = 0; k < KEY_COUNT; k++) {
		if (!seen[k]) {
			snprintf(why, wlen, "no '%s'", key_names[k]);
			return -1;
		}
	}
	return 0;
}

/* The KEY=VALUE words but out=, space-separated: length, or -1 */
static int format_kv(const struct probe_serve_req *req, char *buf,
		     size_t len)
{
	int n;

	if ((unsigned)req->kind >= PROBE_KIND_COUNT ||
	    (unsigned)req->schedule >= SCHEDULE_KIND_COUNT ||
	    (unsigned)req->sender >= PROBE_SENDER_COUNT)
		return -1;
	n = snprintf(buf, len,
		     "kind=%s rate=%" PRIu64 " count=%" PRIu64
		     " size=%u warmup=%" PRIu64 " port=%u timeout=%" PRId64
		     " schedule=%s seed=%" PRIu64 " busy_poll=%d sender=%s "
		     "target=%s",
		     probe_kind_name(req->kind), req->rate, req->count,
		     req->size, req->warmup, (unsigned)req->port,
		     req->timeout_ns, schedule_kind_name(req->schedule),
		     req->seed, req->busy_poll ? 1 : 0,
		     probe_sender_name(req->sender), req->target);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int probe_serve_format(const struct probe_serve_req *req, char *buf,
		       size_t len)
{
	int k, n;

	if (!path_ok(req->out) || len < 5)
		return -1;
	memcpy(buf, "run ", 4);
	k = format_kv(req, buf + 4, len - 4);
	if (k < 0)
		return -1;
	n = snprintf(buf + 4 + k, len - 4 - (size_t)k, " out=%s\n", req->out);
	if (n < 0 || (size_t)n >= len - 4 - (size_t)k)
		return -1;
	n += 4 + k;
	return n >= PROBE_SERVE_LINE_MAX ? -1 : n;
}

int probe_serve_words(const struct probe_serve_req *req, char *buf,
		      size_t len, const char **kv, int max)
{
	char *w, *save;
	int n = 0;

	if (format_kv(req, buf, len) < 0)
		return -1;
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (n == max)
			return -1;
		kv[n++] = w;
	}
	return n;
}
