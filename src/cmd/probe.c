// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench probe: the prober alone, like ping. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cmd/cmd.h"
#include "core/factor.h"
#include "core/records.h"
#include "core/stream_stats.h"
#include "core/units.h"
#include "measure/probe_serve.h"
#include "measure/prober.h"
#include "net/netns.h"
#include "util/alloc.h"
#include "util/error.h"

/* What `probe` keeps of a run: the records' file and one-pass stats. */
struct probe_out {
	FILE *f; /* the records, or NULL */
	const char *path;
	bool header;
	struct stream_stats rtt, user, pace;
	bool poisson;		 /* its gaps are fitted at the end */
	struct probe_gaps gaps;
};

static int probe_emit(const struct probe_meta *m, const struct probe_rec *r,
		      void *data)
{
	struct probe_out *po = data;
	char line[RECORD_LINE_MAX];
	int64_t v;

	if ((v = probe_rtt(r)) >= 0)
		stream_stats_add(&po->rtt, (uint64_t)v);
	if ((v = probe_rtt_user(r)) >= 0)
		stream_stats_add(&po->user, (uint64_t)v);
	if ((v = probe_pacing_error(r)) >= 0)
		stream_stats_add(&po->pace, (uint64_t)v);
	if (po->poisson)
		probe_gaps_add(&po->gaps, r);
	if (!po->f)
		return 0;
	if (!po->header) {
		struct strbuf sb = STRBUF_INIT;

		records_format_header(m, &sb);
		fwrite(sb.buf, 1, sb.len, po->f);
		strbuf_release(&sb);
		po->header = true;
	}
	fwrite(line, 1, (size_t)records_format_row(r, line, sizeof(line)),
	       po->f);
	/* a reader gone (EPIPE) or a full disk stops the run at once */
	if (ferror(po->f))
		return error_errno("cannot write '%s'", po->path);
	return 0;
}

static void print_dist(const char *what, const struct stream_stats *s)
{
	char a[16], b[16], c[16], d[16], e[16];

	if (!s->n) {
		printf("%-18s no samples\n", what);
		return;
	}
	units_format_us(s->min, a, sizeof(a));
	units_format_us(stream_stats_percentile(s, 50), b, sizeof(b));
	units_format_us(stream_stats_percentile(s, 99), c, sizeof(c));
	units_format_us(s->max, d, sizeof(d));
	units_format_us(stream_stats_stdev(s), e, sizeof(e));
	printf("%-18s min/p50/p99/max = %s/%s/%s/%s us, stdev %s us\n", what,
	       a, b, c, d, e);
}

static void print_summary(const struct prober_result *r,
			  const struct probe_out *po)
{
	const struct probe_summary *s = &r->sum;
	char what[64], why[200];

	printf("--- %s %s statistics ---\n", r->meta.target,
	       probe_kind_name(r->meta.kind));
	printf("%llu sent, %llu received, %llu lost (%.2f%%), %llu "
	       "duplicated, %llu reordered",
	       (unsigned long long)s->sent, (unsigned long long)s->received,
	       (unsigned long long)s->lost,
	       s->sent ? 100.0 * (double)s->lost / (double)s->sent : 0.0,
	       (unsigned long long)s->duplicated,
	       (unsigned long long)s->reordered);
	if (s->send_errors)
		printf(", %llu send errors",
		       (unsigned long long)s->send_errors);
	printf("\n");
	if (probe_achieved_rate(s) > 0)
		printf("achieved rate %.0f pps, %llu late (later than one "
		       "interval)\n",
		       probe_achieved_rate(s), (unsigned long long)s->late);
	if (probe_overloaded(s,
			     &(struct probe_tolerance){PROBE_RATE_TOLERANCE,
						       PROBE_LATE_TOLERANCE},
			     why, sizeof(why)))
		printf("overloaded: %s\n", why);
	snprintf(what, sizeof(what), "rtt (%s)", probe_ts_source(s->ts_flags));
	print_dist(what, &po->rtt);
	print_dist("rtt (user space)", &po->user);
	print_dist("pacing error", &po->pace);
	printf("(p50 and p99 within 0.4%%: one-pass histograms)\n");
	if (s->tx_stamped < s->sent || s->rx_stamped < s->received)
		printf("timestamps missing: %llu transmit, %llu receive\n",
		       (unsigned long long)(s->sent - s->tx_stamped),
		       (unsigned long long)(s->received - s->rx_stamped));
}

