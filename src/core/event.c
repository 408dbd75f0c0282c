// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/probe.h"
#include "core/units.h"

static int no_refusal(const struct event_where *w, int nic, char *why,
		      size_t len)
{
	(void)w;
	(void)nic;
	(void)why;
	(void)len;
	return 0;
}

/*
 * A NIC is hotplugged by its device id: NICs after the first have
 * one (nicK), and the VF of a failover pair (nic0), which QEMU's
 * failover unplugs itself when the VM migrates.
 */
static int hotplug_refuse(const struct event_where *w, int nic, char *why,
			  size_t len)
{
	if (!w->hotplug) {
		snprintf(why, len, "microvm has no hotpluggable bus");
		return 1;
	}
	if (nic == 0 && w->bond != BOND_FAILOVER) {
		snprintf(why, len, "NIC 0 carries the guest's address and has "
				   "no device id; unplug another NIC (.1), or "
				   "the VF of a failover pair");
		return 1;
	}
	return 0;
}

static int migrate_refuse(const struct event_where *w, int nic, char *why,
			  size_t len)
{
	(void)nic;
	if (!w->local) {
		snprintf(why, len, "migration between ssh servers needs a "
				   "migration network iovbench does not build "
				   "yet");
		return 1;
	}
	if (!w->taps_only) {
		snprintf(why, len, "the destination QEMU needs NICs of its "
				   "own on the same network: only taps in the "
				   "PF's bridge (a passthru macvtap or a VF "
				   "holds its lower for one VM)");
		return 1;
	}
	return 0;
}

const struct event_kind event_kind_table[EVENT_KIND_COUNT] = {
	[EV_LINK_DOWN] = {
		.name = "link-down",
		.flags = EVENT_NIC,
		.refuse = no_refusal,
		.doc = "the NIC loses its link (QMP set_link up=false): the "
		       "guest sees no carrier; in a bonded guest the bond "
		       "switches to the other NIC",
	},
	[EV_LINK_UP] = {
		.name = "link-up",
		.flags = EVENT_NIC,
		.refuse = no_refusal,
		.doc = "the NIC's link comes back (QMP set_link up=true); a "
		       "bond switches back to its primary NIC 0",
	},
	[EV_UNPLUG] = {
		.name = "unplug",
		.flags = EVENT_NIC | EVENT_ID,
		.refuse = hotplug_refuse,
		.doc = "the NIC is hot-unplugged (QMP device_del); the "
		       "event ends when QEMU reports DEVICE_DELETED",
	},
	[EV_PLUG] = {
		.name = "plug",
		.flags = EVENT_NIC | EVENT_ID,
		.refuse = hotplug_refuse,
		.doc = "the NIC is hot-plugged back (QMP device_add, same "
		       "netdev, MAC and id)",
	},
	[EV_MIGRATE] = {
		.name = "migrate",
		.flags = EVENT_MIGRATE,
		.refuse = migrate_refuse,
		.doc = "live migration of the VM (QMP migrate) to a QEMU "
		       "started with -incoming on the same network, which "
		       "then takes its place",
	},
};

static int bad(char *why, size_t len, const char *item, size_t ilen,
	       const char *what)
{
	snprintf(why, len, "'%.*s': %s", (int)ilen, item, what);
	return -1;
}

static int kind_find(const char *w, size_t n)
{
	int k;

	for (k = 0; k < EVENT_KIND_COUNT; k++) {
		if (strlen(event_kind_table[k].name) == n &&
		    !strncmp(event_kind_table[k].name, w, n))
			return k;
	}
	return -1;
}

