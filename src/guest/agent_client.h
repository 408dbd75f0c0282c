/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's side of the agent protocol (core/agent_proto.h): connects to
 * the unix socket QEMU's chardev offers for the guest's virtio-serial
 * port and sends requests, waiting for the answer with a timeout.
 */
#ifndef IOV_GUEST_AGENT_CLIENT_H
#define IOV_GUEST_AGENT_CLIENT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/strbuf.h"

struct agent_client {
	int fd;
	uint32_t tag;
	struct strbuf in;
	char version[64]; /* the guest's, from hello */
	volatile sig_atomic_t *stop;
};

/*
 * Connect to socket path and exchange hello until the agent answers or
 * timeout_ns passes (the guest may still be booting). 0, -ETIMEDOUT
 * (without a message: callers poll a booting guest), -EINTR, or -1.
 */
int agent_open(struct agent_client *a, const char *path, int64_t timeout_ns,
	       volatile sig_atomic_t *stop);
void agent_close(struct agent_client *a);

/* Carrier of the guest's interface ifname. */
int agent_link(struct agent_client *a, const char *ifname, bool *up,
	       int64_t timeout_ns);
/* Statistics of the guest's ifname: rx bytes, packets, tx bytes, packets */
int agent_counters(struct agent_client *a, const char *ifname, uint64_t v[4],
		   int64_t timeout_ns);
/*
 * Run iovbench-guest ARGS; *exit, and its stdout written to out (may be
 * NULL) as its parts come: never held whole.
 */
int agent_run(struct agent_client *a, const char *const *argv, int argc,
	      int64_t timeout_ns, int *exit, FILE *out);
/*
 * One run through the guest's prober of its life: kv are a probe --serve
 * request's KEY=VALUEs but out= (core/probe_serve.h); *exit 0 when it
 * is done, 1 when it failed; its records written to out as they come.
 */
int agent_probe(struct agent_client *a, const char *const *kv, int n,
		int64_t timeout_ns, int *exit, FILE *out);
int agent_start(struct agent_client *a, const char *const *argv, int argc,
		int64_t timeout_ns, uint32_t *handle);
/*
 * Wait up to timeout_ns for a started process to end by itself: its exit
 * status and output (to out, may be NULL), and the handle is gone.
 * -ETIMEDOUT if it still runs (it is left running: stop it), or -1.
 */
int agent_wait(struct agent_client *a, uint32_t handle, int64_t timeout_ns,
	       int *exit, struct strbuf *out);
/* Its output since it said ready goes to out (may be NULL). */
int agent_stop(struct agent_client *a, uint32_t handle, int64_t timeout_ns,
	       int *exit, struct strbuf *out);

#endif
