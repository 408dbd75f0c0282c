// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench probe: the prober alone, like ping. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/factor.h"
#include "core/stats.h"
#include "core/units.h"
#include "measure/prober.h"
#include "net/netns.h"
#include "util/alloc.h"
#include "util/error.h"

static void print_dist(const char *what, double *v, size_t n)
{
	struct stats s;
	char a[16], b[16], c[16], d[16], e[16];

	if (!n) {
		printf("%-18s no samples\n", what);
		return;
	}
	stats_compute(v, n, &s);
	units_format_us(s.min, a, sizeof(a));
	units_format_us(s.p50, b, sizeof(b));
	units_format_us(s.p99, c, sizeof(c));
	units_format_us(s.max, d, sizeof(d));
	units_format_us(s.stdev, e, sizeof(e));
	printf("%-18s min/p50/p99/max = %s/%s/%s/%s us, stdev %s us\n", what,
	       a, b, c, d, e);
}

static void print_summary(const struct prober_result *r)
{
	const struct probe_summary *s = &r->sum;
	double *rtt = xcalloc(r->n, sizeof(double));
	double *user = xcalloc(r->n, sizeof(double));
	double *pace = xcalloc(r->n, sizeof(double));
	size_t i, nr = 0, nu = 0, np = 0;
	char what[64];

	for (i = 0; i < r->n; i++) {
		int64_t v;

		if ((v = probe_rtt(&r->recs[i])) >= 0)
			rtt[nr++] = (double)v;
		if ((v = probe_rtt_user(&r->recs[i])) >= 0)
			user[nu++] = (double)v;
		if ((v = probe_pacing_error(&r->recs[i])) >= 0)
			pace[np++] = (double)v;
	}
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
	if (s->last_tx > s->first_tx && s->sent > 1)
		printf("achieved rate %.0f pps\n",
		       (double)(s->sent - 1) * 1e9 /
			       (double)(s->last_tx - s->first_tx));
	snprintf(what, sizeof(what), "rtt (%s)", probe_ts_source(s->ts_flags));
	print_dist(what, rtt, nr);
	print_dist("rtt (user space)", user, nu);
	print_dist("pacing error", pace, np);
	if (s->tx_stamped < s->sent || s->rx_stamped < s->received)
		printf("timestamps missing: %llu transmit, %llu receive\n",
		       (unsigned long long)(s->sent - s->tx_stamped),
		       (unsigned long long)(s->received - s->rx_stamped));
	free(rtt);
	free(user);
	free(pace);
}

static int write_records(const char *path, const struct prober_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int ret = 0;

	if (!f)
		return error_errno("cannot open '%s'", path);
	records_format(&r->meta, r->recs, r->n, &sb);
	if (fwrite(sb.buf, 1, sb.len, f) != sb.len || fflush(f))
		ret = error_errno("cannot write '%s'", path);
	if (f != stdout)
		fclose(f);
	strbuf_release(&sb);
	return ret;
}

static int probe_main(struct cmd_ctx *ctx)
{
	struct prober_opts o = {.target = {.sin_family = AF_INET}};
	struct prober_result res;
	const char *netns = NULL, *records = NULL;
	int quiet = 0, saved, ret;
	uint16_t port;
	const struct option_spec options[] = {
		OPT_FACTOR('k', "kind", &o.kind, F_PROBE, "KIND",
			   "icmp (echo, answered by the kernel) or udp "
			   "(answered by 'iovbench reflect')"),
		OPT_FACTOR('r', "rate", &o.rate, F_RATE, "RATE",
			   "probes per second, 1..1M (e.g. 10k)"),
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
		OPT_NETNS(&netns),
		OPT_STRING('o', "records", &records, "FILE",
			   "write every probe's record to FILE ('-': stdout)"),
		OPT_FLAG('q', "quiet", &quiet, "no summary"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	o.target.sin_port = htons(port);
	if (inet_pton(AF_INET, ctx->argv[0], &o.target.sin_addr) != 1) {
		error("'%s' is not an IPv4 address", ctx->argv[0]);
		return EXIT_USAGE;
	}
	/* the whole process: threads started later are inside too */
	if (netns && netns_enter(netns, &saved))
		return EXIT_FAIL;
	cmd_install_stop_handler();
	o.stop = &cmd_stop;
	ret = prober_run(&o, &res);
	if (ret == -EINTR)
		return EXIT_INTERRUPT;
	if (ret)
		return EXIT_FAIL;
	if (records && write_records(records, &res))
		ret = -1;
	if (!quiet && !(records && !strcmp(records, "-")))
		print_summary(&res);
	prober_result_release(&res);
	return ret ? EXIT_FAIL : EXIT_OK;
}

const struct command cmd_probe = {
	.name = "probe",
	.summary = "send timestamped probes to an address",
	.flags = CMD_GUEST,
	.fn = probe_main,
	.usage = "iovbench probe [options] ADDRESS",
	.doc = "Send timestamped probes to ADDRESS at a fixed rate and print "
	       "the RTT\n"
	       "distribution, loss, duplicates, reordering and pacing error.\n",
	.footer = "RTT is the difference of the kernel's (or NIC's) transmit "
		  "and receive\n"
		  "timestamps; user-space RTT adds the system calls and "
		  "wake-ups. See\n"
		  "docs/metrics.md.\n",
	.min_args = 1,
	.max_args = 1,
};
