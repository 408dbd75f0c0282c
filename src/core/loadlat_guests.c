// SPDX-License-Identifier: GPL-2.0-or-later
/* Several guests under test: per-guest rows and their fold. */
#include "core/loadlat_guests.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/fairness.h"
#include "util/alloc.h"

enum {
	G_INDEX, G_NAME, G_SENT_LOAD, G_SENT_LAT, G_RECV_LOAD, G_RECV_LAT,
	G_RECV_PPS, G_LOSS_PCT, G_P50, G_P99, G_REFLECTED, G_REFL_DROPPED,
};
const struct meter_column loadlat_guest_cols[LOADLAT_GUEST_COLS] = {
	[G_INDEX] = {"guest_index", CELL_INT, COL_KEY},
	[G_NAME] = {"guest", CELL_TEXT, 0},
	[G_SENT_LOAD] = {"sent_load", CELL_INT, 0},
	[G_SENT_LAT] = {"sent_latency", CELL_INT, 0},
	[G_RECV_LOAD] = {"received_load", CELL_INT, 0},
	[G_RECV_LAT] = {"received_latency", CELL_INT, 0},
	[G_RECV_PPS] = {"received_pps", CELL_REAL, 0},
	[G_LOSS_PCT] = {"loss_pct", CELL_REAL, 0},
	[G_P50] = {"latency_p50_ns", CELL_REAL, 0},
	[G_P99] = {"latency_p99_ns", CELL_REAL, 0},
	[G_REFLECTED] = {"reflected", CELL_INT, 0},
	[G_REFL_DROPPED] = {"reflector_dropped", CELL_INT, 0},
};

enum { H_INDEX, H_VALUE, H_COUNT };
const struct meter_column loadlat_ghist_cols[LOADLAT_GHIST_COLS] = {
	[H_INDEX] = {"guest_index", CELL_INT, COL_KEY},
	[H_VALUE] = {"value_ns", CELL_INT, COL_KEY},
	[H_COUNT] = {"frames", CELL_INT, 0},
};

void loadlat_guest_cells(const struct loadlat_guest_row *r, struct cell *c)
{
	const struct loadgen_guest *g = r->g;
	double sent = (double)(g->sent_load + g->sent_lat);
	double back = (double)(g->recv_load + g->recv_lat);

	c[G_INDEX] = cell_int(r->index);
	c[G_NAME] = cell_text(r->name);
	c[G_SENT_LOAD] = cell_int((int64_t)g->sent_load);
	c[G_SENT_LAT] = cell_int((int64_t)g->sent_lat);
	c[G_RECV_LOAD] = cell_int((int64_t)g->recv_load);
	c[G_RECV_LAT] = cell_int((int64_t)g->recv_lat);
	c[G_RECV_PPS] = cell_real(r->seconds > 0 ? (double)g->recv_load /
							   r->seconds :
						   0);
	c[G_LOSS_PCT] = sent > 0 ? cell_real(100 * (sent > back ? sent - back :
								  0) /
					     sent) :
				   cell_null();
	c[G_P50] = g->actual.total ?
			   cell_real(hist_percentile(&g->actual, 50)) :
			   cell_null();
	c[G_P99] = g->actual.total ?
			   cell_real(hist_percentile(&g->actual, 99)) :
			   cell_null();
	c[G_REFLECTED] = r->reflected < 0 ? cell_null() :
					    cell_int(r->reflected);
	c[G_REFL_DROPPED] = r->reflected < 0 ? cell_null() :
					       cell_int(r->refl_dropped);
}

bool loadlat_ghist_cells(const struct loadgen_report *rep, unsigned *k,
			 unsigned *b, struct cell *c)
{
	for (; *k < rep->nguests; (*k)++, *b = 0) {
		const struct hist *h = &rep->guests[*k].actual;

		for (; *b < HIST_BUCKETS; (*b)++) {
			if (!h->counts[*b])
				continue;
			c[H_INDEX] = cell_int(*k + 1);
			c[H_VALUE] = cell_int((int64_t)hist_bucket_low(*b));
			c[H_COUNT] = cell_int((int64_t)h->counts[*b]);
			(*b)++;
			return true;
		}
	}
	return false;
}

