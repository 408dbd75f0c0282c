// SPDX-License-Identifier: GPL-2.0-or-later
#include "runner/guestproc.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "util/error.h"
#include "util/time.h"

/* Time a server process may take to say it is ready. */
#define READY_NS (10 * NSEC_PER_SEC)
/* Time a server process may take to stop and say what it did. */
#define STOP_NS (5 * NSEC_PER_SEC)
#define ARGV_MAX 48

int guest_proc_start(struct testbed *tb, struct guest_proc *gp,
		     struct guest *g, const char *const *words, int n,
		     const struct guest_proc_opts *o)
{
	struct spawn_opts so = {
		.netns = g->name,
		.cpus = o->cpus,
		.capture = true,
		.log = o->log,
		.stop_by_eof = o->commands,
		.stdin_commands = o->commands,
	};
	struct host *h = &tb->hosts[g->server];
	char *argv[ARGV_MAX + 2], line[64];
	int i, ret;

	memset(gp, 0, sizeof(*gp));
	gp->g = g;
	proc_init(&gp->p);
	if (n > ARGV_MAX)
		return error("too many arguments for %s", g->name);
	if (g->vm) {
		if (g->ch.ops->start(&g->ch, words, n, &gp->handle))
			return -1;
		gp->up = true;
		return 0;
	}
	argv[0] = (char *)o->exe;
	for (i = 0; i < n; i++)
		argv[i + 1] = (char *)words[i];
	argv[n + 1] = NULL;
	if (h->be->spawn(h, argv, &so, &gp->p))
		return -1;
	gp->up = true;
	ret = proc_read_line(&gp->p, line, sizeof(line), READY_NS, o->stop);
	if (ret || strcmp(line, "ready")) {
		guest_proc_stop(gp, NULL);
		if (ret == -EINTR)
			return -EINTR;
		if (o->log)
			return error("'%s' did not start in %s (see %s)",
				     words[0], g->name, o->log);
		return error("'%s' did not start in %s", words[0], g->name);
	}
	return 0;
}

bool guest_proc_alive(struct guest_proc *gp)
{
	if (!gp->up)
		return false;
	if (gp->g->vm)
		return true;
	/* a dead child is a zombie until reaped: kill(pid, 0) succeeds */
	return proc_running(&gp->p);
}

int guest_proc_stop(struct guest_proc *gp, struct strbuf *out)
{
	int ret = 0;

	if (!gp->up)
		return 0;
	gp->up = false;
	if (gp->g->vm) {
		if (gp->g->ch.open)
			ret = gp->g->ch.ops->stop(&gp->g->ch, gp->handle, out);
		return ret;
	}
	/* time for its last words to come back, over ssh too */
	proc_stop(&gp->p, STOP_NS);
	if (out)
		strbuf_add(out, gp->p.out.buf, gp->p.out.len);
	proc_release(&gp->p);
	return ret;
}
