/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sender's prober for one run (runner/sender_prober.c): the probe
 * meter's way to its records, whatever its guest is.
 */
#ifndef IOV_RUNNER_SENDER_PROBER_H
#define IOV_RUNNER_SENDER_PROBER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/probe_serve.h"
#include "runner/guestproc.h"
#include "util/time.h"

struct run_ctx;

/*
 * A prober's slack: how long it may take to take a request, and what a
 * run's time limit allows beyond its probes (meter_probe.c)
 */
#define PROBER_SLACK_NS (30 * NSEC_PER_SEC)

struct sender_prober {
	/* of the setup: a container's prober that serves its runs */
	struct guest_proc server;
	bool no_server; /* none in this setup: a prober a run */
};

/*
 * One run of rq's probes from the sender's main guest, allowed limit
 * to finish. Its records (the text of probe --records) into *text, a
 * spill file opened here and left at its end (the caller reads it from
 * the start and closes it); text NULL: the records are dropped (the
 * setup's exchange). 0, -1 (the run failed: ctx->why, or the last
 * error, says why) or -EINTR.
 */
int sender_prober_run(struct run_ctx *ctx, struct sender_prober *sp,
		      struct probe_serve_req *rq, int64_t limit, FILE **text);
/* The setup's prober stopped (the next run starts one again). */
void sender_prober_stop(struct sender_prober *sp);

/* A per-run prober's words for rq: iovbench[-guest] probe ... (n). */
int sender_prober_words(const struct probe_serve_req *rq, const char **w,
			char bufs[][32]);
/* A file beside the results, unnamed (gone with its last descriptor). */
FILE *run_spill_open(struct run_ctx *ctx);

#endif
