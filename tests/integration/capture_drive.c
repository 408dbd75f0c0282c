// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Drives measure/capture.c on a real testbed (tests/integration/
 * capture.sh builds it): starts a capture on each point, runs a command
 * (the prober) to its end, stops the captures and prints, per point, the
 * probe frames seen of the prober's session by kind and direction, their
 * distinct sequence numbers and the ring's drops; then, for points named
 * "sender" and "responder", the timestamp ordering of every probe across
 * them, and against the prober's own kernel stamps.
 *
 * usage: capture_drive [-p UDP_PORT] [-w PCAP] RECORDS NAME=NETNS:IFNAME...
 *            -- COMMAND [ARG...]
 *        capture_drive [-p UDP_PORT] -i NETNS:IFNAME
 *
 * RECORDS is the file the command writes (iovbench probe -w 0 -o FILE):
 * it names the session, and its probes' seq are the frames' seq.
 *
 * With -i, it checks the capture's filter and parser instead: it sends
 * frames written by hand (802.1Q tags, IPv4 options, fragments, other
 * protocols and ports) from a packet socket on the interface, which the
 * capture sees outgoing, and fails unless exactly the probe frames
 * among them come out as events. Tags stay in the frame's data there:
 * veth's VLAN offload never sees them, as no VLAN device sent them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/packet.h"
#include "core/probe.h"
#include "core/stats.h"
#include "host/proc.h"
#include "measure/capture.h"
#include "net/netns.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

#define MAX_POINTS 8
#define MAX_SEQ (1u << 24)

enum cls { REQ_OUT, REQ_IN, REP_OUT, REP_IN, NCLS };
static const char *const cls_name[NCLS] = {"req_out", "req_in", "rep_out",
					    "rep_in"};

struct point {
	char *name;
	struct capture_opts o;
	struct capture *c;
	struct capture_result r;
	uint64_t n[NCLS], seqs[NCLS], other;
	int64_t *first[NCLS]; /* per seq, first stamp (0: none) */
};

static uint32_t nseq; /* seq bound over all points' events */

static void analyze(struct point *p, uint32_t session)
{
	size_t i;
	int k;

	for (k = 0; k < NCLS; k++)
		p->first[k] = xcalloc(nseq, sizeof(int64_t));
	for (i = 0; i < p->r.n; i++) {
		const struct capture_event *e = &p->r.ev[i];

		if (e->f.session != session || e->f.seq >= nseq) {
			p->other++;
			continue;
		}
		k = e->f.request ? (e->outgoing ? REQ_OUT : REQ_IN) :
				   (e->outgoing ? REP_OUT : REP_IN);
		p->n[k]++;
		if (!p->first[k][e->f.seq]) {
			p->first[k][e->f.seq] = e->t;
			p->seqs[k]++;
		}
	}
	printf("point %s frames=%llu drops=%llu other=%llu", p->name,
	       (unsigned long long)p->r.frames,
	       (unsigned long long)p->r.drops, (unsigned long long)p->other);
	for (k = 0; k < NCLS; k++)
		printf(" %s=%llu", cls_name[k], (unsigned long long)p->n[k]);
	for (k = 0; k < NCLS; k++)
		printf(" seqs_%s=%llu", cls_name[k],
		       (unsigned long long)p->seqs[k]);
	printf("\n");
}

static void print_dist(const char *what, double *v, size_t n)
{
	struct stats s;

	if (!n) {
		printf("lat %s n=0\n", what);
		return;
	}
	stats_compute(v, n, &s);
	printf("lat %s n=%zu min=%.0f p50=%.0f p99=%.0f max=%.0f ns\n", what, n,
	       s.min, s.p50, s.p99, s.max);
}

/*
 * The four NIC stamps of a probe: S1 request leaves the sender's NIC, R1
 * reaches the responder's, R2 the reply leaves it, S2 reaches the
 * sender's. Each ordering is checked on its own.
 */
