/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A prober that lives for a setup (`iovbench probe --serve`): one
 * process, started once with the setup's guests, runs every run's
 * probes as its request lines ask (core/probe_serve.h), instead of a
 * process per run (its exec, shared libraries and the runner's fork of
 * a large address space: ~5 ms a run here). Each run is still one
 * prober_run(): the same socket per run, the same records.
 */
#ifndef IOV_MEASURE_PROBE_SERVE_H
#define IOV_MEASURE_PROBE_SERVE_H

#include <signal.h>
#include <stdio.h>

/*
 * Say "ready" on out, then serve the request lines of in until its end
 * (0) or *stop (-EINTR). A run that fails is answered "fail" and the
 * loop goes on: the next request may succeed.
 */
int probe_serve(FILE *in, FILE *out, volatile sig_atomic_t *stop);

#endif
