/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing and rendering one figure's gnuplot script and data
 * (report/figure.h): DIR/NAME.gp and DIR/NAME.dat, rendered to
 * DIR/NAME.svg (or .png).
 */
#ifndef IOV_REPORT_GNUPLOT_H
#define IOV_REPORT_GNUPLOT_H

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
/* Run gnuplot on it: fig->rendered, or fig->why. */
void gp_render(const char *dir, struct figure *fig);

#endif
