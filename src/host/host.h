/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hosts: where a server's ops run, its processes start and its files go.
 * One entry per backend:
 *
 *   local  this machine (the local testbed's servers are namespaces here)
 *   ssh    a real server, through OpenSSH with ControlMaster
 *          connections: ops run as `iovbench op ...` there, the guest
 *          image is copied there, and a VM's QMP and agent sockets are
 *          forwarded here by the first connection (ssh -O forward), so
 *          the same clients drive it; long-lived processes spread over
 *          the others (sshd's MaxSessions)
 *
 * OpenSSH is used as a program, not a library: it respects the user's
 * ~/.ssh/config, agents and jump hosts.
 */
#ifndef IOV_HOST_HOST_H
#define IOV_HOST_HOST_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "host/proc.h"
#include "core/op.h"
#include "host/op_run.h"
#include "util/strbuf.h"
#include "util/strv.h"

struct host;

struct host_backend {
	const char *name;
	int (*run_op)(struct host *h, const struct op *op);
	/* start argv on the host (in netns, if not NULL), capturing stdout */
	int (*spawn)(struct host *h, char *const argv[],
		     const struct spawn_opts *o, struct proc *p);
	/* make remote unix socket path reachable here as local */
	int (*forward)(struct host *h, const char *remote, const char *local);
	/* copy directory dir here to the same path there */
	int (*put_dir)(struct host *h, const char *dir);
	/* copy file remote there to local here */
	int (*get_file)(struct host *h, const char *remote, const char *local);
	/* file path there into out, quietly: 0 or -1 */
	int (*read_file)(struct host *h, const char *path, struct strbuf *out);
	void (*release)(struct host *h);
};

struct host {
	const struct host_backend *be;
	char name[32];	     /* "sender", "responder" */
	char dest[256];	     /* ssh: user@host */
	char iovbench[256];  /* ssh: iovbench there */
	char control[128];   /* ssh: the ControlPath socket (master 0) */
	unsigned nspawned;   /* ssh: processes started, to spread them */
	char config[PATH_MAX]; /* ssh: -F this file, if not "" */
	struct op_env *env;  /* local: where ops keep their state */
	char rundir[128];    /* ssh: --rundir of remote ops */
	struct strbuf *result; /* what the last op reported, if not NULL */
	/* ssh: the master's socket forwards, "LOCAL:REMOTE" */
	struct strv forwards;
};

extern const struct host_backend host_local;
extern const struct host_backend host_ssh;

void host_init_local(struct host *h, const char *name, struct op_env *env);
/*
 * rundir: where the ControlPath socket goes; config: a file for ssh -F,
 * or "" (NULL) for ssh's own.
 */
void host_init_ssh(struct host *h, const char *name, const char *dest,
		   const char *iovbench, const char *config,
		   const char *rundir);
void host_release(struct host *h);
/* End the socket forwards of guests that are gone. */
void host_drop_forwards(struct host *h);

/* `ssh [options] -- DEST`: append the remote command, quoted. */
void host_ssh_argv(const struct host *h, struct strv *argv);
/* `ssh [options]`: the same connection, for options of one's own. */
void host_ssh_options(const struct host *h, struct strv *argv);

#endif
