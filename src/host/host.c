// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/host.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/strv.h"
#include "util/time.h"

/* An op or a transfer may take this long on a server. */
#define SSH_OP_NS (120 * NSEC_PER_SEC)

/* ---- local ---- */

static int local_run_op(struct host *h, const struct op *op)
{
	h->env->result = h->result;
	return op_run_local(op, h->env);
}

static int local_spawn(struct host *h, char *const argv[],
		       const struct spawn_opts *o, struct proc *p)
{
	(void)h;
	return proc_spawn(argv, o, p);
}

static int local_forward(struct host *h, const char *remote,
			 const char *local)
{
	(void)h;
	/* the same machine: the socket is already here */
	return strcmp(remote, local) ? error("cannot forward '%s' locally",
					     remote) :
				       0;
}

static int local_put_dir(struct host *h, const char *dir)
{
	(void)h;
	(void)dir;
	return 0;
}

static int local_read_file(struct host *h, const char *path,
			   struct strbuf *out)
{
	(void)h;
	strbuf_reset(out);
	return strbuf_read_file(out, path, 1 << 20) ? -1 : 0;
}

static int local_get_file(struct host *h, const char *remote,
			  const char *local)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	(void)h;
	if (!strcmp(remote, local))
		return 0;
	if (strbuf_read_file(&sb, remote, 0) ||
	    write_file(local, sb.buf, sb.len))
		ret = error_errno("cannot copy '%s' to '%s'", remote, local);
	strbuf_release(&sb);
	return ret;
}

static void local_release(struct host *h)
{
	(void)h;
}

const struct host_backend host_local = {
	.name = "local",
	.run_op = local_run_op,
	.spawn = local_spawn,
	.forward = local_forward,
	.put_dir = local_put_dir,
	.get_file = local_get_file,
	.read_file = local_read_file,
	.release = local_release,
};

void host_init_local(struct host *h, const char *name, struct op_env *env)
{
	memset(h, 0, sizeof(*h));
	h->be = &host_local;
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->env = env;
}

/* ---- ssh ---- */

/*
 * Master connections per server. sshd takes MaxSessions (10 by default)
 * sessions per connection, and a server may run a reflector, two load
 * processes per background guest and the capture points at once: master
 * 0 carries ops, files and socket forwards, the others the long-lived
 * processes, in turn.
 */
#define SSH_MASTERS 8

static void control_path(const struct host *h, unsigned master, char *buf,
			 size_t len)
{
	if (master)
		snprintf(buf, len, "%s.%u", h->control, master);
	else
		snprintf(buf, len, "%s", h->control);
}

static void ssh_options_via(const struct host *h, struct strv *argv,
			    unsigned master)
{
	char path[sizeof(h->control) + 8];

	if (*h->config) {
		strv_push(argv, "-F");
		strv_push(argv, h->config);
	}
	control_path(h, master, path, sizeof(path));
	strv_push(argv, "-o");
	strv_push(argv, "ControlMaster=auto");
	strv_push(argv, "-o");
	strv_pushf(argv, "ControlPath=%s", path);
	/* until ssh_release (or `testbed down`) ends it: socket forwards
	 * are no activity to ssh, and must not go with an idle timeout */
	strv_push(argv, "-o");
	strv_push(argv, "ControlPersist=yes");
	/* fail, do not ask: a campaign runs unattended */
	strv_push(argv, "-o");
	strv_push(argv, "BatchMode=yes");
}

static void ssh_options(const struct host *h, struct strv *argv)
{
	ssh_options_via(h, argv, 0);
}

/*
 * `ssh [options] -- DEST` through master connection master: "--" ends
 * ssh's options, so that no destination is ever taken for one (a
 * "-oProxyCommand=..." host), and what follows DEST is the command.
 */
static void ssh_argv_via(const struct host *h, struct strv *argv,
			 unsigned master)
{
	strv_push(argv, "ssh");
	ssh_options_via(h, argv, master);
	strv_push(argv, "--");
	strv_push(argv, h->dest);
}

void host_ssh_argv(const struct host *h, struct strv *argv)
{
	ssh_argv_via(h, argv, 0);
}

void host_ssh_options(const struct host *h, struct strv *argv)
{
	strv_push(argv, "ssh");
	ssh_options_via(h, argv, 0);
}

/* Run argv (an ssh or scp command) here; its stderr to ours. */
static int run_here(struct strv *argv, struct strbuf *out)
{
	struct spawn_opts so = {0};

	return proc_run(argv->v, &so, SSH_OP_NS, out);
}

