// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/probe.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

int64_t probe_rtt(const struct probe_rec *r)
{
	uint32_t hw = PROBE_TX_HW | PROBE_RX_HW;
	uint32_t sw = PROBE_TX_SW | PROBE_RX_SW;

	if (!r->replies || !r->t_tx || !r->t_rx)
		return -1;
	/* never subtract a software stamp from a hardware one */
	if ((r->flags & hw) != hw && (r->flags & sw) != sw)
		return -1;
	return r->t_rx - r->t_tx;
}

int64_t probe_rtt_user(const struct probe_rec *r)
{
	if (!r->replies || !r->t_tx_user || !r->t_rx_user)
		return -1;
	return r->t_rx_user - r->t_tx_user;
}

int64_t probe_pacing_error(const struct probe_rec *r)
{
	if ((r->flags & PROBE_SEND_ERROR) || !r->t_tx_user || !r->t_sched)
		return -1;
	return r->t_tx_user - r->t_sched;
}

int64_t probe_rtt_sched(const struct probe_rec *r)
{
	int64_t end;

	if (!r->replies || !r->t_sched || (r->flags & PROBE_SEND_ERROR))
		return -1;
	/* a NIC's stamp is on its own clock, never the schedule's */
	end = (r->flags & PROBE_RX_SW) && r->t_rx ? r->t_rx : r->t_rx_user;
	if (!end || end < r->t_sched)
		return -1;
	return end - r->t_sched;
}

const char *probe_ts_source(uint32_t f)
{
	int hw = !!(f & (PROBE_TX_HW | PROBE_RX_HW));
	int sw = !!(f & (PROBE_TX_SW | PROBE_RX_SW));

	if (hw && sw)
		return "mixed";
	if (hw)
		return "hardware";
	if (sw)
		return "software";
	return "none";
}

void probe_summary_add(struct probe_summary *s, const struct probe_rec *r)
{
	int64_t interval = 0;

	/*
	 * Records come in seq order: the schedule's ends are the first and
	 * the latest record's. "Late" is measured in the mean scheduled
	 * interval so far, which one pass knows: for a fixed schedule that
	 * is its interval from the second probe on; the first probe is
	 * never late (nothing to measure it against).
	 */
	if (!s->count)
		s->first_sched = r->t_sched;
	else if (s->first_sched > 0 && r->t_sched > s->first_sched)
		interval = (r->t_sched - s->first_sched) / (int64_t)s->count;
	if (r->t_sched > s->last_sched)
		s->last_sched = r->t_sched;
	if (interval && probe_pacing_error(r) > interval)
		s->late++;
	s->count++;
	if (r->flags & PROBE_SEND_ERROR) {
		s->send_errors++;
		return;
	}
	s->sent++;
	if (!s->first_tx || r->t_tx_user < s->first_tx)
		s->first_tx = r->t_tx_user;
	if (r->t_tx_user > s->last_tx)
		s->last_tx = r->t_tx_user;
	if (r->t_tx)
		s->tx_stamped++;
	s->ts_flags |= r->flags &
		       (PROBE_TX_SW | PROBE_TX_HW | PROBE_RX_SW | PROBE_RX_HW);
	if (!r->replies) {
		s->lost++;
		return;
	}
	s->received++;
	if (r->t_rx)
		s->rx_stamped++;
	if (r->replies > 1)
		s->duplicated++;
	if (r->flags & PROBE_REORDERED)
		s->reordered++;
}

void probe_summarize(const struct probe_rec *r, size_t n,
		     struct probe_summary *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++)
		probe_summary_add(s, &r[i]);
}

double probe_achieved_rate(const struct probe_summary *s)
{
	if (s->sent < 2 || s->last_tx <= s->first_tx)
		return 0;
	return (double)(s->sent - 1) * 1e9 / (double)(s->last_tx - s->first_tx);
}

double probe_scheduled_rate(const struct probe_summary *s)
{
	if (s->count < 2 || s->first_sched <= 0 ||
	    s->last_sched <= s->first_sched)
		return 0;
	return (double)(s->count - 1) * 1e9 /
	       (double)(s->last_sched - s->first_sched);
}

int probe_overloaded(const struct probe_summary *s,
		     const struct probe_tolerance *tol, char *why, size_t len)
{
	double want = probe_scheduled_rate(s), got = probe_achieved_rate(s);
	double off, late_pct;

	/*
	 * Against the schedule's own rate: for a fixed schedule that is the
	 * requested rate (to the nanosecond rounding of its departures);
	 * a Poisson one of n probes is off the requested rate by
	 * ~1/sqrt(n) by chance, which is the schedule's doing, not the
	 * host's (the Anderson-Darling check judges the schedule).
	 */
	if (want <= 0 || got <= 0)
		return 0;
	off = 100.0 * (want - got) / want;
	if (off < 0)
		off = -off;
	late_pct = 100.0 * (double)s->late / (double)s->sent;
	if (off > (double)tol->rate_pct) {
		snprintf(why, len,
			 "achieved %.0f pps of a %.0f pps schedule (%.1f%% "
			 "off, more than prober.rate_tolerance, %lld%%); "
			 "%llu of %llu probes left later than one interval",
			 got, want, off, (long long)tol->rate_pct,
			 (unsigned long long)s->late,
			 (unsigned long long)s->sent);
		return 1;
	}
	/*
	 * The rate kept on average, but not the schedule: a host that
	 * keeps up between stalls catches up after each, and its
	 * departures bunch (the probes' gaps are not the schedule's).
	 */
	if (late_pct > (double)tol->late_pct) {
		snprintf(why, len,
			 "%llu of %llu probes (%.1f%%) left later than one "
			 "interval, more than prober.late_tolerance, %lld%% "
			 "(achieved %.0f pps of a %.0f pps schedule)",
			 (unsigned long long)s->late,
			 (unsigned long long)s->sent, late_pct,
			 (long long)tol->late_pct, got, want);
		return 1;
	}
	return 0;
}

void probe_gaps_add(struct probe_gaps *g, const struct probe_rec *r)
{
	if ((r->flags & PROBE_SEND_ERROR) || !r->t_tx_user)
		return;
	if (g->last) {
		ALLOC_GROW(g->v, g->n + 1, g->alloc);
		g->v[g->n++] = (double)(r->t_tx_user - g->last);
	}
	g->last = r->t_tx_user;
}

int probe_gaps_fit(const struct probe_gaps *g, struct ad_result *ad)
{
	return g->n >= 2 ? ad_exponential(g->v, g->n, ad) : -1;
}

void probe_gaps_release(struct probe_gaps *g)
{
	free(g->v);
	memset(g, 0, sizeof(*g));
}

int probe_gaps_ad(const struct probe_rec *r, size_t n, struct ad_result *ad)
{
	struct probe_gaps g = {0};
	size_t i;
	int ret;

	for (i = 0; i < n; i++)
		probe_gaps_add(&g, &r[i]);
	ret = probe_gaps_fit(&g, ad);
	probe_gaps_release(&g);
	return ret;
}

int probe_schedule_off(const struct ad_result *ad, char *why, size_t len)
{
	if (!ad->n || !ad->rejected_at_pct ||
	    ad->rejected_at_pct > AD_OFF_PCT)
		return 0;
	snprintf(why, len,
		 "its %zu inter-departure gaps are not exponential: "
		 "Anderson-Darling A2 %.3f > %.3f, the critical value at %g%%",
		 ad->n, ad->a2, ad->crit[AD_LEVELS - 1],
		 ad_levels_pct[AD_LEVELS - 1]);
	return 1;
}
