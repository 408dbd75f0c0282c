/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A server process in a guest (the reflector, a load generator): started
 * in a container guest's namespace on its server, or in a VM through its
 * channel; up once it prints "ready"; stopped with SIGTERM, after which
 * what it printed (its report) is collected.
 */
#ifndef IOV_RUNNER_GUESTPROC_H
#define IOV_RUNNER_GUESTPROC_H

#include <stdbool.h>
#include <stdint.h>

#include "host/proc.h"
#include "testbed/testbed.h"
#include "util/strbuf.h"

struct guest_proc {
	struct guest *g;
	struct proc p;	 /* container guests */
	uint32_t handle; /* VM guests, through the channel */
	bool up;
};

struct guest_proc_opts {
	const char *exe;  /* iovbench, for container guests */
	uint64_t cpus;	  /* pin (container guests); 0: no */
	const char *log;  /* its stderr (container guests); NULL: inherit */
	volatile sig_atomic_t *stop;
	/*
	 * container guests: its stdin a pipe of request lines
	 * (proc_write), whose end is its stop
	 */
	bool commands;
};

/* Start words (iovbench's arguments, ending in --ready) in guest g. */
int guest_proc_start(struct testbed *tb, struct guest_proc *gp,
		     struct guest *g, const char *const *words, int n,
		     const struct guest_proc_opts *o);
/* Still running? (A VM's process is trusted to be.) */
bool guest_proc_alive(struct guest_proc *gp);
/* Stop it; its output since "ready" is appended to out (may be NULL). */
int guest_proc_stop(struct guest_proc *gp, struct strbuf *out);

#endif
