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
#include "core/probe.h"
#include "guest/image.h"
#include "host/facts.h"
#include "host/proc.h"
#include "net/netns.h"
#include "runner/guestproc.h"
#include "runner/load.h"
#include "runner/observe.h"
#include "runner/progress.h"
#include "store/store.h"
#include "testbed/attach.h"
#include "testbed/testbed.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* Fixed cost of a run beyond its probes: spawning, waiting, storing. */
#define RUN_OVERHEAD_S 0.05
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
	uint32_t caps;
	char exe[PATH_MAX];
	char *host;   /* JSON facts, stored with every run */
	char *setup;  /* JSON of the current setup, stored with its runs */
	struct image image;
	int image_state; /* 0: not needed yet, 1: built, -1: failed */
	char image_error[512];
	/* the UDP reflector of the current setup */
	struct guest_proc reflector;
	int setup_failed; /* the current setup could not be made */
	char setup_error[600];
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

static bool guests_are_vms(const struct runner *r)
{
	return r->tb.main[SERVER_SENDER].vm;
}

/* Start argv in a container guest of server s (here, or over ssh). */
static int spawn_on(struct runner *r, enum server_id s, char *const argv[],
		    const struct spawn_opts *so, struct proc *p)
{
	struct host *h = &r->tb.hosts[s];

	return h->be->spawn(h, argv, so, p);
}

/* ---- the reflector, in the responder's main guest ---- */

static struct guest_proc_opts proc_opts(struct runner *r, const char *log)
{
	struct guest_proc_opts o = {
		.exe = r->exe,
		.cpus = r->c->main_guests.cpus,
		.log = log,
		.stop = r->o->stop,
	};

	return o;
}

static void reflector_stop(struct runner *r)
{
	if (r->o->dry)
		r->reflector.up = false;
	guest_proc_stop(&r->reflector, NULL);
}

static int reflector_start(struct runner *r)
{
	char port[16], log[PATH_MAX + 16];
	const char *words[] = {"reflect", "--port", port, "--ready",
			       r->c->prober.busy_poll ? "--busy-poll" : NULL};
	int nwords = r->c->prober.busy_poll ? 5 : 4;
	struct guest_proc_opts o = proc_opts(r, log);
	struct guest *g = &r->tb.main[SERVER_RESPONDER];

	if (guest_proc_alive(&r->reflector))
		return 0;
	if (r->reflector.up) {
		warning("the reflector in '%s' died; starting a new one",
			g->name);
		reflector_stop(r);
	}
	snprintf(port, sizeof(port), "%lld", (long long)r->c->prober.udp_port);
	snprintf(log, sizeof(log), "%s/reflect.log", r->tb.rundir);
	return guest_proc_start(&r->tb, &r->reflector, g, words, nwords, &o);
}

/* ---- setups ---- */

