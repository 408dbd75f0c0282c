/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Several NICs per main guest (the nics, bond and nic factors) and the
 * events a run schedules on them: which NICs a test's guests have,
 * their addresses, and the plan's rules for both. Pure.
 */
#ifndef IOV_CORE_NICS_H
#define IOV_CORE_NICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/factor.h"

struct campaign;

/* A test's main-guest NICs: NIC 0 the data plane's, then nics'. */
struct guest_nics {
	unsigned n;
	int dataplane[GUEST_NICS_MAX]; /* dataplane_table index of each */
	enum bond_mode bond;
};

/* The NICs of a test of factor values v (nics must have parsed). */
void guest_nics_of(const int64_t v[FACTOR_COUNT], struct guest_nics *gn);

/*
 * The address of NIC k of a guest whose NIC 0 has addr, in a subnet of
 * plen bits: NIC k sits in the k-th subnet after it, so that each NIC
 * has a connected route of its own and the probes of `nic: k` leave
 * through it.
 */
uint32_t guest_nic_addr(uint32_t addr, unsigned plen, unsigned k);

/* The plan's rules ("nics", "events"): 0, or 1 with why. */
int nics_refusal(const int64_t v[FACTOR_COUNT], const struct campaign *c,
		 char *why, size_t len);
int events_refusal(const int64_t v[FACTOR_COUNT], const struct campaign *c,
		   char *why, size_t len);

/* The same as the plan's rules (core/plan.c's table). */
struct test;
struct plan;
int plan_rule_nics(const struct test *t, const struct plan *p, char *why,
		   size_t len);
int plan_rule_events(const struct test *t, const struct plan *p, char *why,
		     size_t len);

#endif
