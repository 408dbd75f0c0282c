/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a capture point saw, as the text `iovbench capture` prints when it
 * stops and the runner parses (from a server over ssh: untrusted,
 * fuzzed):
 *
 *   iovbench-capture 1
 *   frames=N drops=N events=N [streamed=N]
 *   KIND DIR WAY SESSION SEQ T        one line per probe frame
 *
 * KIND icmp | udp; DIR request | reply; WAY out (sent by the interface)
 * | in; T the frame's kernel timestamp, ns of the server's
 * CLOCK_REALTIME. events= counts the lines that follow: a report cut
 * short is refused, not taken for fewer frames.
 */
#ifndef IOV_CORE_CAPTURE_REPORT_H
#define IOV_CORE_CAPTURE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"
#include "util/strbuf.h"

struct capture_report {
	struct capture_event *ev; /* in capture order */
	size_t n;
	uint64_t frames; /* frames the filter passed */
	uint64_t drops;	 /* frames the ring lost */
	/* events written to a file of their own as they came (capture
	 * --events), one event line each, not in this report */
	uint64_t streamed;
};

/* An event's line ('\n' included) is shorter than this. */
#define CAPTURE_EVENT_LINE_MAX 128

/* One event's line into buf; its length. */
int capture_event_format(const struct capture_event *e, char *buf, size_t len);
/* One line (n bytes, without '\n'): 0, or -1 if it is not an event. */
int capture_event_parse(const char *line, size_t n, struct capture_event *e);

void capture_report_format(const struct capture_report *r,
			   struct strbuf *out);
/*
 * Parse text (len bytes, no NUL needed) into r (r->ev allocated). 0, or
 * -1 with why naming the line.
 */
int capture_report_parse(const char *text, size_t len,
			 struct capture_report *r, char *why, size_t wlen);
void capture_report_release(struct capture_report *r);

#endif