static void ordering(struct point *snd, struct point *rsp,
		     const struct probe_rec *rec, size_t nrec)
{
	double *d[5];
	size_t n = 0, ng = 0, bad = 0, req = 0, rep = 0, rtt = 0, resp = 0,
	       shown = 0, gtx = 0, grx = 0;
	uint32_t s;
	int k;

	for (k = 0; k < 5; k++)
		d[k] = xcalloc(nseq, sizeof(double));
	for (s = 0; s < nseq; s++) {
		int64_t s1 = snd->first[REQ_OUT][s], r1 = rsp->first[REQ_IN][s];
		int64_t r2 = rsp->first[REP_OUT][s], s2 = snd->first[REP_IN][s];
		bool v = false;

		if (!s1 || !r1 || !r2 || !s2)
			continue;
		d[0][n] = (double)(r1 - s1);
		d[1][n] = (double)(r2 - r1);
		d[2][n] = (double)(s2 - r2);
		d[3][n] = (double)(s2 - s1);
		n++;
		if (s1 > r1)
			req++, v = true;
		if (r2 > s2)
			rep++, v = true;
		if (r1 > r2)
			resp++, v = true;
		if (s2 - s1 < r2 - r1)
			rtt++, v = true;
		if (v && shown++ < 5)
			printf("violation seq=%u S1=0 R1=%+lld R2=%+lld "
			       "S2=%+lld ns\n",
			       s, (long long)(r1 - s1), (long long)(r2 - s1),
			       (long long)(s2 - s1));
		bad += v;
		/* the prober's kernel stamps in the sender guest */
		if (s < nrec && rec[s].seq == s &&
		    (rec[s].flags & (PROBE_TX_SW | PROBE_RX_SW)) ==
			    (PROBE_TX_SW | PROBE_RX_SW)) {
			gtx += rec[s].t_tx > s1;
			grx += rec[s].t_rx < s2;
			d[4][ng++] = (double)((rec[s].t_rx - rec[s].t_tx) -
					      (s2 - s1));
		}
	}
	printf("order checked=%zu violations=%zu req_late=%zu rep_late=%zu "
	       "resp_neg=%zu rtt_short=%zu\n",
	       n, bad, req, rep, resp, rtt);
	printf("guest checked=%zu tx_after_nic=%zu rx_before_nic=%zu\n", ng,
	       gtx, grx);
	print_dist("wire_request(R1-S1)", d[0], n);
	print_dist("response_time(R2-R1)", d[1], n);
	print_dist("wire_reply(S2-R2)", d[2], n);
	print_dist("rtt_at_sender_nic(S2-S1)", d[3], n);
	print_dist("rtt_overhead(guest_rtt-nic_rtt)", d[4], ng);
	for (k = 0; k < 5; k++)
		free(d[k]);
}

static int parse_point(char *arg, struct point *p, uint16_t port)
{
	char *eq = strchr(arg, '='), *colon;

	if (!eq || !(colon = strchr(eq, ':')))
		return error("'%s' is not NAME=NETNS:IFNAME", arg);
	*eq = *colon = '\0';
	p->name = arg;
	p->o.netns = *(eq + 1) ? eq + 1 : NULL;
	p->o.ifname = colon + 1;
	p->o.udp_port = port;
	return 0;
}

/* Frames to inject: what each one is, and whether it is a probe. */
struct inj {
	const char *what;
	bool probe;
	bool ping; /* no probe header: the filter passes it, not the parser */
	bool vlan;
	uint16_t ethertype;
	unsigned opts; /* IPv4 option words */
	uint16_t frag;
	uint8_t proto, type;
	uint16_t sport, dport;
};

/* Ethernet + IPv4 + ICMP/UDP + a probe header of session, seq i. */
static size_t inj_build(const struct inj *x, uint16_t port, uint32_t session,
			uint32_t seq, uint8_t *f)
{
	static const uint8_t macs[12] = {0x02, 0x69, 0x6f, 0xff, 0, 2,
					 0x02, 0x69, 0x6f, 0xff, 0, 1};
	struct probe_hdr h = {.session = session, .seq = seq};
	size_t o = 12, ihl = 20 + 4 * x->opts, l4len = 8 + 18;
	uint8_t *ip, *l4;

	memset(f, 0, 128);
	memcpy(f, macs, sizeof(macs));
	if (x->vlan) {
		f[o++] = 0x81;
		f[o++] = 0x00;
		f[o++] = 0x00;
		f[o++] = 42;
	}
	f[o++] = (uint8_t)(x->ethertype >> 8);
	f[o++] = (uint8_t)x->ethertype;
	ip = f + o;
	ip[0] = (uint8_t)(0x40 | ihl / 4);
	ip[2] = (uint8_t)((ihl + l4len) >> 8);
	ip[3] = (uint8_t)(ihl + l4len);
	ip[6] = (uint8_t)(x->frag >> 8);
	ip[7] = (uint8_t)x->frag;
	ip[8] = 64;
	ip[9] = x->proto;
	memcpy(ip + 12, (uint8_t[]){198, 18, 0, 1, 198, 18, 0, 2}, 8);
	memset(ip + 20, 1, ihl - 20); /* NOP options */
	l4 = ip + ihl;
	if (x->proto == IPPROTO_UDP) {
		uint16_t sp = x->sport ? x->sport : port;
		uint16_t dp = x->dport ? x->dport : port;

		l4[0] = (uint8_t)(sp >> 8);
		l4[1] = (uint8_t)sp;
		l4[2] = (uint8_t)(dp >> 8);
		l4[3] = (uint8_t)dp;
		l4[5] = (uint8_t)l4len;
	} else {
		l4[0] = x->type;
	}
	if (!x->ping)
		packet_write_payload(l4 + 8, l4len - 8, &h);
	return (size_t)(l4 + l4len - f);
}

