// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iperf3's JSON report (core/iperf_report.h). Only the fields read are
 * checked: a number where a number belongs, non-negative counts; what
 * else the document holds (the streams' own intervals, new fields of
 * later iperf3 versions) is ignored.
 */
#include "core/iperf_report.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A number at obj.key: 0, or -1 when absent or not a finite number. */
static int num_at(json_t *obj, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);
	double d;

	if (!json_is_number(v))
		return -1;
	d = json_number_value(v);
	if (!isfinite(d))
		return -1;
	*out = d;
	return 0;
}

/* A count (a non-negative number below 2^63): 0 or -1. */
static int count_at(json_t *obj, const char *key, int64_t *out)
{
	double d;

	if (num_at(obj, key, &d) || d < 0 || d >= 9.2e18)
		return -1;
	*out = (int64_t)d;
	return 0;
}

static void start_of(json_t *root, struct iperf_report *r)
{
	json_t *ts = json_object_get(json_object_get(root, "start"),
				     "test_start");
	const char *proto = json_string_value(json_object_get(ts, "protocol"));

	if (proto)
		snprintf(r->protocol, sizeof(r->protocol), "%s", proto);
	if (count_at(ts, "num_streams", &r->streams))
		r->streams = 0;
	if (count_at(ts, "blksize", &r->blksize))
		r->blksize = 0;
	if (num_at(ts, "duration", &r->duration) || r->duration < 0)
		r->duration = 0;
}

/* end.sum_sent or end.sum_received: bytes, seconds, bits per second */
static int sum_of(json_t *end, const char *key, uint64_t *bytes,
		  double *seconds, double *bps)
{
	json_t *sum = json_object_get(end, key);
	int64_t b;

	if (!json_is_object(sum) || count_at(sum, "bytes", &b) ||
	    num_at(sum, "seconds", seconds) || *seconds < 0 ||
	    num_at(sum, "bits_per_second", bps) || *bps < 0)
		return -1;
	*bytes = (uint64_t)b;
	return 0;
}

/* the senders' mean_rtt (us), averaged over the streams that have one */
static double tcp_rtt_of(json_t *end)
{
	json_t *streams = json_object_get(end, "streams"), *st;
	double sum = 0, rtt;
	unsigned n = 0;
	size_t i;

	json_array_foreach(streams, i, st) {
		json_t *snd = json_object_get(st, "sender");

		if (!num_at(snd, "mean_rtt", &rtt) && rtt >= 0) {
			sum += rtt;
			n++;
		}
	}
	return n ? sum / n : NAN;
}

/* intervals[].sum, the streams' sum of each interval */
static void intervals_of(json_t *root, struct iperf_report *r)
{
	json_t *ivs = json_object_get(root, "intervals"), *it;
	double last = 0;
	size_t i;

	json_array_foreach(ivs, i, it) {
		json_t *sum = json_object_get(it, "sum");
		struct iperf_interval v;

		if (num_at(sum, "start", &v.start) ||
		    num_at(sum, "end", &v.end) ||
		    num_at(sum, "bits_per_second", &v.bps) || v.start < 0 ||
		    v.end < v.start || v.bps < 0 || v.start < last ||
		    r->nintervals >= IPERF_INTERVALS_MAX) {
			r->dropped_intervals++;
			continue;
		}
		last = v.start;
		r->iv[r->nintervals++] = v;
	}
}

static void end_of(json_t *end, struct iperf_report *r)
{
	json_t *sum = json_object_get(end, "sum");
	json_t *cpu = json_object_get(end, "cpu_utilization_percent");
	int64_t retr;

	r->have_sums = !sum_of(end, "sum_sent", &r->sent_bytes,
			       &r->sent_seconds, &r->sent_bps) &&
		       !sum_of(end, "sum_received", &r->recv_bytes,
			       &r->recv_seconds, &r->recv_bps);
	if (!count_at(json_object_get(end, "sum_sent"), "retransmits", &retr))
		r->retransmits = retr;
	/* UDP: the receiver's view, in end.sum */
	if (json_is_object(sum)) {
		if (count_at(sum, "packets", &r->packets) ||
		    count_at(sum, "lost_packets", &r->lost_packets)) {
			r->packets = -1;
			r->lost_packets = -1;
		}
		if (num_at(sum, "lost_percent", &r->lost_pct) ||
		    r->lost_pct < 0)
			r->lost_pct = NAN;
		if (num_at(sum, "jitter_ms", &r->jitter_ms) ||
		    r->jitter_ms < 0)
			r->jitter_ms = NAN;
	}
	r->tcp_rtt_us = tcp_rtt_of(end);
	if (num_at(cpu, "host_total", &r->cpu_local_pct) ||
	    r->cpu_local_pct < 0)
		r->cpu_local_pct = NAN;
	if (num_at(cpu, "remote_total", &r->cpu_remote_pct) ||
	    r->cpu_remote_pct < 0)
		r->cpu_remote_pct = NAN;
}

int iperf_report_parse(const char *text, size_t len, struct iperf_report *r,
		       char *why, size_t wlen)
{
	json_error_t jerr;
	json_t *root;
	const char *err;
	int ret = 0;

	/* not all of it: the intervals' array is large, and counted */
	memset(r, 0, offsetof(struct iperf_report, iv));
	r->nintervals = r->dropped_intervals = 0;
	r->start_secs = -1;
	r->retransmits = r->packets = r->lost_packets = -1;
	r->lost_pct = r->jitter_ms = r->tcp_rtt_us = NAN;
	r->cpu_local_pct = r->cpu_remote_pct = NAN;
	/* not JSON_REJECT_DUPLICATES: iperf3 3.12 writes sock_bufsize twice
	 * with more than one stream (the last one is kept) */
	root = json_loadb(text, len, 0, &jerr);
	if (!root) {
		snprintf(why, wlen, "not iperf3's JSON: line %d: %s", jerr.line,
			 jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		snprintf(why, wlen, "not iperf3's JSON: not an object");
		ret = -1;
		goto out;
	}
	start_of(root, r);
	if (count_at(json_object_get(json_object_get(root, "start"),
				     "timestamp"),
		     "timesecs", &r->start_secs))
		r->start_secs = -1;
	intervals_of(root, r);
	end_of(json_object_get(root, "end"), r);
	err = json_string_value(json_object_get(root, "error"));
	if (err) {
		/* iperf3's words, without control characters */
		size_t i;

		snprintf(r->error, sizeof(r->error), "%s", err);
		for (i = 0; r->error[i]; i++) {
			if ((unsigned char)r->error[i] < 0x20)
				r->error[i] = ' ';
		}
		snprintf(why, wlen, "iperf3: %s", r->error);
		ret = -1;
	} else if (!r->have_sums) {
		snprintf(why, wlen, "iperf3's JSON has no end.sum_sent and "
				    "end.sum_received");
		ret = -1;
	}
out:
	json_decref(root);
	return ret;
}
