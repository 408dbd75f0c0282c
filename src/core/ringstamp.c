// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/ringstamp.h"

#include <errno.h>
#include <linux/if_packet.h>

/* the kernel's internal "not supported" (include/linux/errno.h): what
 * some drivers' ioctls return, and user space sees as a bare 524 */
#define KERNEL_ENOTSUPP 524

enum ringstamp_src ringstamp_slot(uint32_t status)
{
	/* hardware first: the kernel sets one of the two, and a hardware
	 * stamp is the one it prefers (tpacket_get_timestamp) */
	if (status & TP_STATUS_TS_RAW_HARDWARE)
		return RINGSTAMP_HARDWARE;
	if (status & TP_STATUS_TS_SOFTWARE)
		return RINGSTAMP_SOFTWARE;
	return RINGSTAMP_NONE;
}

bool ringstamp_refused(int err)
{
	return err == EOPNOTSUPP || err == KERNEL_ENOTSUPP || err == ENOTTY ||
	       err == ERANGE || err == EINVAL || err == ENODEV;
}

static int64_t nonneg(int64_t v)
{
	return v > 0 ? v : 0;
}

bool ringstamp_latency(const struct ringstamp_lat *l, int64_t *actual,
		       int64_t *intended, struct ringstamp_used *used)
{
	if (l->sent_hw && l->rx_hw) {
		*actual = nonneg(l->rx_hw - l->sent_hw);
		*intended = *actual + nonneg(l->sent_user - l->intended);
		used->tx = used->rx = RINGSTAMP_HARDWARE;
		used->rx_user = false;
		return true;
	}
	if (!l->rx)
		return false;
	*actual = nonneg(l->rx - l->sent_user);
	*intended = nonneg(l->rx - l->intended);
	used->tx = used->rx = RINGSTAMP_SOFTWARE;
	used->rx_user = l->rx_user;
	return true;
}

void ringstamp_count(struct ringstamp_tally *tx, struct ringstamp_tally *rx,
		     const struct ringstamp_used *u)
{
	/* software transmit times are the clock before the send (no TX
	 * ring stamps: measure/loadgen.c says why) */
	if (u->tx == RINGSTAMP_HARDWARE)
		tx->hardware++;
	else
		tx->user++;
	if (u->rx == RINGSTAMP_HARDWARE)
		rx->hardware++;
	else if (u->rx_user)
		rx->user++;
	else
		rx->kernel++;
}

const char *ringstamp_word(const struct ringstamp_tally *t, const char *none)
{
	int kinds = (t->hardware > 0) + (t->kernel > 0) + (t->user > 0);

	if (!kinds)
		return none;
	if (kinds > 1)
		return "mixed";
	return t->hardware ? "hardware" : t->kernel ? "kernel" : "user";
}