#define EPHEMERAL 40000
#define ICMP(w, p, v, o, fr, t)                                               \
	{.what = w, .probe = p, .vlan = v, .ethertype = 0x0800, .opts = o,    \
	 .frag = fr, .proto = IPPROTO_ICMP, .type = t}
#define UDP(w, p, v, o, fr, s, d)                                             \
	{.what = w, .probe = p, .vlan = v, .ethertype = 0x0800, .opts = o,    \
	 .frag = fr, .proto = IPPROTO_UDP, .sport = s, .dport = d}
/* sport/dport 0: the reflector's port */
static const struct inj inj_frames[] = {
	ICMP("icmp echo request", true, false, 0, 0, 8),
	ICMP("icmp echo reply, 802.1Q", true, true, 0, 0, 0),
	ICMP("icmp, IPv4 options", true, false, 3, 0, 8),
	UDP("udp to the port, 802.1Q", true, true, 0, 0, EPHEMERAL, 0),
	UDP("udp from the port, options, 802.1Q", true, true, 2, 0, 0,
	    EPHEMERAL),
	UDP("udp first fragment", true, false, 0, 0x2000, EPHEMERAL, 0),
	UDP("udp, other ports", false, false, 0, 0, EPHEMERAL, EPHEMERAL + 1),
	UDP("udp, other ports, 802.1Q", false, true, 0, 0, EPHEMERAL,
	    EPHEMERAL + 1),
	ICMP("icmp unreachable", false, false, 0, 0, 3),
	ICMP("icmp later fragment", false, false, 0, 0x2000 | 185, 8),
	ICMP("icmp last fragment, 802.1Q", false, true, 0, 1, 8),
	{.what = "icmp echo, no probe header", .ping = true,
	 .ethertype = 0x0800, .proto = IPPROTO_ICMP, .type = 8},
	{.what = "tcp", .ethertype = 0x0800, .proto = IPPROTO_TCP},
	{.what = "arp", .ethertype = 0x0806, .proto = IPPROTO_ICMP, .type = 8},
	{.what = "ipv6 ethertype, 802.1Q", .vlan = true, .ethertype = 0x86dd,
	 .proto = IPPROTO_ICMP, .type = 8},
};

/* Send inj_frames from a packet socket on ifname; 0 or -1. */
static int inj_send(const char *netns, const char *ifname, uint16_t port,
		    uint32_t session)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_halen = 6};
	uint8_t f[128];
	int fd, saved = -1, ret = 0;
	size_t i;

	if (netns && netns_enter(netns, &saved))
		return -1;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if ((netns && netns_restore(saved)) || fd < 0 || !sll.sll_ifindex)
		return error("cannot open a packet socket on '%s'", ifname);
	for (i = 0; i < ARRAY_SIZE(inj_frames); i++) {
		size_t len = inj_build(&inj_frames[i], port, session,
				       (uint32_t)i, f);

		if (sendto(fd, f, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) != (ssize_t)len)
			ret = error_errno("cannot send '%s'",
					  inj_frames[i].what);
	}
	close(fd);
	return ret;
}

