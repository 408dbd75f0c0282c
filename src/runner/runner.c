// SPDX-License-Identifier: GPL-2.0-or-later
#include "runner/runner.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/caps.h"
#include "core/dataplane.h"
#include "core/plan.h"
#include "core/server_needs.h"
#include "core/probe.h"
#include "core/search.h"
#include "guest/image.h"
#include "host/facts.h"
#include "host/proc.h"
#include "net/netns.h"
#include "runner/meter.h"
#include "runner/progress.h"
#include "store/store.h"
#include "testbed/testbed.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* Fixed cost of a run beyond its probes: spawning, waiting, storing. */
#define RUN_OVERHEAD_S 0.05

struct runner {
	const struct campaign *c;
	const struct runner_opts *o;
	struct plan plan;
	struct store *store;
	struct testbed tb;
	struct progress progress;
	struct runner_outcome *out;
	uint32_t caps;
	char exe[PATH_MAX];
	char *host;   /* JSON facts, stored with every run */
	char *setup;  /* JSON of the current setup, stored with its runs */
	struct image image;
	int image_state; /* 0: not needed yet, 1: built, -1: failed */
	char image_error[600];
	struct meters meters;
	int setup_failed; /* the current setup could not be made */
	/* a guest of the setup died: why, and how often it was restarted */
	char guest_dead[400];
	unsigned restarts;
	char setup_error[800];
};

/* While the runner works, messages go above its progress line. */
static struct runner *hook_runner;

static void error_to_progress(const char *line)
{
	if (hook_runner)
		progress_note(&hook_runner->progress, "%s", line);
	else
		fprintf(stderr, "%s\n", line);
}

static double run_seconds(const struct runner *r, const struct test *t)
{
	return meters_seconds(&r->meters, r->c, t) + RUN_OVERHEAD_S;
}

static int stopped(const struct runner *r)
{
	return r->o->stop && *r->o->stop;
}

/* ---- setups ---- */

/*
 * What netfilter does on bridges: the host's bridge-nf-call-iptables and
 * the testbed's (its namespaces turn it off: host/op_run.c), so a reader
 * knows the path did not go through the host's firewall.
 */
static void host_bridge_nf(json_t *o)
{
	struct strbuf v = STRBUF_INIT;
	json_t *nf = json_object();

	if (strbuf_read_file(&v, "/proc/sys/net/bridge/bridge-nf-call-iptables",
			     64)) {
		json_object_set_new(nf, "host", json_string("no br_netfilter"));
	} else {
		json_object_set_new(nf, "host",
				    json_integer(strtol(v.buf, NULL, 10)));
		json_object_set_new(nf, "testbed", json_integer(0));
	}
	json_object_set_new(o, "bridge_nf_call_iptables", nf);
	strbuf_release(&v);
}

static char *setup_json(struct runner *r)
{
	const struct dataplane *dp = &dataplane_table[r->tb.setup.dataplane];
	struct strbuf label = STRBUF_INIT;
	json_t *o = json_object(), *con;
	char *text;
	int s;

	setup_label(&r->tb.setup, &label);
	json_object_set_new(o, "setup", json_string(label.buf));
	json_object_set_new(o, "guest", json_string(guest_kind_name(dp->guest)));
	json_object_set_new(o, "testbed",
			    json_string(r->tb.remote ? "ssh" : "local"));
	if (!r->tb.remote)
		host_bridge_nf(o);
	if (dp->vf)
		json_object_set_new(o, "vf", json_string(r->tb.remote ?
								 "hardware" :
								 "emulated"));
	if (dataplane_vm(dp)) {
		json_object_set_new(
			o, "accel",
			json_string(r->tb.main[SERVER_SENDER].accel));
		json_object_set_new(o, "image", json_string(r->image.id));
		json_object_set_new(o, "kernel",
				    json_string(r->image.kernel_version));
		con = json_object();
		for (s = 0; s < SERVER_COUNT; s++)
			json_object_set_new(con, server_name(s),
					    json_string(r->tb.main[s].serial));
		json_object_set_new(o, "console", con);
		json_object_set_new(o, "boots", json_integer(r->tb.boots));
	}
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	strbuf_release(&label);
	return text;
}

