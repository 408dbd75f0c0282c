// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench capture: one capture point, run where the interface is (the
 * runner starts it in a server's namespace here, or over ssh on a real
 * server) until told to stop; what it saw goes to stdout as a capture
 * report (core/capture_report.h).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/capture_report.h"
#include "measure/capture.h"
#include "host/op_run.h"
#include "util/error.h"
#include "util/strbuf.h"

/* --events: each event's line as it comes, from the capture's thread */
struct events_out {
	FILE *f;
	bool failed;
};

static void events_emit(const struct capture_event *e, void *data)
{
	struct events_out *eo = data;
	char line[CAPTURE_EVENT_LINE_MAX];

	if (fwrite(line, 1, (size_t)capture_event_format(e, line, sizeof(line)),
		   eo->f) == 0)
		eo->failed = true;
}

#define EVENTS_BUF (1 << 20)

static int capture_main(struct cmd_ctx *ctx)
{
	struct capture_opts o = {0};
	struct events_out eo = {0};
	const char *events = NULL;
	struct strbuf ifname = STRBUF_INIT, out = STRBUF_INIT;
	const char *iface = NULL, *pcap = NULL;
	struct capture_result res;
	struct capture_report rep;
	struct capture *c;
	int ready = 0, ret = EXIT_FAIL;
	sigset_t stops, unblocked;
	const struct option_spec options[] = {
		OPT_STRING('i', "interface", &iface, "IFACE",
			   "the interface; @vf:PF:N names VF N of PF",
			   .flags = OPTION_REQUIRED),
		OPT_STRING('n', "netns", &o.netns, "NAME",
			   "the interface's network namespace"),
		OPT_PORT(0, "udp-port", &o.udp_port, "the reflector's port",
			 .def = "7777"),
		OPT_STRING(0, "pcap", &pcap, "FILE",
			   "also write the frames there (pcap, ns)"),
		OPT_STRING(0, "events", &events, "FILE",
			   "write each frame's event line to FILE as it "
			   "comes: constant memory however long it runs"),
		OPT_READY(&ready, "print \"ready\" on stdout once capturing"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	o.keep_pcap = pcap != NULL;
	if (op_resolve_vf(iface, NULL, &ifname))
		goto out;
	o.ifname = ifname.buf;
	if (events) {
		eo.f = fopen(events, "w");
		if (!eo.f) {
			error_errno("cannot open '%s'", events);
			goto out;
		}
		setvbuf(eo.f, NULL, _IOFBF, EVENTS_BUF);
		o.emit = events_emit;
		o.emit_data = &eo;
	}
	cmd_install_stop_handler();
	/*
	 * The stop signals blocked before the capture's thread exists (it
	 * inherits the mask, so they come to this thread), and waited for
	 * by sigsuspend(), which unblocks them and sleeps in one step: none
	 * can come between the test and the wait, and the stop is seen at
	 * once (it was a 10 ms sleep loop).
	 */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, &unblocked);
	if (capture_start(&o, &c))
		goto out;
	if (ready)
		cmd_say_ready(NULL);
	while (!cmd_stop)
		sigsuspend(&unblocked);
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
	if (capture_stop(c, &res)) {
		capture_result_release(&res);
		goto out;
	}
	if (eo.f && (fflush(eo.f) || ferror(eo.f) || eo.failed)) {
		error_errno("cannot write '%s'", events);
		capture_result_release(&res);
		goto out;
	}
	rep = (struct capture_report){.ev = res.ev, .n = res.n,
				      .frames = res.frames,
				      .drops = res.drops,
				      .streamed = res.streamed};
	capture_report_format(&rep, &out);
	/* the frames' stamps are the measurement; a pcap is a copy */
	if (pcap && write_file(pcap, res.pcap.buf, res.pcap.len))
		warning("no pcap: cannot write '%s'", pcap);
	if (fwrite(out.buf, 1, out.len, stdout) == out.len && !fflush(stdout))
		ret = EXIT_OK;
	capture_result_release(&res);
out:
	if (eo.f)
		fclose(eo.f);
	strbuf_release(&ifname);
	strbuf_release(&out);
	return ret;
}

const struct command cmd_capture = {
	.name = "capture",
	.summary = "timestamp probe frames at an interface",
	.fn = capture_main,
	.usage = "iovbench capture -i IFACE [-n NETNS] [--udp-port P]\n"
		 "                        [--pcap FILE] [--events FILE]\n"
		 "                        [--ready]",
	.doc = "Timestamp the probe frames (ICMP echo, UDP to or from port P) "
	       "an\n"
	       "interface sends and receives, through an AF_PACKET ring, "
	       "until\n"
	       "interrupted (SIGINT, SIGTERM); then print them:\n"
	       "  iovbench-capture 1\n"
	       "  frames=N drops=N events=N\n"
	       "  KIND DIR WAY SESSION SEQ T      (one line per probe frame)\n"
	       "KIND icmp|udp, DIR request|reply, WAY in|out, T the kernel's\n"
	       "timestamp in ns of CLOCK_REALTIME (docs/metrics.md). With\n"
	       "--events the event lines go to FILE as they come, and the\n"
	       "counts' line says how many: frames=N drops=N events=0 "
	       "streamed=N.\n",
};
