/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The local testbed: two "servers" (network namespaces PREFIX-sender and
 * PREFIX-responder) joined by a veth pair, the wire, whose end in each
 * server is that server's NIC (PREFIX-nic). Each server holds one main
 * guest, a namespace PREFIX-s-main / PREFIX-r-main, attached to the NIC by
 * the test's data plane (testbed/attach.c).
 *
 *   PREFIX-s-main          PREFIX-sender        PREFIX-responder        PREFIX-r-main
 *   [eth0 198.18.0.1] -- [bridge|macvlan]-NIC ===wire=== NIC-[...] -- [eth0 198.18.0.2]
 *
 * Everything is built through netlink and named with the campaign's
 * prefix; testbed_down() removes whatever carries it, built by this
 * process or left by one that crashed.
 */
#ifndef IOV_TESTBED_TESTBED_H
#define IOV_TESTBED_TESTBED_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "util/strbuf.h"

enum server_id { SERVER_SENDER, SERVER_RESPONDER, SERVER_COUNT };

#define NS_NAME_MAX 64
#define IF_NAME_MAX 16

struct testbed {
	const struct campaign *campaign;
	char prefix[8];
	char server_ns[SERVER_COUNT][NS_NAME_MAX];
	char guest_ns[SERVER_COUNT][NS_NAME_MAX];
	char nic[IF_NAME_MAX];	  /* the wire's end in each server */
	char bridge[IF_NAME_MAX]; /* veth-bridge: the server's bridge */
	char guest_port[IF_NAME_MAX]; /* host end of a guest's veth */
	uint32_t guest_addr[SERVER_COUNT]; /* host byte order */
	unsigned plen;
	unsigned mtu;
	int dataplane; /* attached data plane, or -1 */
	bool up;
};

const char *server_name(enum server_id s);

/* Names and addresses only; creates nothing. */
void testbed_init(struct testbed *tb, const struct campaign *c);

/* Servers and wire. Removes leftovers with the prefix first. */
int testbed_up(struct testbed *tb);
/* Main guests on data plane dp (index into dataplane_table). */
int testbed_guests_up(struct testbed *tb, int dp);
int testbed_guests_down(struct testbed *tb);
/* Everything this testbed built. */
int testbed_teardown(struct testbed *tb);

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

#endif
