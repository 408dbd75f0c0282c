/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Progress of a long command on stderr: runs done of total, the current
 * test, and an ETA. On a terminal one line is rewritten in place;
 * otherwise (CI logs, files) each run gets a line of its own.
 */
#ifndef IOV_RUNNER_PROGRESS_H
#define IOV_RUNNER_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
	size_t total, done;
	double expected_total; /* seconds, from the runs' own lengths */
	double expected_done;
	int64_t started; /* monotonic ns */
	bool tty;
	bool quiet;
	bool line_open; /* a \r line is on screen */
};

void progress_start(struct progress *p, size_t total, double expected_s);
/* A run begins: label it; expected_s is how long it should take. */
void progress_run(struct progress *p, const char *label, double expected_s);
/* The run ended (stored or not). */
void progress_end_run(struct progress *p, double expected_s);
/* A message that must not be overwritten (setup steps, warnings). */
void progress_note(struct progress *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void progress_finish(struct progress *p);

/* Seconds remaining, pure: elapsed scaled by what is left. */
double progress_eta(double elapsed, double expected_done,
		    double expected_total);

#endif