static char *setup_json(struct runner *r)
{
	const struct dataplane *dp = &dataplane_table[r->tb.setup.dataplane];
	const struct attach_ops *at = &attach_table[dp->attach];
	struct strbuf label = STRBUF_INIT;
	json_t *o = json_object(), *con;
	char *text;
	int s;

	setup_label(&r->tb.setup, &label);
	json_object_set_new(o, "setup", json_string(label.buf));
	json_object_set_new(o, "guest", json_string(guest_kind_name(dp->guest)));
	json_object_set_new(o, "testbed",
			    json_string(r->tb.remote ? "ssh" : "local"));
	if (at->vf)
		json_object_set_new(o, "vf", json_string(r->tb.remote ?
								 "hardware" :
								 "emulated"));
	if (dp->guest == GUEST_QEMU) {
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
	last_error[0] = '\0';
	io.guest_bin = guest;
	if (image_default_guest_bin(guest, sizeof(guest)) ||
	    image_build(&io, &r->image)) {
		r->image_state = -1;
		snprintf(r->image_error, sizeof(r->image_error),
			 "no guest image: %s", last_error);
		return -1;
	}
	r->image_state = 1;
	r->tb.image = &r->image;
	return 0;
}

static void guests_up(struct runner *r, const struct setup *su)
{
	const struct dataplane *dp = &dataplane_table[su->dataplane];
	struct strbuf label = STRBUF_INIT;
	unsigned boots = r->tb.boots;

	reflector_stop(r);
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
	last_error[0] = '\0';
	/* a user's disk image replaces the guest image (main guests only) */
	if (((dp->guest == GUEST_QEMU && !*r->c->main_guests.disk) ||
	     (su->background && su->bg_vm)) &&
	    ensure_image(r)) {
		r->setup_failed = 1;
		snprintf(r->setup_error, sizeof(r->setup_error), "%s",
			 r->image_error);
	} else if (testbed_guests_up(&r->tb, su)) {
		r->setup_failed = 1;
		snprintf(r->setup_error, sizeof(r->setup_error),
			 "cannot set up guests (%s): %s", label.buf,
			 last_error);
	}
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
}

/* ---- one run ---- */

static void num(char *buf, size_t len, long long v)
{
	snprintf(buf, len, "%lld", v);
}

/* The prober's words: iovbench[-guest] probe ... TARGET */
static int probe_words(struct runner *r, const struct test *t,
		       const char **w, char bufs[][32])
{
	int n = 0;

	w[n++] = "probe";
	w[n++] = "--quiet";
	w[n++] = "--records=-";
	w[n++] = "--kind";
	w[n++] = probe_kind_name((enum probe_kind)t->v[F_PROBE]);
	num(bufs[0], 32, t->v[F_RATE]);
	w[n++] = "--rate";
	w[n++] = bufs[0];
	num(bufs[1], 32, t->v[F_COUNT]);
	w[n++] = "--count";
	w[n++] = bufs[1];
	num(bufs[2], 32, t->v[F_SIZE]);
	w[n++] = "--size";
	w[n++] = bufs[2];
	num(bufs[3], 32, r->c->prober.warmup);
	w[n++] = "--warmup";
	w[n++] = bufs[3];
	num(bufs[4], 32, r->c->prober.udp_port);
	w[n++] = "--port";
	w[n++] = bufs[4];
	snprintf(bufs[5], 32, "%lldns", (long long)r->c->prober.timeout_ns);
	w[n++] = "--timeout";
	w[n++] = bufs[5];
	if (r->c->prober.busy_poll)
		w[n++] = "--busy-poll";
	ipv4_format(r->tb.main[SERVER_RESPONDER].addr, bufs[6], 32);
	w[n++] = bufs[6];
	return n;
}

/* Records of one run from the sender's guest; 0, -1 or -EINTR. */
static int measure(struct runner *r, const struct test *t,
		   struct strbuf *records)
{
	const char *w[24];
	char bufs[8][32], log[PATH_MAX + 16], *argv[26];
	int64_t limit = (int64_t)(run_seconds(r->c, t) * 1e9) +
			r->c->prober.timeout_ns + PROBER_SLACK_NS;
	int n = probe_words(r, t, w, bufs), i, st;
	struct spawn_opts so = {
		.netns = r->tb.main[SERVER_SENDER].name,
		.cpus = r->c->main_guests.cpus,
		.capture = true,
		.log = log,
	};
	struct strbuf tail = STRBUF_INIT;
	struct proc p;

	if (guests_are_vms(r)) {
		struct channel *ch = &r->tb.main[SERVER_SENDER].ch;

		if (ch->ops->run(ch, w, n, limit, &st, records))
			return -1;
		if (st)
			return error("the prober in the sender VM failed "
				     "(exit %d): see its console log",
				     st);
		return 0;
	}
	argv[0] = r->exe;
	for (i = 0; i < n; i++)
		argv[i + 1] = (char *)w[i];
	argv[n + 1] = NULL;
	/* a fresh log per run: on failure its text is the reason */
	snprintf(log, sizeof(log), "%s/probe.log", r->tb.rundir);
	unlink(log);
	if (spawn_on(r, SERVER_SENDER, argv, &so, &p))
		return -1;
	st = proc_wait(&p, limit, r->o->stop);
	if (st == -EINTR || st == -ETIMEDOUT)
		proc_kill(&p, NSEC_PER_SEC);
	if (st == -EINTR) {
		proc_release(&p);
		return -EINTR;
	}
	if (st == -ETIMEDOUT)
		error("the prober did not finish within %.0f s", limit / 1e9);
	if (st > 0) {
		strbuf_read_file(&tail, log, 1 << 16);
		while (tail.len && tail.buf[tail.len - 1] == '\n')
			tail.buf[--tail.len] = '\0';
		error("the prober failed (exit %d): %s", st,
		      strrchr(tail.buf, '\n') ? strrchr(tail.buf, '\n') + 1 :
		      *tail.buf		      ? tail.buf :
						"no message");
		strbuf_release(&tail);
	}
	if (!st)
		strbuf_add(records, p.out.buf, p.out.len);
	proc_release(&p);
	return st ? -1 : 0;
}

static int save(struct runner *r, struct test *t, unsigned rep,
		enum run_status status, const char *why, int64_t started,
		const struct probe_meta *meta, const struct probe_rec *recs,
		size_t n, const struct run_extras *extras)
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
		.setup = status == RUN_REFUSED ? NULL : r->setup,
		.meta = meta,
		.recs = recs,
		.n = n,
		.sum = status == RUN_COMPLETE ? &sum : NULL,
		.extras = extras,
	};

	if (status == RUN_COMPLETE)
		probe_summarize(recs, n, &sum);
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

