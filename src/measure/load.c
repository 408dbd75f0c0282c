// SPDX-License-Identifier: GPL-2.0-or-later
#include "measure/load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* A cpu load's period: short enough that a duty cycle looks steady to
 * a 1 kpps prober, long enough that sleeping is not all overhead. */
#define CPU_PERIOD_NS (10 * NSEC_PER_MSEC)
/* Ethernet + IPv4 + UDP headers and the FCS around a load payload. */
#define FRAME_OVERHEAD 46
#define MAX_BURST 1024
#define SINK_BATCH 64
#define SINK_BUFLEN 2048

static int stopped(const struct load_opts *o)
{
	return o->stop && *o->stop;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void sleep_until(int64_t t)
{
	struct timespec ts = {t / NSEC_PER_SEC, t % NSEC_PER_SEC};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static int run_cpu(const struct load_opts *o, struct load_report *out)
{
	int64_t start = now_mono(), period = start;
	int64_t spin = CPU_PERIOD_NS * (int64_t)o->duty / 100;
	volatile uint64_t sink = 0;

	if (o->ready)
		o->ready(o->ready_data);
	while (!stopped(o)) {
		while (now_mono() < period + spin)
			sink++;
		period += CPU_PERIOD_NS;
		if (spin < CPU_PERIOD_NS)
			sleep_until(period);
		else
			period = now_mono();
	}
	out->seconds = (double)(now_mono() - start) / 1e9;
	return 0;
}

static int udp_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), buf = 8 << 20;

	if (fd < 0)
		return error_errno("cannot open a UDP socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
	return fd;
}

static int run_net(const struct load_opts *o, struct load_report *out)
{
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons(o->port),
				 .sin_addr.s_addr = htonl(o->to)};
	unsigned burst = o->burst ? o->burst : 1, i;
	size_t payload = o->size > FRAME_OVERHEAD ? o->size - FRAME_OVERHEAD :
						    18;
	/* bursts leave every burst/rate seconds */
	int64_t gap = (int64_t)((double)burst * 1e9 / (double)o->rate);
	struct mmsghdr msg[MAX_BURST];
	struct iovec iov;
	int64_t start, next;
	uint8_t *buf;
	int fd, ret = 0;

	if (burst > MAX_BURST)
		burst = MAX_BURST;
	fd = udp_socket();
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&to, sizeof(to))) {
		ret = error_errno("cannot address the load sink");
		close(fd);
		return ret;
	}
	buf = xcalloc(1, payload);
	iov.iov_base = buf;
	iov.iov_len = payload;
	memset(msg, 0, sizeof(msg));
	for (i = 0; i < burst; i++) {
		msg[i].msg_hdr.msg_iov = &iov;
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	if (o->ready)
		o->ready(o->ready_data);
	start = next = now_mono();
	while (!stopped(o)) {
		unsigned sent = 0;

		while (sent < burst) {
			int n = sendmmsg(fd, msg + sent, burst - sent, 0);

			if (n <= 0) {
				/* a full queue or an ICMP error: counted, and
				 * the rest of the burst is dropped */
				out->errors += burst - sent;
				break;
			}
			sent += (unsigned)n;
		}
		out->packets += sent;
		next += gap;
		if (next > now_mono())
			sleep_until(next);
		else if (now_mono() - next > NSEC_PER_SEC)
			next = now_mono(); /* fell far behind: do not catch up */
	}
	out->seconds = (double)(now_mono() - start) / 1e9;
	out->bytes = out->packets * (payload + FRAME_OVERHEAD);
	free(buf);
	close(fd);
	return ret;
}

static int run_sink(const struct load_opts *o, struct load_report *out)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons(o->port),
				   .sin_addr.s_addr = htonl(INADDR_ANY)};
	struct mmsghdr msg[SINK_BATCH];
	struct iovec iov[SINK_BATCH];
	int64_t first = 0;
	uint8_t (*buf)[SINK_BUFLEN];
	int fd, i, ret = 0;

	fd = udp_socket();
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		ret = error_errno("cannot bind UDP port %u", o->port);
		close(fd);
		return ret;
	}
	buf = xmalloc(SINK_BATCH * sizeof(*buf));
	if (o->ready)
		o->ready(o->ready_data);
	while (!stopped(o)) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		for (i = 0; i < SINK_BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = SINK_BUFLEN;
			memset(&msg[i], 0, sizeof(msg[i]));
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, msg, SINK_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		if (!first)
			first = now_mono();
		for (i = 0; i < n; i++)
			out->bytes += msg[i].msg_len + FRAME_OVERHEAD;
		out->packets += (uint64_t)n;
	}
	/* from the first frame to the stop: the sink may start long before
	 * its sender, and that wait is no part of the load */
	out->seconds = first ? (double)(now_mono() - first) / 1e9 : 0;
	free(buf);
	close(fd);
	return ret;
}

int load_run(const struct load_opts *o, struct load_report *out)
{
	static int (*const run[LOAD_ROLE_COUNT])(const struct load_opts *,
						 struct load_report *) = {
		[LOAD_ROLE_CPU] = run_cpu,
		[LOAD_ROLE_NET] = run_net,
		[LOAD_ROLE_SINK] = run_sink,
	};
	int ret;

	memset(out, 0, sizeof(*out));
	out->role = o->role;
	if ((unsigned)o->role >= LOAD_ROLE_COUNT)
		return error("unknown load role");
	ret = run[o->role](o, out);
	out->cpu_seconds = cpu_seconds();
	return ret;
}
