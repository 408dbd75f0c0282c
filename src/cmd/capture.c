// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench capture: one capture point, run where the interface is (the
 * runner starts it in a server's namespace here, or over ssh on a real
 * server) until told to stop; what it saw goes to stdout as a capture
 * report (core/capture_report.h).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
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

/*
 * --events: each event's line as it comes, from the capture's thread.
 * With --runs the file changes at each run's begin and is none between
 * runs: the lock keeps the thread off it while it changes.
 */
/* Sessions whose measured frames are counted in a run (see below). */
#define SESSIONS 4

struct events_out {
	pthread_mutex_t lock;
	FILE *f;
	bool failed;
	uint64_t lines; /* written to f */
	/*
	 * The run's frames of each session with seq >= warmup (the
	 * measured probes'), for the last SESSIONS sessions seen (the
	 * prober's preflight has one of its own): "end SESSION N" is
	 * answered as soon as N of them are in
	 */
	uint32_t warmup;
	uint32_t session[SESSIONS];
	uint64_t measured[SESSIONS];
	unsigned next;
	uint32_t want_session;
	uint64_t want;
};

/* e's count in eo (the lock held). */
static void count_measured(struct events_out *eo, const struct capture_event *e)
{
	unsigned i;

	if (e->f.seq < eo->warmup)
		return;
	for (i = 0; i < SESSIONS; i++) {
		if (eo->measured[i] && eo->session[i] == e->f.session) {
			eo->measured[i]++;
			return;
		}
	}
	i = eo->next++ % SESSIONS;
	eo->session[i] = e->f.session;
	eo->measured[i] = 1;
}

/* capture_sync()'s ready: the frames the runner expects are all in. */
static bool run_complete(void *data)
{
	struct events_out *eo = data;
	bool done = false;
	unsigned i;

	pthread_mutex_lock(&eo->lock);
	for (i = 0; eo->want && i < SESSIONS; i++)
		done |= eo->measured[i] && eo->session[i] == eo->want_session &&
			eo->measured[i] >= eo->want;
	pthread_mutex_unlock(&eo->lock);
	return done;
}

static void events_emit(const struct capture_event *e, void *data)
{
	struct events_out *eo = data;
	char line[CAPTURE_EVENT_LINE_MAX];
	size_t n = (size_t)capture_event_format(e, line, sizeof(line));

	pthread_mutex_lock(&eo->lock);
	if (eo->f) {
		if (fwrite(line, 1, n, eo->f) != n)
			eo->failed = true;
		eo->lines++;
		count_measured(eo, e);
	}
	pthread_mutex_unlock(&eo->lock);
}

#define EVENTS_BUF (1 << 20)

/* A control line from the runner: "begin FILE", "end" or "skip". */
#define CONTROL_LINE_MAX 4200

/*
 * One line of stdin into line, waiting with the stop signals unblocked
 * (ppoll: none is lost between the test and the wait). 1: a line, 0: EOF
 * or a stop, -1: an error.
 */
static int control_read(char *line, size_t len, const sigset_t *unblocked)
{
	struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};

	for (;;) {
		if (cmd_stop)
			return 0;
		if (ppoll(&pfd, 1, NULL, unblocked) < 0) {
			if (errno == EINTR)
				continue;
			return error_errno("capture: cannot poll stdin");
		}
		/* a line comes whole: the runner writes it in one write */
		if (!fgets(line, (int)len, stdin))
			return ferror(stdin) ? error_errno("capture: cannot "
							   "read stdin") :
					       0;
		if (!strchr(line, '\n'))
			return error("capture: control line too long");
		*strchr(line, '\n') = '\0';
		return 1;
	}
}

/*
 * "begin WARMUP FILE": the run's events go to FILE from now on; its
 * probes below seq WARMUP are its warm-up's.
 */
static int run_begin(struct capture *c, struct events_out *eo,
		     const char *arg)
{
	char *end;
	unsigned long warmup = strtoul(arg, &end, 10);
	const char *path = end + 1;
	FILE *f;

	if (end == arg || *end != ' ' || warmup > UINT32_MAX)
		return error("capture: expected 'begin WARMUP FILE', got "
			     "'begin %s'",
			     arg);
	/* its interface went (a guest's link made anew): "gone", and the
	 * runner starts another capture */
	if (capture_bound(c)) {
		printf("gone\n");
		fflush(stdout);
		return 0;
	}
	f = fopen(path, "w");
	if (!f)
		return error_errno("cannot open '%s'", path);
	setvbuf(f, NULL, _IOFBF, EVENTS_BUF);
	pthread_mutex_lock(&eo->lock);
	if (eo->f)
		fclose(eo->f);
	eo->f = f;
	eo->failed = false;
	eo->lines = 0;
	eo->warmup = (uint32_t)warmup;
	memset(eo->measured, 0, sizeof(eo->measured));
	eo->want = 0;
	pthread_mutex_unlock(&eo->lock);
	printf("begun\n");
	fflush(stdout);
	return 0;
}

