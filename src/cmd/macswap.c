// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench macswap: a load-latency reflector (measure/macswap.h). */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "measure/macswap.h"
#include "net/netns.h"
#include "util/error.h"

static int macswap_main(struct cmd_ctx *ctx)
{
	struct macswap_opts o = {0};
	struct macswap_stats st;
	const struct macswap_kind *k;
	const char *netns = NULL;
	int saved;
	bool ready = false;
	const struct option_spec options[] = {
		OPT_STRING('i', "dev", &o.ifname, "IFNAME",
			   "the interface the load comes in on",
			   .def = "eth0"),
		OPT_FLAG('B', "busy-poll", &o.busy_poll,
			 "spin on the ring instead of sleeping"),
		OPT_FLAG(0, "native", &o.native,
			 "xdp: attach in native (driver) mode, not generic; "
			 "testpmd: drive the NIC's PCI device (vfio-pci), not "
			 "af_packet"),
		OPT_NETNS(&netns),
		OPT_READY(&ready, "print \"ready\" on stdout once reflecting"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	k = macswap_find(ctx->argv[0]);
	if (!k) {
		error("'%s' is not a reflector (afpacket, xdp, testpmd)",
		      ctx->argv[0]);
		return EXIT_USAGE;
	}
	if (ready)
		o.ready = cmd_say_ready;
	if (netns && netns_enter(netns, &saved))
		return EXIT_FAIL;
	cmd_install_stop_handler();
	o.stop = &cmd_stop;
	if (k->run(&o, &st))
		return EXIT_FAIL;
	printf("macswap %s received=%llu reflected=%llu dropped=%llu%s%s\n",
	       k->name, (unsigned long long)st.received,
	       (unsigned long long)st.reflected,
	       (unsigned long long)st.dropped, st.mode[0] ? " mode=" : "",
	       st.mode);
	return EXIT_OK;
}

const struct command cmd_macswap = {
	.name = "macswap",
	.summary = "reflect load-latency frames with their MACs swapped",
	.flags = CMD_GUEST,
	.fn = macswap_main,
	.usage = "iovbench macswap REFLECTOR [--dev IFNAME] [--busy-poll] "
		 "[--native]",
	.doc = "Send every load-latency frame that arrives on IFNAME back "
	       "with its\n"
	       "source and destination MACs swapped, until interrupted; then "
	       "print\n"
	       "  macswap REFLECTOR received=N reflected=N dropped=N [mode=MODE]\n"
	       "\n"
	       "  afpacket  user space: a TPACKET_V2 RX ring and a TX ring "
	       "that\n"
	       "            bypasses the qdisc\n"
	       "  xdp       a BPF program (XDP_TX), generic mode unless "
	       "--native;\n"
	       "            iovbench only, not iovbench-guest\n"
	       "  testpmd   dpdk-testpmd in macswap forwarding: DPDK's "
	       "af_packet\n"
	       "            driver on IFNAME, or with --native the NIC's PCI\n"
	       "            device bound to vfio-pci (no-IOMMU mode)\n",
	.min_args = 1,
	.max_args = 1,
};
