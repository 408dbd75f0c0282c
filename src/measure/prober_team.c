// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Probers per CPU. On veth paths the whole path -- bridge, responder's
 * echo, the reply's delivery -- runs inside the sender's kick, on the
 * sender's CPU; one prober then sends at most what one CPU carries of
 * the path plus its stamps (0.8x trafgen, which stamps nothing:
 * bench/RESULTS.md). A team runs `threads` probers, each the same
 * single-threaded prober (prober.c: it spins, sends and reads its own
 * replies and stamps, so no thread is ever woken by the packets it
 * times), each with its own sockets or rings, pinned to its own CPU and
 * taking every threads-th probe of the one schedule (probe seq goes to
 * part seq % threads). Its kicks run its probes' path on its CPU. The
 * price: consecutive probes find the path's state in the other CPU's
 * cache, and the RTT is that of a cold path (2-3x one prober's on
 * veth-bridge and macvlan): a team measures the rate a path carries,
 * not its latency, and says so.
 *
 * The records leave in seq order, as a single prober's do: a part hands
 * each record to the team, which keeps a window of them and lets out
 * the next ones whenever they are all there. Whichever part holds the
 * lock writes them (opts->emit), so the parts never wait for a third
 * thread; a part that runs a window ahead of the others waits, writing
 * what it can, until they catch up (its lateness then shows as pacing
 * error).
 */
#include "measure/prober_path.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* Records held while the parts' retirements differ (64 B each). */
#define WINDOW (1u << 16)
#define THREADS_MAX 64

struct team_part {
	struct prober_team *t;
	unsigned part;
	int cpu; /* pinned to, or -1 */
	struct prober_result res;
	int ret;
	pthread_t thread;
};

struct prober_team {
	const struct prober_opts *o;
	struct prober_result *res;
	unsigned parts;
	uint32_t session;
	pthread_mutex_t lock; /* the window's release, opts->emit */
	pthread_cond_t all_ready;
	unsigned ready; /* parts past their preflight (or failed) */
	bool meta_set, preflight_silent;
	int64_t t0;
	atomic_bool failed;
	atomic_uint_fast64_t next; /* the record seq to release next */
	struct probe_rec *window;
	atomic_bool *filled;
};

uint32_t prober_team_session(const struct prober_team *t)
{
	return t->session;
}

bool prober_team_failed(const struct prober_team *t)
{
	return atomic_load_explicit(&t->failed, memory_order_relaxed);
}

static void arrive(struct prober_team *t)
{
	if (++t->ready == t->parts) {
		/* 200 us: every part's spinner is back to its loop */
		t->t0 = now_mono() + 200 * NSEC_PER_USEC;
		pthread_cond_broadcast(&t->all_ready);
	}
	while (t->ready < t->parts)
		pthread_cond_wait(&t->all_ready, &t->lock);
}

void prober_team_abort(struct prober_team *t)
{
	atomic_store(&t->failed, true);
	pthread_mutex_lock(&t->lock);
	arrive(t);
	pthread_mutex_unlock(&t->lock);
}

int64_t prober_team_start(struct prober_team *t, const struct probe_meta *m)
{
	int64_t t0;

	pthread_mutex_lock(&t->lock);
	if (!t->meta_set || m->started < t->res->meta.started)
		t->res->meta = *m; /* the earliest start; preflight below */
	t->meta_set = true;
	if (m->preflight != PREFLIGHT_ANSWERED)
		t->preflight_silent = true;
	t->res->meta.preflight = t->preflight_silent ? PREFLIGHT_SILENT :
						       PREFLIGHT_ANSWERED;
	arrive(t);
	t0 = t->t0;
	pthread_mutex_unlock(&t->lock);
	return t0;
}

/* Let out the records now complete from t->next on; the lock held. */
static int release(struct prober_team *t)
{
	const struct prober_opts *o = t->o;
	uint64_t n = atomic_load(&t->next);

	while (atomic_load_explicit(&t->filled[n % WINDOW],
				    memory_order_acquire)) {
		const struct probe_rec *r = &t->window[n % WINDOW];

		probe_summary_add(&t->res->sum, r);
		if (o->emit && o->emit(&t->res->meta, r, o->emit_data)) {
			atomic_store(&t->failed, true);
			return -1;
		}
		atomic_store_explicit(&t->filled[n % WINDOW], false,
				      memory_order_relaxed);
		atomic_store_explicit(&t->next, ++n, memory_order_release);
	}
	return 0;
}