/*
 * "end [SESSION N]": once the ring is drained past now, or N frames of
 * SESSION's measured probes are in (what the runner expects this point
 * to see: none is still in the ring then), the run's file is closed and
 * its counts go to stdout as a capture report's two lines (the events
 * are in the file: streamed=N of them).
 */
static int run_end(struct capture *c, struct events_out *eo, const char *arg,
		   uint64_t *frames_before)
{
	struct capture_report rep = {0};
	struct strbuf out = STRBUF_INIT;
	unsigned long long session = 0, want = 0;
	uint64_t frames, drops;
	FILE *f;
	int ret;

	if (*arg && (sscanf(arg, " %llu %llu", &session, &want) != 2 ||
		     session > UINT32_MAX))
		return error("capture: expected 'end [SESSION N]', got "
			     "'end%s'",
			     arg);
	pthread_mutex_lock(&eo->lock);
	eo->want_session = (uint32_t)session;
	eo->want = want;
	pthread_mutex_unlock(&eo->lock);
	if (capture_sync(c, run_complete, eo, &frames, &drops))
		return -1;
	pthread_mutex_lock(&eo->lock);
	f = eo->f;
	eo->f = NULL;
	rep.streamed = eo->lines;
	ret = eo->failed ? -1 : 0;
	pthread_mutex_unlock(&eo->lock);
	if (!f)
		return error("capture: end without a begin");
	if (fclose(f) || ret)
		return error_errno("capture: cannot write a run's events");
	rep.frames = frames - *frames_before;
	rep.drops = drops;
	*frames_before = frames;
	capture_report_format(&rep, &out);
	ret = fwrite(out.buf, 1, out.len, stdout) == out.len && !fflush(stdout) ?
		      0 :
		      -1;
	strbuf_release(&out);
	return ret;
}

/*
 * "skip": what the interface saw until now is no run's (the setup's
 * warm-up exchange): the ring is read past now (one drain, at most
 * FINAL_DRAIN_NS), its frames and drops left out of the next run's.
 */
static int run_skip(struct capture *c, uint64_t *frames_before)
{
	uint64_t drops;

	if (capture_sync(c, NULL, NULL, frames_before, &drops))
		return -1;
	printf("skipped\n");
	return fflush(stdout) ? -1 : 0;
}

/* --runs: one capture for many runs, each marked by the runner. */
static int runs_loop(struct capture *c, struct events_out *eo,
		     const sigset_t *unblocked)
{
	char line[CONTROL_LINE_MAX];
	uint64_t frames = 0;
	int ret;

	while ((ret = control_read(line, sizeof(line), unblocked)) > 0) {
		if (!strncmp(line, "begin ", 6))
			ret = run_begin(c, eo, line + 6);
		else if (!strncmp(line, "end", 3) &&
			 (!line[3] || line[3] == ' '))
			ret = run_end(c, eo, line + 3, &frames);
		else if (!strcmp(line, "skip"))
			ret = run_skip(c, &frames);
		else
			ret = error("capture: unknown control line '%s'", line);
		if (ret)
			return -1;
	}
	return ret;
}

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
	int ready = 0, runs = 0, ret = EXIT_FAIL;
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
		OPT_FLAG(0, "runs", &runs,
			 "one capture for many runs, marked on stdin: "
			 "\"begin FILE\" and \"end\" lines"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	o.keep_pcap = pcap != NULL;
	pthread_mutex_init(&eo.lock, NULL);
	if (runs && (pcap || events)) {
		error("--runs names each run's events file on stdin: no "
		      "--pcap or --events with it");
		goto out;
	}
	if (op_resolve_vf(iface, NULL, &ifname))
		goto out;
	o.ifname = ifname.buf;
	if (runs) {
		o.emit = events_emit;
		o.emit_data = &eo;
	} else if (events) {
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
	if (runs) {
		int r = runs_loop(c, &eo, &unblocked);

		sigprocmask(SIG_SETMASK, &unblocked, NULL);
		/* each run's frames were its end's: the rest are no run's */
		capture_drop_drain(c);
		if (capture_stop(c, &res) || r)
			goto release;
		ret = EXIT_OK;
		goto release;
	}
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
release:
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
		 "                        [--ready] [--runs]",
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
	       "streamed=N.\n"
	       "With --runs it captures for many runs, which the runner marks "
	       "on\n"
	       "stdin: \"begin WARMUP FILE\" (answered \"begun\", or "
	       "\"gone\" when the\n"
	       "interface is no longer the one it reads) sends the events\n"
	       "to FILE from then on; \"end [SESSION N]\" waits until the "
	       "ring is read\n"
	       "past that moment (or until N frames of SESSION's probes from "
	       "seq\n"
	       "WARMUP on are in), closes FILE and prints the run's two "
	       "report\n"
	       "lines (its frames and drops, events=0 streamed=N); \"skip\" "
	       "reads the\n"
	       "ring past that moment too and leaves what it held out of "
	       "the next\n"
	       "run's counts (answered \"skipped\"). EOF on stdin stops it.\n",
};
