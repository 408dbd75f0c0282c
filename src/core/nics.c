// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/nics.h"

#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/dataplane.h"
#include "core/plan.h"

/* 198.18.0.0/15: RFC 2544's benchmarking range, the only one we use */
#define BENCH_NET 0xc6120000u
#define BENCH_MASK 0xfffe0000u

void guest_nics_of(const int64_t v[FACTOR_COUNT], struct guest_nics *gn)
{
	char why[160];
	int n;

	memset(gn, 0, sizeof(*gn));
	gn->dataplane[0] = (int)v[F_DATAPLANE];
	n = dataplane_nics_parse(factor_string(v[F_NICS]), gn->dataplane + 1,
				 GUEST_NICS_MAX - 1, why, sizeof(why));
	gn->n = 1 + (n > 0 ? (unsigned)n : 0);
	gn->bond = (enum bond_mode)v[F_BOND];
}

uint32_t guest_nic_addr(uint32_t addr, unsigned plen, unsigned k)
{
	return plen ? addr + (uint32_t)k * (plen < 32 ? 1u << (32 - plen) : 1u)
		    : addr;
}

int nics_refusal(const int64_t v[FACTOR_COUNT], const struct campaign *c,
		 char *why, size_t len)
{
	const struct dataplane *dp = &dataplane_table[v[F_DATAPLANE]];
	const struct subnet *sn = &c->testbed.subnet;
	struct guest_nics gn;
	uint64_t last;

	guest_nics_of(v, &gn);
	if (gn.bond != BOND_NONE && gn.n < 2) {
		snprintf(why, len, "bond %s joins several NICs: nics is none",
			 bond_mode_name(gn.bond));
		return 1;
	}
	if (gn.bond == BOND_FAILOVER &&
	    (!dataplane_passthrough(dp) ||
	     dataplane_table[gn.dataplane[1]].nic != NIC_VIRTIO)) {
		snprintf(why, len, "a failover pair is a VFIO VF (dataplane "
				   "vfio-vf) and a virtio-net standby (nics: "
				   "virtio-bridge)");
		return 1;
	}
	if (v[F_NIC] >= (int64_t)gn.n) {
		snprintf(why, len, "nic %lld: the main guests have %u NIC%s",
			 (long long)v[F_NIC], gn.n, gn.n == 1 ? "" : "s");
		return 1;
	}
	if (v[F_NIC] && gn.bond != BOND_NONE) {
		snprintf(why, len, "nic %lld: the bond holds the address, on "
				   "NIC 0",
			 (long long)v[F_NIC]);
		return 1;
	}
	if (gn.n < 2 || gn.bond != BOND_NONE)
		return 0;
	/* the last NIC's subnet must end inside the benchmarking range */
	last = (uint64_t)guest_nic_addr(sn->addr, sn->len, gn.n) - 1;
	if (last > 0xffffffffu || ((uint32_t)last & BENCH_MASK) != BENCH_NET) {
		snprintf(why, len, "%u NICs need %u subnets of testbed.subnet's "
				   "size (a /%u) inside 198.18.0.0/15",
			 gn.n, gn.n, sn->len);
		return 1;
	}
	return 0;
}

int events_refusal(const int64_t v[FACTOR_COUNT], const struct campaign *c,
		   char *why, size_t len)
{
	const struct dataplane *dp = &dataplane_table[v[F_DATAPLANE]];
	struct event_schedule s;
	struct event_where w;
	struct guest_nics gn;
	int64_t run_ns;
	unsigned i, k;

	if (event_schedule_parse(factor_string(v[F_EVENTS]), &s, why, len))
		return 1;
	if (!s.n)
		return 0;
	guest_nics_of(v, &gn);
	memset(&w, 0, sizeof(w));
	w.vm = dataplane_vm(dp);
	w.nics = gn.n;
	w.bond = gn.bond;
	w.hotplug = v[F_MACHINE] != MACHINE_MICROVM;
	w.local = c->testbed.kind == TESTBED_LOCAL;
	w.passthrough = dataplane_passthrough(dp);
	w.taps_only = true;
	for (k = 0; k < gn.n; k++)
		w.taps_only = w.taps_only &&
			      dataplane_table[gn.dataplane[k]].attach ==
				      ATTACH_TAP_BRIDGE;
	/* the probes' own time: warm-up excluded, they come first */
	run_ns = v[F_COUNT] * 1000000000LL / v[F_RATE];
	for (i = k = 0; i < s.n; i++) {
		if (event_refusal(&s.ev[i], &w, why, len))
			return 1;
		if (s.ev[i].kind == EV_MIGRATE && k++) {
			snprintf(why, len, "one migration per run: its "
					   "destination is started before the "
					   "probes");
			return 1;
		}
		if (s.ev[i].at_ns >= run_ns) {
			snprintf(why, len, "event %s at %.3f s comes after the "
					   "probes end (%lld probes at %lld pps: "
					   "%.3f s)",
				 event_kind_table[s.ev[i].kind].name,
				 s.ev[i].at_ns / 1e9, (long long)v[F_COUNT],
				 (long long)v[F_RATE], run_ns / 1e9);
			return 1;
		}
		/* the load starts its settling time before the probes */
		if (v[F_MEASURE] == MEASURE_THROUGHPUT &&
		    s.ev[i].at_ns + PLAN_TPUT_SETTLE_MS * 1000000LL >=
			    v[F_RUNTIME] * 1000000000LL) {
			snprintf(why, len, "event %s at %.3f s comes after the "
					   "load ends (runtime %lld s, started "
					   "%d ms before the probes)",
				 event_kind_table[s.ev[i].kind].name,
				 s.ev[i].at_ns / 1e9, (long long)v[F_RUNTIME],
				 PLAN_TPUT_SETTLE_MS);
			return 1;
		}
	}
	return 0;
}

int plan_rule_nics(const struct test *t, const struct plan *p, char *why,
		   size_t len)
{
	return nics_refusal(t->v, p->campaign, why, len);
}

int plan_rule_events(const struct test *t, const struct plan *p, char *why,
		     size_t len)
{
	return events_refusal(t->v, p->campaign, why, len);
}