int prober_team_emit(struct prober_team *t, const struct probe_rec *r)
{
	uint64_t seq = r->seq;

	/*
	 * A window ahead of the others: release what is there while they
	 * catch up. The part whose record is next never waits here (its
	 * records are in seq order), so the team cannot deadlock.
	 */
	while (seq >= atomic_load(&t->next) + WINDOW) {
		if (prober_team_failed(t))
			return -1;
		if (!pthread_mutex_trylock(&t->lock)) {
			int ret = release(t);

			pthread_mutex_unlock(&t->lock);
			if (ret)
				return -1;
		}
	}
	t->window[seq % WINDOW] = *r;
	atomic_store_explicit(&t->filled[seq % WINDOW], true,
			      memory_order_release);
	/* busy: the holder, or the next part to come, lets it out */
	if (!pthread_mutex_trylock(&t->lock)) {
		int ret = release(t);

		pthread_mutex_unlock(&t->lock);
		if (ret)
			return -1;
	}
	return prober_team_failed(t) ? -1 : 0;
}

static void *part_main(void *arg)
{
	struct team_part *tp = arg;

	if (tp->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(tp->cpu, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	tp->ret = prober_run_part(tp->t->o, &tp->res, tp->t, tp->part,
				  tp->t->parts);
	if (tp->ret)
		atomic_store(&tp->t->failed, true);
	return NULL;
}

/* The n-th CPU this process may run on, or -1. */
static int nth_cpu(const cpu_set_t *set, unsigned n)
{
	int cpu;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, set) && !n--)
			return cpu;
	return -1;
}

static int team_run(const struct prober_opts *o, struct prober_result *res)
{
	struct prober_team t = {.o = o, .res = res, .parts = o->threads};
	struct team_part *tp;
	cpu_set_t allowed;
	bool pin;
	unsigned i, started = 0;
	int ret = 0;

	if (o->threads > THREADS_MAX)
		return error("prober: at most %d threads", THREADS_MAX);
	memset(res, 0, sizeof(*res));
	if (getrandom(&t.session, sizeof(t.session), 0) != sizeof(t.session))
		return error_errno("cannot get random bytes");
	warning("prober: %u probers take turns from different CPUs: each "
		"probe finds the path's state in another CPU's cache, so "
		"this RTT is not one prober's (2-3x here, "
		"docs/metrics.md \"Probers per CPU\"); use it for the rate",
		o->threads);
	pin = !sched_getaffinity(0, sizeof(allowed), &allowed) &&
	      (unsigned)CPU_COUNT(&allowed) >= o->threads;
	if (!pin)
		warning("prober: %u threads on fewer CPUs: not pinned, they "
			"share CPUs",
			o->threads);
	pthread_mutex_init(&t.lock, NULL);
	pthread_cond_init(&t.all_ready, NULL);
	t.window = xcalloc(WINDOW, sizeof(*t.window));
	t.filled = xcalloc(WINDOW, sizeof(*t.filled));
	tp = xcalloc(o->threads, sizeof(*tp));
	for (i = 0; i < o->threads; i++) {
		tp[i].t = &t;
		tp[i].part = i;
		tp[i].cpu = pin ? nth_cpu(&allowed, i) : -1;
		if (pthread_create(&tp[i].thread, NULL, part_main, &tp[i])) {
			ret = error("cannot start prober thread %u", i);
			break;
		}
		started++;
	}
	/* parts never started would be waited for at the start */
	for (i = started; i < o->threads; i++)
		prober_team_abort(&t);
	for (i = 0; i < started; i++) {
		pthread_join(tp[i].thread, NULL);
		/* a part's own error first; -EINTR: stopped, or by another */
		if (tp[i].ret && (!ret || ret == -EINTR))
			ret = tp[i].ret;
		res->late += tp[i].res.late;
	}
	if (!ret && prober_team_failed(&t))
		ret = -EINTR;
	if (!ret) {
		/* every part has handed in its last record: all are out */
		pthread_mutex_lock(&t.lock);
		ret = release(&t);
		pthread_mutex_unlock(&t.lock);
		if (!ret && atomic_load(&t.next) != o->count)
			ret = error("prober: %llu of %llu records came out",
				    (unsigned long long)atomic_load(&t.next),
				    (unsigned long long)o->count);
	}
	free(tp);
	free(t.window);
	free(t.filled);
	pthread_cond_destroy(&t.all_ready);
	pthread_mutex_destroy(&t.lock);
	return ret;
}

int prober_run(const struct prober_opts *o, struct prober_result *res)
{
	if (o->threads <= 1)
		return prober_run_part(o, res, NULL, 0, 1);
	return team_run(o, res);
}