static int ensure_image(struct runner *r)
{
	struct error_trap trap;
	struct image_opts io = {0};
	char guest[PATH_MAX];

	if (r->image_state)
		return r->image_state > 0 ? 0 : -1;
	if (r->o->dry) {
		/* named, not built: a dry run creates nothing */
		snprintf(r->image.id, sizeof(r->image.id), "IMAGE");
		snprintf(r->image.dir, sizeof(r->image.dir),
			 IMAGE_CACHE_DEFAULT "/IMAGE");
		snprintf(r->image.kernel, sizeof(r->image.kernel),
			 IMAGE_CACHE_DEFAULT "/IMAGE/bzImage");
		snprintf(r->image.vmlinux, sizeof(r->image.vmlinux),
			 IMAGE_CACHE_DEFAULT "/IMAGE/vmlinux");
		snprintf(r->image.initrd, sizeof(r->image.initrd),
			 IMAGE_CACHE_DEFAULT "/IMAGE/initrd.cpio");
		r->image_state = 1;
		r->tb.image = &r->image;
		return 0;
	}
	progress_note(&r->progress, "preparing the guest image (the first "
				    "time this downloads Debian's kernel)");
	io.guest_bin = guest;
	io.sets = server_image_sets(&r->plan);
	error_trap_push(&trap);
	if (image_default_guest_bin(guest, sizeof(guest)) ||
	    image_build(&io, &r->image)) {
		r->image_state = -1;
		snprintf(r->image_error, sizeof(r->image_error),
			 "no guest image: %s", trap.last);
		error_trap_pop(&trap);
		return -1;
	}
	error_trap_pop(&trap);
	r->image_state = 1;
	r->tb.image = &r->image;
	return 0;
}

/* A run's context, without a run yet. */
static void ctx_init(struct runner *r, struct run_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->tb = &r->tb;
	ctx->c = r->c;
	ctx->exe = r->exe;
	ctx->stop = r->o->stop;
	ctx->dry = r->o->dry;
	strbuf_init(&ctx->why);
}

/* What the meters started in the setup's guests goes before they do. */
static void setup_done(struct runner *r)
{
	struct run_ctx ctx;

	ctx_init(r, &ctx);
	meters_setup_done(&r->meters, &ctx);
	strbuf_release(&ctx.why);
}

/*
 * The setup's guests are up: the meters warm them for its first test,
 * so that its first run does not pay for a cold path alone.
 */
static void setup_begin(struct runner *r, const struct test *t)
{
	struct run_ctx ctx;

	if (r->o->dry || r->setup_failed)
		return;
	ctx_init(r, &ctx);
	ctx.t = t;
	ctx.rep = 1;
	meters_setup_begin(&r->meters, &ctx);
	strbuf_release(&ctx.why);
}

static void guests_up(struct runner *r, const struct setup *su,
		      const struct test *t)
{
	struct strbuf label = STRBUF_INIT;
	struct error_trap trap;
	unsigned boots = r->tb.boots;

	setup_done(r);
	free(r->setup);
	r->setup = NULL;
	r->setup_failed = 0;
	r->out->setups++;
	setup_label(su, &label);
	if (r->o->dry)
		strbuf_addf(r->o->dry, "\n# setup %u: %s\n", r->out->setups,
			    label.buf);
	else
		progress_note(&r->progress,
			      "setting up guests: %s (setup %u)",
			      label.buf, r->out->setups);
	error_trap_push(&trap);
	/* a user's disk image replaces the guest image (main guests only) */
	if (setup_needs_image(su, r->c) && ensure_image(r)) {
		r->setup_failed = 1;
		snprintf(r->setup_error, sizeof(r->setup_error), "%s",
			 r->image_error);
	} else if (testbed_guests_up(&r->tb, su)) {
		r->setup_failed = 1;
		snprintf(r->setup_error, sizeof(r->setup_error),
			 "cannot set up guests (%s): %s", label.buf,
			 trap.last);
	}
	error_trap_pop(&trap);
	r->out->boots += r->tb.boots - boots;
	if (r->tb.boots > boots)
		info("%u VM boots so far", r->tb.boots);
	if (r->setup_failed) {
		warning("runs of %s are stored as failed: %s", label.buf,
			r->setup_error);
		testbed_guests_down(&r->tb);
		/* remember the setup, so its other runs fail fast */
		r->tb.setup = *su;
	}
	r->setup = setup_json(r);
	strbuf_release(&label);
	setup_begin(r, t);
}

