/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How the host reaches a VM guest's programs, independent of the network
 * being measured. One entry per kind:
 *
 *   agent  the iovbench guest image's agent on a virtio-serial port
 *          (guest/agent_client.h)
 *   ssh    a user's own disk image: sshd in the guest, reached through a
 *          management NIC (QEMU user networking, port 22 forwarded on the
 *          server's loopback); iovbench-guest must be installed there
 *
 * Both run iovbench-guest's probe (collecting its records) and start and
 * stop its reflector and load generators (collecting what they report);
 * the agent also starts and waits for the image's other programs
 * (iperf3, core/guest_prog.h).
 */
#ifndef IOV_GUEST_CHANNEL_H
#define IOV_GUEST_CHANNEL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "guest/agent_client.h"
#include "util/strbuf.h"

struct host;
struct channel;

struct channel_ops {
	const char *name;
	/* wait until the guest answers; 0, -ETIMEDOUT (quiet) or -1 */
	int (*open)(struct channel *ch, int64_t timeout_ns);
	int (*link)(struct channel *ch, const char *mac, bool *up);
	/* run to its end; its stdout written to out as it comes (not held) */
	int (*run)(struct channel *ch, const char *const *argv, int argc,
		   int64_t timeout_ns, int *exit, FILE *out);
	/*
	 * One run through the guest's prober of its life (agent_probe());
	 * NULL: the channel has none, a prober per run (run).
	 */
	int (*probe)(struct channel *ch, const char *const *kv, int n,
		     int64_t timeout_ns, int *exit, FILE *out);
	int (*start)(struct channel *ch, const char *const *argv, int argc,
		     uint32_t *handle);
	/* stop a started process; its output goes to out (may be NULL) */
	int (*stop)(struct channel *ch, uint32_t handle, struct strbuf *out);
	/*
	 * Wait for a started process to end by itself (an iperf3 client):
	 * its status and output, -ETIMEDOUT if it still runs, or -1. NULL:
	 * the channel cannot start core/guest_prog.h's programs.
	 */
	int (*wait)(struct channel *ch, uint32_t handle, int64_t timeout_ns,
		    int *exit, struct strbuf *out);
	/*
	 * The measured NIC's statistics as the guest counts them: rx
	 * bytes, packets, tx bytes, packets. NULL: not read this way.
	 */
	int (*counters)(struct channel *ch, uint64_t v[4]);
	void (*close)(struct channel *ch);
};

struct channel {
	const struct channel_ops *ops;
	bool open;
	volatile sig_atomic_t *stop;
	/* agent */
	char agent_path[256];
	struct agent_client agent;
	char version[64];
	/* ssh */
	struct host *server;   /* the guest is reached through it */
	const char *server_ns; /* local testbed: the server's namespace */
	unsigned port;	       /* forwarded to the guest's port 22 */
	char user[64];
	char key[256];	       /* identity file, "" for ssh's default */
	char guest_bin[256];   /* iovbench-guest in the guest */
	/* configured by ssh once: the measured NIC */
	uint32_t ip;
	unsigned plen, mtu;
	uint8_t mac[6];
};

extern const struct channel_ops channel_agent;
extern const struct channel_ops channel_ssh;

#endif
