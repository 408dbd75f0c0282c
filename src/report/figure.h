/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Figures as gnuplot scripts that keep their data beside them: each is
 * DIR/fig-NAME.gp and DIR/fig-NAME.dat, rendered to DIR/fig-NAME.svg
 * by gnuplot (gnuplot-nox), so a user can edit the script and render
 * it again (`cd DIR && gnuplot fig-NAME.gp`). A panel is a set of tests
 * that differ only in background and data plane (the paper's figures
 * 5-20: one per load type and location), and the tests without
 * background guests that it is compared with (their load is "none", so
 * they would otherwise be a panel of their own); every title carries what
 * qualifies its numbers: the accelerator, emulated VFs, timestamps.
 */
#ifndef IOV_REPORT_FIGURE_H
#define IOV_REPORT_FIGURE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/series.h"
#include "store/store.h"

struct figure {
	char name[80];	  /* fig-NAME: the files' stem */
	char title[300];  /* for people */
	char qualifiers[200]; /* accel, VFs, timestamps: its second line */
	char caption[300];
	bool png;	  /* rendered as PNG: too many points for SVG */
	bool rendered;	  /* the SVG (PNG) exists */
	char why[160];	  /* else why not */
};

struct figures {
	struct figure *v;
	size_t n, alloc;
};

/*
 * Write every figure of the series into dir (which must exist) and
 * render each with gnuplot if it is installed: per panel, box plots of
 * the RTT, the CDF of every test's RTT, the RTT of every probe in the
 * order sent (scatter) and CPU busy%; the RTT's p50 and p99 against the
 * probe rate; Kendall's tau of the RTT and the
 * sender's CPU against the background count (the paper's figure 21);
 * for load-latency tests report/figure_loadlat.c's.
 * 0, or -1 if a file could not be written.
 */
int figure_write_all(const char *dir, struct store *st,
		     const struct series *s, struct figures *out);
void figure_release(struct figures *f);

struct panel;
/*
 * CPU busy% of each server against the panel's x factor (xlabel), a
 * line per data plane: 0 (also when nothing was measured: no figure)
 * or -1.
 */
int figure_cpu(const char *dir, const struct series *s,
	       const struct panel *p, size_t k, struct figures *out,
	       const char *xlabel);

#endif
