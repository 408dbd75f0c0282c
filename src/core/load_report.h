/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a load generator achieved, as one line it prints when it stops
 * and the runner parses (from a guest: untrusted, fuzzed):
 *
 *   load ROLE packets=N bytes=N errors=N seconds=S cpu_seconds=S
 *
 * bytes are Ethernet frame bytes (FCS included, as RFC 2544 counts);
 * seconds is how long it loaded: from its first frame (net, sink) or its
 * start (cpu) to its stop.
 */
#ifndef IOV_CORE_LOAD_REPORT_H
#define IOV_CORE_LOAD_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

enum load_role { LOAD_ROLE_CPU, LOAD_ROLE_NET, LOAD_ROLE_SINK,
		 LOAD_ROLE_COUNT };

struct load_report {
	enum load_role role;
	uint64_t packets, bytes, errors;
	double seconds;	    /* loading time */
	double cpu_seconds; /* user + system time of the generator */
};

const char *load_role_name(enum load_role r);
int load_role_find(const char *name);

void load_report_format(const struct load_report *r, struct strbuf *out);
/* The last "load ..." line of text; 0, or -1 if there is none valid. */
int load_report_parse(const char *text, size_t len, struct load_report *r);

/* Achieved rates: frames/s and bits/s (0 when it did not run). */
double load_report_pps(const struct load_report *r);
double load_report_bps(const struct load_report *r);

#endif
