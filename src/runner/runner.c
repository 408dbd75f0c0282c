// SPDX-License-Identifier: GPL-2.0-or-later
#include "runner/runner.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/caps.h"
#include "core/dataplane.h"
#include "core/plan.h"
#include "core/probe.h"
#include "host/facts.h"
#include "host/proc.h"
#include "net/netns.h"
#include "runner/progress.h"
#include "store/store.h"
#include "testbed/testbed.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* Fixed cost of a run beyond its probes: spawning, waiting, storing. */
#define RUN_OVERHEAD_S 0.05
/* Time a reflector may take to bind its port. */
#define REFLECTOR_READY_NS (5 * NSEC_PER_SEC)
/* A prober gets this long beyond its run's own length to finish. */
#define PROBER_SLACK_NS (30 * NSEC_PER_SEC)

struct runner {
	const struct campaign *c;
	const struct runner_opts *o;
	struct plan plan;
	struct store *store;
	struct testbed tb;
	struct progress progress;
	struct runner_outcome *out;
	char exe[PATH_MAX];
	char rundir[128]; /* /run/iovbench/PREFIX: children's stderr */
	char *host;	  /* JSON facts, stored with every run */
	struct proc reflector;
	bool reflector_up;
	int setup_failed; /* the current data plane could not be set up */
	char setup_error[512];
};

/* While the runner works, errors also become the reason a run failed. */
static struct runner *hook_runner;
static char last_error[512];

static void error_to_progress(const char *line)
{
	if (hook_runner)
		progress_note(&hook_runner->progress, "%s", line);
	else
		fprintf(stderr, "%s\n", line);
	snprintf(last_error, sizeof(last_error), "%s",
		 strncmp(line, "iovbench: ", 10) ? line : line + 10);
}

static double run_seconds(const struct campaign *c, const struct test *t)
{
	return (double)(c->prober.warmup + t->v[F_COUNT]) /
		       (double)t->v[F_RATE] +
	       RUN_OVERHEAD_S;
}

static int stopped(const struct runner *r)
{
	return r->o->stop && *r->o->stop;
}

static void reflector_stop(struct runner *r)
{
	if (!r->reflector_up)
		return;
	proc_kill(&r->reflector, NSEC_PER_SEC);
	proc_release(&r->reflector);
	r->reflector_up = false;
}

static int reflector_start(struct runner *r)
{
	char port[16], log[256], line[64];
	char *argv[] = {r->exe, "reflect", "--port", port, "--ready",
			r->c->prober.busy_poll ? "--busy-poll" : NULL, NULL};
	struct spawn_opts so = {
		.netns = r->tb.guest_ns[SERVER_RESPONDER],
		.cpus = r->c->main_guests.cpus,
		.capture = true,
		.log = log,
	};
	int ret;

	if (r->reflector_up && !kill(r->reflector.pid, 0) &&
	    r->reflector.status < 0)
		return 0;
	if (r->reflector_up) {
		warning("the reflector in '%s' died; starting a new one",
			so.netns);
		reflector_stop(r);
	}
	snprintf(port, sizeof(port), "%lld", (long long)r->c->prober.udp_port);
	snprintf(log, sizeof(log), "%s/reflect.log", r->rundir);
	if (proc_spawn(argv, &so, &r->reflector))
		return -1;
	r->reflector_up = true;
	ret = proc_read_line(&r->reflector, line, sizeof(line),
			     REFLECTOR_READY_NS, r->o->stop);
	if (ret || strcmp(line, "ready")) {
		reflector_stop(r);
		if (ret == -EINTR)
			return -EINTR;
		return error("the reflector did not start in '%s' (see %s)",
			     so.netns, log);
	}
	return 0;
}

static int guests_up(struct runner *r, int dp)
{
	reflector_stop(r);
	r->setup_failed = 0;
	r->out->setups++;
	progress_note(&r->progress, "setting up main guests on %s (setup %u)",
		      dataplane_table[dp].name, r->out->setups);
	last_error[0] = '\0';
	if (testbed_guests_up(&r->tb, dp)) {
		r->setup_failed = 1;
		snprintf(r->setup_error, sizeof(r->setup_error),
			 "cannot set up main guests on %s: %s",
			 dataplane_table[dp].name, last_error);
		testbed_guests_down(&r->tb);
		r->tb.dataplane = dp; /* remember which one failed */
		return -1;
	}
	return 0;
}

static char *prober_argv_arg(char *buf, size_t len, long long v)
{
	snprintf(buf, len, "%lld", v);
	return buf;
}

