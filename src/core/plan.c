// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/sizemix.h"
#include "core/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/caps.h"
#include "core/dataplane.h"
#include "core/generators.h"
#include "core/nics.h"
#include "core/reflectors.h"
#include "core/search.h"
#include "util/alloc.h"
#include "util/error.h"

/*
 * Validity rules, one entry each: a test that breaks one cannot run, and
 * the plan says why. Checked in order; the first reason wins.
 */
struct rule {
	const char *name;
	/* 0 if the test may run; else 1 with the reason in why */
	int (*check)(const struct test *t, const struct plan *p, char *why,
		     size_t len);
};

static int rule_host_caps(const struct test *t, const struct plan *p,
			  char *why, size_t len)
{
	const struct dataplane *dp = &dataplane_table[t->v[F_DATAPLANE]];
	const char *missing = caps_missing(dp->needs, p->caps);

	if (!missing)
		return 0;
	snprintf(why, len, "%s needs what this host lacks: %s", dp->name,
		 missing);
	return 1;
}

static int rule_frame_fits_mtu(const struct test *t, const struct plan *p,
			       char *why, size_t len)
{
	/* frame = MTU + Ethernet header (14) + FCS (4) */
	int64_t max = p->campaign->testbed.mtu + 18;
	/* a mix: its largest frame */
	int64_t size = sizemix_value_largest(t->v[F_SIZE]);

	if (size <= max)
		return 0;
	snprintf(why, len, "a %lld-byte frame does not fit the wire MTU %lld "
			   "(largest frame %lld)",
		 (long long)size, (long long)p->campaign->testbed.mtu,
		 (long long)max);
	return 1;
}

/* A run is the unit stored: an interruption loses at most one run. */
#define RUN_MAX_SECONDS 3600

static int rule_run_length(const struct test *t, const struct plan *p,
			   char *why, size_t len)
{
	/* the warm-up probes go first, at the same rate */
	int64_t warmup = prober_run_warmup(&p->campaign->prober);
	double secs = (double)(t->v[F_COUNT] + warmup) / (double)t->v[F_RATE];

	/* a load-latency run lasts its runtime, at most an hour by range */
	if (t->v[F_MEASURE] != MEASURE_RTT || secs <= RUN_MAX_SECONDS)
		return 0;
	if (warmup)
		snprintf(why, len,
			 "a run of %lld probes after %lld warm-up ones at %lld "
			 "pps lasts %.0f s, more than the %d s a run may last "
			 "(an interruption loses the run in progress)",
			 (long long)t->v[F_COUNT], (long long)warmup,
			 (long long)t->v[F_RATE], secs, RUN_MAX_SECONDS);
	else
		snprintf(why, len,
			 "a run of %lld probes at %lld pps lasts %.0f s, more "
			 "than the %d s a run may last (an interruption loses "
			 "the run in progress)",
			 (long long)t->v[F_COUNT], (long long)t->v[F_RATE],
			 secs, RUN_MAX_SECONDS);
	return 1;
}

/*
 * Guest-level factors that only some guest kinds or data planes have
 * keep their defaults elsewhere (the data plane's table says which).
 */
static int rule_vm_factors(const struct test *t, const struct plan *p,
			   char *why, size_t len)
{
	const struct dataplane *dp = &dataplane_table[t->v[F_DATAPLANE]];
	int f;

	(void)p;
	for (f = 0; f < FACTOR_COUNT; f++) {
		enum factor_id id = (enum factor_id)f;

		if (dataplane_factor_restricted(id) &&
		    t->v[f] != factor_default(id) &&
		    dataplane_factor_refusal(dp, id, why, len))
			return 1;
	}
	return 0;
}

/* A qemu_props value names a set the campaign defines. */
static int rule_qemu_props(const struct test *t, const struct plan *p,
			   char *why, size_t len)
{
	const char *name = factor_string(t->v[F_QEMU_PROPS]);

	if (!strcmp(name, "none") ||
	    named_strings_find(&p->campaign->qemu_props, name))
		return 0;
	snprintf(why, len, "qemu_props '%s' is not among the campaign's "
			   "qemu_props (%zu defined)",
		 name, p->campaign->qemu_props.n);
	return 1;
}