/* A Poisson schedule: its seed, and how exponential its gaps were. */
static void print_schedule(const struct probe_out *po, uint64_t seed)
{
	struct ad_result ad;
	char why[200];

	printf("schedule poisson, seed %llu", (unsigned long long)seed);
	if (probe_gaps_fit(&po->gaps, &ad)) {
		printf("\n");
		return;
	}
	printf(", Anderson-Darling A2 %.3f of %zu gaps (1%% critical "
	       "value %.3f)\n",
	       ad.a2, ad.n, ad.crit[AD_LEVELS - 1]);
	if (probe_schedule_off(&ad, why, sizeof(why)))
		printf("schedule off: %s\n", why);
}

/* Records go out as they come: a run of any length in constant memory. */
#define RECORDS_BUF (1 << 20)

static int probe_out_open(struct probe_out *po, const char *path)
{
	memset(po, 0, sizeof(*po));
	stream_stats_init(&po->rtt);
	stream_stats_init(&po->user);
	stream_stats_init(&po->pace);
	if (!path)
		return 0;
	po->path = path;
	po->f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!po->f)
		return error_errno("cannot open '%s'", path);
	setvbuf(po->f, NULL, _IOFBF, RECORDS_BUF);
	return 0;
}

static int probe_out_close(struct probe_out *po)
{
	int ret = 0;

	if (po->f && (fflush(po->f) || ferror(po->f)))
		ret = error_errno("cannot write '%s'", po->path);
	if (po->f && po->f != stdout)
		fclose(po->f);
	po->f = NULL;
	return ret;
}

static void probe_out_release(struct probe_out *po)
{
	stream_stats_release(&po->rtt);
	stream_stats_release(&po->user);
	stream_stats_release(&po->pace);
	probe_gaps_release(&po->gaps);
}

