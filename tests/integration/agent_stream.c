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
 * usage: agent_stream GUEST_BIN SOCKET TARGET COUNT RATE OUT
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/probe.h"
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

	if (argc != 7 || strlen(argv[2]) >= sizeof(sa.sun_path))
		return fprintf(stderr, "usage: agent_stream GUEST_BIN SOCKET "
				       "TARGET COUNT RATE OUT\n"),
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
	out = fopen(argv[6], "w");
	if (!out)
		return perror(argv[6]), 1;
	ret = agent_run(&a, probe, 8, 60 * NSEC_PER_SEC, &exitcode, out);
	if (fclose(out))
		ret = -1;
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
	printf("agent exit: %d\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return ret ? 1 : 0;
}