static int ssh_run_op(struct host *h, const struct op *op)
{
	struct strv argv = STRV_INIT;
	struct strbuf cmd = STRBUF_INIT;
	size_t i;
	int st;

	host_ssh_argv(h, &argv);
	strbuf_addquoted(&cmd, h->iovbench);
	strbuf_addstr(&cmd, " op --rundir ");
	strbuf_addquoted(&cmd, h->rundir);
	strbuf_addch(&cmd, ' ');
	strbuf_addstr(&cmd, op_name(op->id));
	for (i = 0; i < op->words.n; i++) {
		strbuf_addch(&cmd, ' ');
		strbuf_addquoted(&cmd, op->words.v[i]);
	}
	/* ssh joins its arguments with spaces for the remote shell */
	strv_push(&argv, cmd.buf);
	st = run_here(&argv, h->result);
	strv_clear(&argv);
	strbuf_release(&cmd);
	if (st)
		return error("%s: '%s' failed on %s (exit %d)", h->name,
			     op_name(op->id), h->dest, st);
	return 0;
}

/* `cat path` there; its stderr silenced (a caller says what failed). */
static int ssh_read_file(struct host *h, const char *path, struct strbuf *out)
{
	struct strv argv = STRV_INIT;
	struct strbuf cmd = STRBUF_INIT;
	int st;

	strbuf_reset(out);
	host_ssh_argv(h, &argv);
	strbuf_addstr(&cmd, "cat ");
	strbuf_addquoted(&cmd, path);
	strbuf_addstr(&cmd, " 2>/dev/null");
	strv_push(&argv, cmd.buf);
	st = run_here(&argv, out);
	strv_clear(&argv);
	strbuf_release(&cmd);
	return st ? -1 : 0;
}

static int ssh_get_file(struct host *h, const char *remote, const char *local)
{
	struct strbuf data = STRBUF_INIT;
	int st = ssh_read_file(h, remote, &data);

	if (!st && write_file(local, data.buf, data.len))
		st = -1;
	strbuf_release(&data);
	return st ? error("%s: cannot fetch '%s'", h->name, remote) : 0;
}

static int ssh_spawn(struct host *h, char *const argv[],
		     const struct spawn_opts *o, struct proc *p)
{
	struct strv sv = STRV_INIT;
	struct strbuf cmd = STRBUF_INIT, sh = STRBUF_INIT;
	struct spawn_opts so = *o;
	size_t i;
	int ret;

	ssh_argv_via(h, &sv, 1 + h->nspawned++ % (SSH_MASTERS - 1));
	/*
	 * ssh passes no signal on, but it passes EOF: the process runs in
	 * the background there while a watcher reads the session's stdin,
	 * and EOF (proc_stop closing our end, or this ssh dying) becomes
	 * its SIGTERM. It then says what it did (a load report) on its
	 * way out, and nothing outlives the session. The script goes to
	 * sh: the login shell there need not be a POSIX one.
	 */
	strbuf_addstr(&cmd, "exec 3<&0 </dev/null; ");
	/* argv[0] is the binary there: iovbench, found as configured */
	strbuf_addquoted(&cmd, h->iovbench);
	for (i = 1; argv[i]; i++) {
		strbuf_addch(&cmd, ' ');
		strbuf_addquoted(&cmd, argv[i]);
	}
	if (o->netns) {
		strbuf_addstr(&cmd, " --netns ");
		strbuf_addquoted(&cmd, o->netns);
	}
	if (o->stdin_commands)
		/* its stdin is the session's: EOF, ours or ssh's death,
		 * is its own stop */
		strbuf_addstr(&cmd, " <&3 3<&-");
	else
		strbuf_addstr(&cmd, " & p=$!; "
				    "{ cat <&3 >/dev/null 2>&1; kill $p "
				    "2>/dev/null; } & "
				    "w=$!; exec 3<&-; wait $p; s=$?; "
				    "kill $w 2>/dev/null; exit $s");
	strbuf_addstr(&sh, "sh -c ");
	strbuf_addquoted(&sh, cmd.buf);
	strv_push(&sv, sh.buf);
	so.stop_by_eof = true;
	so.netns = NULL; /* it applies there, not here */
	so.cpus = 0;
	ret = proc_spawn(sv.v, &so, p);
	strv_clear(&sv);
	strbuf_release(&cmd);
	strbuf_release(&sh);
	return ret;
}

/* cmd, a shell command line, run there. */
static int ssh_command(struct host *h, const char *cmd)
{
	struct strv argv = STRV_INIT;
	int st;

	host_ssh_argv(h, &argv);
	strv_push(&argv, cmd);
	st = run_here(&argv, NULL);
	strv_clear(&argv);
	return st;
}

