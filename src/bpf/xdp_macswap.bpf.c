// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The xdp reflector's program (measure/macswap_xdp.c loads it): a frame
 * of ours (core/llframe.h: EtherType 0x88B5, magic "IOVL") goes back out
 * of the interface it came in on with its MACs swapped (XDP_TX); every
 * other frame passes to the stack. Counters (one per-CPU slot): frames
 * of ours, sent back. Compiled with clang -target bpf.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define LLFRAME_ETHERTYPE 0x88b5
#define LLFRAME_MAGIC 0x494f564c

struct xdp_macswap_counts {
	__u64 received, reflected;
};

/* one lookup per frame: both counters in one per-CPU slot */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_macswap_counts);
} counts SEC(".maps");

SEC("xdp")
int xdp_macswap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct xdp_macswap_counts *c;
	__u8 tmp[ETH_ALEN];
	__u32 *magic, zero = 0;

	if ((void *)(eth + 1) + 4 > end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(LLFRAME_ETHERTYPE))
		return XDP_PASS;
	magic = (__u32 *)(eth + 1);
	if (*magic != bpf_htonl(LLFRAME_MAGIC))
		return XDP_PASS;
	c = bpf_map_lookup_elem(&counts, &zero);
	if (c)
		c->received++;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
	if (c)
		c->reflected++;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
