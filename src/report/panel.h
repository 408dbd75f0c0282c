/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Panels of a figure (report/figure.c): tests that differ only in the
 * figure's x factor (fx: the background count, the probe rate) and the
 * data plane, each figure one panel. Labels for people. Pure.
 */
#ifndef IOV_REPORT_PANEL_H
#define IOV_REPORT_PANEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/series.h"

struct panel {
	int fx;	       /* the x axis' factor */
	size_t *tests; /* indexes into s->tests, by the value of fx */
	size_t n;
	int64_t *dps, *xs; /* distinct data planes, values of fx (sorted) */
	size_t ndp, nx;
	char label[256];      /* what the panel's tests share */
	char qualifiers[200]; /* accel, VFs, timestamps */
};

/* The panels of the series over fx; free with panels_free(). */
size_t panels_make(const struct series *s, int fx, struct panel **out);
void panels_free(struct panel *p, size_t n);
/* The position of value v of fx on the panel's x axis. */
size_t panel_x(const struct panel *p, int64_t v);
/* Fill p->qualifiers from its tests (accel, emulated VFs, timestamps). */
void panel_qualify(const struct series *s, struct panel *p);

#endif
