// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The throughput meter, OS half: per run, an iperf3 server in each
 * measured pair's responder guest (prepare), the interfaces' counters
 * read and an iperf3 client started in each pair's sender guest (begin:
 * all pairs at once, the load settles before the probes start), and at
 * the end (the last, after the probes and the CPU sampling ended under
 * the load) each client's JSON and the counters again. The rows go to
 * the store (core/meter_tput.h).
 *
 * In container guests iperf3 runs in the guest's namespace on its
 * server, as Debian installs it; in VM guests it is the image's
 * (guest/image_progs.c), started and waited for through the VM's
 * channel (the agent's start and wait), so that its JSON comes back
 * over virtio-serial and not over the network being measured.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/meter_events.h"
#include "core/meter_tput.h"
#include "net/link.h"
#include "runner/meter.h"
#include "testbed/attach.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

#define IPERF3 "iperf3"
#define IPERF3_PORT "5201"
/* a server says "Server listening on PORT" within this */
#define SERVER_READY_NS (10 * NSEC_PER_SEC)
/* after the runtime: iperf3's end of test exchange, its JSON */
#define CLIENT_SLACK_NS (20 * NSEC_PER_SEC)
#define ARGS_MAX 24
/* iperf3's --interval in a run with events (s): a 300 ms outage spans
 * three intervals */
#define EVENT_INTERVAL "0.1"

enum { PT_NIC, PT_PORT, PT_COUNT };

static const char *const point_names[PT_COUNT] = {
	[PT_NIC] = "responder-nic",
	[PT_PORT] = "responder-port",
};

/*
 * Where one point's counters are read: a link in a namespace, or a VM's
 * NIC through its channel (vm set).
 */
struct counter_point {
	struct guest *vm;
	char ns[NS_NAME_MAX];
	char ifname[IF_NAME_MAX * 2];
	bool tx; /* the direction towards the receiver */
	char why[160];
	struct link_counters before, after;
	bool ok;
};

struct tput_pair {
	struct guest *snd, *rsp;
	struct proc server, client;	/* container guests */
	uint32_t server_h, client_h;	/* VM guests: the channel's handles */
	bool server_up, client_up; /* running */
	bool server_made, client_made; /* to release */
	struct iperf_report rep;
	bool have_rep;
	int64_t client_t0; /* now_mono() as the client was started */
	char why[320];
	struct counter_point pt[PT_COUNT];
};

struct tput_state {
	struct tput_pair pairs[TPUT_PAIRS_MAX];
	unsigned n;
	enum tput_protocol proto;
};

static bool tput_wanted(const struct campaign *c, const struct test *t)
{
	(void)c;
	return t->v[F_MEASURE] == MEASURE_THROUGHPUT;
}

static double tput_seconds(const struct campaign *c, const struct test *t)
{
	(void)c;
	/* the probes run inside the load: only the runtime counts */
	return tput_wanted(c, t) ? (double)t->v[F_RUNTIME] : 0;
}

static void words_note(struct run_ctx *ctx, const struct guest *g,
		       char *const *argv)
{
	struct strbuf line = STRBUF_INIT;
	int i;

	for (i = 0; argv[i]; i++)
		strbuf_addf(&line, " %s", argv[i]);
	testbed_note(ctx->tb, g->server, "start in %s:%s", g->name, line.buf);
	strbuf_release(&line);
}

/* argv's length, for the channel */
static int argv_len(char *const *argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

/*
 * Start iperf3 in VM guest g through its channel (the image's iperf3;
 * the agent says if the image has none). 0, or -1 after run_fail.
 */
static int vm_start(struct run_ctx *ctx, struct guest *g, char *const *argv,
		    uint32_t *handle)
{
	if (!g->ch.ops->wait)
		return run_fail(ctx, "throughput in VM '%s': its %s channel "
				"cannot run iperf3 (the image's agent can)",
				g->name, g->ch.ops->name);
	if (g->ch.ops->start(&g->ch, (const char *const *)argv,
			     argv_len(argv), handle))
		return run_fail(ctx, "cannot start iperf3 in VM '%s' (see "
				"above)", g->name);
	return 0;
}

static int spawn_in(struct run_ctx *ctx, const struct guest *g,
		    char *const *argv, const char *log, struct proc *p)
{
	struct host *h = &ctx->tb->hosts[g->server];
	struct spawn_opts so = {
		.netns = g->name,
		.cpus = ctx->c->main_guests.cpus,
		.capture = true,
		.log = log,
	};

	proc_init(p);
	return h->be->spawn(h, argv, &so, p);
}

/* ---- the servers ---- */

static int server_start(struct run_ctx *ctx, struct tput_pair *tp,
			unsigned k)
{
	char addr[32], log[PATH_MAX], line[256];
	char *argv[] = {IPERF3, "--server", "--one-off", "--bind", addr,
			"--port", IPERF3_PORT, "--interval", "0",
			/* its lines reach the pipe at once: "listening" */
			"--forceflush", NULL};
	int64_t end;
	int ret;

	ipv4_format(tp->rsp->addr, addr, sizeof(addr));
	if (ctx->dry) {
		words_note(ctx, tp->rsp, argv);
		return 0;
	}
	if (tp->rsp->vm) {
		/* the agent answers once it printed "listening" */
		ret = vm_start(ctx, tp->rsp, argv, &tp->server_h);
		if (!ret)
			tp->server_up = true;
		return ret;
	}
	snprintf(log, sizeof(log), "%s/iperf3-p%u-server.log", ctx->tb->rundir,
		 k);
	unlink(log);
	if (spawn_in(ctx, tp->rsp, argv, log, &tp->server))
		return run_fail(ctx, "cannot start iperf3 in '%s'",
				tp->rsp->name);
	tp->server_up = tp->server_made = true;
	end = now_mono() + SERVER_READY_NS;
	do {
		ret = proc_read_line(&tp->server, line, sizeof(line),
				     end - now_mono(), ctx->stop);
		if (ret == -EINTR)
			return -EINTR;
		if (!ret && strstr(line, "listening"))
			return 0;
	} while (!ret && now_mono() < end);
	return run_fail(ctx, "iperf3 did not listen in '%s' (see %s)",
			tp->rsp->name, log);
}

static int tput_prepare(struct run_ctx *ctx, void *st)
{
	struct tput_state *s = st;
	unsigned k, pairs = (unsigned)ctx->t->v[F_PAIRS];
	int ret;

	memset(s, 0, sizeof(*s));
	s->proto = (enum tput_protocol)ctx->t->v[F_PROTOCOL];
	for (k = 1; k <= pairs && k <= TPUT_PAIRS_MAX; k++) {
		struct tput_pair *tp = &s->pairs[s->n];

		tp->snd = testbed_pair(ctx->tb, k, SERVER_SENDER);
		tp->rsp = testbed_pair(ctx->tb, k, SERVER_RESPONDER);
		if (!tp->snd || !tp->rsp)
			return run_fail(ctx, "measured pair %u is not up", k);
		s->n++;
		ret = server_start(ctx, tp, k);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- counters ---- */

/* Where the points of pair tp are, or why they are not read. */
static void points_place(struct run_ctx *ctx, struct tput_pair *tp)
{
	struct testbed *tb = ctx->tb;
	struct counter_point *nic = &tp->pt[PT_NIC], *port = &tp->pt[PT_PORT];

	if (tb->remote) {
		snprintf(nic->why, sizeof(nic->why),
			 "counters are read on the local testbed only");
		snprintf(port->why, sizeof(port->why), "%s", nic->why);
		return;
	}
	/* the receiver's own NIC: what arrived, as its kernel counted */
	if (tp->rsp->vm && tp->rsp->ch.ops->counters) {
		/* as the guest's kernel counts them, through the agent */
		nic->vm = tp->rsp;
		snprintf(nic->ifname, sizeof(nic->ifname), "eth0");
	} else if (tp->rsp->vm) {
		snprintf(nic->why, sizeof(nic->why),
			 "a VM's own NIC counters are not read over its %s "
			 "channel: see responder-port",
			 tp->rsp->ch.ops->name);
	} else {
		snprintf(nic->ns, sizeof(nic->ns), "%s", tp->rsp->name);
		snprintf(nic->ifname, sizeof(nic->ifname), "eth0");
	}
	/* its link on the server: what the server sent it */
	if (!attach_point(tb, tp->rsp, true, port->ifname,
			  sizeof(port->ifname), port->why,
			  sizeof(port->why))) {
		snprintf(port->ns, sizeof(port->ns), "%s",
			 tb->server_ns[tp->rsp->server]);
		port->tx = !attach_table[tp->rsp->attach].port_rx_to_guest;
	}
}

static int counters_read(struct counter_point *pt, struct link_counters *out)
{
	struct nl_sock *sk;
	uint64_t v[4];
	int ret;

	if (pt->vm) {
		ret = pt->vm->ch.ops->counters(&pt->vm->ch, v);
		if (ret) {
			snprintf(pt->why, sizeof(pt->why), "cannot read the "
				 "counters of eth0 in VM '%s'", pt->vm->name);
			return -1;
		}
		*out = (struct link_counters){v[0], v[1], v[2], v[3]};
		return 0;
	}
	if (!pt->ifname[0] || !pt->ns[0])
		return -1;
	sk = nl_open(pt->ns);
	if (!sk) {
		snprintf(pt->why, sizeof(pt->why), "cannot open netlink in '%s'",
			 pt->ns);
		return -1;
	}
	ret = link_counters(sk, pt->ifname, out);
	nl_close(sk);
	if (ret)
		snprintf(pt->why, sizeof(pt->why), "cannot read the counters "
			 "of '%s' in '%s'", pt->ifname, pt->ns);
	return ret ? -1 : 0;
}

/* ---- the clients ---- */

static void num(char *buf, size_t len, long long v)
{
	snprintf(buf, len, "%lld", v);
}

static void client_args(struct run_ctx *ctx, const struct tput_pair *tp,
			char **argv, char bufs[][32])
{
	const struct test *t = ctx->t;
	int n = 0;

	argv[n++] = IPERF3;
	argv[n++] = "--client";
	ipv4_format(tp->rsp->addr, bufs[0], 32);
	argv[n++] = bufs[0];
	argv[n++] = "--port";
	argv[n++] = IPERF3_PORT;
	argv[n++] = "--json";
	argv[n++] = "--time";
	num(bufs[1], 32, t->v[F_RUNTIME]);
	argv[n++] = bufs[1];
	argv[n++] = "--connect-timeout";
	argv[n++] = "5000";
	/* events: the load's figures around each, 10 a second */
	if (strcmp(factor_string(t->v[F_EVENTS]), "none") != 0) {
		argv[n++] = "--interval";
		argv[n++] = EVENT_INTERVAL;
	}
	if (t->v[F_PROTOCOL] == TPUT_UDP)
		argv[n++] = "--udp";
	if (t->v[F_STREAMS] > 1) {
		argv[n++] = "--parallel";
		num(bufs[2], 32, t->v[F_STREAMS]);
		argv[n++] = bufs[2];
	}
	if (t->v[F_MESSAGE] > 0) {
		argv[n++] = "--length";
		num(bufs[3], 32, t->v[F_MESSAGE]);
		argv[n++] = bufs[3];
	}
	/* UDP's default is 1 Mbit/s; 0 is iperf3's "unlimited" */
	if (t->v[F_BITRATE] > 0 || t->v[F_PROTOCOL] == TPUT_UDP) {
		argv[n++] = "--bitrate";
		num(bufs[4], 32, t->v[F_BITRATE]);
		argv[n++] = bufs[4];
	}
	argv[n] = NULL;
}

static int tput_begin(struct run_ctx *ctx, void *st)
{
	struct tput_state *s = st;
	char *argv[ARGS_MAX], bufs[5][32], log[PATH_MAX];
	unsigned i;
	int j;

	for (i = 0; i < s->n; i++) {
		struct tput_pair *tp = &s->pairs[i];

		client_args(ctx, tp, argv, bufs);
		if (ctx->dry) {
			words_note(ctx, tp->snd, argv);
			continue;
		}
		points_place(ctx, tp);
		for (j = 0; j < PT_COUNT; j++)
			tp->pt[j].ok = !counters_read(&tp->pt[j],
						      &tp->pt[j].before);
		tp->client_t0 = now_mono();
		if (tp->snd->vm) {
			if (vm_start(ctx, tp->snd, argv, &tp->client_h))
				return -1;
			tp->client_up = true;
			continue;
		}
		snprintf(log, sizeof(log), "%s/iperf3-p%u-client.log",
			 ctx->tb->rundir, i + 1);
		unlink(log);
		if (spawn_in(ctx, tp->snd, argv, log, &tp->client))
			return run_fail(ctx, "cannot start iperf3 in '%s'",
					tp->snd->name);
		tp->client_up = tp->client_made = true;
	}
	if (ctx->dry) {
		testbed_note(ctx->tb, SERVER_SENDER,
			     "wait %d ms: the load settles before the probes",
			     PLAN_TPUT_SETTLE_MS);
		return 0;
	}
	usleep(PLAN_TPUT_SETTLE_MS * 1000);
	return 0;
}

/* The JSON of a VM's client, through the channel's wait */
static int vm_collect(struct run_ctx *ctx, struct tput_pair *tp,
		      int64_t deadline)
{
	struct channel *ch = &tp->snd->ch;
	struct strbuf out = STRBUF_INIT;
	int64_t left = deadline - now_mono();
	char why[200];
	int ret, st = -1;

	if (ctx->stop && *ctx->stop)
		return -EINTR;
	ret = ch->ops->wait(ch, tp->client_h, left > 0 ? left : 1, &st, &out);
	if (ret == -ETIMEDOUT) {
		/* it runs on: stopped in run_done */
		snprintf(tp->why, sizeof(tp->why),
			 "iperf3 in VM '%s' did not finish in time",
			 tp->snd->name);
		strbuf_release(&out);
		return 0;
	}
	tp->client_up = false;
	if (ret) {
		snprintf(tp->why, sizeof(tp->why), "cannot collect iperf3's "
			 "output from VM '%s'", tp->snd->name);
	} else {
		tp->have_rep = true;
		if (iperf_report_parse(out.buf ? out.buf : "", out.len,
				       &tp->rep, why, sizeof(why)))
			snprintf(tp->why, sizeof(tp->why),
				 "%s (in VM '%s', exit %d)", why,
				 tp->snd->name, st);
	}
	strbuf_release(&out);
	return 0;
}

/* Wait for pair tp's client to end; its JSON into tp->rep. */
static int client_collect(struct run_ctx *ctx, struct tput_pair *tp,
			  int64_t deadline)
{
	char why[200];
	int ret;

	if (tp->snd->vm)
		return vm_collect(ctx, tp, deadline);
	ret = proc_wait(&tp->client, deadline - now_mono(), ctx->stop);
	if (ret == -EINTR || ret == -ETIMEDOUT)
		proc_kill(&tp->client, NSEC_PER_SEC);
	tp->client_up = false;
	if (ret == -EINTR)
		return -EINTR;
	if (ret == -ETIMEDOUT) {
		snprintf(tp->why, sizeof(tp->why),
			 "iperf3 in '%s' did not finish in time",
			 tp->snd->name);
		return 0;
	}
	tp->have_rep = true;
	if (iperf_report_parse(tp->client.out.buf ? tp->client.out.buf : "",
			       tp->client.out.len, &tp->rep, why, sizeof(why)))
		snprintf(tp->why, sizeof(tp->why), "%s (in '%s', exit %d)",
			 why, tp->snd->name, ret);
	return 0;
}

/*
 * What pair 1's load (the main guests', whom the events act on) saw of
 * each event. Both times are the runner's monotonic clock: the events'
 * schedule started at ctx->ev_t0 and event i was issued done_ns after
 * it; the client was started at client_t0, and iperf3's intervals count
 * from its test's start, after its start-up (exec, the connection, the
 * parameters' exchange: a few ms in a container, plus the channel's
 * round trip in a VM), which this takes as 0: the intervals' figures
 * come that much early, a small part of an interval. Not iperf3's
 * start.timestamp: whole seconds of the client's wall clock, a VM's
 * own clock in a VM.
 */
static void events_tput(struct run_ctx *ctx, const struct tput_pair *tp)
{
	double at_s[EVENTS_MAX];
	struct event_tput fig[EVENTS_MAX];
	unsigned i, n = ctx->nev < EVENTS_MAX ? ctx->nev : EVENTS_MAX;

	/* UDP: the client's intervals are what it sent at its bitrate,
	 * whatever the path lost; the receiver's would take the server's
	 * output (--get-server-output), not read yet */
	if (!ctx->ev_rows || !n || !tp->have_rep || !tp->rep.nintervals ||
	    ctx->t->v[F_PROTOCOL] == TPUT_UDP)
		return;
	for (i = 0; i < n; i++) {
		const struct event_row *r = &ctx->ev_rows[i];
		int64_t at = r->done_ns >= 0 ? r->done_ns : r->ev->at_ns;

		at_s[i] = (double)(ctx->ev_t0 + at - tp->client_t0) / 1e9;
	}
	event_tput_analyze(tp->rep.iv, tp->rep.nintervals, at_s, n, fig);
	for (i = 0; i < n; i++) {
		ctx->ev_rows[i].tput = fig[i];
		ctx->ev_rows[i].have_tput = true;
	}
}

static int tput_end(struct run_ctx *ctx, void *st)
{
	struct tput_state *s = st;
	int64_t deadline = now_mono() +
			   ctx->t->v[F_RUNTIME] * NSEC_PER_SEC +
			   CLIENT_SLACK_NS;
	unsigned i, failed = 0;
	int j, ret;

	if (ctx->dry)
		return 0;
	for (i = 0; i < s->n; i++) {
		struct tput_pair *tp = &s->pairs[i];

		ret = client_collect(ctx, tp, deadline);
		if (ret)
			return ret;
		for (j = 0; j < PT_COUNT; j++) {
			struct counter_point *pt = &tp->pt[j];

			if (pt->ok)
				pt->ok = !counters_read(pt, &pt->after);
		}
		if (!i)
			events_tput(ctx, tp);
		if (tp->why[0]) {
			warning("measured pair %u: %s", i + 1, tp->why);
			failed++;
		}
	}
	if (failed == s->n)
		return run_fail(ctx, "%s", s->pairs[0].why);
	return 0;
}

/* ---- rows ---- */

static void counter_row(const struct tput_state *s, unsigned k,
			unsigned j, struct tput_counter_row *r)
{
	const struct tput_pair *tp = &s->pairs[k];
	const struct counter_point *pt = &tp->pt[j];

	memset(r, 0, sizeof(*r));
	r->pair = k + 1;
	r->point = point_names[j];
	r->header_bytes = meter_tput_header_bytes(s->proto);
	r->iperf_bytes = tp->have_rep && tp->rep.have_sums ?
				 tp->rep.recv_bytes :
				 0;
	r->iperf_sent = tp->have_rep && tp->rep.have_sums ?
				tp->rep.sent_bytes :
				0;
	if (!pt->ok) {
		r->why = pt->why[0] ? pt->why : "not read";
		return;
	}
	r->ifname = pt->ifname;
	r->direction = pt->tx ? "tx" : "rx";
	if (pt->tx) {
		r->bytes = pt->after.tx_bytes - pt->before.tx_bytes;
		r->packets = pt->after.tx_packets - pt->before.tx_packets;
	} else {
		r->bytes = pt->after.rx_bytes - pt->before.rx_bytes;
		r->packets = pt->after.rx_packets - pt->before.rx_packets;
	}
}

static int tput_rows(void *st, unsigned table, struct row_sink *sink)
{
	struct tput_state *s = st;
	struct cell c[METER_COLS_MAX];
	unsigned k, j;

	for (k = 0; k < s->n; k++) {
		const struct tput_pair *tp = &s->pairs[k];

		if (table == 0) {
			struct tput_pair_row r = {
				.pair = k + 1,
				.sender = tp->snd->name,
				.responder = tp->rsp->name,
				.rep = tp->have_rep ? &tp->rep : NULL,
				.why = tp->why[0] ? tp->why : NULL,
			};

			meter_tput_pair_cells(&r, c);
			if (sink->put(sink, c))
				return -1;
			continue;
		}
		for (j = 0; j < PT_COUNT; j++) {
			struct tput_counter_row r;

			counter_row(s, k, j, &r);
			meter_tput_counter_cells(&r, c);
			if (sink->put(sink, c))
				return -1;
		}
	}
	return 0;
}

static void tput_done(void *st)
{
	struct tput_state *s = st;
	unsigned i;

	for (i = 0; i < s->n; i++) {
		struct tput_pair *tp = &s->pairs[i];

		/* a VM's: stopped through its channel, if it is still open */
		if (tp->client_up && tp->snd->vm && tp->snd->ch.open)
			tp->snd->ch.ops->stop(&tp->snd->ch, tp->client_h, NULL);
		if (tp->server_up && tp->rsp->vm && tp->rsp->ch.open)
			tp->rsp->ch.ops->stop(&tp->rsp->ch, tp->server_h, NULL);
		if (tp->snd->vm)
			tp->client_up = false;
		if (tp->rsp->vm)
			tp->server_up = false;
		if (tp->client_up)
			proc_kill(&tp->client, NSEC_PER_SEC);
		/* --one-off: gone after its test, else stopped here */
		if (tp->server_up)
			proc_kill(&tp->server, NSEC_PER_SEC);
		if (tp->client_made)
			proc_release(&tp->client);
		if (tp->server_made)
			proc_release(&tp->server);
		tp->client_up = tp->server_up = false;
		tp->client_made = tp->server_made = false;
	}
	s->n = 0;
}

const struct meter_ops meter_tput_ops = {
	.def = &meter_tput,
	.state_size = sizeof(struct tput_state),
	.wanted = tput_wanted,
	.prepare = tput_prepare,
	.begin = tput_begin,
	.end = tput_end,
	.rows = tput_rows,
	.run_done = tput_done,
	.release = tput_done,
	.seconds = tput_seconds,
};
