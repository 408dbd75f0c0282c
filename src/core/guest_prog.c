// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/guest_prog.h"

#include <string.h>

/* EAL's plugin directory, named after DPDK's ABI version */
#define DPDK_PMDS "/usr/lib/x86_64-linux-gnu/dpdk/pmds-*"

const struct guest_prog guest_prog_table[] = {
	{
		/* the throughput meter's engine (runner/meter_tput.c) */
		.name = "iperf3",
		.path = "/usr/bin/iperf3",
		.package = "iperf3",
		.serve_arg = "--server",
		/* "Server listening on 5201 (test #1)" */
		.ready = "listening",
	},
	{
		/*
		 * The testpmd reflector (measure/testpmd.c): DPDK's
		 * af_packet driver on the guest's NIC, or the NIC itself
		 * bound to vfio-pci (a VF passed through). EAL loads the
		 * drivers that are not linked in from its plugin
		 * directory, the files named .so or .so.ABI (23.0): only
		 * these are in the image.
		 */
		.name = "dpdk-testpmd",
		.path = "/usr/bin/dpdk-testpmd",
		.package = "dpdk",
		.image_only = 1,
		.set = GUEST_PROG_SET_DPDK,
		.extra = (const char *const[]){
			DPDK_PMDS "/librte_mempool_ring.so",
			DPDK_PMDS "/librte_net_af_packet.so",
			DPDK_PMDS "/librte_net_virtio.so",
			DPDK_PMDS "/librte_net_iavf.so",
			NULL,
		},
	},
	{
		/* testpmd's output line-buffered into its pipe */
		.name = "stdbuf",
		.path = "/usr/bin/stdbuf",
		.package = "coreutils",
		.image_only = 1,
		.set = GUEST_PROG_SET_DPDK,
		.extra = (const char *const[]){
			"/usr/libexec/coreutils/libstdbuf.so",
			NULL,
		},
	},
};

const size_t guest_prog_count =
	sizeof(guest_prog_table) / sizeof(guest_prog_table[0]);

const struct guest_prog *guest_prog_find(const char *name)
{
	size_t i;

	for (i = 0; i < guest_prog_count; i++) {
		if (!guest_prog_table[i].image_only &&
		    !strcmp(guest_prog_table[i].name, name))
			return &guest_prog_table[i];
	}
	return NULL;
}

int guest_prog_serves(const struct guest_prog *gp, const char *const *argv,
		      int argc)
{
	int i;

	if (!gp->serve_arg)
		return 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], gp->serve_arg))
			return 1;
	}
	return 0;
}