static int rule_machine_bus(const struct test *t, const struct plan *p,
			    char *why, size_t len)
{
	const struct dataplane *dp = &dataplane_table[t->v[F_DATAPLANE]];
	const struct nic_model_info *m = &nic_model_table[dp->nic];

	(void)p;
	if (t->v[F_MACHINE] != MACHINE_MICROVM || !(m->flags & NIC_PCI_ONLY))
		return 0;
	snprintf(why, len, "microvm has no PCI bus: it cannot hold %s",
		 m->article);
	return 1;
}

static int rule_vhost(const struct test *t, const struct plan *p, char *why,
		      size_t len)
{
	const struct dataplane *dp = &dataplane_table[t->v[F_DATAPLANE]];
	char list[128];

	if (!t->v[F_VHOST])
		return 0;
	if (!(nic_model_table[dp->nic].flags & NIC_VHOST)) {
		nic_model_list(NIC_VHOST, false, list, sizeof(list));
		snprintf(why, len, "vhost accelerates %s only, not %s", list,
			 nic_model_name(dp->nic));
		return 1;
	}
	if (!(p->caps & CAP_VHOST_NET)) {
		snprintf(why, len, "vhost=on needs /dev/vhost-net, which this "
				   "host lacks (QEMU would abort)");
		return 1;
	}
	return 0;
}

static int rule_testbed(const struct test *t, const struct plan *p,
			char *why, size_t len)
{
	const struct dataplane *dp = &dataplane_table[t->v[F_DATAPLANE]];

	if (!dp->local_refusal || p->campaign->testbed.kind != TESTBED_LOCAL)
		return 0;
	snprintf(why, len, "%s %s", dp->name, dp->local_refusal);
	return 1;
}

/* The data plane of the test's background guests, and *vf. */
static const struct dataplane *bg_dataplane(const struct test *t, bool *vf)
{
	return dataplane_background((enum bg_dataplane)t->v[F_BG_DATAPLANE],
				    t->v[F_BG_KIND] == 1, vf);
}

/* VFs a test needs on each server: the main guest's and the background's. */
unsigned plan_vfs_needed(const struct test *t)
{
	const struct dataplane *dp = &dataplane_table[t->v[F_DATAPLANE]];
	bool bg_vf = false;

	/* the responder's guests under test sit where the pairs' do */
	unsigned pairs = (unsigned)(t->v[F_PAIRS] > t->v[F_GUESTS] ?
					    t->v[F_PAIRS] :
					    t->v[F_GUESTS]) -
			 1;

	/* VF 0 is the main guest's, background guest i has VF 1+i, the
	 * guest of measured pair k >= 2 (or guest under test k) VF
	 * background+k-1 */
	if (t->v[F_BACKGROUND])
		bg_dataplane(t, &bg_vf);
	if (bg_vf || (dp->vf && pairs))
		return 1 + (unsigned)t->v[F_BACKGROUND] + (dp->vf ? pairs : 0);
	return dp->vf;
}

static int rule_background(const struct test *t, const struct plan *p,
			   char *why, size_t len)
{
	const struct dataplane *dp = &dataplane_table[t->v[F_DATAPLANE]];
	const struct testbed_config *tb = &p->campaign->testbed;
	int64_t bg = t->v[F_BACKGROUND];
	unsigned vfs = plan_vfs_needed(t);
	bool bg_vf;

	if (t->v[F_LOAD_TYPE] != LOAD_NONE && !bg) {
		snprintf(why, len, "load_type %s needs background guests "
				   "(background > 0)",
			 load_type_name((enum load_type)t->v[F_LOAD_TYPE]));
		return 1;
	}
	if (t->v[F_LOAD_TYPE] == LOAD_NONE &&
	    t->v[F_LOAD_LOCATION] != factor_default(F_LOAD_LOCATION)) {
		snprintf(why, len, "load_location applies to cpu or net load");
		return 1;
	}
	if (!bg && (t->v[F_BG_KIND] != factor_default(F_BG_KIND) ||
		    t->v[F_BG_DATAPLANE] != factor_default(F_BG_DATAPLANE))) {
		snprintf(why, len, "background_kind and background_dataplane "
				   "apply when background > 0");
		return 1;
	}
	if (!bg)
		return 0;
	if (t->v[F_BG_KIND] == 1 && !(p->caps & CAP_QEMU)) {
		snprintf(why, len, "background VMs need what this host lacks: "
				   "%s",
			 caps_missing(CAP_QEMU, p->caps));
		return 1;
	}
	if (dp->owns_pf && bg_dataplane(t, &bg_vf)->bridge) {
		snprintf(why, len, "%s keeps the PF for itself: background "
				   "guests cannot share it through a bridge "
				   "(background_dataplane: vf)",
			 dp->name);
		return 1;
	}
	/* their addresses: SUBNET+256*(1+server)+1+i, so a /22 at least */
	if (tb->subnet.len > 22) {
		snprintf(why, len, "background guests need a /22 or larger "
				   "subnet (testbed.subnet is a /%u)",
			 tb->subnet.len);
		return 1;
	}
	if (tb->kind == TESTBED_SSH && vfs > (unsigned)tb->vfs) {
		snprintf(why, len, "needs %u VFs per server; testbed.vfs is "
				   "%lld",
			 vfs, (long long)tb->vfs);
		return 1;
	}
	return 0;
}

