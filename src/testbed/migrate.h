/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live migration of a main VM on the local testbed: a destination QEMU
 * started with -incoming on the same server and network (its own taps
 * in the PF's bridge), which after the migration takes the source's
 * place in struct testbed. The two alternate between the names
 * PREFIX-X-main and PREFIX-X-mig (taps PREFIX-main*, PREFIX-mig*), so a
 * later run migrates back.
 */
#ifndef IOV_TESTBED_MIGRATE_H
#define IOV_TESTBED_MIGRATE_H

#include <stddef.h>

#include "testbed/testbed.h"

/*
 * Start dst, the destination of g: its taps and a QEMU waiting for the
 * migration on uri (unix:RUNDIR/NAME.mig). Waits until its QMP answers.
 * 0 or -1.
 */
int migrate_prepare(struct testbed *tb, const struct guest *g,
		    struct guest *dst, char *uri, size_t len);
/*
 * After a completed migration: the source QEMU quits, its taps go, and
 * dst becomes g (its channel opened). 0 or -1.
 */
int migrate_adopt(struct testbed *tb, struct guest *g, struct guest *dst);
/* A migration that did not happen: dst quits and its taps go. */
void migrate_abandon(struct testbed *tb, struct guest *dst);

#endif
