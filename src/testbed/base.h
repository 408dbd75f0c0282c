/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The testbed's base: servers, wire, the names and addresses of every
 * guest, and the op executor. The guests' lifecycle is built on it
 * (testbed/testbed.h, guests.c); this layer knows nothing of setups
 * beyond the one it holds.
 *
 * The testbed: two servers joined by a wire, a main guest on each, and
 * optionally background guests on each.
 *
 * On the local testbed the servers are network namespaces PREFIX-sender
 * and PREFIX-responder. Each has an emulated SR-IOV NIC: an embedded
 * switch (PREFIX-esw, a bridge) whose ports are the wire (PREFIX-wire, a
 * veth pair to the other server's switch), the PF's representor and the
 * VFs' representors; the PF (PREFIX-nic) and the VFs (PREFIX-vfN) are the
 * veth ends the server itself uses, as on a real SR-IOV NIC:
 *
 *             PREFIX-sender                              PREFIX-responder
 *  main -[bridge PREFIX-br]- nic=pfr-[esw]-wire ==== wire-[esw]-pfr=nic -...
 *  main on a VF ----------- vfN=vfrN-/                   \-vfrN=vfN --- ...
 *
 * A main or background guest is a namespace or a QEMU VM named
 * PREFIX-s-main, PREFIX-r-main, PREFIX-s-bgN, PREFIX-r-bgN, attached to
 * the PF (through the PF's bridge PREFIX-br, or a macvlan) or to a VF.
 *
 * On an ssh testbed the servers are real machines (testbed.servers), each
 * driven through its host (host/host.h): a physical NIC, a cable, real
 * VFs. Everything is made by ops (core/op.h), named with the
 * campaign's prefix; testbed_down() removes whatever carries it.
 */
#ifndef IOV_TESTBED_BASE_H
#define IOV_TESTBED_BASE_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/dataplane.h"
#include "core/event.h"
#include "core/factor.h"
#include "guest/channel.h"
#include "guest/qemu.h"
#include "host/host.h"
#include "testbed/setup.h"
#include "util/strbuf.h"

enum server_id { SERVER_SENDER, SERVER_RESPONDER, SERVER_COUNT };

#define NS_NAME_MAX 64
/* measured pairs of main guests at most (the pairs factor's maximum) */
#define TESTBED_PAIRS_MAX 8
#define IF_NAME_MAX 16

struct image;

/* A main VM's NIC after the first (the nics factor). */
struct guest_nic {
	const struct dataplane *dp;
	enum attach_kind attach;
	uint32_t addr;		/* its own, or 0 when a bond holds NIC 0's */
	uint8_t mac[6];
	char port[IF_NAME_MAX];
	char lower[64];
	char dev[64];
	int ifindex;
	char plug[256];		/* QMP device_add arguments that plug it back */
};

/* A guest while it is up. */
struct guest {
	char name[NS_NAME_MAX]; /* its namespace, or the VM's name */
	enum server_id server;
	bool vm;
	bool main;		/* a main guest; else background */
	const struct dataplane *dp; /* its data plane (background: see
				     * dataplane_background()) */
	enum attach_kind attach;    /* dp->attach */
	uint32_t addr;		/* host byte order */
	uint8_t mac[6];
	char port[IF_NAME_MAX]; /* its link on the server (veth, tap, macvtap) */
	char lower[64];		/* what it attaches to: bridge, PF, VF */
	int vf;			/* the VF it sits on, or -1 */
	char dev[64];		/* VMs: /dev/tapN of a macvtap, a VF's PCI */
	int ifindex;		/* of a macvtap, chosen (see attach.c) */
	/* VMs */
	char qmp[PATH_MAX];
	char agent_path[PATH_MAX];
	char serial[PATH_MAX];	     /* console log, kept with the runs */
	char serial_there[PATH_MAX]; /* where a remote server writes it */
	char pidfile[PATH_MAX];	     /* QEMU's, on the server */
	struct channel ch; /* to the VM's programs: agent or ssh */
	char accel[8];	   /* "kvm" or "tcg", as the server chose */
	/* main VMs: NICs 1.. and how the guest joins them */
	struct guest_nic extra[GUEST_NICS_MAX - 1];
	unsigned nextra;
	enum bond_mode bond;
	char plug0[256]; /* NIC 0's device_add arguments */
	const char *incoming; /* a migration's destination: -incoming URI */
};

/*
 * Guest g as its NIC k is attached (0: g itself): a copy with NIC k's
 * data plane, port, lower, MAC and address, for the attachment hooks
 * (attach.c) and the capture points, which know one NIC per guest.
 */
void guest_nic_view(const struct guest *g, unsigned k, struct guest *view);

struct testbed {
	const struct campaign *campaign;
	char prefix[8];
	char server_ns[SERVER_COUNT][NS_NAME_MAX];
	char nic[IF_NAME_MAX];	  /* the PF on the local testbed */
	char bridge[IF_NAME_MAX]; /* the PF's bridge */
	char esw[IF_NAME_MAX];	  /* the emulated NIC's embedded switch */
	unsigned plen;
	unsigned mtu;
	unsigned vfs; /* VFs each server needs (the plan's most) */

	struct setup setup; /* valid while guests_up */
	bool guests_up;	 /* main guests */
	bool bg_up;	 /* background guests of setup */
	bool bridge_up;	 /* the PF's bridge */
	bool vfs_up;	 /* a real server's VFs are enabled */
	bool up;
	struct guest main[SERVER_COUNT];
	struct guest *bg[SERVER_COUNT]; /* setup.background each */
	/*
	 * The measured pairs beyond the main guests: setup.pairs - 1 each;
	 * on the responder, setup.guests - 1 guests under test instead
	 * when a loadlat test has several (the two never go together)
	 */
	struct guest *pairs[SERVER_COUNT];
	unsigned npairs[SERVER_COUNT]; /* made, while guests_up */
	unsigned boots;			/* VM boots made (each VM counts) */

	const struct image *image; /* for VMs */
	enum vm_accel accel;
	uint64_t tsc_khz; /* 0: found out on the server */
	bool remote;	  /* an ssh testbed */
	struct host hosts[SERVER_COUNT];
	struct strbuf results[SERVER_COUNT]; /* what the servers' ops said */
	bool image_there[SERVER_COUNT];	    /* copied to the server */
	char rundir[128];		    /* sockets, QEMU logs */
	char logdir[PATH_MAX / 2];	    /* console logs, kept */
	struct op_env env;
	struct strbuf *dry; /* not NULL: print the ops instead */
	volatile sig_atomic_t *stop;
};

const char *server_name(enum server_id s);
/* Server s's NIC on the wire, its PF (real servers name theirs). */
const char *testbed_nic(const struct testbed *tb, enum server_id s);
/* VF k of server s: its netdev, or @vf:PF:k on a real server. */
void testbed_vf(const struct testbed *tb, enum server_id s, unsigned k,
		char *buf, size_t len);

/* Names and addresses only; creates nothing. */
void testbed_init(struct testbed *tb, const struct campaign *c);
void testbed_release(struct testbed *tb);

/* A real server's tb->vfs VFs (sriov_numvfs), once. */
int testbed_vfs_up(struct testbed *tb);
/*
 * Servers, wire, and tb->vfs VFs per server. Removes leftovers with the
 * prefix first.
 */
int testbed_up(struct testbed *tb);
/* Close the connections to the guests (they keep running). */
void testbed_close_guests(struct testbed *tb);

/* Run (or, dry, print) a list of ops; clears it. */
int testbed_exec(struct testbed *tb, struct op_list *ops);
/* Dry runs: a line saying what would happen on server s (not an op). */
void testbed_note(struct testbed *tb, enum server_id s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * What testbed_up() built, once the guests are down: a real server's VFs
 * and leftovers, the local servers' namespaces.
 */
int testbed_servers_down(struct testbed *tb);

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

/* Name, address and MAC of guest slot (0: main, 1+i: background i). */
void guest_init(struct testbed *tb, struct guest *g, enum server_id s,
		unsigned slot);
/*
 * Measured pair k (1: the main guests, 2..: PREFIX-s-pK, PREFIX-r-pK)
 * of a testbed whose guests are up: server s's guest, or NULL. The
 * responder's guest under test k of a loadlat test is its guest of
 * pair k.
 */
struct guest *testbed_pair(struct testbed *tb, unsigned k, enum server_id s);
/* Name, address and MAC of server s's guest of measured pair k >= 2. */
void pair_guest_init(struct testbed *tb, struct guest *g, enum server_id s,
		     unsigned k);
/* The stable MAC of guest slot (0: main, 1+i: background i) of server s. */
void guest_mac(enum server_id s, unsigned slot, uint8_t mac[6]);
/* Its address: main SUBNET+1+s, background SUBNET+256*(1+s)+1+i. */
uint32_t guest_addr(const struct testbed *tb, enum server_id s, unsigned slot);

/* "198.18.0.2" */
void ipv4_format(uint32_t addr, char *buf, size_t len);

#endif
