// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench hist: the latency histogram of each load-latency test,
 * accumulated over its runs (the sum of their counts), as the
 * latency_ns,count CSV that MoonGen and autotest write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/hist.h"
#include "core/plan.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"

struct test_hist {
	char id[TEST_ID_LEN + 1];
	struct hist h;
};

struct hist_acc {
	const char *only; /* a test id, or NULL: every test */
	bool intended;
	struct test_hist *v;
	size_t n;
	int bad;
};

static int col(const struct store_row *row, const char *name)
{
	int i;

	for (i = 0; i < row->n; i++) {
		if (!strcmp(row->names[i], name))
			return i;
	}
	return -1;
}

static int hist_row(const struct store_row *row, void *data)
{
	struct hist_acc *a = data;
	int run = col(row, "run_id"), val = col(row, "value_ns");
	int cnt = col(row, a->intended ? "frames_intended" : "frames");
	char id[TEST_ID_LEN + 1];
	unsigned long long v, c;
	size_t i, len;

	if (run < 0 || val < 0 || cnt < 0 || !row->values[run] ||
	    !row->values[val] || !row->values[cnt])
		return 0;
	len = strcspn(row->values[run], "/");
	if (len > TEST_ID_LEN)
		return 0;
	memcpy(id, row->values[run], len);
	id[len] = '\0';
	if (a->only && strcmp(a->only, id))
		return 0;
	v = strtoull(row->values[val], NULL, 10);
	c = strtoull(row->values[cnt], NULL, 10);
	for (i = 0; i < a->n && strcmp(a->v[i].id, id); i++)
		;
	if (i == a->n) {
		a->v = xrealloc(a->v, (a->n + 1) * sizeof(*a->v));
		snprintf(a->v[i].id, sizeof(a->v[i].id), "%s", id);
		hist_init(&a->v[i].h);
		a->n++;
	}
	if (c && hist_add_bucket(&a->v[i].h, v, c))
		a->bad++;
	return 0;
}

static int hist_main(struct cmd_ctx *ctx)
{
	struct hist_acc a = {0};
	struct strbuf out = STRBUF_INIT;
	struct store *s;
	size_t i;
	int ret;
	const struct option_spec options[] = {
		OPT_FLAG('I', "intended", &a.intended,
			 "latency from the intended send time (coordinated "
			 "omission counted)"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (ctx->argc > 1)
		a.only = ctx->argv[1];
	if (store_open(ctx->argv[0], STORE_READ, &s))
		return EXIT_FAIL;
	ret = store_export(s, "loadlat_histograms", hist_row, &a);
	store_close(s);
	if (a.bad)
		warning("%d stored rows name no histogram bucket: skipped",
			a.bad);
	if (!ret && a.only && !a.n)
		ret = error("no histogram of test '%s' in '%s'", a.only,
			    ctx->argv[0]);
	for (i = 0; !ret && i < a.n; i++) {
		if (a.only) {
			hist_write_csv(&a.v[i].h, &out);
		} else {
			struct strbuf one = STRBUF_INIT;
			const char *p;

			hist_write_csv(&a.v[i].h, &one);
			if (!i)
				strbuf_addstr(&out, "test,latency_ns,count\n");
			/* below its header line, each prefixed by the test */
			for (p = strchr(one.buf, '\n') + 1; *p;) {
				const char *nl = strchr(p, '\n');

				strbuf_addf(&out, "%s,%.*s\n", a.v[i].id,
					    (int)(nl - p), p);
				p = nl + 1;
			}
			strbuf_release(&one);
		}
	}
	fputs(out.buf, stdout);
	strbuf_release(&out);
	for (i = 0; i < a.n; i++)
		hist_release(&a.v[i].h);
	free(a.v);
	return ret ? EXIT_FAIL : EXIT_OK;
}

const struct command cmd_hist = {
	.name = "hist",
	.summary = "latency histograms of load-latency tests, as CSV",
	.fn = hist_main,
	.usage = "iovbench hist [--intended] RESULTS.db [TEST]",
	.doc = "Print the latency histogram of load-latency test TEST, "
	       "accumulated over\n"
	       "its complete runs (the sum of their counts), as the CSV that "
	       "MoonGen\n"
	       "and autotest write:\n"
	       "  latency_ns,count\n"
	       "latency_ns is the lowest value of each bucket used "
	       "(docs/metrics.md).\n"
	       "Without TEST: every test's, as test,latency_ns,count.\n",
	.min_args = 1,
	.max_args = 2,
};
