/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The records' text (core/probe.h has its layout) written and read one
 * record at a time: the prober writes each record when its probe is
 * over, the runner reads them from a file as they come, and neither
 * holds a run's records whole. Untrusted (a guest writes them): the
 * stream reader is the whole-text parser's line by line, fuzzed with it.
 */
#ifndef IOV_CORE_RECORDS_H
#define IOV_CORE_RECORDS_H

#include <stdio.h>

#include "core/probe.h"
#include "util/strbuf.h"

/* A record's line is shorter than this (8 numbers of <= 20 digits). */
#define RECORD_LINE_MAX 512

/* The header, through the columns' line. */
void records_format_header(const struct probe_meta *m, struct strbuf *out);
/* One record's line, '\n' included, into buf; its length. */
int records_format_row(const struct probe_rec *r, char *buf, size_t len);

struct records_stream {
	FILE *f;
	struct probe_meta meta;
	unsigned line;	/* the last line read */
	uint64_t n;	/* records read */
	char buf[RECORD_LINE_MAX];
};

/* Read the header from f: 0, or -1 with "line N: what" in err. */
int records_stream_open(struct records_stream *rs, FILE *f,
			struct strbuf *err);
/*
 * The next record: 1; 0 at the end of the file once all the header's
 * count were read; -1 with "line N: what" in err (a bad or missing
 * record, more than announced).
 */
int records_stream_next(struct records_stream *rs, struct probe_rec *r,
			struct strbuf *err);

#endif