/* One item "TIME KIND TARGET" of length ilen. */
static int item_parse(const char *item, size_t ilen, struct event *e,
		      char *why, size_t len)
{
	char words[3][48], msg[200];
	const char *p = item, *end = item + ilen, *dot;
	unsigned nw = 0;
	size_t n;
	int k;

	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		n = 0;
		while (p + n < end && p[n] != ' ')
			n++;
		if (nw == 3 || n >= sizeof(words[0]))
			return bad(why, len, item, ilen,
				   "expected TIME KIND TARGET");
		snprintf(words[nw++], sizeof(words[0]), "%.*s", (int)n, p);
		p += n;
	}
	if (nw != 3)
		return bad(why, len, item, ilen, "expected TIME KIND TARGET");
	if (units_parse_duration(words[0], &e->at_ns) || e->at_ns < 0 ||
	    e->at_ns > 3600LL * 1000000000LL)
		return bad(why, len, item, ilen,
			   "TIME is a duration from the start of the probes "
			   "(500ms, 1.5s), at most 1h");
	k = kind_find(words[1], strlen(words[1]));
	if (k < 0) {
		n = (size_t)snprintf(msg, sizeof(msg), "no event kind '%s'; "
				     "expected one of:", words[1]);
		for (k = 0; k < EVENT_KIND_COUNT && n < sizeof(msg); k++)
			n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s %s",
					      k ? "," : "",
					      event_kind_table[k].name);
		return bad(why, len, item, ilen, msg);
	}
	e->kind = (enum event_kind_id)k;
	dot = strchr(words[2], '.');
	n = dot ? (size_t)(dot - words[2]) : strlen(words[2]);
	if (n == 6 && !strncmp(words[2], "sender", 6))
		e->server = 0;
	else if (n == 9 && !strncmp(words[2], "responder", 9))
		e->server = 1;
	else
		return bad(why, len, item, ilen,
			   "TARGET is sender or responder (and .NIC)");
	e->nic = 0;
	if (dot) {
		char *tail;
		long nic = strtol(dot + 1, &tail, 10);

		if (!(event_kind_table[k].flags & EVENT_NIC))
			return bad(why, len, item, ilen,
				   "this kind acts on a guest, not on a NIC");
		if (!dot[1] || *tail || nic < 0 || nic >= GUEST_NICS_MAX) {
			snprintf(msg, sizeof(msg), "NIC is 0..%d",
				 GUEST_NICS_MAX - 1);
			return bad(why, len, item, ilen, msg);
		}
		e->nic = (int)nic;
	}
	return 0;
}

int event_schedule_parse(const char *text, struct event_schedule *s,
			 char *why, size_t len)
{
	const char *p = text;

	memset(s, 0, sizeof(*s));
	if (!strcmp(text, "none"))
		return 0;
	for (;;) {
		size_t n = strcspn(p, ";");
		const char *q = p;

		while (n && *q == ' ')
			q++, n--;
		while (n && q[n - 1] == ' ')
			n--;
		if (!n) {
			snprintf(why, len, "an empty item (items are TIME KIND "
					   "TARGET, separated by ';')");
			return -1;
		}
		if (s->n == EVENTS_MAX) {
			snprintf(why, len, "more than %d events", EVENTS_MAX);
			return -1;
		}
		if (item_parse(q, n, &s->ev[s->n], why, len))
			return -1;
		if (s->n && s->ev[s->n].at_ns < s->ev[s->n - 1].at_ns)
			return bad(why, len, q, n,
				   "comes before the event ahead of it");
		s->n++;
		p += strcspn(p, ";");
		if (!*p)
			return 0;
		p++;
	}
}

int event_schedule_check(const char *text, char *why, size_t len)
{
	struct event_schedule s;

	return event_schedule_parse(text, &s, why, len);
}

void event_target(const struct event *e, char *buf, size_t len)
{
	const char *server = e->server ? "responder" : "sender";

	if (event_kind_table[e->kind].flags & EVENT_NIC)
		snprintf(buf, len, "%s.%d", server, e->nic);
	else
		snprintf(buf, len, "%s", server);
}

int event_refusal(const struct event *e, const struct event_where *w,
		  char *why, size_t len)
{
	const struct event_kind *k = &event_kind_table[e->kind];

	if (!w->vm) {
		snprintf(why, len, "event %s acts on a VM: the main guests are "
				   "containers",
			 k->name);
		return 1;
	}
	if ((k->flags & EVENT_NIC) && (unsigned)e->nic >= w->nics) {
		snprintf(why, len, "event %s on NIC %d: the guest has %u NIC%s",
			 k->name, e->nic, w->nics, w->nics == 1 ? "" : "s");
		return 1;
	}
	if (k->refuse(w, e->nic, why, len)) {
		char tail[200];

		snprintf(tail, sizeof(tail), "%s", why);
		snprintf(why, len, "event %s: %s", k->name, tail);
		return 1;
	}
	return 0;
}

/* ---- analysis ---- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t reply_time(const struct probe_rec *r)
{
	return r->t_rx ? r->t_rx : r->t_rx_user;
}

/*
 * Median RTT of the answered probes sent in [lo, hi), but the one whose
 * reply came at time skip (from t0; -1: none), or -1.
 */