static int probe_main(struct cmd_ctx *ctx)
{
	struct prober_opts o = {.target = {.sin_family = AF_INET}};
	struct prober_result res;
	struct probe_out po;
	const char *netns = NULL, *records = NULL;
	int quiet = 0, serve = 0, saved, ret;
	uint16_t port;
	const struct option_spec options[] = {
		OPT_FACTOR('k', "kind", &o.kind, F_PROBE, "KIND",
			   "icmp (echo, answered by the kernel) or udp "
			   "(answered by 'iovbench reflect')"),
		OPT_FACTOR('r', "rate", &o.rate, F_RATE, "RATE",
			   "probes per second, 1..1M (e.g. 10k)"),
		OPT_FACTOR('S', "schedule", &o.schedule, F_SCHEDULE, "SCHED",
			   "fixed (every 1/rate) or poisson (exponential "
			   "gaps of mean 1/rate)"),
		OPT_INT(0, "seed", &o.seed, "N", 0, INT64_MAX,
			"seed of a poisson schedule (0: a random one, "
			"printed)",
			.def = "0"),
		OPT_FACTOR('c', "count", &o.count, F_COUNT, "N",
			   "probes to record"),
		OPT_FACTOR('s', "size", &o.size, F_SIZE, "BYTES",
			   "Ethernet frame size with FCS, 64..1518"),
		OPT_INT('w', "warmup", &o.warmup, "N", 0, 1000000,
			"probes sent first and not recorded", .def = "10"),
		OPT_PORT('p', "port", &port, "UDP port of the reflector",
			 .def = "7"),
		OPT_DURATION('W', "timeout", &o.timeout_ns, "DUR",
			     "wait for replies after the last probe",
			     .def = "1s"),
		OPT_FLAG('B', "busy-poll", &o.busy_poll,
			 "spin on the socket instead of sleeping"),
		OPT_STRING(0, "sender", &o.sender, "PATH",
			   "how probes leave: socket (a raw ICMP or UDP "
			   "socket) or ring (AF_PACKET rings; "
			   "docs/metrics.md)",
			   .def = "socket"),
		OPT_INT(0, "threads", &o.threads, "N", 1, 64,
			"N probers, one per CPU, each with its own sockets "
			"or rings and every N-th probe of the one schedule "
			"(docs/metrics.md, \"Probers per CPU\")",
			.def = "1"),
		OPT_NETNS(&netns),
		OPT_STRING('o', "records", &records, "FILE",
			   "write every probe's record to FILE ('-': stdout)"),
		OPT_FLAG('q', "quiet", &quiet, "no summary"),
		OPT_FLAG(0, "serve", &serve,
			 "live for many runs: one request line per run on "
			 "stdin, answered on stdout (docs/hacking.md); no "
			 "ADDRESS"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (serve != (ctx->argc == 0)) {
		error(serve ? "--serve takes no ADDRESS: each request names "
			      "its target" :
			      "an ADDRESS to probe is needed");
		return EXIT_USAGE;
	}
	if (serve) {
		if (netns && netns_enter(netns, &saved))
			return EXIT_FAIL;
		cmd_install_stop_handler();
		ret = probe_serve(stdin, stdout, &cmd_stop);
		if (ret == -EINTR)
			return EXIT_INTERRUPT;
		return ret ? EXIT_FAIL : EXIT_OK;
	}
	o.target.sin_port = htons(port);
	if (prober_sender_check(o.sender)) {
		char names[128];

		error("--sender: '%s' is not %s", o.sender,
		      prober_sender_names(names, sizeof(names)));
		return EXIT_USAGE;
	}
	if (o.schedule == SCHEDULE_POISSON && !o.seed) {
		if (getrandom(&o.seed, sizeof(o.seed), 0) != sizeof(o.seed)) {
			error_errno("cannot get random bytes");
			return EXIT_FAIL;
		}
		/* as the runner's seeds: 63 bits, never 0 */
		o.seed = (o.seed >> 1) | !o.seed;
	}
	if (inet_pton(AF_INET, ctx->argv[0], &o.target.sin_addr) != 1) {
		error("'%s' is not an IPv4 address", ctx->argv[0]);
		return EXIT_USAGE;
	}
	/* the whole process: threads started later are inside too */
	if (netns && netns_enter(netns, &saved))
		return EXIT_FAIL;
	cmd_install_stop_handler();
	o.stop = &cmd_stop;
	if (probe_out_open(&po, records))
		return EXIT_FAIL;
	po.poisson = o.schedule == SCHEDULE_POISSON;
	o.emit = probe_emit;
	o.emit_data = &po;
	ret = prober_run(&o, &res);
	if (probe_out_close(&po) && !ret)
		ret = -1;
	if (!ret && !quiet && !(records && !strcmp(records, "-"))) {
		print_summary(&res, &po);
		if (o.schedule == SCHEDULE_POISSON)
			print_schedule(&po, o.seed);
	}
	probe_out_release(&po);
	prober_result_release(&res);
	if (ret == -EINTR)
		return EXIT_INTERRUPT;
	return ret ? EXIT_FAIL : EXIT_OK;
}

const struct command cmd_probe = {
	.name = "probe",
	.summary = "send timestamped probes to an address",
	.flags = CMD_GUEST,
	.fn = probe_main,
	.usage = "iovbench probe [options] ADDRESS\n"
		 "       iovbench probe --serve [--netns NS]",
	.doc = "Send timestamped probes to ADDRESS at a fixed rate and print "
	       "the RTT\n"
	       "distribution, loss, duplicates, reordering and pacing error.\n",
	.footer = "RTT is the difference of the kernel's (or NIC's) transmit "
		  "and receive\n"
		  "timestamps; user-space RTT adds the system calls and "
		  "wake-ups. See\n"
		  "docs/metrics.md.\n",
	.min_args = 0,
	.max_args = 1,
};
