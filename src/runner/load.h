/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A run's background load (the paper's section 3.1.1): started in the
 * background guests before the probes, stopped after them, and what
 * each generator achieved collected for the store.
 *
 *   cpu  a busy loop in every background guest of the loaded server(s)
 *   net  background guest i of the other server sends bursts to its
 *        peer, background guest i of the loaded server, which counts
 *        them; with load_location both, each direction at once
 */
#ifndef IOV_RUNNER_LOAD_H
#define IOV_RUNNER_LOAD_H

#include <stddef.h>

#include "core/load_report.h"
#include "core/plan.h"
#include "runner/guestproc.h"

struct load_rec {
	enum server_id server;
	const char *guest; /* its name (the testbed's) */
	struct load_report rep;
	bool reported;	   /* rep came from the generator */
};

struct load_run {
	struct guest_proc *procs;
	struct load_rec *recs; /* after load_stop: one per generator */
	size_t n;
};

/* Start t's load (nothing for load_type none); 0, -1 or -EINTR. */
int load_start(struct testbed *tb, const struct test *t,
	       const struct guest_proc_opts *o, struct load_run *lr);
/* Stop every generator and collect its report; -1 if one said none. */
int load_stop(struct load_run *lr);
void load_run_release(struct load_run *lr);

/* Dry runs: what load_start would start. */
void load_dry(struct testbed *tb, const struct test *t);

#endif
