// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hygiene meter, OS half: each server's settings that move latency
 * (core/hygiene.h), read once per setup by `iovbench hygiene` there: in
 * the server's namespace on the local testbed (bridge netfilter, busy
 * polling and the links are per network namespace: what the testbed's
 * path sees), over ssh on a real server; and the links of its main
 * guest (a container's namespace, or inside the VM). Stored with every
 * run of the setup, with the CPUs the main guests are pinned to. A
 * setting that distorts is warned about once per campaign, or, with
 * prober.refuse_distorting, fails the run with the reason.
 *
 * IOVBENCH_SYSROOT (tests only) reads a fake tree's files instead
 * (tests/data/hygiene/): the settings a test cannot set here.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hygiene.h"
#include "core/meter_hygiene.h"
#include "runner/meter.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/time.h"

#define HYGIENE_READ_NS (10 * NSEC_PER_SEC)

struct hygiene_state {
	bool read;	/* for this setup */
	bool ok[SERVER_COUNT];
	struct hygiene h[SERVER_COUNT];
	bool warned[SERVER_COUNT][HY_COUNT];
	char pinning[160];
};

/* `iovbench hygiene ARGS` in namespace ns (NULL: the server's own)
 * of server s, its dump appended to out; 0 or -1 */
static int dump_there(struct run_ctx *ctx, enum server_id s, const char *ns,
		      char *const *args, struct strbuf *out)
{
	struct host *host = &ctx->tb->hosts[s];
	struct spawn_opts o = {
		.netns = ns,
		.capture = true,
		.log = "/dev/null",
	};
	char *argv[8] = {(char *)ctx->exe, "hygiene"};
	struct proc p;
	size_t i;
	int st;

	/* over ssh argv[0] becomes the iovbench there, and the namespace
	 * its --netns */
	for (i = 0; args[i] && i + 3 < sizeof(argv) / sizeof(argv[0]); i++)
		argv[2 + i] = args[i];
	if (host->be->spawn(host, argv, &o, &p))
		return -1;
	st = proc_wait(&p, HYGIENE_READ_NS, ctx->stop);
	if (!st)
		strbuf_add(out, p.out.buf, p.out.len);
	proc_release(&p);
	return st ? -1 : 0;
}

/* `iovbench-guest hygiene --label guest` in VM g, through its channel */
static int dump_vm(struct run_ctx *ctx, struct guest *g, struct strbuf *out)
{
	const char *const words[] = {"hygiene", "--label", "guest"};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int st, ret;

	(void)ctx;
	if (!f)
		return error_errno("cannot keep the guest's settings");
	ret = g->ch.ops->run(&g->ch, words, 3, HYGIENE_READ_NS, &st, f);
	if (fclose(f) && !ret)
		ret = error_errno("cannot keep the guest's settings");
	if (!ret && st)
		ret = -1;
	if (!ret)
		strbuf_add(out, text, len);
	free(text);
	return ret;
}

/*
 * Server s's settings: `iovbench hygiene` in its namespace here or on
 * it over ssh (files, and the links of its namespace), then the links
 * of its main guest (--label guest: the guest's NIC as "guest/eth0"):
 * in a container's namespace, or in a VM through its channel (the
 * guest image's iovbench-guest; an older one refuses and the guest's
 * links are left out with a warning). 0 or -1.
 */
static int read_server(struct run_ctx *ctx, enum server_id s,
		       struct hygiene *h)
{
	struct testbed *tb = ctx->tb;
	struct guest *g = &tb->main[s];
	const char *root = getenv("IOVBENCH_SYSROOT");
	char rootarg[PATH_MAX];
	char *server_args[] = {rootarg, NULL};
	char *guest_args[] = {"--label", "guest", NULL};
	struct strbuf dump = STRBUF_INIT;
	int ret;

	if (!root || !*root)
		root = "/";
	snprintf(rootarg, sizeof(rootarg), "--root=%s", root);
	ret = dump_there(ctx, s, tb->remote ? NULL : tb->server_ns[s],
			 server_args, &dump);
	/* a fake tree has no links; a missing guest's are just absent */
	if (!ret && !strcmp(root, "/") && *g->name &&
	    (g->vm ? dump_vm(ctx, g, &dump) :
		     dump_there(ctx, s, g->name, guest_args, &dump)))
		warning("%s: cannot read the links of guest '%s'",
			server_name(s), g->name);
	if (!ret)
		hygiene_parse(dump.buf, dump.len, root, h);
	strbuf_release(&dump);
	return ret;
}

static void read_pinning(struct run_ctx *ctx, struct hygiene_state *hs)
{
	uint64_t cpus = ctx->c->main_guests.cpus;
	char list[64];

	cpulist_format(cpus, list, sizeof(list));
	if (*list)
		snprintf(hs->pinning, sizeof(hs->pinning),
			 "main guests (prober, reflector%s) on CPUs %s",
			 ctx->tb->main[SERVER_SENDER].vm ? ", vCPUs" : "", list);
	else
		snprintf(hs->pinning, sizeof(hs->pinning),
			 "not pinned (guests.main.cpus empty)");
}

/* every server's settings, once per setup */
static void read_setup(struct run_ctx *ctx, struct hygiene_state *hs)
{
	int s;

	if (hs->read)
		return;
	for (s = 0; s < SERVER_COUNT; s++) {
		hs->ok[s] = !read_server(ctx, s, &hs->h[s]);
		if (!hs->ok[s])
			warning("cannot read the host settings of %s: none "
				"stored with its runs",
				server_name(s));
	}
	read_pinning(ctx, hs);
	hs->read = true;
}

/*
 * When the setup's guests are up, not in its first run: in a VM the
 * guest's `hygiene` is an exec through the agent's channel (under TCG
 * its first translation), tens of ms that made the first run after a
 * boot cost more than the next (bench/vmboot). The settings are those
 * the runs see: nothing changes them between here and the first run.
 */
static void hygiene_setup_begin(struct run_ctx *ctx, void *st)
{
	if (!ctx->dry)
		read_setup(ctx, st);
}

static int hygiene_prepare(struct run_ctx *ctx, void *st)
{
	struct hygiene_state *hs = st;
	char why[512];
	int s, k;

	if (ctx->dry)
		return 0;
	read_setup(ctx, hs);
	for (s = 0; s < SERVER_COUNT; s++) {
		if (!hs->ok[s] || !hygiene_distorting(&hs->h[s], why,
						      sizeof(why)))
			continue;
		if (ctx->c->prober.refuse_distorting)
			return run_fail(ctx, "%s: settings distort the latency "
					     "(prober.refuse_distorting): %s",
					server_name(s), why);
		for (k = 0; k < HY_COUNT; k++) {
			if (!hs->h[s].v[k].distorts || hs->warned[s][k])
				continue;
			hs->warned[s][k] = true;
			warning("%s: %s %s distorts the latency: %s",
				server_name(s), hygiene_table[k].name,
				hs->h[s].v[k].value, hygiene_table[k].effect);
		}
	}
	return 0;
}

static int hygiene_rows(void *st, unsigned table, struct row_sink *sink)
{
	struct hygiene_state *hs = st;
	struct cell c[METER_COLS_MAX];
	int s, k;

	if (table || !hs->read)
		return 0;
	for (s = 0; s < SERVER_COUNT; s++) {
		for (k = 0; hs->ok[s] && k < HY_COUNT; k++) {
			meter_hygiene_cells(server_name(s),
					    hygiene_table[k].name,
					    hs->h[s].v[k].value,
					    hs->h[s].v[k].distorts, c);
			if (sink->put(sink, c))
				return -1;
		}
	}
	meter_hygiene_cells("testbed", "pinning", hs->pinning, false, c);
	return sink->put(sink, c);
}

/* the next setup may be another server's state (a reboot, a tuning) */
static void hygiene_setup_done(struct run_ctx *ctx, void *st)
{
	struct hygiene_state *hs = st;

	(void)ctx;
	hs->read = false;
}

const struct meter_ops meter_hygiene_ops = {
	.def = &meter_hygiene,
	.state_size = sizeof(struct hygiene_state),
	.setup_begin = hygiene_setup_begin,
	.prepare = hygiene_prepare,
	.rows = hygiene_rows,
	.setup_done = hygiene_setup_done,
};