static int64_t median_rtt(const struct probe_rec *r, size_t n, int64_t t0,
			  int64_t lo, int64_t hi, int64_t skip, int64_t *buf)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		int64_t t = r[i].t_sched - t0, rtt = probe_rtt(&r[i]);

		if (t < lo || t >= hi || !r[i].replies ||
		    (skip >= 0 && reply_time(&r[i]) - t0 == skip))
			continue;
		if (rtt < 0)
			rtt = probe_rtt_user(&r[i]);
		if (rtt >= 0)
			buf[k++] = rtt;
	}
	if (!k)
		return -1;
	qsort(buf, k, sizeof(*buf), cmp_i64);
	return k % 2 ? buf[k / 2] : (buf[k / 2 - 1] + buf[k / 2]) / 2;
}

static void one_event(const struct probe_rec *r, size_t n, int64_t t0,
		      int64_t lo, int64_t hi, const struct event_timing *ev,
		      int64_t *buf, struct event_figures *f)
{
	size_t i, k = 0;
	int64_t gap_lo = 0, gap_hi = 0, best = -1;

	int64_t last_lost = INT64_MIN, last_answered = INT64_MIN;

	memset(f, 0, sizeof(*f));
	f->recovered = true;
	for (i = 0; i < n; i++) {
		int64_t t = r[i].t_sched - t0;

		if (t < lo || t >= hi)
			continue;
		f->probes++;
		if (!r[i].replies) {
			f->lost++;
			last_lost = t;
		} else if (reply_time(&r[i])) {
			buf[k++] = reply_time(&r[i]) - t0;
			last_answered = t;
		}
	}
	/* the replies' arrivals, in the order they came */
	qsort(buf, k, sizeof(*buf), cmp_i64);
	for (i = 1; i < k; i++) {
		if (buf[i] - buf[i - 1] > best) {
			best = buf[i] - buf[i - 1];
			gap_lo = buf[i - 1];
			gap_hi = buf[i];
		}
	}
	/*
	 * Probes lost after the last reply of the window, none answered
	 * after them: an outage that had not ended when the window did
	 * (it lasts at least until its last probe was sent)
	 */
	if (k && last_lost > last_answered && last_lost - buf[k - 1] > best) {
		best = last_lost - buf[k - 1];
		gap_lo = buf[k - 1];
		gap_hi = last_lost;
		f->recovered = false;
	}
	if (!k && f->lost)
		f->recovered = false; /* no reply at all in the window */
	f->outage_ns = best;
	f->gap_start_ns = best >= 0 ? gap_lo : -1;
	if (best < 0) {
		/* fewer than two replies: no outage to place the RTTs by */
		gap_lo = gap_hi = ev->at_ns;
	}
	f->rtt_before_ns =
		median_rtt(r, n, t0, lo, gap_lo - ev->span_ns, -1, buf);
	/* the probe whose reply ended the outage is not "during" it */
	f->rtt_during_ns = median_rtt(r, n, t0, gap_lo - ev->span_ns, gap_hi,
				      best >= 0 ? gap_hi : -1, buf);
	f->rtt_after_ns = median_rtt(r, n, t0, gap_hi, hi, -1, buf);
}

void event_analyze(const struct probe_rec *r, size_t n,
		   const struct event_timing *ev, unsigned nev,
		   struct event_figures *out)
{
	int64_t *buf, t0;
	unsigned e;

	if (!nev)
		return;
	buf = n ? malloc(n * sizeof(*buf)) : NULL;
	t0 = n ? r[0].t_sched : 0;
	for (e = 0; e < nev; e++) {
		int64_t lo = e ? (ev[e - 1].at_ns + ev[e].at_ns) / 2 : INT64_MIN;
		int64_t hi = e + 1 < nev ? (ev[e].at_ns + ev[e + 1].at_ns) / 2 :
					   INT64_MAX;

		if (!buf) {
			memset(&out[e], 0, sizeof(out[e]));
			out[e].outage_ns = out[e].gap_start_ns = -1;
			out[e].rtt_before_ns = out[e].rtt_during_ns =
				out[e].rtt_after_ns = -1;
			continue;
		}
		one_event(r, n, t0, lo, hi, &ev[e], buf, &out[e]);
	}
	free(buf);
}
