// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench-guest is libc only: it has no libbpf, so no xdp reflector
 * (measure/macswap_xdp.c is the host's). VM guests get it once the guest
 * image carries a loader.
 */
#include "measure/macswap.h"
#include "util/error.h"

int macswap_xdp_run(const struct macswap_opts *o, struct macswap_stats *st)
{
	(void)o;
	(void)st;
	return error("the xdp reflector is not in iovbench-guest (libc "
		     "only): it runs in container guests");
}
