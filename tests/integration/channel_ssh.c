// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Drives guest/channel.c's ssh channel against a real sshd standing in for
 * a disk-image guest (tests/integration/channel_ssh.sh sets it up in a
 * namespace): open (which configures the NIC with the guest's MAC), link,
 * run a probe, start and stop the reflector. Prints what it did.
 *
 * With iperf3 as its last argument, also starts an iperf3 server and a
 * client there (on its loopback) and waits for the client's JSON.
 *
 * usage: channel_ssh NETNS PORT KEY GUEST_BIN ADDR/PLEN TARGET [iperf3|-]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/channel.h"
#include "util/time.h"

int main(int argc, char **argv)
{
	struct channel ch;
	struct strbuf out = STRBUF_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *records;
	unsigned a, b, c, d, plen;
	uint32_t handle;
	bool up = false;
	int exit = -1;
	const char *probe[] = {"probe", "--quiet", "--records=-", "-c",
			       "20", "-r", "1k", argv[6]};
	const char *reflect[] = {"reflect", "--port", "7777", "--ready"};

	if (argc != 8 ||
	    sscanf(argv[5], "%u.%u.%u.%u/%u", &a, &b, &c, &d, &plen) != 5)
		return 2;
	memset(&ch, 0, sizeof(ch));
	ch.ops = &channel_ssh;
	ch.server_ns = argv[1];
	ch.port = (unsigned)atoi(argv[2]);
	snprintf(ch.user, sizeof(ch.user), "root");
	snprintf(ch.key, sizeof(ch.key), "%s", argv[3]);
	snprintf(ch.guest_bin, sizeof(ch.guest_bin), "%s", argv[4]);
	ch.ip = a << 24 | b << 16 | c << 8 | d;
	ch.plen = plen;
	ch.mtu = 1400;
	memcpy(ch.mac, (uint8_t[]){0x02, 0x69, 0x6f, 0x00, 0x00, 0x01}, 6);

	if (ch.ops->open(&ch, 20 * NSEC_PER_SEC))
		return printf("open failed\n"), 1;
	printf("open: %s\n", ch.version);
	if (ch.ops->link(&ch, "02:69:6f:00:00:01", &up))
		return printf("link failed\n"), 1;
	printf("link: %s\n", up ? "up" : "down");
	records = open_memstream(&text, &len);
	if (!records ||
	    ch.ops->run(&ch, probe, 8, 10 * NSEC_PER_SEC, &exit, records))
		return printf("run failed\n"), 1;
	fclose(records);
	printf("run: exit %d, %s\n", exit,
	       strstr(text, "iovbench-probes 1") ? "records" : "no records");
	free(text);
	if (ch.ops->start(&ch, reflect, 4, &handle))
		return printf("start failed\n"), 1;
	printf("start: handle %s\n", handle > 1 ? "ok" : "bad");
	if (ch.ops->stop(&ch, handle, NULL))
		return printf("stop failed\n"), 1;
	printf("stop: ok\n");
	if (!strcmp(argv[7], "iperf3")) {
		const char *srv[] = {"iperf3", "--server", "--one-off",
				     "--bind", "127.0.0.1", "--port", "5299",
				     "--forceflush"};
		const char *cli[] = {"iperf3", "--client", "127.0.0.1",
				     "--port", "5299", "--json", "--time",
				     "1"};
		uint32_t sh, chd;

		strbuf_reset(&out);
		if (ch.ops->start(&ch, srv, 8, &sh) ||
		    ch.ops->start(&ch, cli, 8, &chd))
			return printf("iperf3 start failed\n"), 1;
		/* 1 s of test: not over after 100 ms, over within 20 s */
		if (ch.ops->wait(&ch, chd, 100 * NSEC_PER_MSEC, &exit,
				 &out) != -ETIMEDOUT)
			return printf("wait: not 'still running'\n"), 1;
		if (ch.ops->wait(&ch, chd, 20 * NSEC_PER_SEC, &exit, &out))
			return printf("wait failed\n"), 1;
		printf("iperf3: %s\n", strstr(out.buf, "\"sum_received\"") ?
						"json" : "no json");
		ch.ops->stop(&ch, sh, NULL);
	}
	ch.ops->close(&ch);
	strbuf_release(&out);
	return 0;
}
