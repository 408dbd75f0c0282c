// SPDX-License-Identifier: GPL-2.0-or-later
#include "runner/progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/time.h"

double progress_eta(double elapsed, double expected_done,
		    double expected_total)
{
	double left = expected_total - expected_done;

	if (left <= 0)
		return 0;
	/* until something is done, trust the runs' own lengths */
	if (expected_done <= 0 || elapsed <= 0)
		return left;
	/* the host runs at elapsed/expected_done of the nominal speed
	 * (set-up, spawning, waiting for late replies all count) */
	return left * elapsed / expected_done;
}

void progress_start(struct progress *p, size_t total, double expected_s)
{
	memset(p, 0, sizeof(*p));
	p->total = total;
	p->expected_total = expected_s;
	p->started = now_mono();
	p->tty = isatty(STDERR_FILENO);
	p->quiet = iov_verbosity < 0;
}

static void clear_line(struct progress *p)
{
	if (p->line_open) {
		fputs("\r\033[K", stderr);
		p->line_open = false;
	}
}

static void format_eta(double s, char *buf, size_t len)
{
	unsigned long t = (unsigned long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60,
			 t % 60);
	else
		snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

void progress_run(struct progress *p, const char *label, double expected_s)
{
	double elapsed = (double)(now_mono() - p->started) / 1e9;
	char eta[32];
	int width = snprintf(NULL, 0, "%zu", p->total);

	(void)expected_s;
	if (p->quiet)
		return;
	format_eta(progress_eta(elapsed, p->expected_done, p->expected_total),
		   eta, sizeof(eta));
	clear_line(p);
	fprintf(stderr, "[%*zu/%zu] eta %s  %s", width, p->done + 1, p->total,
		eta, label);
	if (p->tty) {
		p->line_open = true;
	} else {
		fputc('\n', stderr);
	}
	fflush(stderr);
}

void progress_end_run(struct progress *p, double expected_s)
{
	p->done++;
	p->expected_done += expected_s;
}

void progress_note(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	if (p->quiet)
		return;
	clear_line(p);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void progress_finish(struct progress *p)
{
	if (!p->quiet)
		clear_line(p);
}
