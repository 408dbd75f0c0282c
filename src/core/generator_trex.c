// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TRex's stats, as its stateless Python API returns them from
 * STLClient.get_stats() after wait_on_traffic() and tools/trex-loadlat.py
 * prints them (json.dumps: integer keys become strings). What is read:
 *
 *   flow_stats.PG.tx_pkts.total, rx_pkts.total   per stream, PG the
 *       pg_id: TREX_PG_LOAD (STLFlowStats) and TREX_PG_LATENCY
 *       (STLFlowLatencyStats)
 *   latency.PG.latency.histogram   {"START_US": count}: a bucket from
 *       START to START + 10^(digits of START - 1) us (0: 0 to 10 us)
 *   latency.PG.err_cntrs.dropped
 *   iovbench.seconds, iovbench.tx_pps_mean, iovbench.tx_pps_sd  what the
 *       driver adds: the load's duration and its sampled send rate
 *
 * TRex's histogram has one significant digit, so each bucket's frames go
 * to its middle (a 10-20 us bucket: 15 us, within +-5 us): its
 * percentiles are only as good as that, and docs/metrics.md says so.
 * Its latency is measured in software by TRex's latency core.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/generators.h"
#include "core/json_scan.h"

static int pg_counts(const struct json_span *flow, int pg, double *tx,
		     double *rx)
{
	struct json_span s, t, r;
	char key[16];

	snprintf(key, sizeof(key), "%d", pg);
	if (json_scan_get(flow, key, &s) || json_scan_get(&s, "tx_pkts", &t) ||
	    json_scan_get(&s, "rx_pkts", &r) ||
	    json_scan_get_number(&t, "total", tx) ||
	    json_scan_get_number(&r, "total", rx))
		return -1;
	return *tx >= 0 && *rx >= 0 && *tx < 1e15 && *rx < 1e15 ? 0 : -1;
}

/* one-digit buckets: the width of the bucket that starts at us */
static double bucket_width_us(double us)
{
	double w = 1;

	if (us < 10)
		return 10;
	while (w * 10 <= us)
		w *= 10;
	return w;
}

static int histogram(const struct json_span *lat, struct hist *h,
		     uint64_t *samples)
{
	struct json_span pg, l, hs, v;
	const char *pos = NULL;
	char key[32], pgkey[16], *e;
	int ret;

	snprintf(pgkey, sizeof(pgkey), "%d", TREX_PG_LATENCY);
	if (json_scan_get(lat, pgkey, &pg) || json_scan_get(&pg, "latency", &l) ||
	    json_scan_get(&l, "histogram", &hs))
		return -1;
	while ((ret = json_scan_next(&hs, &pos, key, sizeof(key), &v)) == 1) {
		double us = strtod(key, &e), n;

		if (e == key || *e || !isfinite(us) || us < 0 || us > 1e9 ||
		    json_scan_number(&v, &n) || n < 0 || n > 1e15)
			return -1;
		if (n < 1)
			continue;
		hist_record(h, (uint64_t)llround((us + bucket_width_us(us) / 2) *
						 1000),
			    (uint64_t)n);
		*samples += (uint64_t)n;
	}
	return ret;
}

int generator_trex_parse(const struct generator_args *a, const char *out,
			 size_t olen, const char *hist, size_t hlen,
			 struct loadgen_report *r, char *why, size_t wlen)
{
	struct json_span root, flow, lat, ours;
	double ltx, lrx, mtx, mrx, secs = 0, mean = 0, sd = 0;
	uint64_t samples = 0;

	(void)hist;
	(void)hlen;
	if (json_scan_root(out, olen, &root) || !json_scan_is_object(&root)) {
		snprintf(why, wlen, "TRex's stats are not a JSON object");
		return -1;
	}
	if (json_scan_get(&root, "flow_stats", &flow) ||
	    pg_counts(&flow, TREX_PG_LOAD, &ltx, &lrx) ||
	    pg_counts(&flow, TREX_PG_LATENCY, &mtx, &mrx)) {
		snprintf(why, wlen, "no flow_stats of pg_id %d and %d in "
				    "TRex's stats",
			 TREX_PG_LOAD, TREX_PG_LATENCY);
		return -1;
	}
	if (json_scan_get(&root, "latency", &lat) ||
	    histogram(&lat, &r->actual, &samples)) {
		snprintf(why, wlen, "no latency histogram of pg_id %d in "
				    "TRex's stats",
			 TREX_PG_LATENCY);
		return -1;
	}
	if (!json_scan_get(&root, "iovbench", &ours)) {
		json_scan_get_number(&ours, "seconds", &secs);
		json_scan_get_number(&ours, "tx_pps_mean", &mean);
		json_scan_get_number(&ours, "tx_pps_sd", &sd);
	}
	if (!(secs > 0 && secs < 1e6))
		secs = a->seconds > 0 ? a->seconds : (double)a->runtime_s;
	r->sent_load = (uint64_t)ltx;
	r->recv_load = (uint64_t)lrx;
	r->sent_lat = (uint64_t)mtx;
	r->recv_lat = (uint64_t)mrx;
	r->seconds = secs;
	r->offered = (uint64_t)((double)a->rate * secs + 0.5);
	r->rate_mean = mean >= 0 && mean < 1e12 ? mean : 0;
	r->rate_sd = sd >= 0 && sd < 1e12 ? sd : 0;
	/* what loadgen_report_parse() refuses too: not this run's load */
	if (loadgen_report_plausible(r, "TRex", why, wlen))
		return -1;
	snprintf(r->tx_stamp, sizeof(r->tx_stamp), "trex");
	snprintf(r->rx_stamp, sizeof(r->rx_stamp), "trex");
	return 0;
}