/* Measure one run in the sender's guest; 0, -1 (failed) or -EINTR. */
static int measure(struct runner *r, const struct test *t,
		   struct probe_meta *meta, struct probe_rec **recs,
		   size_t *n)
{
	char rate[24], count[24], size[24], warmup[24], port[24], timeout[32];
	char target[32], log[256], why[600];
	char *argv[20];
	struct spawn_opts so = {
		.netns = r->tb.guest_ns[SERVER_SENDER],
		.cpus = r->c->main_guests.cpus,
		.capture = true,
		.log = log,
	};
	struct strbuf err = STRBUF_INIT, tail = STRBUF_INIT;
	struct proc p;
	int64_t limit;
	int a = 0, st, ret = -1;

	ipv4_format(r->tb.guest_addr[SERVER_RESPONDER], target, sizeof(target));
	snprintf(timeout, sizeof(timeout), "%lldns",
		 (long long)r->c->prober.timeout_ns);
	argv[a++] = r->exe;
	argv[a++] = "probe";
	argv[a++] = "--quiet";
	argv[a++] = "--records=-";
	argv[a++] = "--kind";
	argv[a++] = (char *)probe_kind_name((enum probe_kind)t->v[F_PROBE]);
	argv[a++] = "--rate";
	argv[a++] = prober_argv_arg(rate, sizeof(rate), t->v[F_RATE]);
	argv[a++] = "--count";
	argv[a++] = prober_argv_arg(count, sizeof(count), t->v[F_COUNT]);
	argv[a++] = "--size";
	argv[a++] = prober_argv_arg(size, sizeof(size), t->v[F_SIZE]);
	argv[a++] = "--warmup";
	argv[a++] = prober_argv_arg(warmup, sizeof(warmup),
				    r->c->prober.warmup);
	argv[a++] = "--port";
	argv[a++] = prober_argv_arg(port, sizeof(port), r->c->prober.udp_port);
	argv[a++] = "--timeout";
	argv[a++] = timeout;
	if (r->c->prober.busy_poll)
		argv[a++] = "--busy-poll";
	argv[a++] = target;
	argv[a] = NULL;

	/* a fresh log per run: on failure its text is the reason */
	snprintf(log, sizeof(log), "%s/probe.log", r->rundir);
	unlink(log);
	if (proc_spawn(argv, &so, &p))
		return -1;
	limit = (int64_t)(run_seconds(r->c, t) * 1e9) + r->c->prober.timeout_ns +
		PROBER_SLACK_NS;
	st = proc_wait(&p, limit, r->o->stop);
	if (st == -EINTR) {
		proc_kill(&p, NSEC_PER_SEC);
		ret = -EINTR;
		goto out;
	}
	if (st == -ETIMEDOUT) {
		proc_kill(&p, NSEC_PER_SEC);
		error("the prober did not finish within %.0f s", limit / 1e9);
		goto out;
	}
	if (st != 0) {
		strbuf_read_file(&tail, log, 1 << 16);
		while (tail.len && tail.buf[tail.len - 1] == '\n')
			tail.buf[--tail.len] = '\0';
		snprintf(why, sizeof(why), "%s",
			 strrchr(tail.buf, '\n') ? strrchr(tail.buf, '\n') + 1 :
						   tail.buf);
		error("the prober failed (exit %d): %s", st,
		      *why ? why : "no message");
		goto out;
	}
	if (records_parse(p.out.buf, p.out.len, meta, recs, n, &err)) {
		error("the prober's records are unreadable: %s", err.buf);
		goto out;
	}
	ret = 0;
out:
	proc_release(&p);
	strbuf_release(&err);
	strbuf_release(&tail);
	return ret;
}

static int save(struct runner *r, struct test *t, unsigned rep,
		enum run_status status, const char *why, int64_t started,
		const struct probe_meta *meta, const struct probe_rec *recs,
		size_t n)
{
	struct probe_summary sum;
	struct run_record rr = {
		.test = t,
		.rep = rep,
		.campaign = r->c->name,
		.status = status,
		.error = why,
		.started = started,
		.ended = now_real(),
		.host = r->host,
		.meta = meta,
		.recs = recs,
		.n = n,
		.sum = status == RUN_COMPLETE ? &sum : NULL,
	};

	if (status == RUN_COMPLETE)
		probe_summarize(recs, n, &sum);
	if (store_save_run(r->store, &rr))
		return -1;
	if (status == RUN_COMPLETE) {
		t->done[rep - 1] = true;
		t->ndone++;
		r->out->stored++;
	} else {
		r->out->failed++;
	}
	return 0;
}

