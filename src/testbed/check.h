/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iovbench testbed check (testbed/check.c). */
#ifndef IOV_TESTBED_CHECK_H
#define IOV_TESTBED_CHECK_H

#include <stdbool.h>

#include "core/plan.h"
#include "testbed/base.h"
#include "util/strbuf.h"

struct testbed_check_opts {
	const char *exe; /* this iovbench, what --install copies */
	bool install;
	bool dry;
};

/* What each server lacks, said in out; the number of things missing. */
int testbed_check(const struct campaign *c, const struct plan *p,
		  const struct testbed_check_opts *o, struct strbuf *out);

#endif
