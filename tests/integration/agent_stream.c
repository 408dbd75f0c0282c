// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The agent's run, streamed: the host's side (guest/agent_client.c) and
 * the guest's agent (iovbench-guest agent) over a unix socket, as QEMU's
 * virtio-serial chardev joins them, without a VM. This program listens
 * where QEMU would, starts the agent with --connect, has it run a prober
 * of COUNT probes at RATE to TARGET, and writes the records to OUT as
 * they come. Then it prints the records' bytes, how many the runner's own
 * reader (core/records.h) takes from them, the exit status, and the
 * peak RSS of the agent (VmHWM, read before it exits) and of itself: a
 * run's records must pass through both without being held whole.
 *
 * With "serve" last, the run goes through the agent's prober of the
 * guest's life instead (the probe request); then that prober is killed
 * (SIGKILL, as a crash) and a second, short request must find a new
 * one (its records in OUT.2).
 *
 * usage: agent_stream GUEST_BIN SOCKET TARGET COUNT RATE OUT [serve]
 * (RATE in probes a second, digits only)
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/agent_proto.h"
#include "core/probe.h"
#include "core/probe_serve.h"
#include "core/records.h"
#include "guest/agent_client.h"
#include "util/time.h"

/* VmHWM of pid in KiB, or -1 */
static long hwm_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmHWM:", 6))
			kib = strtol(line + 6, NULL, 10);
	}
	fclose(f);
	return kib;
}

/* The records in path as the runner reads them; -1 (said why) if bad */
static long long records_read(const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct records_stream rs;
	struct probe_rec r;
	long long n = -1;
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return perror(path), -1;
	if (!records_stream_open(&rs, f, &err)) {
		while ((ret = records_stream_next(&rs, &r, &err)) == 1)
			;
		if (!ret)
			n = (long long)rs.n;
	}
	if (n < 0)
		printf("records: unreadable: %s\n", err.buf);
	strbuf_release(&err);
	fclose(f);
	return n;
}

/* The agent's probe request for COUNT probes at RATE to target */
static int served_run(struct agent_client *a, const char *target,
		      uint64_t count, uint64_t rate, const char *path,
		      int *exitcode)
{
	static struct probe_serve_req rq;
	static char buf[PROBE_SERVE_LINE_MAX];
	const char *kv[AGENT_MAX_WORDS];
	int n, ret;
	FILE *out;

	memset(&rq, 0, sizeof(rq));
	rq.kind = PROBE_ICMP;
	rq.rate = rate;
	rq.count = count;
	rq.size = 64;
	rq.port = 7;
	rq.timeout_ns = 1000000000;
	rq.schedule = SCHEDULE_FIXED;
	rq.sender = SENDER_SOCKET;
	snprintf(rq.target, sizeof(rq.target), "%s", target);
	n = probe_serve_words(&rq, buf, sizeof(buf), kv, AGENT_MAX_WORDS);
	if (n < 0)
		return -1;
	out = fopen(path, "w");
	if (!out)
		return -1;
	ret = agent_probe(a, kv, n, 60 * NSEC_PER_SEC, exitcode, out);
	if (fclose(out))
		ret = -1;
	return ret;
}

/* The pid of parent's child running "probe --serve", or -1 */
static pid_t served_prober(pid_t parent)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = -1;

	while (d && found < 0 && (e = readdir(d))) {
		char path[300], buf[512];
		int ppid = -1;
		size_t len;
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* pid (comm) state ppid: comm may hold spaces, not ')' */
		if (fgets(buf, sizeof(buf), f) && strrchr(buf, ')'))
			sscanf(strrchr(buf, ')') + 1, " %*c %d", &ppid);
		fclose(f);
		if (ppid != parent)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[len] = '\0';
		/* argv NUL-separated: "exe\0probe\0--serve\0" */
		if (len > strlen(buf) + 1 &&
		    !strcmp(buf + strlen(buf) + 1, "probe"))
			found = (pid_t)atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct agent_client a;
	struct rusage ru;
	struct stat st;
	int lfd, status = -1, exitcode = -1, ret;
	long agent_kib;
	pid_t pid;
	FILE *out;

	bool serve = argc == 8 && !strcmp(argv[7], "serve");

	if ((argc != 7 && !serve) || strlen(argv[2]) >= sizeof(sa.sun_path))
		return fprintf(stderr, "usage: agent_stream GUEST_BIN SOCKET "
				       "TARGET COUNT RATE OUT [serve]\n"),
		       2;
	const char *probe[] = {"probe", "--quiet", "--records=-", "-c",
			       argv[4], "-r", argv[5], argv[3]};

	strcpy(sa.sun_path, argv[2]);
	unlink(argv[2]);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(lfd, 1))
		return perror("listen"), 1;
	pid = fork();
	if (pid < 0)
		return perror("fork"), 1;
	if (!pid) {
		execl(argv[1], argv[1], "agent", "--connect", argv[2],
		      (char *)NULL);
		_exit(127);
	}
	memset(&a, 0, sizeof(a));
	strbuf_init(&a.in);
	a.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (a.fd < 0)
		return perror("accept"), 1;
	if (serve) {
		char second[PATH_MAX];
		pid_t prober;
		int ex2 = -1, ret2;

		ret = served_run(&a, argv[3], strtoull(argv[4], NULL, 10),
				 strtoull(argv[5], NULL, 10), argv[6],
				 &exitcode);
		prober = served_prober(pid);
		printf("served prober: %s\n", prober > 0 ? "found" : "none");
		if (prober > 0)
			kill(prober, SIGKILL);
		usleep(100000);
		snprintf(second, sizeof(second), "%s.2", argv[6]);
		ret2 = served_run(&a, argv[3], 100, 1000, second, &ex2);
		printf("after its death: %s, exit %d, records %lld, a new "
		       "one: %s\n",
		       ret2 ? "failed" : "ok", ex2, records_read(second),
		       served_prober(pid) > 0 && served_prober(pid) != prober ?
			       "yes" :
			       "no");
	} else {
		out = fopen(argv[6], "w");
		if (!out)
			return perror(argv[6]), 1;
		ret = agent_run(&a, probe, 8, 60 * NSEC_PER_SEC, &exitcode,
				out);
		if (fclose(out))
			ret = -1;
	}
	agent_kib = hwm_kib(pid);
	agent_close(&a); /* the agent's EOF: it exits */
	waitpid(pid, &status, 0);
	getrusage(RUSAGE_SELF, &ru);
	if (stat(argv[6], &st))
		return perror(argv[6]), 1;
	printf("run: %s, exit %d\n", ret ? "failed" : "ok", exitcode);
	printf("bytes: %lld\n", (long long)st.st_size);
	printf("records: %lld\n", records_read(argv[6]));
	printf("agent peak RSS: %ld KiB\n", agent_kib);
	printf("client peak RSS: %ld KiB\n", ru.ru_maxrss);
	printf("agent pid: %d\n", (int)pid);
	printf("agent exit: %d\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return ret ? 1 : 0;
}
