/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Carrying out testbed ops (core/op.h) on this machine: one handler per
 * op, run by the local host backend (host/host.h) and by `iovbench op`
 * on a server reached over SSH.
 */
#ifndef IOV_HOST_OP_RUN_H
#define IOV_HOST_OP_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/op.h"
#include "util/strbuf.h"

struct proc;

/* What running an op here needs. */
struct op_env {
	const char *sysfs;  /* root of sysfs: "/sys", or a fake tree */
	bool daemonize;	    /* vm-start: QEMU outlives us (remote servers) */
	const char *rundir; /* where vm-start puts pid files */
	/* local vm-start children, by name: vm-stop and teardown reap them */
	struct vm_child {
		char name[64];
		struct proc *proc;
	} vms[8];
	size_t nvms;
	/* what ops report ("accel=kvm\n" from vm-start), if not NULL */
	struct strbuf *result;
	/*
	 * link-del returns once its link is out of its namespace, and the
	 * kernel's wait for the link's last references (an RCU barrier
	 * per deletion: 15-56 ms here) runs in a thread; op_env_settle()
	 * joins them, and every op but link-del, link-set and netns-del
	 * settles first. Off: each link-del waits (`iovbench op`).
	 */
	bool async_dels;
	struct link_del_job *dels[16];
	size_t ndels;
};

/*
 * word with its @vf:PF:N or @vfpci:PF:N filled in from sysfs (NULL:
 * /sys): VF N's netdev or PCI address here. 0 or -1 (printed).
 */
int op_resolve_vf(const char *word, const char *sysfs, struct strbuf *out);

/* Carry out op on this machine. 0 or -1 (printed). */
int op_run_local(const struct op *op, struct op_env *env);
/* The local VM named name, if vm-start made it here. */
struct proc *op_env_vm(struct op_env *env, const char *name);
/* Wait for the link-dels still in their threads: 0, or -1 if one failed. */
int op_env_settle(struct op_env *env);
/* Stop every VM vm-start made here. */
void op_env_release(struct op_env *env);

#endif