/*
 * A factor that does not apply to the matrix's kind keeps its default
 * (count is the prober's, runtime the load generator's).
 */
static int rule_measure(const struct test *t, const struct plan *p,
			char *why, size_t len)
{
	enum measure_kind m = (enum measure_kind)t->v[F_MEASURE];
	int f;

	(void)p;
	for (f = 0; f < FACTOR_COUNT; f++) {
		enum factor_id id = (enum factor_id)f;

		if (factor_applies(id, t->v) || t->v[f] == factor_default(id))
			continue;
		snprintf(why, len, "%s does not apply to %s matrices",
			 factor_table[f].name, measure_kind_name(m));
		return 1;
	}
	return 0;
}

/*
 * The probes' own settings: a reflector's wake-up only exists for UDP
 * probes (ICMP is answered by the guest's kernel), and a test without
 * captures is only a calibration where the campaign has captures.
 */
static int rule_probe_settings(const struct test *t, const struct plan *p,
			       char *why, size_t len)
{
	if (t->v[F_WAKEUP] != WAKEUP_AUTO && t->v[F_PROBE] != PROBE_UDP) {
		snprintf(why, len, "wakeup %s applies to udp probes only (the "
				   "guest's kernel answers icmp ones)",
			 wakeup_mode_name((enum wakeup_mode)t->v[F_WAKEUP]));
		return 1;
	}
	if (t->v[F_CAPTURE] == CAPTURE_OFF && !p->campaign->prober.capture) {
		snprintf(why, len, "capture off: the campaign has no capture "
				   "points (prober.capture: false)");
		return 1;
	}
	return 0;
}

/*
 * Load-latency tests: a reflector in the responder guest that the guest
 * kind can run (and, for one that drives a PCI device, a guest with a
 * passed-through one on a PCI bus), a generator the testbed can run with
 * a cool-down it can keep, and (so far) no background load mixed in.
 */
/* the prober's busy-wait pacing */
#define PLAN_PROBE_RATE_MAX 1000000

static int rule_loadlat(const struct test *t, const struct plan *p,
			char *why, size_t len)
{
	const struct dataplane *dp = &dataplane_table[t->v[F_DATAPLANE]];
	const struct reflector_def *r = &reflector_table[t->v[F_REFLECTOR]];
	const struct generator_def *g = &generator_table[t->v[F_GENERATOR]];

	if (t->v[F_MEASURE] != MEASURE_LOADLAT) {
		if (factor_word(F_SIZE, t->v[F_SIZE])) {
			snprintf(why, len, "a size mix (%s) is for loadlat's "
					   "generator; probes have one size",
				 factor_word(F_SIZE, t->v[F_SIZE]));
			return 1;
		}
		if (t->v[F_RATE] <= PLAN_PROBE_RATE_MAX)
			return 0;
		snprintf(why, len, "probes go at most 1M per second (the "
				   "prober's pacing); rates up to 200M are "
				   "loadlat's");
		return 1;
	}
	if (!(r->guests & GUEST_BIT(dp->guest))) {
		snprintf(why, len, "reflector %s %s", r->name,
			 r->guest_refusal);
		return 1;
	}
	if (g->local_refusal && p->campaign->testbed.kind == TESTBED_LOCAL) {
		snprintf(why, len, "generator %s %s", g->name,
			 g->local_refusal);
		return 1;
	}
	if (factor_word(F_SIZE, t->v[F_SIZE]) && g->mix_refusal) {
		snprintf(why, len, "generator %s %s", g->name, g->mix_refusal);
		return 1;
	}
	if (t->v[F_GUESTS] > 1 && g->multi_refusal) {
		snprintf(why, len, "generator %s %s", g->name,
			 g->multi_refusal);
		return 1;
	}
	if (g->fixed_cooldown_ms >= 0 &&
	    t->v[F_COOLDOWN] != g->fixed_cooldown_ms) {
		snprintf(why, len, "generator %s keeps receiving %lld ms after "
				   "the load, not %lld (cooldown: %lld)",
			 g->name, (long long)g->fixed_cooldown_ms,
			 (long long)t->v[F_COOLDOWN],
			 (long long)g->fixed_cooldown_ms);
		return 1;
	}
	if (t->v[F_BACKGROUND]) {
		snprintf(why, len, "loadlat tests take no background guests "
				   "yet (the load is the generator's)");
		return 1;
	}
	return 0;
}