void loadlat_guests_run(struct loadlat_guests_acc *a)
{
	double x[LOADGEN_GUESTS_MAX];
	unsigned i, n = 0;

	for (i = 0; i < LOADGEN_GUESTS_MAX; i++) {
		if (a->run_has[i])
			x[n++] = a->run_pps[i];
	}
	memset(a->run_has, 0, sizeof(a->run_has));
	if (n >= 2) {
		double j = jain_index(x, n);

		if (!isnan(j)) {
			a->jain += j;
			a->jain_runs++;
		}
	}
}

/* guest index k (1..) of a row, as an array index, or -1 */
static int slot_of(const struct cell *c)
{
	if (c->type != CELL_INT || c->i < 1 || c->i > LOADGEN_GUESTS_MAX)
		return -1;
	return (int)c->i - 1;
}

void loadlat_guests_row(struct loadlat_guests_acc *a, bool hist,
			const struct cell *c)
{
	int k = slot_of(&c[hist ? H_INDEX : G_INDEX]);

	if (k < 0)
		return;
	if (hist) {
		int64_t v = c[H_VALUE].type == CELL_INT ? c[H_VALUE].i : -1;
		double n = cell_num(&c[H_COUNT], 0);

		if (v < 0 || n <= 0)
			return;
		if (!a->hist_init[k]) {
			hist_init(&a->hist[k]);
			a->hist_init[k] = true;
		}
		hist_add_bucket(&a->hist[k], (uint64_t)v, (uint64_t)n);
		return;
	}
	{
		double sent = cell_num(&c[G_SENT_LOAD], 0) +
			      cell_num(&c[G_SENT_LAT], 0);
		double back = cell_num(&c[G_RECV_LOAD], 0) +
			      cell_num(&c[G_RECV_LAT], 0);

		a->seen[k] = true;
		a->sent[k] += sent;
		a->lost[k] += sent > back ? sent - back : 0;
		a->run_has[k] = true;
		a->run_pps[k] = cell_num(&c[G_RECV_PPS], 0);
	}
}

void loadlat_guests_finish(struct loadlat_guests_acc *a,
			   struct metric_value *out)
{
	char loss[64] = "", p99[64] = "";
	double loss_max = -1, p99_max = -1;
	unsigned k, n = 0;

	loadlat_guests_run(a);
	for (k = 0; k < LOADGEN_GUESTS_MAX; k++) {
		double l = NAN, p = NAN;
		size_t ll = strlen(loss), pl = strlen(p99);

		if (!a->seen[k])
			continue;
		n++;
		if (a->sent[k] > 0)
			l = 100 * a->lost[k] / a->sent[k];
		if (a->hist_init[k] && a->hist[k].total)
			p = hist_percentile(&a->hist[k], 99);
		if (!isnan(l) && l > loss_max)
			loss_max = l;
		if (!isnan(p) && p > p99_max)
			p99_max = p;
		snprintf(loss + ll, sizeof(loss) - ll, "%s%.2f", ll ? "/" : "",
			 isnan(l) ? -1.0 : l);
		snprintf(p99 + pl, sizeof(p99) - pl, "%s%.1f", pl ? "/" : "",
			 isnan(p) ? -1.0 : p / 1e3);
	}
	if (!n)
		return;
	metric_set_num(&out[LLG_M_GUESTS], (double)n);
	if (a->jain_runs)
		metric_set_num(&out[LLG_M_JAIN], a->jain / a->jain_runs);
	if (loss_max >= 0)
		metric_set_num(&out[LLG_M_LOSS_MAX], loss_max);
	if (p99_max >= 0)
		metric_set_num(&out[LLG_M_P99_MAX], p99_max);
	metric_set_text(&out[LLG_M_LOSS], loss, false);
	metric_set_text(&out[LLG_M_P99], p99, false);
}

void loadlat_guests_release(struct loadlat_guests_acc *a)
{
	unsigned k;

	for (k = 0; k < LOADGEN_GUESTS_MAX; k++) {
		if (a->hist_init[k])
			hist_release(&a->hist[k]);
		a->hist_init[k] = false;
	}
}