/* What a run would do: the reflector, then the prober's words. */
static void dry_run_one(struct runner *r, const struct test *t, unsigned rep)
{
	struct strbuf line = STRBUF_INIT;
	char run[RUN_ID_MAX], bufs[8][32];
	const char *w[24];
	int i, n = probe_words(r, t, w, bufs);

	plan_run_id(t, rep, run, sizeof(run));
	if (t->v[F_PROBE] == PROBE_UDP && !r->reflector.up) {
		testbed_note(&r->tb, SERVER_RESPONDER,
			     "start in %s: reflect --port %lld --ready",
			     r->tb.main[SERVER_RESPONDER].name,
			     (long long)r->c->prober.udp_port);
		r->reflector.up = true;
	}
	load_dry(&r->tb, t);
	for (i = 0; i < n; i++)
		strbuf_addf(&line, " %s", w[i]);
	testbed_note(&r->tb, SERVER_SENDER, "run %s in %s:%s", run,
		     r->tb.main[SERVER_SENDER].name, line.buf);
	strbuf_release(&line);
}

/* Everything a run observes, and the rows the store gets from it. */
struct observed {
	struct load_run load;
	struct cpu_watch cpu;
	struct capture_watch cap;
	bool cpu_on, cap_on;
	struct probe_split *split;
	struct load_row *loads;
	struct run_extras x;
};

static void observed_release(struct observed *ob)
{
	load_run_release(&ob->load);
	if (ob->cpu_on)
		cpu_watch_release(&ob->cpu);
	if (ob->cap_on)
		capture_watch_release(&ob->cap);
	free(ob->split);
	free(ob->loads);
}

/* pcap files: RESULTS.logs/TESTID-REP */
static void pcap_base(struct runner *r, const struct test *t, unsigned rep,
		      char *buf, size_t len)
{
	char run[RUN_ID_MAX], *p;

	plan_run_id(t, rep, run, sizeof(run));
	for (p = run; *p; p++) {
		if (*p == '/')
			*p = '-';
	}
	snprintf(buf, len, "%s/%s", r->tb.logdir, run);
}

/* Load, CPU and capture points around the probes; 0, -1 or -EINTR. */
static int observe_begin(struct runner *r, const struct test *t,
			 unsigned rep, struct observed *ob)
{
	char log[PATH_MAX + 16], base[PATH_MAX];
	struct guest_proc_opts o = proc_opts(r, log);
	int ret;

	snprintf(log, sizeof(log), "%s/load.log", r->tb.rundir);
	o.cpus = 0; /* the load goes where the background guests are */
	ret = load_start(&r->tb, t, &o, &ob->load);
	if (ret)
		return ret;
	ob->cpu_on = !cpu_watch_begin(&r->tb, &ob->cpu);
	if (r->c->prober.capture) {
		pcap_base(r, t, rep, base, sizeof(base));
		if (capture_watch_begin(&r->tb, &ob->cap, r->exe,
					r->c->prober.pcap ? base : NULL))
			return -1;
		ob->cap_on = true;
	}
	return 0;
}

