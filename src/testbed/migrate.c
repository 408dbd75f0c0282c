// SPDX-License-Identifier: GPL-2.0-or-later
#include "testbed/migrate.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guest/qmp.h"
#include "testbed/attach.h"
#include "testbed/nics.h"
#include "util/error.h"
#include "util/time.h"

#define QMP_NS (5 * NSEC_PER_SEC)
#define INCOMING_NS (30 * NSEC_PER_SEC)

/* "-main" <-> "-mig" in a name ("P-r-main", "P-main1") */
static void other_name(const char *name, char *out, size_t len)
{
	const char *m = strstr(name, "-main"), *g = strstr(name, "-mig");

	if (m)
		snprintf(out, len, "%.*s-mig%s", (int)(m - name), name, m + 5);
	else if (g)
		snprintf(out, len, "%.*s-main%s", (int)(g - name), name, g + 4);
	else
		snprintf(out, len, "%s", name);
}

int migrate_prepare(struct testbed *tb, const struct guest *g,
		    struct guest *dst, char *uri, size_t len)
{
	static char incoming[PATH_MAX + 16];
	struct op_list ops = {0};
	char buf[NS_NAME_MAX];
	int64_t deadline;
	unsigned k;

	*dst = *g;
	memset(&dst->ch, 0, sizeof(dst->ch));
	dst->ch.agent.fd = -1;
	other_name(g->name, buf, sizeof(buf));
	snprintf(dst->name, sizeof(dst->name), "%s", buf);
	other_name(g->port, buf, sizeof(buf));
	snprintf(dst->port, sizeof(dst->port), "%.15s", buf);
	for (k = 0; k < g->nextra; k++) {
		other_name(g->extra[k].port, buf, sizeof(buf));
		snprintf(dst->extra[k].port, sizeof(dst->extra[k].port),
			 "%.15s", buf);
	}
	snprintf(uri, len, "unix:%s/%s.mig", tb->rundir, dst->name);
	snprintf(incoming, sizeof(incoming), "%s", uri);
	dst->incoming = incoming;
	if (testbed_guest_ops(tb, dst, &ops)) {
		op_list_clear(&ops);
		return -1;
	}
	dst->incoming = NULL;
	if (testbed_exec(tb, &ops))
		return -1;
	testbed_note(tb, g->server, "wait until %s's QMP answers (-incoming %s)",
		     dst->name, uri);
	if (tb->dry)
		return 0;
	deadline = now_mono() + INCOMING_NS;
	for (;;) {
		struct qmp q;

		if (!qmp_open(&q, dst->qmp, NSEC_PER_SEC)) {
			qmp_close(&q);
			return 0;
		}
		if (now_mono() > deadline)
			return error("the migration's destination %s did not "
				     "answer on QMP",
				     dst->name);
		usleep(100000);
	}
}

/* A VM's QEMU quits (over QMP), its process and taps go. */
static int vm_remove(struct testbed *tb, struct guest *g)
{
	const struct attach_ops *at = &attach_table[g->attach];
	struct op_list ops = {0};
	struct qmp q;

	if (g->ch.ops && g->ch.open)
		g->ch.ops->close(&g->ch);
	if (!tb->dry && !qmp_open(&q, g->qmp, QMP_NS)) {
		qmp_execute(&q, "quit", NULL, NULL, QMP_NS);
		qmp_close(&q);
	}
	op_add(&ops, g->server, OP_VM_STOP, g->name, NULL);
	if (at->guest_down)
		at->guest_down(tb, g, &ops);
	guest_nics_down(tb, g, &ops);
	return testbed_exec(tb, &ops);
}

int migrate_adopt(struct testbed *tb, struct guest *g, struct guest *dst)
{
	int ret = vm_remove(tb, g);

	*g = *dst;
	testbed_note(tb, g->server, "%s takes the migrated guest's place",
		     g->name);
	if (tb->dry)
		return ret;
	/* the guest's agent is the same program, now behind dst's socket */
	if (g->ch.ops->open(&g->ch, 10 * NSEC_PER_SEC))
		return error("the migrated guest's agent does not answer on "
			     "%s",
			     g->name);
	return ret;
}

void migrate_abandon(struct testbed *tb, struct guest *dst)
{
	vm_remove(tb, dst);
}
