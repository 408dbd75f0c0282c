// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One thread does everything: it spins until a probe's departure, sends
 * it through its path (prober_path.h), and between departures drains
 * replies and transmit stamps without blocking. A second thread sleeping
 * on the socket would be woken by the very packets being timed: on paths
 * that process the echo inside send() (veth), that wake-up lands between
 * the transmit and the receive stamp and inflated the kernel RTT 1.4-1.8x
 * in our measurements (bench/RESULTS.md). A drain starts only if the
 * recent longest drain fits before the next departure, so draining does
 * not delay sends; but after BACKLOG_MAX sends without seeing the queues
 * empty it drains regardless (at rates this host can barely or not
 * sustain), so queued replies and stamps cannot fill the socket's buffer
 * and become fake loss. When the prober is behind, the probes already
 * due go to the path in one send (up to PROBER_BATCH_MAX): a path that
 * can hand them to the kernel in one call (the ring's kick) catches up,
 * and each probe's departure still comes from its own kernel stamp.
 * Late departures show as pacing error, never as lost probes.
 */
#include "measure/prober.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/packet.h"
#include "core/schedule.h"
#include "measure/prober_path.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

#define RX_BATCH 32
/* How late a due probe must be to go along in an earlier one's send. */
#define BATCH_LATE_NS (2 * NSEC_PER_USEC)
/* How long the real-time clock's offset from the monotonic one is kept. */
#define OFF_REFRESH_NS (10 * NSEC_PER_MSEC)
/* Margin added to the recent longest drain when deciding if one fits. */
#define DRAIN_MARGIN_NS (5 * NSEC_PER_USEC)
/* The longest drain is forgotten by half every this long. */
#define DRAIN_COST_HALFLIFE_NS (50 * NSEC_PER_MSEC)
/*
 * A drain timed longer than this was preempted (the host took the CPU):
 * a drain of DRAIN_BATCH messages a queue costs a few microseconds. Its
 * time counts as this much, or one preemption would keep every drain
 * from fitting for a half-life or more, and replies would wait for the
 * BACKLOG_MAX sends' forced drain: at 1 kpps 64 ms (the user-space RTT
 * p99 had tails of 2-35 ms while the kernel-stamped p99 stayed in
 * microseconds, bench/RESULTS.md).
 */
#define DRAIN_COST_MAX_NS (50 * NSEC_PER_USEC)
/* Until a drain has been timed, assume this. */
#define DRAIN_COST_INITIAL_NS (20 * NSEC_PER_USEC)
/* Messages read per queue by a drain between departures. */
#define DRAIN_BATCH 8
/*
 * Before the schedule starts, probes of a separate session go out one at
 * a time until a reply comes back with a receive stamp: the kernel turns
 * receive timestamping on lazily (a static key flipped from a work queue
 * when the first timestamping socket opens), and without this the first
 * probes of a run, each run being a new process, lacked receive stamps.
 * It also resolves ARP: a request lost on a path not yet up is repeated
 * only a second later (retrans_time), so the budget spans several.
 */
#define PREFLIGHT_BUDGET_NS (5 * NSEC_PER_SEC)
#define PREFLIGHT_WAIT_NS (1 * NSEC_PER_MSEC)

/*
 * Sends since the queues were last seen empty after which a drain runs
 * whatever the schedule: replies and stamps (~1 KB of buffer each) can
 * then never fill the socket's buffer and show up as fake loss.
 */
#define BACKLOG_MAX 64

/*
 * The slots are a ring: probe seq's record leaves (opts->emit) when
 * probe seq + ring is about to be sent, or at the end, so a run of any
 * length holds only a ring of slots. The ring spans the reply timeout at
 * the probe rate, so every probe gets at least the timeout to be
 * answered (a reply later than that counts as lost, as after the last
 * probe), between these bounds (64 B a slot: 256 KB to 64 MB).
 */
#define RING_MIN 4096
#define RING_MAX (1u << 20)

struct prober_slot {
	int64_t t_sched;
	int64_t t_tx_user;
	int64_t tx_sw, tx_hw;
	int64_t rx_sw, rx_hw;
	int64_t t_rx_user;
	uint32_t replies;
	bool send_error;
	bool reordered;
};

static const struct prober_path *const prober_path_table[] = {
	&prober_path_socket,
	&prober_path_ring,
};

const struct prober_path *prober_path_find(const char *name)
{
	size_t i;

	if (!name)
		return prober_path_table[0];
	for (i = 0; i < ARRAY_SIZE(prober_path_table); i++)
		if (!strcmp(prober_path_table[i]->name, name))
			return prober_path_table[i];
	return NULL;
}

int prober_sender_check(const char *name)
{
	return prober_path_find(name) ? 0 : -1;
}

const char *prober_sender_names(char *buf, size_t len)
{
	size_t i, n = ARRAY_SIZE(prober_path_table), at = 0;

	*buf = '\0';
	for (i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
				       !i	   ? "" :
				       i + 1 == n ? " or " :
						    ", ",
				       prober_path_table[i]->name);
	return buf;
}

static struct prober_slot *slot_of(struct prober *p, uint64_t j)
{
	return &p->slots[j % p->ring];
}

/* The seq of our j-th probe, and the local index of seq (-1: not ours). */
static uint64_t seq_of(const struct prober *p, uint64_t j)
{
	return j * p->parts + p->part;
}

static int64_t local_of(const struct prober *p, uint32_t seq)
{
	return seq % p->parts == p->part ? (int64_t)(seq / p->parts) : -1;
}

static int retire_below(struct prober *p, uint64_t end);

static int stopped(const struct prober *p)
{
	return p->o->stop && *p->o->stop;
}

void prober_sent(struct prober *p, unsigned k, int64_t t_user, bool failed)
{
	struct prober_slot *s;

	if (p->batch_preflight)
		return;
	s = slot_of(p, p->batch_seq[k]);
	s->t_tx_user = t_user;
	if (failed) {
		s->send_error = true;
		return;
	}
	p->sent++;
	p->backlog++;
}

void prober_reply(struct prober *p, uint32_t session, uint32_t seq,
		  int64_t rx_sw, int64_t rx_hw, int64_t t_user)
{
	struct prober_slot *s;
	int64_t j;

	if (session != p->session) {
		/* a preflight reply: only its receive stamp matters */
		if (p->preflight_session && session == p->preflight_session &&
		    (rx_sw || rx_hw))
			p->preflight_ok = true;
		return;
	}
	j = local_of(p, seq);
	if (j < 0 || (uint64_t)j >= p->total)
		return; /* another part's (their socket sees ours), or none */
	if ((uint64_t)j < p->retired) {
		p->late++;
		return;
	}
	s = slot_of(p, (uint64_t)j);
	if (s->replies++)
		return; /* a duplicate: counted, first times kept */
	s->rx_sw = rx_sw;
	s->rx_hw = rx_hw;
	s->t_rx_user = t_user;
	p->answered++;
	if (j < p->max_seq)
		s->reordered = true;
	else
		p->max_seq = j;
}

void prober_tx_stamp(struct prober *p, uint32_t session, uint32_t seq,
		     int64_t sw, int64_t hw)
{
	struct prober_slot *s;
	int64_t j = local_of(p, seq);

	if (session != p->session || j < 0 || (uint64_t)j >= p->total ||
	    (uint64_t)j < p->retired)
		return;
	s = slot_of(p, (uint64_t)j);
	if (!s->tx_sw && !s->tx_hw)
		p->tx_stamped++;
	/*
	 * The first stamp is the guest's NIC's. A veth forwards the skb
	 * still owned by its socket, so each later device on the path that
	 * stamps (the host's veths behind a bridge without netfilter) sends
	 * another, later one: keeping the last made the RTT shorter than
	 * the NIC's (by 3-4 us on veth-bridge).
	 */
	if (sw && (!s->tx_sw || sw < s->tx_sw))
		s->tx_sw = sw;
	if (hw && (!s->tx_hw || hw < s->tx_hw))
		s->tx_hw = hw;
}

/*
 * One pass over both queues; 1 if anything was read, -1 on error. Replies
 * first: their user-space receive time should not include reading
 * transmit stamps.
 */
static int drain(struct prober *p, unsigned batch)
{
	int r = p->path->drain_replies(p, batch), a;

	if (r < 0)
		return -1;
	a = p->path->drain_stamps ? p->path->drain_stamps(p, batch) : 0;
	if (a < 0)
		return -1;
	if (!a && !r)
		p->backlog = 0;
	return a > 0 || r > 0;
}

/*
 * Drain until both queues are empty (or a bound): what a prober that is
 * behind does every BACKLOG_MAX sends. A fixed batch would read fewer
 * messages than the sends between two such drains queue (a reply and
 * one or more stamps a probe): they would pile up until the socket's
 * buffer or the ring overflowed, and show as fake loss.
 */
static int drain_all(struct prober *p)
{
	unsigned i;
	int r = 0;

	for (i = 0; i < 4 * BACKLOG_MAX; i++) {
		r = drain(p, RX_BATCH);
		if (r <= 0)
			break;
	}
	return r < 0 ? -1 : 0;
}

/* Drain if it fits before deadline (monotonic ns); learns its cost. */
static int drain_before(struct prober *p, int64_t now, int64_t deadline)
{
	int64_t took;
	int ret;

	/*
	 * A maximum, because drains that find data (right after a send) cost
	 * several times the empty ones an average would be made of; decaying
	 * by half every DRAIN_COST_HALFLIFE_NS, so that one preempted drain
	 * does not stop draining for the rest of the run.
	 */
	while (now - p->drain_cost_at > DRAIN_COST_HALFLIFE_NS) {
		p->drain_cost /= 2;
		p->drain_cost_at += DRAIN_COST_HALFLIFE_NS;
	}
	if (deadline - now < p->drain_cost + DRAIN_MARGIN_NS)
		return p->path->replies_free ?
			       p->path->drain_replies(p, RX_BATCH) :
			       0;
	ret = drain(p, DRAIN_BATCH);
	took = now_mono() - now;
	if (took > DRAIN_COST_MAX_NS)
		took = DRAIN_COST_MAX_NS;
	if (took > p->drain_cost)
		p->drain_cost = took;
	return ret;
}

static int preflight(struct prober *p)
{
	int64_t end = now_mono() + PREFLIGHT_BUDGET_NS;
	uint32_t i;
	int ret = 0;

	p->batch_preflight = true;
	for (i = 0; now_mono() < end && !p->preflight_ok; i++) {
		int64_t until = now_mono() + PREFLIGHT_WAIT_NS;

		if (p->path->build(p, 0, p->preflight_session, i)) {
			ret = -1;
			goto out;
		}
		if (p->path->send(p, 1)) {
			ret = error_errno("cannot send a preflight probe");
			goto out;
		}
		while (!p->preflight_ok && now_mono() < until) {
			if (drain(p, RX_BATCH) < 0) {
				ret = error_errno("cannot receive replies");
				goto out;
			}
			if (stopped(p)) {
				ret = -EINTR;
				goto out;
			}
		}
	}
	if (!p->preflight_ok)
		warning("no stamped reply to %u preflight probes in %.0f s: "
			"the target does not answer, or receive timestamps "
			"are off",
			i, (double)PREFLIGHT_BUDGET_NS / NSEC_PER_SEC);
out:
	/* late preflight replies and stamps are ignored from now on */
	p->batch_preflight = false;
	p->preflight_session = 0;
	return ret;
}

/*
 * Probe i's slot, its earlier occupant retired, and the probe built as
 * the k-th of the next send: 0 or -1.
 */
static int take_slot(struct prober *p, uint64_t i, unsigned k)
{
	/* the probe that had this slot leaves first */
	if (i >= p->ring && retire_below(p, i - p->ring + 1))
		return -1;
	p->batch_seq[k] = (uint32_t)i;
	return p->path->build(p, k, p->session, (uint32_t)seq_of(p, i));
}

/* The schedule's offset of our next probe (the others' are skipped). */
static int64_t sched_next_own(struct prober *p, struct schedule *sch)
{
	int64_t v = 0;
	unsigned n = p->sched_skip;

	p->sched_skip = p->parts;
	while (n--)
		v = schedule_next(sch);
	return v;
}

static int send_all(struct prober *p)
{
	const struct prober_opts *o = p->o;
	struct schedule sch;
	int64_t t0, sched, next, now, off_at;
	uint64_t i = 0;
	unsigned spins = 0, n, k;
	int ret = 0;

	schedule_init(&sch, o->schedule, o->rate, o->seed);
	t0 = p->t0 ? p->t0 : now_mono() + 100 * NSEC_PER_USEC;
	next = t0 + sched_next_own(p, &sch);
	off_at = now_mono();
	while (i < p->total) {
		int64_t sched_of[PROBER_BATCH_MAX];

		/* build before waiting: after the wait comes only the send */
		if (take_slot(p, i, 0))
			return -1;
		sched = next;
		while ((now = now_mono()) < sched) {
			if (drain_before(p, now, sched) < 0)
				goto sock_error;
			if (!(++spins & 0x3ff) &&
			    (stopped(p) ||
			     (p->team && prober_team_failed(p->team))))
				return -EINTR;
		}
		sched_of[0] = sched;
		n = 1;
		next = i + 1 < p->total ? t0 + sched_next_own(p, &sch) : 0;
		/*
		 * Behind: the probes already due for more than BATCH_LATE_NS
		 * go along in this send. Not those due just now: they leave
		 * in their own send, one send's time late, as on the socket
		 * path, so that a Poisson schedule's near-coincident
		 * departures do not become gaps of 0 (the gaps' fit,
		 * core/adtest.h, would reject a schedule that was kept).
		 */
		while (i + n < p->total && n < PROBER_BATCH_MAX &&
		       next <= now - BATCH_LATE_NS) {
			if (take_slot(p, i + n, n))
				return -1;
			sched_of[n++] = next;
			next = i + n < p->total ? t0 + sched_next_own(p, &sch) :
						  0;
		}
		/*
		 * The schedule on the records' clock, by an offset read
		 * again every OFF_REFRESH_NS (the real-time clock may be
		 * stepped), not per send: a read is three clock calls.
		 */
		if (now - off_at > OFF_REFRESH_NS) {
			p->real_off = clock_real_minus_mono();
			off_at = now;
		}
		for (k = 0; k < n; k++)
			slot_of(p, i + k)->t_sched = sched_of[k] + p->real_off;
		if (p->path->send(p, n)) {
			ret = error_errno("cannot send probe %llu",
					  (unsigned long long)i);
			goto out;
		}
		i += n;
		/*
		 * A path whose replies (and stamps) cost nothing to read
		 * reads them now: the queue stays short at any rate the path
		 * sustains, with no long drain that would delay the next
		 * departures (a drain of the backlog makes the next several
		 * probes late).
		 */
		if (p->path->replies_free &&
		    p->path->drain_replies(p, RX_BATCH) < 0)
			goto sock_error;
		if (p->backlog > BACKLOG_MAX && drain_all(p) < 0)
			goto sock_error;
	}
	goto out;
sock_error:
	ret = error_errno("cannot receive replies");
out:
	return ret;
}

/* After the last probe: drain until all is back or the timeout passes. */
static int wait_replies(struct prober *p)
{
	int64_t deadline = now_mono() + p->o->timeout_ns;

	for (;;) {
		int r = drain(p, RX_BATCH);

		if (r < 0)
			return error_errno("cannot receive replies");
		if (p->answered >= p->sent && p->tx_stamped >= p->sent)
			return 0;
		if (stopped(p))
			return -EINTR;
		if (now_mono() >= deadline)
			return 0;
		if (!r && !p->o->busy_poll)
			p->path->wait(p, 1);
	}
}

/* Keep hardware stamps only where both ends have one: never mix clocks. */
static void slot_to_rec(const struct prober_slot *s, uint32_t seq,
			struct probe_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	r->t_sched = s->t_sched;
	r->t_tx_user = s->t_tx_user;
	r->replies = s->replies;
	r->t_rx_user = s->t_rx_user;
	if (s->send_error)
		r->flags |= PROBE_SEND_ERROR;
	if (s->reordered)
		r->flags |= PROBE_REORDERED;
	if (s->tx_hw && (s->rx_hw || !s->replies)) {
		r->t_tx = s->tx_hw;
		r->t_rx = s->rx_hw;
		r->flags |= PROBE_TX_HW | (s->rx_hw ? PROBE_RX_HW : 0);
	} else {
		r->t_tx = s->tx_sw;
		r->t_rx = s->rx_sw;
		r->flags |= (s->tx_sw ? PROBE_TX_SW : 0) |
			    (s->rx_sw ? PROBE_RX_SW : 0);
	}
}

/*
 * Probes below end leave as records, in order, and free their slots.
 * Alone, each record goes to the summary and opts->emit here; a part of
 * a team hands it to the team, which puts the parts' records in seq
 * order first.
 */
static int retire_below(struct prober *p, uint64_t end)
{
	const struct prober_opts *o = p->o;

	for (; p->retired < end; p->retired++) {
		struct prober_slot *s = slot_of(p, p->retired);
		uint64_t seq = seq_of(p, p->retired);
		struct probe_rec r;

		if (seq >= o->warmup) {
			slot_to_rec(s, (uint32_t)(seq - o->warmup), &r);
			if (p->team) {
				if (prober_team_emit(p->team, &r))
					return -1;
			} else {
				probe_summary_add(&p->res->sum, &r);
				if (o->emit &&
				    o->emit(&p->res->meta, &r, o->emit_data))
					return -1;
			}
		}
		memset(s, 0, sizeof(*s));
	}
	return 0;
}

/* Slots for the reply timeout at the rate, within the ring's bounds. */
static uint64_t ring_size(const struct prober_opts *o, unsigned parts,
			  uint64_t total)
{
	double want = (double)o->rate / parts * (double)o->timeout_ns / 1e9;
	uint64_t ring = want > RING_MAX ? RING_MAX : (uint64_t)want + 1;

	if (ring < RING_MIN)
		ring = RING_MIN;
	return ring < total ? ring : total;
}

int prober_run_part(const struct prober_opts *o, struct prober_result *res,
		    struct prober_team *team, unsigned part, unsigned parts)
{
	uint64_t all = o->warmup + o->count;
	bool started = false;
	struct prober p;
	char names[128];
	int ret;

	memset(res, 0, sizeof(*res));
	memset(&p, 0, sizeof(p));
	p.o = o;
	p.max_seq = -1;
	p.part = part;
	p.parts = parts;
	p.team = team;
	p.sched_skip = part + 1;
	p.path = prober_path_find(o->sender);
	if (!p.path)
		ret = error("prober: no sender '%s' (%s)", o->sender,
			    prober_sender_names(names, sizeof(names)));
	else if (!o->rate || !o->count || packet_payload_len(o->size) == 0)
		ret = error("prober: rate, count and a frame size of at "
			    "least %d bytes are needed",
			    PROBE_MIN_FRAME);
	else if (getrandom(&p.session, sizeof(p.session), 0) !=
			 sizeof(p.session) ||
		 getrandom(&p.icmp_id, sizeof(p.icmp_id), 0) !=
			 sizeof(p.icmp_id))
		ret = error_errno("cannot get random bytes");
	else
		ret = 0;
	if (ret) {
		if (team)
			prober_team_abort(team);
		return ret;
	}
	if (team)
		p.session = prober_team_session(team);
	p.total = all > part ? (all - part + parts - 1) / parts : 0;
	p.ring = ring_size(o, parts, p.total);
	p.slots = xcalloc(p.ring ? p.ring : 1, sizeof(*p.slots));
	p.res = res;
	ret = p.path->open(&p);
	if (ret)
		goto out;
	/* never equal to the run's session, never 0 (0: preflight over) */
	p.preflight_session = ~p.session ? ~p.session : 1;
	p.drain_cost = DRAIN_COST_INITIAL_NS;
	p.drain_cost_at = now_mono();
	p.real_off = clock_real_minus_mono();
	ret = preflight(&p);
	if (ret)
		goto out;

	res->meta.kind = o->kind;
	inet_ntop(AF_INET, &o->target.sin_addr, res->meta.target,
		  sizeof(res->meta.target));
	res->meta.port = o->kind == PROBE_UDP ? ntohs(o->target.sin_port) : 0;
	res->meta.rate = o->rate;
	res->meta.count = o->count;
	res->meta.size = o->size;
	res->meta.session = p.session;
	res->meta.started = now_real();
	res->meta.preflight = p.preflight_ok ? PREFLIGHT_ANSWERED :
					       PREFLIGHT_SILENT;
	if (team) {
		p.t0 = prober_team_start(team, &res->meta);
		started = true;
		if (prober_team_failed(team)) {
			ret = -EINTR; /* another part said why */
			goto out;
		}
	}

	ret = send_all(&p);
	if (!ret)
		ret = wait_replies(&p);
	if (ret)
		goto out;
	ret = retire_below(&p, p.total);
	if (ret)
		goto out;
	res->late = p.late;
	if (p.late)
		warning("%llu replies came after their probe's wait (the "
			"timeout) and count as lost",
			(unsigned long long)p.late);
	if (p.ctrunc)
		warning("%llu timestamps lost to truncated control data",
			(unsigned long long)p.ctrunc);
out:
	if (team && !started)
		prober_team_abort(team); /* the others would wait for us */
	if (p.path)
		p.path->close(&p);
	free(p.slots);
	return ret;
}

void prober_result_release(struct prober_result *res)
{
	memset(res, 0, sizeof(*res));
}
