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