/* ---- one run ---- */

static int save(struct runner *r, struct test *t, unsigned rep,
		enum run_status status, const char *why, int64_t started,
		struct meters *m)
{
	struct meter_rows rows[METERS_MAX];
	struct run_record rr = {
		.test = t,
		.rep = rep,
		.campaign = r->c->name,
		.status = status,
		.error = why,
		.started = started,
		.ended = now_real(),
		.host = r->host,
		.setup = status == RUN_REFUSED ? NULL : r->setup,
	};

	if (status == RUN_COMPLETE) {
		rr.meters = rows;
		rr.nmeters = meters_rows(m, rows);
	}
	if (store_save_run(r->store, &rr))
		return -1;
	if (status == RUN_COMPLETE) {
		t->done[rep - 1] = true;
		t->ndone++;
		r->out->stored++;
	} else if (status == RUN_FAILED) {
		r->out->failed++;
	}
	return 0;
}

/* "  rep 2/3", or where a search's run is */
static void run_label(const struct test *t, unsigned rep,
		      const struct search_step *step, struct strbuf *out)
{
	if (!step)
		strbuf_addf(out, "  rep %u/%u", rep, test_repetitions(t));
	else if (step->kind == STEP_TRIAL)
		strbuf_addf(out, "  trial %u (up to %u runs)", rep,
			    test_runs(t));
	else
		strbuf_addf(out, "  latency at %d %% %u/%u", step->point_pct,
			    step->point_rep, test_repetitions(t));
}

/*
 * Measure run rep of t with its meters and store it; -1 only if the
 * store cannot write (fatal: nothing would be kept), or -EINTR. A
 * search's run (step) is measured at its own rate and stored as t's.
 */
static int run_one(struct runner *r, struct test *t, unsigned rep,
		   const struct search_step *step)
{
	struct strbuf label = STRBUF_INIT;
	struct error_trap trap;
	struct run_ctx ctx;
	struct test at = *t;
	int64_t started = now_real();
	int ret;

	if (step)
		at.v[F_RATE] = step->rate;
	plan_test_label(&at, &label);
	run_label(t, rep, step, &label);
	progress_run(&r->progress, label.buf, run_seconds(r, t));
	strbuf_release(&label);
	ctx_init(r, &ctx);
	ctx.t = &at;
	ctx.rep = rep;
	ctx.step = step;
	if (r->setup_failed && !r->o->dry) {
		ret = save(r, t, rep, RUN_FAILED, r->setup_error, started,
			   NULL);
		goto done;
	}
	error_trap_push(&trap);
	ret = meters_run(&r->meters, &ctx);
	error_trap_pop(&trap);
	/* a guest that died during the run: the run measured nothing of it,
	 * whatever the meters say, and the guests are restarted */
	if (!r->o->dry && ret != -EINTR &&
	    testbed_guests_check(&r->tb, true, r->guest_dead,
				 sizeof(r->guest_dead))) {
		run_fail(&ctx, "a guest died during the run: %s",
			 r->guest_dead);
		ret = -1;
	}
	if (r->o->dry || ret == -EINTR) {
		/* -EINTR: discarded, the next start redoes it */
		meters_done(&r->meters);
		goto done;
	}
	if (ret)
		ret = save(r, t, rep, RUN_FAILED,
			   ctx.why.len ? ctx.why.buf :
			   *trap.last	? trap.last :
					  "unknown error",
			   started, &r->meters);
	else
		ret = save(r, t, rep, RUN_COMPLETE, NULL, started,
			   &r->meters);
	meters_done(&r->meters);
done:
	strbuf_release(&ctx.why);
	progress_end_run(&r->progress, run_seconds(r, t));
	return ret;
}

/*
 * A dry run shows a search's first run to do, and what follows it:
 * the trials' rates come from the trials before them.
 */