static int run_one(struct runner *r, struct test *t, unsigned rep)
{
	struct strbuf label = STRBUF_INIT;
	struct probe_meta meta;
	struct probe_rec *recs = NULL;
	int64_t started = now_real();
	size_t n = 0;
	int ret;

	plan_test_label(t, &label);
	strbuf_addf(&label, "  rep %u/%u", rep, test_repetitions(t));
	progress_run(&r->progress, label.buf, run_seconds(r->c, t));
	strbuf_release(&label);

	if (r->setup_failed) {
		ret = save(r, t, rep, RUN_FAILED, r->setup_error, started,
			   NULL, NULL, 0);
		goto done;
	}
	last_error[0] = '\0';
	ret = 0;
	if (t->v[F_PROBE] == PROBE_UDP)
		ret = reflector_start(r);
	if (!ret)
		ret = measure(r, t, &meta, &recs, &n);
	if (ret == -EINTR)
		return -EINTR; /* discarded: the next start redoes it */
	if (ret)
		ret = save(r, t, rep, RUN_FAILED,
			   *last_error ? last_error : "unknown error", started,
			   NULL, NULL, 0);
	else
		ret = save(r, t, rep, RUN_COMPLETE, NULL, started, &meta, recs,
			   n);
	free(recs);
done:
	progress_end_run(&r->progress, run_seconds(r->c, t));
	/* a store that cannot write is fatal: nothing would be kept */
	return ret;
}

static int run_plan(struct runner *r)
{
	size_t i;
	unsigned rep;
	int ret;

	for (i = 0; i < r->plan.ntests; i++) {
		struct test *t = &r->plan.tests[i];

		if (t->reason || t->ndone == test_repetitions(t))
			continue;
		if (stopped(r))
			return -EINTR;
		if (r->tb.dataplane != t->v[F_DATAPLANE] &&
		    guests_up(r, (int)t->v[F_DATAPLANE]))
			warning("runs on %s are stored as failed: %s",
				dataplane_table[t->v[F_DATAPLANE]].name,
				r->setup_error);
		for (rep = 1; rep <= test_repetitions(t); rep++) {
			if (t->done[rep - 1])
				continue;
			if (stopped(r))
				return -EINTR;
			ret = run_one(r, t, rep);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static double expected_seconds(const struct runner *r)
{
	double s = 0;
	size_t i;

	for (i = 0; i < r->plan.ntests; i++) {
		const struct test *t = &r->plan.tests[i];

		if (!t->reason)
			s += (test_repetitions(t) - t->ndone) *
			     run_seconds(r->c, t);
	}
	return s;
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
	if (plan_build(r->c, host_caps_detect("/"), &r->plan))
		return -1;
	if (store_open(results, STORE_CREATE, &r->store))
		return -1;
	if (store_complete_runs(r->store, &ids, &n))
		return -1;
	plan_mark_done(&r->plan, ids, n);
	strv_free(ids, n);
	if (store_touch_campaign(r->store, r->c, r->o->config))
		return -1;
	r->host = host_facts_json("/");
	return 0;
}

int runner_run(const struct campaign *c, const struct runner_opts *o,
	       struct runner_outcome *out)
{
	struct runner r;
	struct plan_counts counts;
	int lock = -1, ret = -1;

	memset(&r, 0, sizeof(r));
	memset(out, 0, sizeof(*out));
	r.c = c;
	r.o = o;
	r.out = out;
	if (prepare(&r, o->results ? o->results : c->results))
		goto release;
	plan_counts(&r.plan, &counts);
	out->skipped = counts.done;
	out->not_runnable = counts.not_runnable;
	out->todo = counts.todo;
	if (!counts.todo) {
		ret = 0;
		goto release;
	}
	lock = testbed_lock(c->prefix);
	if (lock < 0)
		goto release;
	testbed_init(&r.tb, c);
	progress_start(&r.progress, counts.todo, expected_seconds(&r));
	hook_runner = &r;
	error_set_hook(error_to_progress);
	if (counts.done)
		progress_note(&r.progress,
			      "resuming: %zu runs already complete, %zu to do",
			      counts.done, counts.todo);
	/* after testbed_up, which removes a crashed run's logs with it */
	snprintf(r.rundir, sizeof(r.rundir), "/run/iovbench/%s", c->prefix);
	if (testbed_up(&r.tb) || (mkdir(r.rundir, 0755) && errno != EEXIST)) {
		error("cannot build the testbed");
		goto teardown;
	}
	ret = run_plan(&r);
teardown:
	reflector_stop(&r);
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
	free(r.host);
	store_close(r.store);
	plan_release(&r.plan);
	return ret;
}
