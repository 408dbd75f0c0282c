/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Programs other than iovbench-guest that a VM guest runs: the agent
 * starts them (`start NAME ARG...`, core/agent_proto.h), or iovbench-guest
 * runs them itself (dpdk-testpmd under `macswap testpmd`), and the image
 * builder copies them into the initramfs with their libraries
 * (guest/image_progs.c). One entry per program; nothing else names one.
 */
#ifndef IOV_CORE_GUEST_PROG_H
#define IOV_CORE_GUEST_PROG_H

#include <stddef.h>

struct guest_prog {
	const char *name;    /* the first word of a start request */
	const char *path;    /* in the image, as on the host it comes from */
	const char *package; /* Debian's package that installs it */
	/*
	 * With serve_arg among its arguments it is a server, ready once it
	 * prints a line containing ready; without, ready once started
	 * (iperf3's client says nothing until its end).
	 */
	const char *serve_arg;
	const char *ready;
	/*
	 * Not the host's to start: iovbench-guest runs it (the agent and
	 * the ssh channel refuse it as a first word)
	 */
	int image_only;
	/*
	 * NULL: in every image; else only in images built with this set
	 * (image_opts.sets): dpdk-testpmd's 18 MB would keep a 128 MiB VM
	 * from unpacking its initramfs, so only campaigns that reflect with
	 * testpmd in a VM carry it
	 */
	const char *set;
	/*
	 * Libraries it opens without DT_NEEDED (dlopen'd plugins, an
	 * LD_PRELOAD), as host paths whose last component may be a glob
	 * pattern; each is copied to the same path, with its own closure.
	 * One that matches nothing is left out (a plugin of another
	 * version); NULL-terminated.
	 */
	const char *const *extra;
};

extern const struct guest_prog guest_prog_table[];
extern const size_t guest_prog_count;

/* The program set a reflector's VMs need (reflector_def.image_set) */
#define GUEST_PROG_SET_DPDK "dpdk"

/* The entry called name that the host may start, or NULL */
const struct guest_prog *guest_prog_find(const char *name);
/* Is it a server for these arguments (argv[0] is its name)? */
int guest_prog_serves(const struct guest_prog *gp, const char *const *argv,
		      int argc);

#endif
