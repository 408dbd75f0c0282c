// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench capture: one capture point, run where the interface is (the
 * runner starts it in a server's namespace here, or over ssh on a real
 * server) until told to stop; what it saw goes to stdout as a capture
 * report (core/capture_report.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/capture_report.h"
#include "measure/capture.h"
#include "host/op_run.h"
#include "util/error.h"
#include "util/strbuf.h"

static const char usage_text[] =
	"usage: iovbench capture -i IFACE [-n NETNS] [--udp-port P]\n"
	"                        [--pcap FILE] [--ready]\n"
	"\n"
	"Timestamp the probe frames (ICMP echo, UDP to or from port P) an\n"
	"interface sends and receives, through an AF_PACKET ring, until\n"
	"interrupted (SIGINT, SIGTERM); then print them:\n"
	"  iovbench-capture 1\n"
	"  frames=N drops=N events=N\n"
	"  KIND DIR WAY SESSION SEQ T      (one line per probe frame)\n"
	"KIND icmp|udp, DIR request|reply, WAY in|out, T the kernel's\n"
	"timestamp in ns of CLOCK_REALTIME (docs/metrics.md).\n"
	"\n"
	"  -i, --interface IFACE  the interface; @vf:PF:N names VF N of PF\n"
	"  -n, --netns NAME       the interface's network namespace\n"
	"      --udp-port P       the reflector's port (default 7777)\n"
	"      --pcap FILE        also write the frames there (pcap, ns)\n"
	"      --ready            print \"ready\" on stdout once capturing\n"
	"  -h, --help             this text\n";

int cmd_capture(int argc, char **argv)
{
	static const struct option opts[] = {
		{"interface", required_argument, NULL, 'i'},
		{"netns", required_argument, NULL, 'n'},
		{"udp-port", required_argument, NULL, 'p'},
		{"pcap", required_argument, NULL, 'w'},
		{"ready", no_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct capture_opts o = {.udp_port = 7777};
	struct strbuf ifname = STRBUF_INIT, out = STRBUF_INIT;
	const char *iface = NULL, *pcap = NULL;
	struct capture_result res;
	struct capture_report rep;
	struct capture *c;
	int ch, ready = 0, ret = EXIT_FAIL;

	while ((ch = getopt_long(argc, argv, "i:n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			iface = optarg;
			break;
		case 'n':
			o.netns = optarg;
			break;
		case 'p':
			if (cmd_parse_port("--udp-port", optarg, &o.udp_port))
				return EXIT_USAGE;
			break;
		case 'w':
			pcap = optarg;
			o.keep_pcap = true;
			break;
		case 'R':
			ready = 1;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind != argc || !iface)
		cmd_usage(usage_text, EXIT_USAGE);
	if (op_resolve_vf(iface, NULL, &ifname))
		goto out;
	o.ifname = ifname.buf;
	cmd_install_stop_handler();
	if (capture_start(&o, &c))
		goto out;
	if (ready)
		cmd_say_ready(NULL);
	/* a signal ends the sleep; no pause(): it could miss one that
	 * came between the test and the call */
	while (!cmd_stop)
		usleep(10000);
	if (capture_stop(c, &res)) {
		capture_result_release(&res);
		goto out;
	}
	rep = (struct capture_report){.ev = res.ev, .n = res.n,
				      .frames = res.frames,
				      .drops = res.drops};
	capture_report_format(&rep, &out);
	/* the frames' stamps are the measurement; a pcap is a copy */
	if (pcap && write_file(pcap, res.pcap.buf, res.pcap.len))
		warning("no pcap: cannot write '%s'", pcap);
	if (fwrite(out.buf, 1, out.len, stdout) == out.len && !fflush(stdout))
		ret = EXIT_OK;
	capture_result_release(&res);
out:
	strbuf_release(&ifname);
	strbuf_release(&out);
	return ret;
}
