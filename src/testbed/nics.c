// SPDX-License-Identifier: GPL-2.0-or-later
#include "testbed/nics.h"

#include <stdio.h>
#include <string.h>

#include "core/nics.h"
#include "testbed/attach.h"

bool setup_nics_need_bridge(const struct setup *su)
{
	/* every NIC after the first is a bridge data plane's tap */
	return dataplane_vm(&dataplane_table[su->dataplane]) &&
	       strcmp(factor_string(su->nics), "none") != 0;
}

void guest_nics_place(struct testbed *tb, struct guest *g,
		      const struct setup *su)
{
	int idx[GUEST_NICS_MAX - 1];
	char why[160];
	int n, k;

	g->nextra = 0;
	g->bond = BOND_NONE;
	if (!g->main || !g->vm)
		return;
	n = dataplane_nics_parse(factor_string(su->nics), idx,
				 GUEST_NICS_MAX - 1, why, sizeof(why));
	g->bond = su->bond;
	for (k = 0; k < n; k++) {
		struct guest_nic *x = &g->extra[k];

		memset(x, 0, sizeof(*x));
		x->dp = &dataplane_table[idx[k]];
		x->attach = x->dp->attach;
		/* a bond's or failover pair's NICs share NIC 0's address */
		x->addr = su->bond == BOND_NONE ?
				  guest_nic_addr(g->addr, tb->plen,
						 (unsigned)k + 1) :
				  0;
		memcpy(x->mac, g->mac, 6);
		/* a failover standby has the VF's MAC: that pairs them */
		if (su->bond != BOND_FAILOVER)
			x->mac[3] = (uint8_t)(0x10 + k + 1);
		/* k < GUEST_NICS_MAX - 1: one digit */
		snprintf(x->port, sizeof(x->port), "%.13s%c", g->port,
			 (char)('1' + k));
		snprintf(x->lower, sizeof(x->lower), "%s", tb->bridge);
		x->ifindex = g->ifindex + 64 * (k + 1);
	}
	g->nextra = n > 0 ? (unsigned)n : 0;
}

void guest_nics_up(const struct testbed *tb, struct guest *g,
		   struct op_list *ops, struct vm_spec *vm)
{
	unsigned k;

	vm->bond = g->bond;
	vm->nextra = g->nextra;
	for (k = 1; k <= g->nextra; k++) {
		struct guest_nic *x = &g->extra[k - 1];
		struct vm_nic *n = &vm->extra[k - 1];
		struct guest view;
		struct vm_spec one;

		memset(&one, 0, sizeof(one));
		guest_nic_view(g, k, &view);
		attach_table[x->attach].guest_up(tb, &view, ops, &one);
		/* the hooks point into the guest they were given */
		snprintf(x->dev, sizeof(x->dev), "%s", view.dev);
		memset(n, 0, sizeof(*n));
		n->nic = x->dp->nic;
		memcpy(n->mac, x->mac, 6);
		n->backend = one.backend;
		n->ifname = one.ifname ? x->port : NULL;
		n->tapdev = one.tapdev ? x->dev : NULL;
		n->ip = x->addr;
	}
}

void guest_nics_down(const struct testbed *tb, const struct guest *g,
		     struct op_list *ops)
{
	unsigned k;

	for (k = 1; k <= g->nextra; k++) {
		const struct attach_ops *at = &attach_table[g->extra[k - 1].attach];
		struct guest view;

		if (!at->guest_down)
			continue;
		guest_nic_view(g, k, &view);
		at->guest_down(tb, &view, ops);
	}
}

void guest_nics_plug_args(struct guest *g, const struct vm_spec *vm)
{
	unsigned k;

	vm_nic_device(vm, 0, g->plug0, sizeof(g->plug0));
	for (k = 1; k <= g->nextra; k++)
		vm_nic_device(vm, k, g->extra[k - 1].plug,
			      sizeof(g->extra[0].plug));
}

/* "@vfpci:PF:N" in text as the server resolved it (its results). */
static void resolve_words(const char *results, char *text, size_t len)
{
	char *at = strstr(text, "@vf"), word[96], tail[256];
	const char *line;
	size_t n;

	if (!at)
		return;
	n = strcspn(at, "\" ,}");
	snprintf(word, sizeof(word), "resolved %.*s ", (int)n, at);
	line = strstr(results, word);
	if (!line)
		return; /* a dry run: the server fills it in */
	line += strlen(word);
	snprintf(tail, sizeof(tail), "%s", at + n);
	snprintf(at, len - (size_t)(at - text), "%.*s%s",
		 (int)strcspn(line, "\n"), line, tail);
}

void guest_nics_resolve(struct testbed *tb, struct guest *g)
{
	const char *results = tb->results[g->server].buf;
	unsigned k;

	if (!results)
		return;
	resolve_words(results, g->plug0, sizeof(g->plug0));
	for (k = 0; k < g->nextra; k++)
		resolve_words(results, g->extra[k].plug,
			      sizeof(g->extra[k].plug));
}