static int observe_end(struct runner *r, struct observed *ob,
		       const struct probe_meta *meta,
		       const struct probe_rec *recs, size_t n)
{
	size_t i;
	int ret = 0;

	if (ob->cpu_on) {
		cpu_watch_end(&r->tb, &ob->cpu);
		ob->x.cpus = ob->cpu.rows;
		ob->x.ncpus = ob->cpu.nrows;
		ob->x.procs = ob->cpu.procs;
		ob->x.nprocs = ob->cpu.nprocs;
	}
	if (ob->cap_on) {
		ob->split = xcalloc(n ? n : 1, sizeof(*ob->split));
		if (capture_watch_end(&r->tb, &ob->cap, meta, recs, n,
				      (uint32_t)r->c->prober.warmup,
				      ob->split))
			ret = error("the capture points failed");
		ob->x.split = ob->split;
		ob->x.points = ob->cap.points;
		ob->x.npoints = (size_t)ob->cap.npoints;
	}
	/* a load that cannot say what it did fails the run: its RTTs would
	 * be stored under a load nobody knows was there */
	if (load_stop(&ob->load))
		ret = -1;
	ob->loads = xcalloc(ob->load.n ? ob->load.n : 1, sizeof(*ob->loads));
	for (i = 0; i < ob->load.n; i++) {
		ob->loads[i].server = server_name(ob->load.recs[i].server);
		ob->loads[i].guest = ob->load.recs[i].guest;
		ob->loads[i].rep = ob->load.recs[i].rep;
	}
	ob->x.loads = ob->loads;
	ob->x.nloads = ob->load.n;
	return ret;
}

static int run_one(struct runner *r, struct test *t, unsigned rep)
{
	struct strbuf label = STRBUF_INIT, text = STRBUF_INIT, err = STRBUF_INIT;
	struct probe_meta meta;
	struct probe_rec *recs = NULL;
	struct observed ob;
	int64_t started = now_real();
	size_t n = 0;
	int ret;

	memset(&ob, 0, sizeof(ob));
	plan_test_label(t, &label);
	strbuf_addf(&label, "  rep %u/%u", rep, test_repetitions(t));
	progress_run(&r->progress, label.buf, run_seconds(r->c, t));
	strbuf_release(&label);

	if (r->o->dry) {
		dry_run_one(r, t, rep);
		ret = 0;
		goto done;
	}
	if (r->setup_failed) {
		ret = save(r, t, rep, RUN_FAILED, r->setup_error, started,
			   NULL, NULL, 0, NULL);
		goto done;
	}
	last_error[0] = '\0';
	ret = 0;
	if (t->v[F_PROBE] == PROBE_UDP)
		ret = reflector_start(r);
	if (!ret)
		ret = observe_begin(r, t, rep, &ob);
	if (!ret)
		ret = measure(r, t, &text);
	if (ret == -EINTR) {
		observed_release(&ob);
		strbuf_release(&text);
		return -EINTR; /* discarded: the next start redoes it */
	}
	if (!ret && records_parse(text.buf, text.len, &meta, &recs, &n, &err))
		ret = error("the prober's records are unreadable: %s",
			    err.buf);
	if (!ret)
		ret = observe_end(r, &ob, &meta, recs, n);
	if (ret)
		ret = save(r, t, rep, RUN_FAILED,
			   *last_error ? last_error : "unknown error", started,
			   NULL, NULL, 0, NULL);
	else
		ret = save(r, t, rep, RUN_COMPLETE, NULL, started, &meta, recs,
			   n, &ob.x);
	observed_release(&ob);
	free(recs);
	strbuf_release(&text);
	strbuf_release(&err);
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
		struct setup su;

		if (t->reason || t->ndone == test_repetitions(t))
			continue;
		if (stopped(r))
			return -EINTR;
		setup_of_test(t, &su);
		if (!r->setup || !setup_equal(&r->tb.setup, &su))
			guests_up(r, &su);
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
		for (rep = 1; rep <= test_repetitions(t); rep++) {
			if (save(r, t, rep, RUN_REFUSED, t->reason, now_real(),
				 NULL, NULL, 0, NULL))
				return -1;
		}
		r->out->refused += test_repetitions(t);
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
			s += (test_repetitions(t) - t->ndone) *
			     run_seconds(r->c, t);
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
		}
		return 0;
	}
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
	testbed_init(&r.tb, c);
	progress_start(&r.progress, 0, 0);
	r.progress.quiet |= o->dry != NULL;
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
		ret = 0;
		goto release;
	}
	lock = testbed_lock(c->prefix);
	if (lock < 0)
		goto release;
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
	testbed_release(&r.tb);
	free(r.host);
	free(r.setup);
	store_close(r.store);
	plan_release(&r.plan);
	return ret;
}
