/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Testbed operations as data. Building a testbed, attaching guests and
 * starting VMs are lists of ops; an op is one line of words:
 *
 *   netns-add iovq-sender
 *   link-add iovq-sender iovq-nic veth peer=iovq-nic peerns=iovq-responder
 *   link-set iovq-sender iovq-nic mtu=1500 up
 *   vf-set ens1f0 3 mac=02:69:6f:00:00:01 spoofchk=off trust=on
 *   vm-start iovq-s-main iovq-sender -- qemu-system-x86_64 -machine pc ...
 *
 * One table entry per op: its name and the shape of its words; the
 * function that carries it out on a machine is host/op_run.c's, next to
 * the hosts that run it. The same list is run here, printed (`run
 * --dry-run`, golden-tested), or sent line by line to `iovbench op` on a
 * server over SSH. A namespace word of "-" means the host's own
 * namespace. Pure: no syscalls.
 *
 * Words of vm-start's QEMU command line may hold what only the server
 * knows, filled in where the op runs: @accel (kvm where KVM works, else
 * tcg), @cpu (host with kvm, max with tcg), @tsc (the CPU's kHz), and
 * fd=@PATH (a file opened for QEMU, e.g. a macvtap's /dev/tapN).
 */
#ifndef IOV_CORE_OP_H
#define IOV_CORE_OP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"
#include "util/strv.h"

enum op_id {
	OP_NETNS_ADD,
	OP_NETNS_DEL,
	OP_LINK_ADD,
	OP_LINK_SET,
	OP_LINK_DEL,
	OP_LINK_WAIT,
	OP_ADDR_ADD,
	OP_NEIGH_FLUSH,
	OP_SYSFS_WRITE,
	OP_VF_SET,
	OP_DRIVER_BIND,
	OP_VM_START,
	OP_VM_STOP,
	OP_COUNT
};

/* Which server an op is for (enum server_id), as given by the list. */
struct op {
	enum op_id id;
	int server;
	struct strv words; /* the arguments, after the op's name */
};

struct op_list {
	struct op *v;
	size_t n, alloc;
};

const char *op_name(enum op_id id);
int op_find(const char *name);

/* Append an op for server with the given words (a NULL-terminated list). */
void op_add(struct op_list *l, int server, enum op_id id, ...)
	__attribute__((sentinel));
/* Append an op whose words are formatted, then split at spaces. */
void op_addf(struct op_list *l, int server, enum op_id id, const char *fmt,
	     ...) __attribute__((format(printf, 4, 5)));
void op_list_clear(struct op_list *l);

/* "name word word ..." */
void op_format(const struct op *op, struct strbuf *out);
/*
 * An op from words (argv[0] its name), checking its shape: the number of
 * positional words and the known key=value options. 0, or -1 with why.
 */
int op_parse(char **argv, int argc, struct op *op, char *why, size_t len);
void op_release(struct op *op);
/* The number of positional words op id takes. */
int op_positional(enum op_id id);

#endif