/*
 * Throughput tests: the probes beside the load end within its runtime
 * (RTT under load, not after it): the load settles for
 * PLAN_TPUT_SETTLE_MS first.
 */
static int rule_throughput(const struct test *t, const struct plan *p,
			   char *why, size_t len)
{
	int64_t warmup = prober_run_warmup(&p->campaign->prober);
	double probes = (double)(t->v[F_COUNT] + warmup) / (double)t->v[F_RATE];
	double load = (double)t->v[F_RUNTIME] - PLAN_TPUT_SETTLE_MS / 1e3;

	if (t->v[F_MEASURE] != MEASURE_THROUGHPUT)
		return 0;
	if (probes > load) {
		snprintf(why, len,
			 "the probes (%lld after %lld warm-up ones at %lld pps: "
			 "%.1f s) outlast the throughput load (runtime %lld s "
			 "less %.1f s of settling)",
			 (long long)t->v[F_COUNT], (long long)warmup,
			 (long long)t->v[F_RATE], probes,
			 (long long)t->v[F_RUNTIME], PLAN_TPUT_SETTLE_MS / 1e3);
		return 1;
	}
	return 0;
}

/*
 * A search runs below one rate, its upper bound: a list of rates would
 * be as many searches, each of the same interval's lower part.
 */
static int rule_search(const struct test *t, const struct plan *p, char *why,
		       size_t len)
{
	const struct campaign *c = p->campaign;
	size_t i;

	/* elsewhere the measure rule says it does not apply */
	if (t->v[F_MEASURE] != MEASURE_LOADLAT)
		return 0;
	if (t->v[F_SEARCH] == SEARCH_NONE) {
		if (t->v[F_SEARCH_RESOLUTION] ==
		    factor_default(F_SEARCH_RESOLUTION))
			return 0;
		snprintf(why, len, "search_resolution applies to searches "
				   "only (search: ndr, pdr or ndr+pdr)");
		return 1;
	}
	for (i = 0; i < c->nmatrices; i++) {
		const struct matrix *m = &c->matrices[i];
		size_t n = matrix_nvalues(m, F_RATE);

		if (m->name != t->matrix || n < 2)
			continue;
		snprintf(why, len, "search %s takes one rate, its upper "
				   "bound; matrix %s lists %zu (a rate list "
				   "or a search, not both)",
			 search_kind_name((enum search_kind)t->v[F_SEARCH]),
			 m->name, n);
		return 1;
	}
	return 0;
}

static const struct rule plan_rules[] = {
	{"testbed", rule_testbed},
	{"background", rule_background},
	/* before measure: a resolution without a search says why */
	{"search", rule_search},
	{"measure", rule_measure},
	{"loadlat", rule_loadlat},
	{"throughput", rule_throughput},
	{"host-caps", rule_host_caps},
	{"vm-factors", rule_vm_factors},
	{"qemu-props", rule_qemu_props},
	{"machine-bus", rule_machine_bus},
	{"vhost", rule_vhost},
	{"nics", plan_rule_nics},
	{"events", plan_rule_events},
	{"probe-settings", rule_probe_settings},
	{"frame-fits-mtu", rule_frame_fits_mtu},
	{"run-length", rule_run_length},
};

/* A factor that does not apply to t's matrix kind, at its default. */
bool plan_factor_says_nothing(const struct test *t, int f)
{
	return !factor_applies((enum factor_id)f, t->v) &&
	       t->v[f] == factor_default((enum factor_id)f);
}

char *plan_test_key(const int64_t v[FACTOR_COUNT])
{
	struct strbuf sb = STRBUF_INIT;
	char val[64];
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		if ((factor_table[f].flags & FACTOR_NOT_IN_ID) ||
		    factor_is_implicit((enum factor_id)f, v[f]) ||
		    (!factor_applies((enum factor_id)f, v) &&
		     v[f] == factor_default((enum factor_id)f)))
			continue;
		factor_format((enum factor_id)f, v[f], val, sizeof(val));
		strbuf_addf(&sb, "%s%s=%s", sb.len ? "," : "",
			    factor_table[f].name, val);
	}
	return strbuf_detach(&sb, NULL);
}

