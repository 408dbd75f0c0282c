// SPDX-License-Identifier: GPL-2.0-or-later
#include "measure/reflector.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"

#define BATCH 64
#define BUFLEN 2048

struct batch {
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in from[BATCH];
	uint8_t buf[BATCH][BUFLEN];
};

int reflector_run(const struct reflector_opts *o, struct reflector_stats *st)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons(o->port),
				   .sin_addr.s_addr = htonl(INADDR_ANY)};
	/* wake at least every 100 ms to notice *stop */
	struct timeval tv = {0, 100000};
	int buf = 8 << 20, fd, ret = 0;
	struct batch *b;

	memset(st, 0, sizeof(*st));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_errno("cannot open a UDP socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		ret = error_errno("cannot bind UDP port %u", o->port);
		close(fd);
		return ret;
	}
	if (o->ready)
		o->ready(o->ready_data);
	b = xmalloc(sizeof(*b));
	while (!(o->stop && *o->stop)) {
		int n, i, sent;

		for (i = 0; i < BATCH; i++) {
			b->iov[i].iov_base = b->buf[i];
			b->iov[i].iov_len = BUFLEN;
			memset(&b->msg[i], 0, sizeof(b->msg[i]));
			b->msg[i].msg_hdr.msg_iov = &b->iov[i];
			b->msg[i].msg_hdr.msg_iovlen = 1;
			b->msg[i].msg_hdr.msg_name = &b->from[i];
			b->msg[i].msg_hdr.msg_namelen = sizeof(b->from[i]);
		}
		/* MSG_WAITFORONE: return what is there once one arrived */
		n = recvmmsg(fd, b->msg, BATCH,
			     o->busy_poll ? MSG_DONTWAIT : MSG_WAITFORONE,
			     NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			ret = error_errno("reflector: cannot receive");
			break;
		}
		st->received += (uint64_t)n;
		/* send back exactly what came, to where it came from */
		for (i = 0; i < n; i++)
			b->iov[i].iov_len = b->msg[i].msg_len;
		for (i = 0; i < n; i += sent) {
			sent = sendmmsg(fd, b->msg + i, (unsigned)(n - i), 0);
			if (sent <= 0) {
				st->send_errors += (uint64_t)(n - i);
				break;
			}
			st->sent += (uint64_t)sent;
		}
	}
	free(b);
	close(fd);
	return ret;
}
