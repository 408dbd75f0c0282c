/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing and rendering one figure's gnuplot script and data
 * (report/figure.h): DIR/NAME.gp and DIR/NAME.dat, rendered to
 * DIR/NAME.svg (or .png).
 */
#ifndef IOV_REPORT_GNUPLOT_H
#define IOV_REPORT_GNUPLOT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/figure.h"
#include "report/panel.h"

/* DIR/NAME.EXT for writing, or NULL and a message. */
FILE *gp_open(const char *dir, const char *name, const char *ext);
/* Close it; -1 and a message if it could not be written. */
int gp_close(FILE *f, const char *dir, const char *name, const char *ext);
/* A gnuplot string, in double quotes. */
void gp_string(FILE *f, const char *s);
/* The script's head: terminal, output, title with the qualifiers. */
void gp_head(FILE *f, const struct figure *fig, const char *ylabel,
	     const char *xlabel);
/* x tics at 0.. for the panel's values of its x factor. */
void gp_xtics(FILE *f, const struct panel *p);
/* A new figure in out, named fmt with k, qualified like panel p. */
struct figure *gp_figure(struct figures *out, const char *fmt, size_t k,
			 const struct panel *p);
/*
 * Does any test of panel p have a number for one of the metrics m (n of
 * them, -1 = not in the series)?
 */
bool gp_panel_has(const struct series *s, const struct panel *p,
		  const int *m, size_t n);
/*
 * NAME.dat of a figure with a line per data plane: one block per data
 * plane of p, a row per test: its x position, then metrics m (n of
 * them) divided by scale, NaN where a test has none; head says the
 * columns. 0 or -1.
 */
int gp_by_dp_data(const char *dir, const struct figure *fig,
		  const struct series *s, const struct panel *p, const int *m,
		  size_t n, double scale, const char *head);
/*
 * NAME.gp of such a figure with two lines per data plane (columns 2 and
 * 3, solid and dashed: first and second in their titles; second NULL:
 * column 2 only).
 */
int gp_pair_script(const char *dir, const struct figure *fig,
		   const struct panel *p, const char *ylabel,
		   const char *xlabel, const char *settings, const char *first,
		   const char *second);
/* Run gnuplot on it: fig->rendered, or fig->why. */
void gp_render(const char *dir, struct figure *fig);

#endif
