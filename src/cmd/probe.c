// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench probe: the prober alone, like ping. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
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

static const char usage_text[] =
	"usage: iovbench probe [options] ADDRESS\n"
	"\n"
	"Send timestamped probes to ADDRESS at a fixed rate and print the RTT\n"
	"distribution, loss, duplicates, reordering and pacing error.\n"
	"\n"
	"  -k, --kind KIND      icmp (echo, answered by the kernel) or udp\n"
	"                       (answered by 'iovbench reflect'); default icmp\n"
	"  -r, --rate RATE      probes per second, 1..1M (e.g. 10k); default 1k\n"
	"  -c, --count N        probes to record; default 100\n"
	"  -s, --size BYTES     Ethernet frame size with FCS, 64..1518; "
	"default 64\n"
	"  -w, --warmup N       probes sent first and not recorded; default 10\n"
	"  -p, --port PORT      UDP port of the reflector; default 7\n"
	"  -W, --timeout DUR    wait for replies after the last probe; "
	"default 1s\n"
	"  -B, --busy-poll      spin on the socket instead of sleeping\n"
	"  -n, --netns NAME     run inside network namespace NAME\n"
	"  -o, --records FILE   write every probe's record to FILE ('-': "
	"stdout)\n"
	"  -q, --quiet          no summary\n"
	"  -h, --help           this text\n"
	"\n"
	"RTT is the difference of the kernel's (or NIC's) transmit and receive\n"
	"timestamps; user-space RTT adds the system calls and wake-ups. See\n"
	"docs/metrics.md.\n";

static int parse_factor(enum factor_id id, const char *opt, const char *arg,
			int64_t *out)
{
	char why[256];

	if (factor_parse(id, arg, out, why, sizeof(why)))
		return error("%s: '%s' is %s", opt, arg, why);
	return 0;
}

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

int cmd_probe(int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"rate", required_argument, NULL, 'r'},
		{"count", required_argument, NULL, 'c'},
		{"size", required_argument, NULL, 's'},
		{"warmup", required_argument, NULL, 'w'},
		{"port", required_argument, NULL, 'p'},
		{"timeout", required_argument, NULL, 'W'},
		{"busy-poll", no_argument, NULL, 'B'},
		{"netns", required_argument, NULL, 'n'},
		{"records", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct prober_opts o = {
		.kind = PROBE_ICMP,
		.rate = 1000,
		.count = 100,
		.warmup = 10,
		.size = 64,
		.timeout_ns = 1000000000,
		.target = {.sin_family = AF_INET, .sin_port = htons(7)},
	};
	struct prober_result res;
	const char *netns = NULL, *records = NULL;
	int64_t v;
	int c, quiet = 0, saved, ret, k;
	uint16_t port;

	while ((c = getopt_long(argc, argv, "k:r:c:s:w:p:W:Bn:o:qh", opts,
				NULL)) != -1) {
		switch (c) {
		case 'k':
			k = probe_kind_find(optarg);
			if (k < 0) {
				error("--kind: '%s' is not icmp or udp", optarg);
				return EXIT_USAGE;
			}
			o.kind = (enum probe_kind)k;
			break;
		case 'r':
			if (parse_factor(F_RATE, "--rate", optarg, &v))
				return EXIT_USAGE;
			o.rate = (uint64_t)v;
			break;
		case 'c':
			if (parse_factor(F_COUNT, "--count", optarg, &v))
				return EXIT_USAGE;
			o.count = (uint64_t)v;
			break;
		case 's':
			if (parse_factor(F_SIZE, "--size", optarg, &v))
				return EXIT_USAGE;
			o.size = (unsigned)v;
			break;
		case 'w':
			if (units_parse_si(optarg, NULL, &v) || v > 1000000) {
				error("--warmup: '%s' is not 0..1M", optarg);
				return EXIT_USAGE;
			}
			o.warmup = (uint64_t)v;
			break;
		case 'p':
			if (cmd_parse_port("--port", optarg, &port))
				return EXIT_USAGE;
			o.target.sin_port = htons(port);
			break;
		case 'W':
			if (units_parse_duration(optarg, &o.timeout_ns)) {
				error("--timeout: '%s' is not a duration like "
				      "500ms",
				      optarg);
				return EXIT_USAGE;
			}
			break;
		case 'B':
			o.busy_poll = true;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'o':
			records = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind + 1 != argc)
		cmd_usage(usage_text, EXIT_USAGE);
	if (inet_pton(AF_INET, argv[optind], &o.target.sin_addr) != 1) {
		error("'%s' is not an IPv4 address", argv[optind]);
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
