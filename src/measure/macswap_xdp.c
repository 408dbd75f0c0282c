// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The xdp reflector: src/bpf/xdp_macswap.bpf.c, carried in iovbench and
 * loaded with libbpf, attached to the interface until stopped; it sends
 * every frame of ours back with XDP_TX. Generic (skb) mode by default:
 * on a veth, native XDP_TX hands the frame to the peer's NAPI, which a
 * peer without an XDP program of its own does not run, so the frames
 * would be dropped; native with opts->native (recorded in the stats).
 * In the host's iovbench and in iovbench-guest, which links libbpf
 * statically (VM guests: the guest image has no libraries).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure/macswap.h"
#include "util/alloc.h"
#include "util/error.h"

extern const unsigned char xdp_macswap_obj[];
extern const unsigned long xdp_macswap_obj_len;

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* The program's per-CPU counters (src/bpf/xdp_macswap.bpf.c), summed. */
struct xdp_counts {
	uint64_t received, reflected;
};

static struct xdp_counts counters(int fd, int ncpus)
{
	struct xdp_counts *v = xcalloc((size_t)ncpus, sizeof(*v)), sum = {0};
	uint32_t k = 0;
	int i;

	if (!bpf_map_lookup_elem(fd, &k, v))
		for (i = 0; i < ncpus; i++) {
			sum.received += v[i].received;
			sum.reflected += v[i].reflected;
		}
	free(v);
	return sum;
}

int macswap_xdp_run(const struct macswap_opts *o, struct macswap_stats *st)
{
	__u32 flags = XDP_FLAGS_UPDATE_IF_NOEXIST |
		      (o->native ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE);
	struct bpf_object *obj;
	struct bpf_program *prog;
	int ifindex, map, ncpus, ret = -1;
	struct xdp_counts c;

	memset(st, 0, sizeof(*st));
	libbpf_set_print(silent);
	ifindex = (int)if_nametoindex(o->ifname);
	if (!ifindex)
		return error_errno("no interface '%s'", o->ifname);
	obj = bpf_object__open_mem(xdp_macswap_obj, xdp_macswap_obj_len, NULL);
	if (!obj)
		return error_errno("cannot open the xdp reflector's program");
	if (bpf_object__load(obj)) {
		error_errno("cannot load the xdp reflector's program");
		goto close;
	}
	prog = bpf_object__find_program_by_name(obj, "xdp_macswap");
	map = bpf_object__find_map_fd_by_name(obj, "counts");
	ncpus = libbpf_num_possible_cpus();
	if (!prog || map < 0 || ncpus <= 0) {
		error("the xdp reflector's program lacks its parts");
		goto close;
	}
	ret = bpf_xdp_attach(ifindex, bpf_program__fd(prog), flags, NULL);
	if (ret) {
		errno = -ret;
		ret = error_errno("cannot attach the xdp reflector to '%s' "
				  "(%s mode)",
				  o->ifname, o->native ? "native" : "generic");
		goto close;
	}
	snprintf(st->mode, sizeof(st->mode), "%s",
		 o->native ? "native" : "generic");
	if (o->ready)
		o->ready(o->ready_data);
	while (!*o->stop)
		usleep(50000);
	c = counters(map, ncpus);
	st->received = c.received;
	st->reflected = c.reflected;
	bpf_xdp_detach(ifindex, flags & ~XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	ret = 0;
close:
	bpf_object__close(obj);
	return ret;
}