static void test_id(const char *key, char *out)
{
	/* FNV-1a 64: tiny, stable, good enough for tens of thousands of keys */
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *key; key++) {
		h ^= (unsigned char)*key;
		h *= 0x100000001b3ULL;
	}
	snprintf(out, TEST_ID_LEN + 1, "%016llx", (unsigned long long)h);
}

void plan_run_id(const struct test *t, unsigned rep, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%u", t->id, rep);
}

/* First-appearance rank of each value, per factor: the tree's order. */
struct ranks {
	int64_t *v[FACTOR_COUNT];
	size_t n[FACTOR_COUNT];
};

static void ranks_add(struct ranks *r, int f, int64_t v)
{
	size_t i;

	for (i = 0; i < r->n[f]; i++) {
		if (r->v[f][i] == v)
			return;
	}
	r->v[f] = xrealloc(r->v[f], (r->n[f] + 1) * sizeof(int64_t));
	r->v[f][r->n[f]++] = v;
}

static size_t ranks_of(const struct ranks *r, int f, int64_t v)
{
	size_t i;

	for (i = 0; i < r->n[f]; i++) {
		if (r->v[f][i] == v)
			return i;
	}
	return r->n[f];
}

static const struct ranks *sort_ranks;

static int test_cmp(const void *a, const void *b)
{
	const struct test *x = a, *y = b;
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		size_t rx = ranks_of(sort_ranks, f, x->v[f]);
		size_t ry = ranks_of(sort_ranks, f, y->v[f]);

		if (rx != ry)
			return rx < ry ? -1 : 1;
	}
	return 0;
}

/* Odometer over a matrix's value lists, last factor fastest. */
static int next_combination(const struct matrix *m, size_t idx[FACTOR_COUNT])
{
	int f;

	for (f = FACTOR_COUNT - 1; f >= 0; f--) {
		if (++idx[f] < matrix_nvalues(m, (enum factor_id)f))
			return 1;
		idx[f] = 0;
	}
	return 0;
}

static struct test *find_test(struct plan *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ntests; i++) {
		if (!strcmp(p->tests[i].id, id))
			return &p->tests[i];
	}
	return NULL;
}

static void check_rules(struct plan *p, struct test *t)
{
	char why[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plan_rules); i++) {
		if (plan_rules[i].check(t, p, why, sizeof(why))) {
			t->reason = xstrdup(why);
			return;
		}
	}
}

int plan_build(const struct campaign *c, uint32_t caps, struct plan *p)
{
	struct ranks ranks;
	size_t alloc = 0, mi, i;
	int f;

	memset(&ranks, 0, sizeof(ranks));
	memset(p, 0, sizeof(*p));
	p->campaign = c;
	p->caps = caps;
	for (mi = 0; mi < c->nmatrices; mi++) {
		const struct matrix *m = &c->matrices[mi];
		size_t idx[FACTOR_COUNT] = {0};

		for (f = 0; f < FACTOR_COUNT; f++) {
			for (i = 0; i < matrix_nvalues(m, (enum factor_id)f);
			     i++)
				ranks_add(&ranks, f,
					  matrix_value(m, (enum factor_id)f,
						       i));
		}
		do {
			struct test t = {0}, *dup;

			for (f = 0; f < FACTOR_COUNT; f++)
				t.v[f] = matrix_value(m, (enum factor_id)f,
						      idx[f]);
			t.key = plan_test_key(t.v);
			test_id(t.key, t.id);
			dup = find_test(p, t.id);
			if (dup) {
				/* same test from two matrices: one test,
				 * with the larger number of repetitions */
				if (t.v[F_REPETITIONS] > dup->v[F_REPETITIONS])
					dup->v[F_REPETITIONS] =
						t.v[F_REPETITIONS];
				free(t.key);
				continue;
			}
			if (p->ntests >= PLAN_MAX_TESTS) {
				free(t.key);
				plan_release(p);
				for (f = 0; f < FACTOR_COUNT; f++)
					free(ranks.v[f]);
				return error("campaign '%s' expands to more "
					     "than %d tests",
					     c->file, PLAN_MAX_TESTS);
			}
			t.matrix = m->name;
			ALLOC_GROW(p->tests, p->ntests + 1, alloc);
			p->tests[p->ntests++] = t;
		} while (next_combination(m, idx));
	}
	sort_ranks = &ranks;
	if (p->ntests)
		qsort(p->tests, p->ntests, sizeof(*p->tests), test_cmp);
	sort_ranks = NULL;
	for (f = 0; f < FACTOR_COUNT; f++)
		free(ranks.v[f]);
	for (i = 0; i < p->ntests; i++) {
		struct test *t = &p->tests[i];

		struct search_params sp;

		check_rules(p, t);
		/* a refused search is refused once a repetition, like others */
		t->nruns = !t->reason && plan_search_params(t, &sp) ?
				   search_max_runs(&sp) :
				   test_repetitions(t);
		t->done = xcalloc(t->nruns, sizeof(bool));
	}
	return 0;
}

