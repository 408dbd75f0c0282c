// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The load meter, pure half: what each background load generator
 * achieved in a run (the paper's section 3.1.1), and per test the load
 * sent and received, its fairness across generators (Jain) and the
 * interference it caused: the test's median RTT minus that of the same
 * test without background guests (docs/metrics.md). The OS half is
 * runner/meter_load.c.
 */
#include <math.h>
#include <string.h>

#include "core/meter_load.h"
#include "core/series.h"
#include "util/alloc.h"

enum {
	C_SERVER, C_GUEST, C_ROLE, C_PACKETS, C_BYTES, C_ERRORS, C_SECONDS,
	C_CPU_SECONDS, C_PPS, C_BPS,
};
static const struct meter_column load_cols[] = {
	[C_SERVER] = {"server", CELL_TEXT, COL_NOT_NULL},
	[C_GUEST] = {"guest", CELL_TEXT, COL_KEY},
	[C_ROLE] = {"role", CELL_TEXT, COL_KEY},
	[C_PACKETS] = {"packets", CELL_INT, 0},
	[C_BYTES] = {"bytes", CELL_INT, 0},
	[C_ERRORS] = {"errors", CELL_INT, 0},
	[C_SECONDS] = {"seconds", CELL_REAL, 0},
	[C_CPU_SECONDS] = {"cpu_seconds", CELL_REAL, 0},
	[C_PPS] = {"pps", CELL_REAL, 0},
	[C_BPS] = {"bps", CELL_REAL, 0},
};
_Static_assert(ARRAY_SIZE(load_cols) == LOAD_COLS, "loads");

static const struct meter_table tables[] = {
	{
		.name = "loads",
		.unit = "load generator",
		.cols = load_cols,
		.ncols = ARRAY_SIZE(load_cols),
		.fold = COL(C_ROLE) | COL(C_SECONDS) | COL(C_CPU_SECONDS) |
			COL(C_PPS) | COL(C_BPS),
	},
};

enum { M_PPS, M_SINK, M_BPS, M_CPU, M_JAIN, M_INTERFERENCE, M_COUNT };

/* only when some test had background load */
#define OBS (METRIC_MACHINE | METRIC_HUMAN | METRIC_OBSERVED | METRIC_IF_ANY)

static const struct metric metrics[] = {
	[M_PPS] = {"load_sent_pps", "load_kpps", "pps", "%.1f", 0, "%.2f",
		   1e-3, OBS, GROUP_LOAD, "net load sent, all generators"},
	[M_SINK] = {"load_received_pps", "sink_kpps", "pps", "%.1f", 0,
		    "%.2f", 1e-3, OBS, GROUP_LOAD, "net load received"},
	[M_BPS] = {"load_sent_bps", "load_Mbps", "bps", "%.0f", 0, "%.1f",
		   1e-6, OBS, GROUP_LOAD, "net load sent, bits per second"},
	[M_CPU] = {"load_cpu_cores", "load_cpu", "cores", "%.2f", 0, NULL, 0,
		   OBS, GROUP_LOAD,
		   "cpu load: CPU seconds per second, all guests"},
	[M_JAIN] = {"load_jain", "jain", "", "%.3f", 0, NULL, 0, OBS,
		    GROUP_LOAD,
		    "Jain's fairness index of the net generators' rates"},
	[M_INTERFERENCE] = {"interference_p50_us", "intf_p50", "us", "%.3f",
			    1e3, NULL, 0, OBS, GROUP_LOAD,
			    "median RTT minus the same test's without "
			    "background"},
};

/* per run: totals over its generators; per test: their means */
struct sums {
	double v;
	unsigned n;
};

struct acc {
	bool in_run;
	/* the run in progress */
	double pps, bps, sink, cpu, sq;
	unsigned nnet;
	bool net, has_sink, has_cpu, any;
	/* over runs, of the runs that had each */
	struct sums m[M_INTERFERENCE];
};

static void add(struct sums *s, double v)
{
	s->v += v;
	s->n++;
}

static void run_close(struct acc *a)
{
	if (!a->any)
		return;
	if (a->net) {
		add(&a->m[M_PPS], a->pps);
		add(&a->m[M_BPS], a->bps);
		if (a->sq > 0)
			add(&a->m[M_JAIN], a->pps * a->pps / (a->nnet * a->sq));
	}
	if (a->has_sink)
		add(&a->m[M_SINK], a->sink);
	if (a->has_cpu)
		add(&a->m[M_CPU], a->cpu);
	a->pps = a->bps = a->sink = a->cpu = a->sq = 0;
	a->nnet = 0;
	a->net = a->has_sink = a->has_cpu = a->any = false;
}

static void load_run(void *p, const struct meter_run *run)
{
	(void)run;
	run_close(p);
}

static void load_row(void *p, unsigned table, const struct cell *c)
{
	struct acc *a = p;
	const char *role = c[C_ROLE].type == CELL_TEXT ? c[C_ROLE].s : "";
	double pps = cell_num(&c[C_PPS], NAN), secs = cell_num(&c[C_SECONDS], 0);

	(void)table;
	a->any = true;
	if (!strcmp(role, "net")) {
		a->nnet++;
		if (!isnan(pps)) {
			a->net = true;
			a->pps += pps;
			a->bps += cell_num(&c[C_BPS], 0);
			a->sq += pps * pps;
		}
	} else if (!strcmp(role, "sink") && !isnan(pps)) {
		a->has_sink = true;
		a->sink += pps;
	} else if (!strcmp(role, "cpu") && secs != 0 &&
		   c[C_CPU_SECONDS].type != CELL_NULL) {
		a->has_cpu = true;
		a->cpu += cell_num(&c[C_CPU_SECONDS], 0) / secs;
	}
}

static void load_finish(void *p, struct metric_value *out)
{
	struct acc *a = p;
	int k;

	run_close(a);
	for (k = 0; k < M_INTERFERENCE; k++) {
		if (a->m[k].n)
			metric_set_measured(&out[k], a->m[k].v / a->m[k].n);
	}
}

/* Factors that make a test loaded rather than quiet. */
static const enum factor_id load_factors[] = {
	F_BACKGROUND, F_BG_KIND, F_BG_DATAPLANE, F_LOAD_TYPE, F_LOAD_LOCATION,
};

static void load_across(struct series *s, unsigned first)
{
	int p50 = series_metric_find(s, "rtt_p50_us");
	size_t i, j, k;

	if (p50 < 0)
		return;
	for (i = 0; i < s->ntests; i++) {
		struct series_test *t = &s->tests[i];
		const struct metric_value *mine = &t->values[p50];
		int64_t quiet[FACTOR_COUNT];

		if (!t->v[F_BACKGROUND] || mine->type == CELL_NULL)
			continue;
		memcpy(quiet, t->v, sizeof(quiet));
		for (k = 0; k < ARRAY_SIZE(load_factors); k++)
			quiet[load_factors[k]] = factor_default(load_factors[k]);
		for (j = 0; j < s->ntests; j++) {
			const struct series_test *q = &s->tests[j];

			if (q->values[p50].type != CELL_NULL &&
			    !memcmp(q->v, quiet, sizeof(quiet))) {
				metric_set_num(&t->values[first + M_INTERFERENCE],
					       mine->d - q->values[p50].d);
				break;
			}
		}
	}
}

void meter_load_cells(const struct load_row *l, struct cell *c)
{
	c[C_SERVER] = cell_text(l->server);
	c[C_GUEST] = cell_text(l->guest);
	c[C_ROLE] = cell_text(load_role_name(l->rep.role));
	c[C_PACKETS] = cell_int((int64_t)l->rep.packets);
	c[C_BYTES] = cell_int((int64_t)l->rep.bytes);
	c[C_ERRORS] = cell_int((int64_t)l->rep.errors);
	c[C_SECONDS] = cell_real(l->rep.seconds);
	c[C_CPU_SECONDS] = cell_real(l->rep.cpu_seconds);
	c[C_PPS] = cell_real(load_report_pps(&l->rep));
	c[C_BPS] = cell_real(load_report_bps(&l->rep));
}

double meter_load_jain(const double *x, size_t n)
{
	double sum = 0, sq = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		sum += x[i];
		sq += x[i] * x[i];
	}
	return n && sq > 0 ? sum * sum / ((double)n * sq) : NAN;
}

const struct meter_def meter_load = {
	.name = "load",
	.doc = "background load: what each generator achieved",
	.tables = tables,
	.ntables = ARRAY_SIZE(tables),
	.metrics = metrics,
	.nmetrics = M_COUNT,
	.acc_size = sizeof(struct acc),
	.run = load_run,
	.row = load_row,
	.finish = load_finish,
	.across = load_across,
	.note = "the background load achieved and its fairness (Jain), and "
		"the interference: p50 minus the same test's without "
		"background",
};