static void dry_search(struct runner *r, const struct test *t,
		       const struct search_params *sp,
		       const struct search_step *step)
{
	char top[32], res[32];

	factor_format_human(F_RATE, sp->max_rate, top, sizeof(top));
	factor_format_human(F_RATE, sp->resolution, res, sizeof(res));
	strbuf_addf(r->o->dry,
		    "# search %s: up to %u trials, a run each: the first at %s "
		    "pps (the upper bound), each next one halfway between the "
		    "highest passing and the lowest failing trial rate, until "
		    "they are %s pps apart\n",
		    search_kind_name(sp->kind), search_max_trials(sp), top,
		    res);
	factor_format_human(F_RATE, step->rate, top, sizeof(top));
	strbuf_addf(r->o->dry,
		    "# then %u runs each at %d, %d and %d %% of %s: up to %u "
		    "runs, %u done; the next: %s%s%s\n",
		    sp->reps, search_point_pct[0], search_point_pct[1],
		    search_point_pct[2],
		    SEARCH_WANTS_PDR(sp->kind) ? "PDR" : "NDR", test_runs(t),
		    t->ndone,
		    step->kind == STEP_TRIAL   ? "a trial at " :
		    step->kind == STEP_LATENCY ? "a latency run at " :
						 "none, the search is done",
		    step->kind == STEP_DONE ? "" : top,
		    step->kind == STEP_DONE ? "" : " pps");
}

static void guests_alive(struct runner *r, const struct setup *su,
			 const struct test *t);

/*
 * A search test: ask the pure core for the next run from the ones
 * stored, run it, until it says done. A run that failed stops the
 * test here (the next start retries it: the search cannot go on
 * without its result).
 */
static int run_search(struct runner *r, struct test *t,
		      const struct search_params *sp, const struct setup *su)
{
	struct search_run *runs = NULL;
	struct search_step step;
	size_t n = 0;
	int ret;

	for (;;) {
		if (r->store && store_search_runs(r->store, t->id, &runs, &n))
			return -1;
		search_next(sp, runs, n, &step);
		free(runs);
		runs = NULL;
		if (r->o->dry) {
			dry_search(r, t, sp, &step);
			return step.kind == STEP_DONE ?
				       0 :
				       run_one(r, t, (unsigned)n + 1, &step);
		}
		if (step.kind == STEP_DONE) {
			t->nruns = (unsigned)n;
			return 0;
		}
		if (n >= test_runs(t) || n != t->ndone) {
			warning("search of test %s: %zu runs stored, %u "
				"complete of at most %u: not going on",
				t->id, n, t->ndone, test_runs(t));
			return 0;
		}
		if (stopped(r))
			return -EINTR;
		guests_alive(r, su, t);
		ret = run_one(r, t, (unsigned)n + 1, &step);
		if (ret)
			return ret;
		if (!t->done[n])
			return 0;
	}
}

/* Restarts of a setup's guests after one died, before its runs fail. */
#define GUEST_RESTARTS 2

/*
 * Before a run: a guest of the setup that died (in the last run, or
 * since) is brought back with the whole setup, GUEST_RESTARTS times;
 * then the setup's other runs are stored as failed with the reason.
 */
static void guests_alive(struct runner *r, const struct setup *su,
			 const struct test *t)
{
	struct strbuf label = STRBUF_INIT;

	if (r->o->dry || r->setup_failed)
		return;
	if (!r->guest_dead[0] &&
	    /* the main guests; a background one that died shows after the
	     * run, whose load it failed */
	    !testbed_guests_check(&r->tb, false, r->guest_dead,
				  sizeof(r->guest_dead)))
		return;
	setup_label(su, &label);
	if (r->restarts++ >= GUEST_RESTARTS) {
		r->setup_failed = 1;
		snprintf(r->setup_error, sizeof(r->setup_error),
			 "the guests of %s died %u times: %s", label.buf,
			 r->restarts, r->guest_dead);
		warning("runs of %s are stored as failed: %s", label.buf,
			r->setup_error);
	} else {
		warning("%s: restarting the guests of %s (restart %u of %d)",
			r->guest_dead, label.buf, r->restarts, GUEST_RESTARTS);
		testbed_guests_down(&r->tb);
		guests_up(r, su, t);
		r->out->restarts++;
	}
	r->guest_dead[0] = '\0';
	strbuf_release(&label);
}