/* ssh -O CMD [-L SPEC] DEST: a request to a master connection. */
static int ssh_control_via(struct host *h, unsigned master, const char *cmd,
			   const char *spec)
{
	struct strv argv = STRV_INIT;
	int st;

	strv_push(&argv, "ssh");
	ssh_options_via(h, &argv, master);
	strv_push(&argv, "-q"); /* not "Exit request sent." */
	strv_push(&argv, "-O");
	strv_push(&argv, cmd);
	if (spec) {
		strv_push(&argv, "-L");
		strv_push(&argv, spec);
	}
	strv_push(&argv, "--");
	strv_push(&argv, h->dest);
	st = run_here(&argv, NULL);
	strv_clear(&argv);
	return st;
}

static int ssh_control(struct host *h, const char *cmd, const char *spec)
{
	return ssh_control_via(h, 0, cmd, spec);
}

/*
 * The master connection forwards: one ssh process however many VMs
 * (two sockets each) a server runs, where an `ssh -N -L` per socket
 * would be a process and a connection each.
 */
static int ssh_forward(struct host *h, const char *remote, const char *local)
{
	struct strbuf spec = STRBUF_INIT;
	int st;

	/* -O needs a running master: any command starts one */
	if (access(h->control, F_OK) && ssh_command(h, "true"))
		return error("%s: cannot reach %s over ssh", h->name, h->dest);
	/* a socket left by an earlier guest would make the bind fail */
	unlink(local);
	strbuf_addf(&spec, "%s:%s", local, remote);
	st = ssh_control(h, "forward", spec.buf);
	if (!st)
		strv_push(&h->forwards, spec.buf);
	strbuf_release(&spec);
	return st ? error("%s: cannot forward '%s' from %s", h->name, remote,
			  h->dest) :
		    0;
}

static int ssh_put_dir(struct host *h, const char *dir)
{
	struct strv argv = STRV_INIT;
	struct strbuf parent = STRBUF_INIT;
	const char *slash = strrchr(dir, '/');
	int st;

	/* mkdir -p there, then scp -r into the parent */
	host_ssh_argv(h, &argv);
	strbuf_addstr(&parent, "mkdir -p ");
	strbuf_addquoted(&parent, dir);
	strv_push(&argv, parent.buf);
	st = run_here(&argv, NULL);
	strv_clear(&argv);
	strbuf_reset(&parent);
	if (!st) {
		strv_push(&argv, "scp");
		strv_push(&argv, "-q");
		strv_push(&argv, "-r");
		ssh_options(h, &argv);
		strv_push(&argv, "--");
		strv_push(&argv, dir);
		strbuf_addf(&parent, "%s:%.*s", h->dest,
			    slash ? (int)(slash - dir) : 1, slash ? dir : "/");
		strv_push(&argv, parent.buf);
		st = run_here(&argv, NULL);
		strv_clear(&argv);
	}
	strbuf_release(&parent);
	return st ? error("%s: cannot copy '%s' to %s", h->name, dir,
			  h->dest) :
		    0;
}

void host_drop_forwards(struct host *h)
{
	size_t i;

	for (i = 0; i < h->forwards.n; i++) {
		const char *spec = h->forwards.v[i];

		/* the master removes its listener, not the socket file */
		ssh_control(h, "cancel", spec);
		unlink(strndupa(spec, strcspn(spec, ":")));
	}
	strv_clear(&h->forwards);
}

static void ssh_release(struct host *h)
{
	unsigned m;

	host_drop_forwards(h);
	for (m = 0; m < SSH_MASTERS; m++) {
		char path[sizeof(h->control) + 8];
		int64_t until = now_mono() + 2 * NSEC_PER_SEC;

		control_path(h, m, path, sizeof(path));
		if (access(path, F_OK) || ssh_control_via(h, m, "exit", NULL))
			continue;
		/* it exits after answering: the next master may want the
		 * path */
		while (!access(path, F_OK) && now_mono() < until)
			usleep(10000);
	}
}

const struct host_backend host_ssh = {
	.name = "ssh",
	.run_op = ssh_run_op,
	.spawn = ssh_spawn,
	.forward = ssh_forward,
	.put_dir = ssh_put_dir,
	.get_file = ssh_get_file,
	.read_file = ssh_read_file,
	.release = ssh_release,
};

void host_init_ssh(struct host *h, const char *name, const char *dest,
		   const char *iovbench, const char *config,
		   const char *rundir)
{
	memset(h, 0, sizeof(*h));
	h->be = &host_ssh;
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->dest, sizeof(h->dest), "%s", dest);
	snprintf(h->iovbench, sizeof(h->iovbench), "%s", iovbench);
	snprintf(h->config, sizeof(h->config), "%s", config ? config : "");
	snprintf(h->control, sizeof(h->control), "%s/ssh-%s", rundir, name);
	snprintf(h->rundir, sizeof(h->rundir), "%s", rundir);
}

void host_release(struct host *h)
{
	if (h->be)
		h->be->release(h);
}
