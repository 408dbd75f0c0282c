// SPDX-License-Identifier: GPL-2.0-or-later
#include "measure/l2path.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/llframe.h"
#include "measure/pktring.h"
#include "util/error.h"
#include "util/time.h"

int l2path_resolve_mac(const char *ifname, const char *ip, uint8_t mac[6])
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9)};
	int64_t end = now_mono() + 3 * NSEC_PER_SEC;
	char buf[16384];
	int fd, ret = -1;

	if (inet_pton(AF_INET, ip, &to.sin_addr) != 1)
		return error("'%s' is not an IPv4 address", ip);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_errno("cannot open a socket");
	while (now_mono() < end) {
		FILE *f = fopen("/proc/net/arp", "r");
		size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;

		if (f)
			fclose(f);
		if (!llframe_arp_find(buf, n, ip, ifname, mac)) {
			ret = 0;
			break;
		}
		sendto(fd, "", 1, MSG_DONTWAIT, (struct sockaddr *)&to,
		       sizeof(to));
		usleep(20000);
	}
	close(fd);
	if (ret)
		error("no MAC for '%s' on '%s' (ARP)", ip, ifname);
	return ret;
}

/* The source address the kernel would use towards dst. */
static int source_of(struct in_addr dst, struct in_addr *src)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9),
				 .sin_addr = dst};
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = 0;

	if (fd < 0)
		return error_errno("cannot open a socket");
	/* a connected UDP socket: a route lookup, nothing sent */
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) ||
	    getsockname(fd, (struct sockaddr *)&me, &len))
		ret = error_errno("no route to '%s'", inet_ntoa(dst));
	else
		*src = me.sin_addr;
	close(fd);
	return ret;
}

int l2path_find(struct in_addr dst, struct l2path *out)
{
	struct ifaddrs *ifa, *i;
	char ip[INET_ADDRSTRLEN];
	int found = 0;

	memset(out, 0, sizeof(*out));
	out->dst = dst;
	if (source_of(dst, &out->src))
		return -1;
	if (getifaddrs(&ifa))
		return error_errno("cannot list the interfaces");
	for (i = ifa; i; i = i->ifa_next) {
		const struct sockaddr_in *a = (void *)i->ifa_addr;
		const struct sockaddr_in *m = (void *)i->ifa_netmask;

		if (!a || !m || a->sin_family != AF_INET ||
		    a->sin_addr.s_addr != out->src.s_addr)
			continue;
		snprintf(out->ifname, sizeof(out->ifname), "%s", i->ifa_name);
		if ((dst.s_addr & m->sin_addr.s_addr) !=
		    (a->sin_addr.s_addr & m->sin_addr.s_addr)) {
			found = -1;
			break;
		}
		found = 1;
		break;
	}
	freeifaddrs(ifa);
	inet_ntop(AF_INET, &dst, ip, sizeof(ip));
	if (found < 0)
		return error("'%s' is not on the subnet of '%s': frames would "
			     "need a gateway's MAC",
			     ip, out->ifname);
	if (!found)
		return error("no interface holds '%s', the source towards '%s'",
			     inet_ntoa(out->src), ip);
	if (pktring_if_info(out->ifname, out->src_mac, &out->ifindex))
		return -1;
	return l2path_resolve_mac(out->ifname, ip, out->dst_mac);
}