static int run_plan(struct runner *r)
{
	size_t i;
	unsigned rep;
	int ret;

	for (i = 0; i < r->plan.ntests; i++) {
		struct test *t = &r->plan.tests[i];
		struct search_params sp;
		struct setup su;

		if (t->reason || t->ndone == test_runs(t))
			continue;
		if (stopped(r))
			return -EINTR;
		setup_of_test(t, &su);
		if (!r->setup || !setup_equal(&r->tb.setup, &su)) {
			r->restarts = 0;
			r->guest_dead[0] = '\0';
			guests_up(r, &su, t);
		}
		if (plan_search_params(t, &sp)) {
			ret = run_search(r, t, &sp, &su);
			if (ret)
				return ret;
			continue;
		}
		for (rep = 1; rep <= test_repetitions(t); rep++) {
			if (t->done[rep - 1])
				continue;
			if (stopped(r))
				return -EINTR;
			guests_alive(r, &su, t);
			ret = run_one(r, t, rep, NULL);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Tests this host cannot run are recorded as refused, with the reason. */
static int record_refusals(struct runner *r)
{
	struct strbuf label = STRBUF_INIT;
	size_t i;
	unsigned rep;

	for (i = 0; i < r->plan.ntests; i++) {
		struct test *t = &r->plan.tests[i];

		if (!t->reason)
			continue;
		strbuf_reset(&label);
		plan_test_label(t, &label);
		warning("refused: %s: %s", label.buf, t->reason);
		for (rep = 1; rep <= test_runs(t); rep++) {
			if (save(r, t, rep, RUN_REFUSED, t->reason, now_real(),
				 NULL))
				return -1;
		}
		r->out->refused += test_runs(t);
	}
	strbuf_release(&label);
	return 0;
}

static double expected_seconds(const struct runner *r)
{
	double s = 0;
	size_t i;

	for (i = 0; i < r->plan.ntests; i++) {
		const struct test *t = &r->plan.tests[i];

		if (!t->reason)
			s += (test_runs(t) - t->ndone) *
			     run_seconds(r, t);
	}
	return s;
}

/* Console logs are kept next to the results: results.db -> results.logs */
static void log_dir(const char *results, char *buf, size_t len)
{
	size_t n = strlen(results);

	if (n > 3 && !strcmp(results + n - 3, ".db"))
		n -= 3;
	snprintf(buf, len, "%.*s.logs", (int)n, results);
}

static int prepare(struct runner *r, const char *results)
{
	char **ids;
	size_t n;
	ssize_t len;

	len = readlink("/proc/self/exe", r->exe, sizeof(r->exe) - 1);
	if (len < 0)
		return error_errno("cannot find the iovbench binary");
	r->exe[len] = '\0';
	r->caps = campaign_caps(r->c);
	if (plan_build(r->c, r->caps, &r->plan))
		return -1;
	if (r->o->dry) {
		/* what is done, if there is a database; nothing written */
		if (!access(results, F_OK) &&
		    (store_open(results, STORE_READ, &r->store) ||
		     store_complete_runs(r->store, &ids, &n)))
			return -1;
		if (r->store) {
			plan_mark_done(&r->plan, ids, n);
			strv_free(ids, n);
			return store_settle_searches(r->store, &r->plan);
		}
		return 0;
	}
	if (store_open(results, STORE_CREATE, &r->store))
		return -1;
	if (store_complete_runs(r->store, &ids, &n))
		return -1;
	plan_mark_done(&r->plan, ids, n);
	strv_free(ids, n);
	if (store_settle_searches(r->store, &r->plan))
		return -1;
	if (store_touch_campaign(r->store, r->c, r->o->config))
		return -1;
	r->host = host_facts_json("/");
	return 0;
}

/* The local testbed emulates as many VFs as its runnable tests need. */
static void plan_vfs(struct runner *r)
{
	size_t i;

	if (r->tb.remote)
		return;
	for (i = 0; i < r->plan.ntests; i++) {
		unsigned n = plan_vfs_needed(&r->plan.tests[i]);

		if (!r->plan.tests[i].reason && n > r->tb.vfs)
			r->tb.vfs = n;
	}
}

static int dry_run(struct runner *r, const struct plan_counts *counts)
{
	struct strbuf *out = r->o->dry;
	struct strbuf label = STRBUF_INIT;
	size_t i;
	int ret;

	strbuf_addf(out,
		    "# dry run of campaign %s (%s): nothing is created, run or "
		    "stored\n"
		    "# %zu runs to do, %zu done, %zu not runnable\n",
		    r->c->name, r->c->file, counts->todo, counts->done,
		    counts->not_runnable);
	for (i = 0; i < r->plan.ntests; i++) {
		if (!r->plan.tests[i].reason)
			continue;
		strbuf_reset(&label);
		plan_test_label(&r->plan.tests[i], &label);
		strbuf_addf(out, "# refused: %s: %s\n", label.buf,
			    r->plan.tests[i].reason);
	}
	strbuf_release(&label);
	r->tb.dry = out;
	r->tb.accel = VM_TCG;
	r->tb.tsc_khz = 0;
	plan_vfs(r);
	strbuf_addstr(out, "\n# testbed up\n");
	ret = testbed_up(&r->tb);
	if (!ret)
		ret = run_plan(r);
	strbuf_addstr(out, "\n# teardown\n");
	if (testbed_teardown(&r->tb))
		ret = -1;
	return ret;
}

/*
 * Nothing to do: remove what an earlier runner of the prefix left here
 * (namespaces, links, processes). A real server's leftovers go when a
 * campaign next has work there (testbed_up()).
 */
static int leftovers_down(struct runner *r)
{
	unsigned removed = 0;

	if (testbed_down(r->c->prefix, &removed))
		return -1;
	if (removed)
		progress_note(&r->progress,
			      "removed %u leftovers of an earlier run with "
			      "prefix '%s'",
			      removed, r->c->prefix);
	return 0;
}

int runner_run(const struct campaign *c, const struct runner_opts *o,
	       struct runner_outcome *out)
{
	const char *results = o->results ? o->results : c->results;
	struct runner r;
	struct plan_counts counts;
	int lock = -1, ret = -1;

	memset(&r, 0, sizeof(r));
	memset(out, 0, sizeof(*out));
	r.c = c;
	r.o = o;
	r.out = out;
	meters_init(&r.meters, NULL, 0);
	testbed_init(&r.tb, c);
	progress_start(&r.progress, 0, 0);
	r.progress.quiet |= o->dry != NULL;
	/* first the lock: a runner it refuses creates nothing */
	if (!o->dry && (lock = testbed_lock(c->prefix)) < 0)
		goto release;
	if (prepare(&r, results))
		goto release;
	plan_counts(&r.plan, &counts);
	out->skipped = counts.done;
	out->not_runnable = counts.not_runnable;
	out->todo = counts.todo;
	if (o->dry) {
		ret = dry_run(&r, &counts);
		goto release;
	}
	if (record_refusals(&r))
		goto release;
	if (!counts.todo) {
		/* what a crash left goes on every start, work or not */
		ret = leftovers_down(&r);
		goto release;
	}
	r.tb.accel = c->main_guests.accel == ACCEL_KVM ||
				     (c->main_guests.accel == ACCEL_AUTO &&
				      (r.caps & CAP_KVM)) ?
			     VM_KVM :
			     VM_TCG;
	r.tb.tsc_khz = host_cpu_khz("/");
	plan_vfs(&r);
	r.tb.stop = o->stop;
	log_dir(results, r.tb.logdir, sizeof(r.tb.logdir));
	if (mkdir(r.tb.logdir, 0755) && errno != EEXIST) {
		error_errno("cannot create '%s'", r.tb.logdir);
		goto release;
	}
	progress_start(&r.progress, counts.todo, expected_seconds(&r));
	hook_runner = &r;
	error_set_hook(error_to_progress);
	if (counts.done)
		progress_note(&r.progress,
			      "resuming: %zu runs already complete, %zu to do",
			      counts.done, counts.todo);
	if (testbed_up(&r.tb)) {
		error("cannot build the testbed");
		goto teardown;
	}
	ret = run_plan(&r);
teardown:
	setup_done(&r);
	if (testbed_teardown(&r.tb))
		ret = ret ? ret : -1;
	progress_finish(&r.progress);
	error_set_hook(NULL);
	hook_runner = NULL;
	plan_counts(&r.plan, &counts);
	out->todo = counts.todo;
	out->interrupted = ret == -EINTR;
release:
	if (lock >= 0)
		close(lock);
	meters_release(&r.meters);
	testbed_release(&r.tb);
	free(r.host);
	free(r.setup);
	store_close(r.store);
	plan_release(&r.plan);
	return ret;
}
