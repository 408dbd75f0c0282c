/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `iovbench loadgen` measured in a run, as it prints it on its way
 * out and the runner parses it (from a guest: untrusted, fuzzed):
 *
 *   loadgen offered=N sent_load=N sent_lat=N recv_load=N recv_lat=N
 *           errors=N seconds=S rate_mean=PPS rate_sd=PPS tx_stamp=WORD
 *           rx_stamp=WORD [sent_bytes=N]
 *   hist actual LOW COUNT      one line per latency histogram bucket
 *   hist intended LOW COUNT
 *   guest K sent_load=N sent_lat=N recv_load=N recv_lat=N
 *   ghist K LOW COUNT          guest K's latency histogram (actual)
 *
 * (the first line is one line). offered: load frames the rate asked for
 * in seconds; rate_mean, rate_sd: the send rate over 10 ms intervals;
 * tx_stamp, rx_stamp: where the latency frames' send and receive times
 * came from (hardware: the NIC's; kernel: the RX ring's software stamp;
 * user: the generator's clock; mixed: more than one; core/ringstamp.h). LOW names a
 * bucket of core/hist.h by its lowest value in ns. The guest lines come
 * only from a generator that spread its load over several reflectors
 * (`--to A,B,...`): K counts from 0 in the order of --to, and the
 * first line's counts are the sums over the guests.
 */
#ifndef IOV_CORE_LOADGEN_REPORT_H
#define IOV_CORE_LOADGEN_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/hist.h"
#include "util/strbuf.h"

/* destinations of one generator at most (the guests factor's maximum) */
#define LOADGEN_GUESTS_MAX 8

/* What one of several destinations was sent and sent back. */
struct loadgen_guest {
	uint64_t sent_load, sent_lat, recv_load, recv_lat;
	struct hist actual; /* its latency frames, from the actual send */
};

struct loadgen_report {
	uint64_t offered, sent_load, sent_lat, recv_load, recv_lat, errors;
	/* load frames' bytes with the FCS; 0: not said (optional key) */
	uint64_t sent_bytes;
	double seconds, rate_mean, rate_sd;
	char tx_stamp[16];
	char rx_stamp[16]; /* hardware, kernel, user or mixed */
	/* latency from the actual and from the intended send time */
	struct hist actual, intended;
	/* 0: one destination (no guest lines); else guests[0..nguests) */
	unsigned nguests;
	struct loadgen_guest guests[LOADGEN_GUESTS_MAX];
};

/* hists initialised (hist_init), counts zero */
void loadgen_report_init(struct loadgen_report *r);
void loadgen_report_release(struct loadgen_report *r);
/* At least n (<= LOADGEN_GUESTS_MAX) guests, their hists initialised. */
void loadgen_report_guests(struct loadgen_report *r, unsigned n);

void loadgen_report_format(const struct loadgen_report *r, struct strbuf *out);
/*
 * Parse text: the last "loadgen" line and every "hist", "guest" and
 * "ghist" line; other lines are ignored. 0, or -1 if no valid loadgen line (r's hists may then
 * hold some buckets).
 */
int loadgen_report_parse(const char *text, size_t len,
			 struct loadgen_report *r);
/*
 * Whether a report can be this run's: no generator sends more than twice
 * the load it was offered (plus a margin for short runs). 0, or -1 with
 * why naming the generator (every parser of a generator's output
 * refuses what this refuses, so the fuzz targets agree).
 */
int loadgen_report_plausible(const struct loadgen_report *r,
			     const char *generator, char *why, size_t wlen);

#endif
