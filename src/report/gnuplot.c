// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gnuplot's side of the figures: files, the scripts' common head, and
 * rendering. The scripts are plain gnuplot 5 with the data file named
 * relative to the script, so the directory can be moved; gnuplot is run
 * with its working directory there.
 */
#include "report/gnuplot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/proc.h"
#include "util/alloc.h"
#include "util/error.h"

#define GNUPLOT_TIMEOUT_NS (60 * 1000000000LL)

FILE *gp_open(const char *dir, const char *name, const char *ext)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	f = fopen(path, "w");
	if (!f)
		error_errno("cannot open '%s'", path);
	return f;
}

int gp_close(FILE *f, const char *dir, const char *name, const char *ext)
{
	if (fclose(f))
		return error_errno("cannot write '%s/%s.%s'", dir, name, ext);
	return 0;
}

/* gnuplot strings are in double quotes: keep them clean */
void gp_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\\' ? '\'' : *s, f);
	fputc('"', f);
}

void gp_head(FILE *f, const struct figure *fig, const char *ylabel,
	     const char *xlabel)
{
	fprintf(f, "# %s: made by iovbench report --html; edit and run\n"
		   "# 'gnuplot %s.gp' in this directory to render it again\n",
		fig->name, fig->name);
	if (fig->png)
		fprintf(f, "set terminal pngcairo size 900,460 font "
			   "'sans,10' background '#ffffff'\n");
	else
		fprintf(f, "set terminal svg size 900,460 dynamic font "
			   "'sans,11' background '#ffffff'\n");
	fprintf(f, "set output '%s.%s'\n", fig->name, fig->png ? "png" : "svg");
	fprintf(f, "set title ");
	gp_string(f, fig->title);
	fprintf(f, " . \"\\n\" . ");
	gp_string(f, fig->qualifiers);
	fprintf(f, " font ',10' noenhanced\nset ylabel '%s'\n", ylabel);
	fprintf(f, "set xlabel '%s'\n", xlabel);
	fprintf(f, "set key outside right top noenhanced\nset grid ytics\n");
}

void gp_xtics(FILE *f, const struct panel *p)
{
	size_t i;

	fprintf(f, "set xtics (");
	for (i = 0; i < p->nx; i++) {
		char v[64];

		factor_format_human(p->fx, p->xs[i], v, sizeof(v));
		fprintf(f, "%s'%s' %zu", i ? ", " : "", v, i);
	}
	fprintf(f, ")\nset xrange [-0.6:%zu.6]\n", p->nx - 1);
}

struct figure *gp_figure(struct figures *out, const char *fmt, size_t k,
			 const struct panel *p)
{
	struct figure *fig;

	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	fig = &out->v[out->n++];
	memset(fig, 0, sizeof(*fig));
	snprintf(fig->name, sizeof(fig->name), fmt, k);
	snprintf(fig->qualifiers, sizeof(fig->qualifiers), "%s",
		 p->qualifiers);
	return fig;
}

bool gp_panel_has(const struct series *s, const struct panel *p,
		  const int *m, size_t n)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		for (j = 0; j < n; j++) {
			if (m[j] >= 0 &&
			    s->tests[p->tests[i]].values[m[j]].type == CELL_REAL)
				return true;
		}
	}
	return false;
}

int gp_by_dp_data(const char *dir, const struct figure *fig,
		  const struct series *s, const struct panel *p, const int *m,
		  size_t n, double scale, const char *head)
{
	FILE *f = gp_open(dir, fig->name, "dat");
	size_t d, i, j;

	if (!f)
		return -1;
	fprintf(f, "# %s; one block per data plane\n", head);
	for (d = 0; d < p->ndp; d++) {
		fprintf(f, "%s", d ? "\n\n" : "");
		for (i = 0; i < p->n; i++) {
			const struct series_test *t = &s->tests[p->tests[i]];

			if (t->v[F_DATAPLANE] != p->dps[d])
				continue;
			fprintf(f, "%zu", panel_x(p, t->v[p->fx]));
			for (j = 0; j < n; j++) {
				const struct metric_value *v =
					m[j] < 0 ? NULL : &t->values[m[j]];

				if (v && v->type == CELL_REAL)
					fprintf(f, " %.3f", v->d / scale);
				else
					fprintf(f, " NaN");
			}
			fputc('\n', f);
		}
	}
	return gp_close(f, dir, fig->name, "dat");
}

int gp_pair_script(const char *dir, const struct figure *fig,
		   const struct panel *p, const char *ylabel,
		   const char *xlabel, const char *settings, const char *first,
		   const char *second)
{
	FILE *f = gp_open(dir, fig->name, "gp");
	size_t d;

	if (!f)
		return -1;
	gp_head(f, fig, ylabel, xlabel);
	gp_xtics(f, p);
	fprintf(f, "%splot \\\n", settings);
	for (d = 0; d < p->ndp; d++) {
		char dp[64];

		factor_format(F_DATAPLANE, p->dps[d], dp, sizeof(dp));
		fprintf(f,
			"  '%s.dat' index %zu using 1:2 with linespoints lc "
			"%zu pt 7 title '%s %s'",
			fig->name, d, d + 1, dp, first);
		if (second)
			fprintf(f,
				", \\\n  '' index %zu using 1:3 with "
				"linespoints lc %zu dt 2 pt 6 title '%s %s'",
				d, d + 1, dp, second);
		fprintf(f, "%s\n", d + 1 < p->ndp ? ", \\" : "");
	}
	return gp_close(f, dir, fig->name, "gp");
}

void gp_render(const char *dir, struct figure *fig)
{
	char cd[4200], script[100], svg[4200];
	char *argv[] = {"gnuplot", "-e", cd, script, NULL};
	struct spawn_opts o = {0};
	int rc;

	/* gnuplot has no -C: cd first, then the script (argument order) */
	snprintf(cd, sizeof(cd), "cd '%s'", dir);
	snprintf(script, sizeof(script), "%s.gp", fig->name);
	snprintf(svg, sizeof(svg), "%s/%s.%s", dir, fig->name,
		 fig->png ? "png" : "svg");
	rc = proc_run(argv, &o, GNUPLOT_TIMEOUT_NS, NULL);
	if (rc == 127)
		snprintf(fig->why, sizeof(fig->why),
			 "gnuplot is not installed (Debian: gnuplot-nox)");
	else if (rc)
		snprintf(fig->why, sizeof(fig->why),
			 "gnuplot failed (exit %d): see its script", rc);
	else if (access(svg, R_OK))
		snprintf(fig->why, sizeof(fig->why), "gnuplot made no %s",
			 fig->png ? "PNG" : "SVG");
	else
		fig->rendered = true;
}

