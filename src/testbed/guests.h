/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the testbed: how testbed.c (servers, wire, cleanup) and
 * guests.c (main and background guests, the PF's bridge) share a guest's
 * identity. Not for the rest of iovbench: it uses testbed/testbed.h.
 */
#ifndef IOV_TESTBED_GUESTS_H
#define IOV_TESTBED_GUESTS_H

#include "testbed/testbed.h"

/* Name, address and MAC of guest slot (0: main, 1+i: background i). */
void guest_init(struct testbed *tb, struct guest *g, enum server_id s,
		unsigned slot);

#endif