void plan_release(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->ntests; i++) {
		free(p->tests[i].key);
		free(p->tests[i].reason);
		free(p->tests[i].done);
	}
	free(p->tests);
	memset(p, 0, sizeof(*p));
}

static int cmp_test_id(const void *a, const void *b)
{
	const struct test *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

void plan_mark_done(struct plan *p, char *const *run_ids, size_t n)
{
	struct test **by_id = xcalloc(p->ntests, sizeof(*by_id));
	size_t i;

	for (i = 0; i < p->ntests; i++)
		by_id[i] = &p->tests[i];
	qsort(by_id, p->ntests, sizeof(*by_id), cmp_test_id);
	for (i = 0; i < n; i++) {
		struct test key, *kp = &key, **hit;
		const char *slash = strchr(run_ids[i], '/');
		unsigned long rep;
		char *end;

		if (!slash || slash - run_ids[i] != TEST_ID_LEN)
			continue;
		memcpy(key.id, run_ids[i], TEST_ID_LEN);
		key.id[TEST_ID_LEN] = '\0';
		hit = bsearch(&kp, by_id, p->ntests, sizeof(*by_id),
			      cmp_test_id);
		if (!hit)
			continue; /* a run of a test no longer in the campaign */
		rep = strtoul(slash + 1, &end, 10);
		if (*end || rep < 1 || rep > test_runs(*hit))
			continue; /* repetitions were lowered: keep, ignore */
		if (!(*hit)->done[rep - 1]) {
			(*hit)->done[rep - 1] = true;
			(*hit)->ndone++;
		}
	}
	free(by_id);
}

void plan_counts(const struct plan *p, struct plan_counts *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->tests = p->ntests;
	for (i = 0; i < p->ntests; i++) {
		const struct test *t = &p->tests[i];
		unsigned reps = test_runs(t);

		out->runs += reps;
		if (t->reason) {
			out->not_runnable += reps;
			continue;
		}
		out->runnable_tests++;
		out->done += t->ndone;
		out->todo += reps - t->ndone;
	}
}

bool plan_search_params(const struct test *t, struct search_params *out)
{
	out->kind = (enum search_kind)t->v[F_SEARCH];
	out->max_rate = t->v[F_RATE];
	out->resolution = search_resolution_pps(t->v[F_RATE],
						t->v[F_SEARCH_RESOLUTION]);
	out->reps = test_repetitions(t);
	return t->v[F_MEASURE] == MEASURE_LOADLAT &&
	       out->kind != SEARCH_NONE;
}

void plan_search_settle(struct test *t, const struct search_run *r,
			size_t n)
{
	struct search_params sp;
	struct search_step step;

	if (!plan_search_params(t, &sp) || n != t->ndone || n > t->nruns)
		return;
	search_next(&sp, r, n, &step);
	if (step.kind == STEP_DONE)
		t->nruns = (unsigned)n;
}

void plan_test_label(const struct test *t, struct strbuf *out)
{
	size_t start = out->len;
	char val[64];
	int f;

	for (f = 0; f < FACTOR_COUNT; f++) {
		/* a factor at its implicit value says nothing: leave it out */
		if ((factor_table[f].flags & FACTOR_NOT_IN_ID) ||
		    factor_is_implicit((enum factor_id)f, t->v[f]) ||
		    plan_factor_says_nothing(t, f))
			continue;
		factor_format_human((enum factor_id)f, t->v[f], val,
				    sizeof(val));
		strbuf_addf(out, "%s%s=%s", out->len > start ? " " : "",
			    factor_table[f].name, val);
	}
}
