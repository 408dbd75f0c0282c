// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/split.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static const char *const point_names[SPLIT_POINTS] = {
	[SPLIT_SENDER_NIC] = "sender-nic",
	[SPLIT_RESPONDER_NIC] = "responder-nic",
	[SPLIT_SENDER_PORT] = "sender-port",
	[SPLIT_RESPONDER_PORT] = "responder-port",
};

static const struct {
	const char *name;
	size_t off;
} durations[SPLIT_DURATIONS] = {
	[SPLIT_RTT_NIC] = {"rtt_nic", offsetof(struct probe_split, rtt_nic)},
	[SPLIT_RESPONSE] = {"response",
			    offsetof(struct probe_split, response)},
	[SPLIT_WIRE] = {"wire", offsetof(struct probe_split, wire)},
	[SPLIT_OVERHEAD] = {"overhead",
			    offsetof(struct probe_split, overhead)},
	[SPLIT_SND_HOST] = {"snd_host",
			    offsetof(struct probe_split, snd_host)},
	[SPLIT_RSP_HOST] = {"rsp_host",
			    offsetof(struct probe_split, rsp_host)},
	[SPLIT_RSP_GUEST] = {"rsp_guest",
			     offsetof(struct probe_split, rsp_guest)},
};

const char *split_duration_name(enum split_duration d)
{
	return (unsigned)d < SPLIT_DURATIONS ? durations[d].name : "?";
}

int64_t split_duration(const struct probe_split *ps, enum split_duration d)
{
	return (unsigned)d < SPLIT_DURATIONS ?
		       *(const int64_t *)((const char *)ps + durations[d].off) :
		       SPLIT_NONE;
}

void split_renumber(struct capture_event *ev, size_t n, uint32_t session,
		    uint32_t warmup)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct probe_frame *f = &ev[i].f;

		if (f->session != session)
			continue;
		if (f->seq < warmup)
			f->session = session + 1;
		else
			f->seq -= warmup;
	}
}

const char *split_point_name(enum split_point p)
{
	return (unsigned)p < SPLIT_POINTS ? point_names[p] : "?";
}

/* recs by seq: (seq, index) pairs, sorted and searched */
struct by_seq {
	uint32_t seq;
	size_t i;
};

static int cmp_seq(const void *a, const void *b)
{
	uint32_t x = ((const struct by_seq *)a)->seq,
		 y = ((const struct by_seq *)b)->seq;

	return x < y ? -1 : x > y;
}

static long find(const struct by_seq *idx, size_t n, uint32_t seq)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (idx[mid].seq == seq)
			return (long)idx[mid].i;
		if (idx[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * Which time of the probe an event is: at the sender NIC the request
 * goes out and the reply comes in; at the responder NIC the opposite.
 * At a port the way depends on the kind of link: not checked.
 */
static int64_t *slot_of(struct probe_split *ps, enum split_point p,
			const struct capture_event *e, bool *wrong)
{
	bool out_expected = (p == SPLIT_SENDER_NIC) == e->f.request;

	*wrong = p < SPLIT_NIC_POINTS && e->outgoing != out_expected;
	switch (p) {
	case SPLIT_SENDER_NIC:
		return e->f.request ? &ps->snd_out : &ps->snd_in;
	case SPLIT_RESPONDER_NIC:
		return e->f.request ? &ps->rsp_in : &ps->rsp_out;
	case SPLIT_SENDER_PORT:
		return e->f.request ? &ps->snd_port_req : &ps->snd_port_rep;
	default:
		return e->f.request ? &ps->rsp_port_req : &ps->rsp_port_rep;
	}
}

/* b - a + d - c, or SPLIT_NONE unless all four were seen. */
static int64_t two_legs(int64_t a, int64_t b, int64_t c, int64_t d)
{
	return a >= 0 && b >= 0 && c >= 0 && d >= 0 ? b - a + d - c :
						      SPLIT_NONE;
}

void split_reset(struct probe_split *ps)
{
	ps->snd_out = ps->snd_in = ps->rsp_in = ps->rsp_out = -1;
	ps->snd_port_req = ps->snd_port_rep = ps->rsp_port_req =
		ps->rsp_port_rep = -1;
	ps->rtt_nic = ps->response = ps->wire = ps->overhead = SPLIT_NONE;
	ps->snd_host = ps->rsp_host = ps->rsp_guest = SPLIT_NONE;
}

bool split_event_of(const struct probe_meta *meta,
		    const struct capture_event *e)
{
	return e->f.session == meta->session && e->f.kind == meta->kind;
}

void split_event(struct probe_split *ps, enum split_point p,
		 const struct capture_event *e, struct split_counts *counts)
{
	bool wrong;
	int64_t *slot = slot_of(ps, p, e, &wrong);

	if (wrong) {
		counts->wrong_way++;
		return;
	}
	if (*slot >= 0) {
		counts->repeats++;
		return;
	}
	*slot = e->t;
	if (e->f.request)
		counts->requests++;
	else
		counts->replies++;
}

void split_finish(struct probe_split *ps, const struct probe_rec *rec)
{
	int64_t rtt = probe_rtt(rec);

	if (ps->snd_out >= 0 && ps->snd_in >= 0)
		ps->rtt_nic = ps->snd_in - ps->snd_out;
	if (ps->rsp_in >= 0 && ps->rsp_out >= 0)
		ps->response = ps->rsp_out - ps->rsp_in;
	if (ps->rtt_nic != SPLIT_NONE && ps->response != SPLIT_NONE)
		ps->wire = ps->rtt_nic - ps->response;
	if (ps->rtt_nic != SPLIT_NONE && rtt >= 0)
		ps->overhead = rtt - ps->rtt_nic;
	ps->snd_host = two_legs(ps->snd_port_req, ps->snd_out, ps->snd_in,
				ps->snd_port_rep);
	ps->rsp_host = two_legs(ps->rsp_in, ps->rsp_port_req,
				ps->rsp_port_rep, ps->rsp_out);
	if (ps->rsp_port_req >= 0 && ps->rsp_port_rep >= 0)
		ps->rsp_guest = ps->rsp_port_rep - ps->rsp_port_req;
}

void split_match(const struct probe_meta *meta, const struct probe_rec *recs,
		 size_t n, const struct split_input in[SPLIT_POINTS],
		 struct probe_split *out,
		 struct split_counts counts[SPLIT_POINTS])
{
	struct by_seq *idx = xcalloc(n ? n : 1, sizeof(*idx));
	size_t i, j;
	int p;

	for (i = 0; i < n; i++) {
		idx[i].seq = recs[i].seq;
		idx[i].i = i;
		split_reset(&out[i]);
	}
	qsort(idx, n, sizeof(*idx), cmp_seq);
	memset(counts, 0, SPLIT_POINTS * sizeof(*counts));
	for (p = 0; p < SPLIT_POINTS; p++) {
		if (!in[p].available)
			continue;
		for (j = 0; j < in[p].n; j++) {
			const struct capture_event *e = &in[p].ev[j];
			long k;

			if (!split_event_of(meta, e))
				continue;
			k = find(idx, n, e->f.seq);
			if (k < 0)
				continue; /* a warm-up probe */
			split_event(&out[k], (enum split_point)p, e,
				    &counts[p]);
		}
	}
	for (i = 0; i < n; i++)
		split_finish(&out[i], &recs[i]);
	free(idx);
}
