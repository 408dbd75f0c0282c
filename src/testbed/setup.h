/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Setups: what the guests of a test are (its guest-level factors).
 * Tests that share a setup run on the same guests. Pure.
 */
#ifndef IOV_TESTBED_SETUP_H
#define IOV_TESTBED_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/factor.h"
#include "util/strbuf.h"

struct campaign;
struct test;

/* What the guests are: the guest-level factors of a test. */
struct setup {
	int dataplane; /* index into dataplane_table */
	enum machine_kind machine;
	int64_t qemu; /* interned "name[:path]" */
	bool vhost;
	int64_t qemu_props; /* interned: a name of the campaign's, or none */
	enum macvtap_mode macvtap;
	int64_t nics; /* interned: the main VMs' NICs after the first */
	enum bond_mode bond;
	unsigned background; /* per server */
	bool bg_vm;	     /* background guests are VMs */
	enum bg_dataplane bg_dataplane;
	unsigned pairs; /* measured pairs of main guests (1: the main two) */
	/* loadlat: guests under test on the responder (1: its main guest) */
	unsigned guests;
};

void setup_of_test(const struct test *t, struct setup *su);
/* The main guests are the same; the background guests are the same. */
bool setup_main_equal(const struct setup *a, const struct setup *b);
bool setup_bg_equal(const struct setup *a, const struct setup *b);
bool setup_equal(const struct setup *a, const struct setup *b);
/* "virtio-bridge machine=microvm background=2 (netns, bridge)" */
void setup_label(const struct setup *su, struct strbuf *out);
/*
 * Main guests of su boot the guest image (not a user's disk), or its
 * background guests are VMs.
 */
bool setup_needs_image(const struct setup *su, const struct campaign *c);

#endif
