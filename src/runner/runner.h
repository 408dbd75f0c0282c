/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The runner: takes a campaign's plan and makes it true. It builds the
 * testbed once, sets up the main guests once per setup (tests are ordered
 * so each setup comes once: a VM boots once per setup), measures each run
 * to do with the prober inside the sender's guest, and stores each run in
 * its own transaction. Tests the host cannot run are recorded as refused,
 * with the reason. A run that cannot be measured is stored as failed with
 * the reason and the campaign goes on; SIGINT/SIGTERM stop after
 * discarding the run in progress; SIGKILL loses that run only. What was
 * built is removed at the end, and by the next start after a crash.
 */
#ifndef IOV_RUNNER_RUNNER_H
#define IOV_RUNNER_RUNNER_H

#include <signal.h>
#include <stddef.h>

#include "core/config.h"
#include "util/strbuf.h"

struct runner_opts {
	const char *results;	/* the database; NULL: the campaign's */
	const char *config;	/* the campaign file's text, stored */
	volatile sig_atomic_t *stop;
	/*
	 * Dry run: create, run and store nothing; append to dry every op
	 * the run would perform on each server, and what it would wait
	 * for and measure, in order (golden-tested).
	 */
	struct strbuf *dry;
};

struct runner_outcome {
	size_t stored;	       /* runs stored complete by this invocation */
	size_t failed;	       /* runs stored as failed */
	size_t todo;	       /* runnable runs still to do at the end */
	size_t not_runnable;   /* runs of tests this host cannot run */
	size_t skipped;	       /* runs already complete before we began */
	size_t refused;	       /* runs recorded as refused (not runnable) */
	unsigned setups;       /* main-guest setups made (one per setup) */
	unsigned boots;	       /* VM boots */
	unsigned restarts;     /* setups restarted after a guest died */
	int interrupted;
};

/*
 * Run what the plan has to do. Returns 0 if the campaign was carried out
 * (some runs may have failed: see outcome), -1 if it could not start or
 * the testbed broke, or -EINTR when stopped.
 */
int runner_run(const struct campaign *c, const struct runner_opts *o,
	       struct runner_outcome *out);

#endif
