// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MoonGen's output (l2-load-latency.lua as autotest runs it; real lines
 * in tests/data/generators/ and ../shared/fixtures/moongen/):
 *
 *   Samples: 64128, Average: 98531.6 ns, StdDev: 36736.2 ns, Quartiles: ...
 *   [Device: id=0] RX: 0.01 (StdDev 0.00) Mpps, 7 (StdDev 0) Mbit/s (9
 *     Mbit/s with framing), total 379560 packets with 24291840 bytes ...
 *   [Device: id=0] TX: ... total 379560 packets with ... bytes ...
 *   [WARN]  Failed to timestamp packet on transmission
 *
 * and its histogram file: `latency_ns,count` a line, ascending. Its
 * device counters count every frame of the port, latency (PTP) frames
 * too, and it does not count the latency frames it lost: so the
 * histogram's samples are both the latency frames sent and received,
 * and the load is the rest of each total (loss: TX total - RX total).
 * The rates are MoonGen's per-second means and deviations.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/generators.h"

struct mg_dev {
	bool seen;
	double mpps, sd;
	unsigned long long total;
};

/* "[Device: id=N] RX: MPPS (StdDev SD) Mpps, ... total N packets ..." */
static void device_line(const char *line, struct mg_dev *rx, struct mg_dev *tx)
{
	const char *p = strstr(line, "] ");
	const char *tot;
	struct mg_dev d = {.seen = true};
	char dir[3];

	if (!p || sscanf(p, "] %2[RTX]: %lf (StdDev %lf) Mpps", dir, &d.mpps,
			 &d.sd) != 3)
		return;
	tot = strstr(p, ", total ");
	if (!tot || sscanf(tot, ", total %llu packets", &d.total) != 1)
		return;
	if (!isfinite(d.mpps) || !isfinite(d.sd) || d.mpps < 0 || d.sd < 0 ||
	    d.mpps > 1e6 || d.sd > 1e6)
		return;
	if (!strcmp(dir, "RX"))
		*rx = d;
	else if (!strcmp(dir, "TX"))
		*tx = d;
}

/* "ns,count" lines into h; -1 on a line that is neither that nor blank */
static int hist_csv(const char *text, size_t len, struct hist *h,
		    unsigned long long *samples)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[96], *e;
		double ns;
		unsigned long long count;

		if (n && p[n - 1] == '\r')
			n--;
		if (n >= sizeof(line))
			return -1;
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		if (!n)
			continue;
		ns = strtod(line, &e);
		if (e == line || *e != ',' || !isfinite(ns) || ns < 0 ||
		    ns > 1e15 || !isdigit((unsigned char)e[1]))
			return -1;
		count = strtoull(e + 1, &e, 10);
		if (*e || count > (1ull << 48))
			return -1;
		if (count) {
			hist_record(h, (uint64_t)llround(ns), count);
			*samples += count;
		}
	}
	return 0;
}

int generator_moongen_parse(const struct generator_args *a, const char *out,
			    size_t olen, const char *hist, size_t hlen,
			    struct loadgen_report *r, char *why, size_t wlen)
{
	struct mg_dev rx = {0}, tx = {0};
	const char *p = out, *end = out + olen;
	unsigned long long samples = 0, line_samples = 0, warn = 0;
	bool have_samples = false;
	double secs = a->seconds > 0 ? a->seconds : (double)a->runtime_s;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[512];

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		if (!strncmp(line, "[Device: ", 9))
			device_line(line, &rx, &tx);
		else if (sscanf(line, "Samples: %llu,", &line_samples) == 1)
			have_samples = true;
		else if (strstr(line, "Failed to timestamp"))
			warn++;
	}
	if (!rx.seen || !tx.seen) {
		snprintf(why, wlen, "no RX and TX device lines in MoonGen's "
				    "output");
		return -1;
	}
	if (hist && hist_csv(hist, hlen, &r->actual, &samples)) {
		snprintf(why, wlen, "MoonGen's histogram is not latency_ns,"
				    "count lines");
		return -1;
	}
	/* without its file, the samples line counts the latency frames */
	if (!hist && have_samples)
		samples = line_samples;
	r->sent_lat = r->recv_lat = samples;
	r->sent_load = tx.total > samples ? tx.total - samples : 0;
	r->recv_load = rx.total > samples ? rx.total - samples : 0;
	r->errors = warn;
	r->seconds = secs;
	r->offered = (uint64_t)((double)a->rate * secs + 0.5);
	r->rate_mean = tx.mpps * 1e6;
	r->rate_sd = tx.sd * 1e6;
	/* what loadgen_report_parse() refuses too: not this run's load */
	if (loadgen_report_plausible(r, "MoonGen", why, wlen))
		return -1;
	snprintf(r->tx_stamp, sizeof(r->tx_stamp), "hardware");
	snprintf(r->rx_stamp, sizeof(r->rx_stamp), "hardware");
	return 0;
}
