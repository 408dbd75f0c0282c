/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The testbed: two servers joined by a wire, one main guest on each.
 *
 * On an ssh testbed the servers are real machines (testbed.servers), each
 * driven through its host (host/host.h); their NICs are physical, the
 * wire is a cable, and their SR-IOV VFs are real.
 *
 * On the local testbed the servers are network namespaces PREFIX-sender
 * and PREFIX-responder, joined by a veth pair (the wire) whose end in each
 * server is that server's NIC (PREFIX-nic):
 *
 *   main guest          PREFIX-sender                 PREFIX-responder       main guest
 *   [eth0 198.18.0.1] - [bridge|macvlan|VF]-NIC ===wire=== NIC-[...] - [eth0 198.18.0.2]
 *
 * A main guest is a namespace (PREFIX-s-main, PREFIX-r-main) or a QEMU VM
 * of that name, attached to the NIC by the test's data plane
 * (testbed/attach.c). Everything is made by ops (testbed/op.h), named
 * with the campaign's prefix; testbed_down() removes whatever carries it,
 * made by this process or left by one that crashed.
 */
#ifndef IOV_TESTBED_TESTBED_H
#define IOV_TESTBED_TESTBED_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/dataplane.h"
#include "core/factor.h"
#include "guest/channel.h"
#include "guest/qemu.h"
#include "host/host.h"
#include "testbed/op.h"
#include "util/strbuf.h"

enum server_id { SERVER_SENDER, SERVER_RESPONDER, SERVER_COUNT };

#define NS_NAME_MAX 64
#define IF_NAME_MAX 16
/* Emulated VFs per server on the local testbed. */
#define EMULATED_VFS 2

struct test;
struct image;

/* What the main guests are: the guest-level factors of a test. */
struct setup {
	int dataplane; /* index into dataplane_table */
	enum machine_kind machine;
	int64_t qemu; /* interned "name[:path]" */
	bool vhost;
	enum macvtap_mode macvtap;
};

void setup_of_test(const struct test *t, struct setup *su);
bool setup_equal(const struct setup *a, const struct setup *b);
/* "virtio-bridge machine=microvm vhost=off" (only what matters). */
void setup_label(const struct setup *su, struct strbuf *out);

/* A main guest while it is up. */
struct guest {
	char name[NS_NAME_MAX]; /* its namespace, or the VM's name */
	bool vm;
	/* VMs */
	char qmp[PATH_MAX];
	char agent_path[PATH_MAX];
	char serial[PATH_MAX]; /* console log, kept with the runs */
	char serial_there[PATH_MAX]; /* where a remote server writes it */
	struct channel ch; /* to the VM's programs: agent or ssh */
	char accel[8]; /* VMs: "kvm" or "tcg", as the server chose */
};

struct testbed {
	const struct campaign *campaign;
	char prefix[8];
	char server_ns[SERVER_COUNT][NS_NAME_MAX];
	char nic[IF_NAME_MAX];	  /* the wire's end in each server */
	char bridge[IF_NAME_MAX]; /* the server's bridge (bridge planes) */
	char esw[IF_NAME_MAX];	  /* the emulated NIC's embedded switch */
	char guest_port[IF_NAME_MAX]; /* host end of a guest's link */
	uint32_t guest_addr[SERVER_COUNT]; /* host byte order */
	unsigned plen;
	unsigned mtu;

	struct setup setup; /* valid while guests_up */
	bool guests_up;
	bool up;
	struct guest guests[SERVER_COUNT];
	unsigned boots;	 /* VM boots made (each VM counts) */

	const struct image *image; /* for VMs */
	enum vm_accel accel;
	uint64_t tsc_khz; /* 0: found out on the server */
	bool remote;	  /* an ssh testbed */
	struct host hosts[SERVER_COUNT];
	struct strbuf results[SERVER_COUNT]; /* what the servers' ops said */
	bool image_there[SERVER_COUNT]; /* copied to the server */
	char rundir[128];	   /* sockets, QEMU logs */
	char logdir[PATH_MAX / 2]; /* console logs, kept */
	struct op_env env;
	struct strbuf *dry; /* not NULL: print the ops instead */
	volatile sig_atomic_t *stop;
};

const char *server_name(enum server_id s);
/* Server s's NIC on the wire (real servers may name theirs differently). */
const char *testbed_nic(const struct testbed *tb, enum server_id s);

/* Names and addresses only; creates nothing. */
void testbed_init(struct testbed *tb, const struct campaign *c);
void testbed_release(struct testbed *tb);

/* Servers and wire. Removes leftovers with the prefix first. */
int testbed_up(struct testbed *tb);
/*
 * Main guests for setup su: attach, boot VMs and wait until each agent
 * answers and its NIC has link. Guests of another setup are removed
 * first; the same setup again does nothing.
 */
int testbed_guests_up(struct testbed *tb, const struct setup *su);
int testbed_guests_down(struct testbed *tb);
/* Everything this testbed built. */
int testbed_teardown(struct testbed *tb);

/* Run (or, dry, print) a list of ops. */
int testbed_exec(struct testbed *tb, struct op_list *ops);
/* Dry runs: a line saying what would happen on server s (not an op). */
void testbed_note(struct testbed *tb, enum server_id s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Remove every namespace, link and process carrying prefix, whoever made
 * them; *removed counts namespaces and links removed. 0 or -1.
 */
int testbed_down(const char *prefix, unsigned *removed);
/* What exists with prefix: namespaces, their links, their processes. */
int testbed_status(const char *prefix, struct strbuf *out);

/*
 * Only one process may build or remove a prefix's testbed at a time: a
 * lock on /run/iovbench/PREFIX.lock, held until exit. Returns the lock's
 * fd, or -1 (printing who holds it).
 */
int testbed_lock(const char *prefix);

/* "198.18.0.2" */
void ipv4_format(uint32_t addr, char *buf, size_t len);
/* The stable MAC of server s's main guest. */
void guest_mac(enum server_id s, uint8_t mac[6]);
/* Close the connections to the guests (they keep running). */
void testbed_close_guests(struct testbed *tb);

#endif