static int inject(char *point, uint16_t port)
{
	struct point p;
	char *arg = xasprintf("inject=%s", point);
	uint32_t session = 0x494e4a31; /* "INJ1" */
	size_t i, probes = 0, pings = 0, bad = 0;
	bool seen[ARRAY_SIZE(inj_frames)] = {false};
	int ret;

	memset(&p, 0, sizeof(p));
	if (parse_point(arg, &p, port)) {
		free(arg);
		return 2;
	}
	ret = capture_start(&p.o, &p.c);
	if (!ret)
		ret = inj_send(p.o.netns, p.o.ifname, port, session);
	if (p.c && capture_stop(p.c, &p.r))
		ret = -1;
	free(arg);
	if (ret) {
		capture_result_release(&p.r);
		return 1;
	}
	for (i = 0; i < p.r.n; i++) {
		const struct capture_event *e = &p.r.ev[i];

		if (e->f.session != session ||
		    e->f.seq >= ARRAY_SIZE(inj_frames) || !e->outgoing ||
		    seen[e->f.seq]) {
			bad++;
			continue;
		}
		seen[e->f.seq] = true;
	}
	for (i = 0; i < ARRAY_SIZE(inj_frames); i++) {
		probes += inj_frames[i].probe;
		pings += inj_frames[i].ping;
		if (seen[i] != inj_frames[i].probe) {
			printf("inject: '%s' %s\n", inj_frames[i].what,
			       seen[i] ? "taken for a probe" : "missed");
			bad++;
		}
	}
	printf("inject sent=%zu probes=%zu frames=%llu events=%zu "
	       "drops=%llu bad=%zu\n",
	       ARRAY_SIZE(inj_frames), probes,
	       (unsigned long long)p.r.frames, p.r.n,
	       (unsigned long long)p.r.drops, bad);
	/* the filter passes exactly the probe frames and the ping */
	ret = bad || p.r.frames != probes + pings || p.r.n != probes;
	capture_result_release(&p.r);
	return ret;
}

int main(int argc, char **argv)
{
	struct point pts[MAX_POINTS], *snd = NULL, *rsp = NULL;
	struct spawn_opts so = {0};
	struct proc pr;
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct probe_meta meta;
	struct probe_rec *rec = NULL;
	const char *pcap = NULL, *records;
	char *inject_at = NULL;
	size_t np = 0, nrec = 0, i, j;
	uint16_t port = 7;
	int opt, status, ret = 1;

	while ((opt = getopt(argc, argv, "+p:w:i:")) != -1) {
		if (opt == 'p')
			port = (uint16_t)atoi(optarg);
		else if (opt == 'w')
			pcap = optarg;
		else if (opt == 'i')
			inject_at = optarg;
		else
			return 2;
	}
	if (inject_at)
		return inject(inject_at, port);
	if (optind >= argc)
		return 2;
	records = argv[optind++];
	memset(pts, 0, sizeof(pts));
	for (; optind < argc && strcmp(argv[optind], "--"); optind++) {
		if (np == MAX_POINTS ||
		    parse_point(argv[optind], &pts[np], port))
			return 2;
		np++;
	}
	if (!np || optind + 1 >= argc)
		return 2;
	pts[0].o.keep_pcap = pcap != NULL;

	for (i = 0; i < np; i++)
		if (capture_start(&pts[i].o, &pts[i].c))
			goto stop;
	if (proc_spawn(argv + optind + 1, &so, &pr))
		goto stop;
	status = proc_wait(&pr, 300 * NSEC_PER_SEC, NULL);
	proc_release(&pr);
	if (status) {
		error("'%s' exited with %d", argv[optind + 1], status);
		goto stop;
	}
	ret = 0;
stop:
	for (i = 0; i < np; i++)
		if (pts[i].c && capture_stop(pts[i].c, &pts[i].r))
			ret = 1;
	if (ret)
		goto out;
	if (strbuf_read_file(&text, records, 0) ||
	    records_parse(text.buf, text.len, &meta, &rec, &nrec, &err)) {
		ret = error("cannot read records '%s': %s", records, err.buf);
		goto out;
	}
	printf("session %u probes %zu\n", meta.session, nrec);
	for (i = 0; i < np; i++)
		for (j = 0; j < pts[i].r.n; j++)
			if (pts[i].r.ev[j].f.session == meta.session &&
			    pts[i].r.ev[j].f.seq < MAX_SEQ &&
			    pts[i].r.ev[j].f.seq >= nseq)
				nseq = pts[i].r.ev[j].f.seq + 1;
	for (i = 0; i < np; i++) {
		analyze(&pts[i], meta.session);
		if (!strcmp(pts[i].name, "sender"))
			snd = &pts[i];
		if (!strcmp(pts[i].name, "responder"))
			rsp = &pts[i];
	}
	if (snd && rsp)
		ordering(snd, rsp, rec, nrec);
	if (pcap && write_file(pcap, pts[0].r.pcap.buf, pts[0].r.pcap.len)) {
		error("cannot write '%s'", pcap);
		ret = 1;
	}
out:
	for (i = 0; i < np; i++) {
		for (j = 0; j < NCLS; j++)
			free(pts[i].first[j]);
		capture_result_release(&pts[i].r);
	}
	free(rec);
	strbuf_release(&text);
	strbuf_release(&err);
	return ret;
}
