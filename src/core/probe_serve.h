/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The line protocol of a prober that lives for a setup (`iovbench probe
 * --serve`): the runner writes one request line per run on its stdin,
 *
 *   run kind=icmp rate=1000 count=100 size=64 warmup=10 port=7
 *       timeout=1000000000 schedule=fixed seed=0 busy_poll=0 sender=socket
 *       target=198.18.1.2 out=/var/lib/x/.probes-ab12Cd
 *
 * (one line; keys in any order, each once, all of them), and the prober
 * answers "begun" once it has opened the output file, then "done N" when
 * the run's N records are written to it (the same text as `probe
 * --records`), or "fail" (its reason on stderr) at either step. Its
 * first line is "ready"; its stdin's end is its stop. The parser checks
 * each value as the campaign's factors do: the line crosses a process
 * boundary, and a guest's could come from anywhere.
 */
#ifndef IOV_CORE_PROBE_SERVE_H
#define IOV_CORE_PROBE_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/factor.h"

/* a request line's longest, the output path included */
#define PROBE_SERVE_LINE_MAX 4352
#define PROBE_SERVE_PATH_MAX 4096

struct probe_serve_req {
	enum probe_kind kind;
	uint64_t rate;	/* probes per second */
	uint64_t count; /* probes recorded */
	unsigned size;	/* frame size, FCS included */
	uint64_t warmup;
	uint16_t port;	    /* of the reflector (UDP) */
	int64_t timeout_ns; /* wait for replies after the last send */
	enum schedule_kind schedule;
	uint64_t seed; /* of a poisson schedule; 0: none */
	bool busy_poll;
	enum probe_sender sender;
	char target[16]; /* dotted IPv4 */
	char out[PROBE_SERVE_PATH_MAX]; /* absolute path, no spaces */
};

/*
 * Parse a request line (without its newline): 0, or -1 with why (the
 * key and the value refused) filled.
 */
int probe_serve_parse(const char *line, struct probe_serve_req *req,
		      char *why, size_t wlen);
/*
 * The line for req, newline included, into buf: its length, or -1 if
 * it does not fit or req has a value the parser would refuse (a path
 * with a space, say).
 */
int probe_serve_format(const struct probe_serve_req *req, char *buf,
		       size_t len);
/*
 * The line's KEY=VALUE words but out= (the guest agent's probe request
 * carries them; the agent names the output itself), formatted into buf
 * and pointed to by kv: their count, or -1 if they do not fit in buf or
 * in max words, or req has a value the parser would refuse.
 */
int probe_serve_words(const struct probe_serve_req *req, char *buf,
		      size_t len, const char **kv, int max);

#endif
