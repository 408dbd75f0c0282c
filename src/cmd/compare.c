// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench compare: each test of a baseline database against the same
 * test (by identity) in another, for continuous benchmarking. Exit 1
 * when some headline metric regressed: worse by more than the tolerance
 * and significantly so (core/regress.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/pairing.h"
#include "core/regress.h"
#include "report/writer.h"
#include "store/store.h"
#include "util/error.h"
#include "util/strbuf.h"

#define LEVEL 0.95

struct compare_args {
	enum writer_format fmt;
	double tolerance; /* relative */
	const char *output;
};

static int format_option(const struct option_spec *o, const char *arg)
{
	if (writer_format_find(arg, o->value))
		return error("--format: '%s' is not text, csv or json", arg);
	return 0;
}

/* "5%", "5" (percent) */
static int tolerance_option(const struct option_spec *o, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || (*end && strcmp(end, "%")) || !(v >= 0) ||
	    v > 1000)
		return error("--tolerance: '%s' is not a percentage (5%%)",
			     arg);
	*(double *)o->value = v / 100;
	return 0;
}

struct headline {
	const char *name;
	struct regress r;
};

/* a number, or NULL (empty, JSON null) when it is not one */
static const char *num(char *buf, size_t len, const char *fmt, double v)
{
	if (isnan(v) || isinf(v))
		return NULL;
	snprintf(buf, len, fmt, v);
	return buf;
}

static const char *verdict_name(const struct regress *r)
{
	if (r->regressed)
		return "regressed";
	if (r->improved)
		return "improved";
	return r->significant ? "within tolerance" : "no significant change";
}

static int write_row(struct writer *w, const char *label,
		     const struct headline *h, bool is_pct)
{
	static const char *names[] = {"test",	 "metric",     "unit",
				      "base",	 "new",	       "change_pct",
				      "diff_lo", "diff_hi",    "p",
				      "verdict"};
	static const bool numeric[] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 0};
	char buf[6][48];
	double div = is_pct ? 1 : 1e3;
	const char *values[] = {
		label,
		h->name,
		is_pct ? "%" : "us",
		num(buf[0], sizeof(buf[0]), "%.3f", h->r.base / div),
		num(buf[1], sizeof(buf[1]), "%.3f", h->r.now / div),
		num(buf[2], sizeof(buf[2]), "%.2f", 100 * h->r.change),
		num(buf[3], sizeof(buf[3]), "%.3f", h->r.lo / div),
		num(buf[4], sizeof(buf[4]), "%.3f", h->r.hi / div),
		num(buf[5], sizeof(buf[5]), "%.3g", h->r.p),
		verdict_name(&h->r),
	};
	struct store_row row = {10, names, values, numeric};

	return writer_row(&row, w);
}

static int compare_main(struct cmd_ctx *ctx)
{
	struct compare_args a = {0};
	struct store *sb = NULL, *sn = NULL;
	struct series base, now;
	struct strbuf lines = STRBUF_INIT;
	bool varies[FACTOR_COUNT];
	size_t i, j, matched = 0, regressed = 0;
	struct writer *w;
	FILE *out = stdout;
	int ret = EXIT_FAIL, sent, loss;
	const struct option_spec options[] = {
		OPT_CALLBACK('t', "tolerance", &a.tolerance, "PCT",
			     tolerance_option,
			     "a change smaller than PCT of the baseline is no "
			     "regression, significant or not",
			     .def = "5%"),
		OPT_CALLBACK('f', "format", &a.fmt, "FMT", format_option,
			     "text, csv or json", .def = "text"),
		OPT_SET(0, "csv", &a.fmt, FORMAT_CSV, "same as --format csv"),
		OPT_SET(0, "json", &a.fmt, FORMAT_JSON,
			"same as --format json"),
		OPT_STRING('o', "output", &a.output, "FILE",
			   "write the table to FILE instead of standard "
			   "output"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	if (store_open(ctx->argv[0], STORE_READ, &sb))
		return EXIT_FAIL;
	if (store_open(ctx->argv[1], STORE_READ, &sn))
		goto close;
	if (store_load_series(sb, NULL, 0, &base))
		goto close;
	if (store_load_series(sn, NULL, 0, &now))
		goto release_base;
	if (a.output && !(out = fopen(a.output, "w"))) {
		error_errno("cannot open '%s'", a.output);
		goto release;
	}
	sent = series_metric_find(&base, "sent");
	loss = series_metric_find(&base, "loss_pct");
	pairing_varying(&base, varies);
	w = writer_new(a.fmt, out);
	ret = EXIT_OK;
	for (i = 0; i < base.ntests; i++) {
		const struct series_test *tb = &base.tests[i], *tn = NULL;
		struct headline h[3] = {{.name = "p50"}, {.name = "p99"},
					{.name = "loss"}};
		double *xb, *xn;
		size_t nb, nn, k;
		char label[256];

		for (j = 0; j < now.ntests && !tn; j++) {
			if (!strcmp(now.tests[j].id, tb->id))
				tn = &now.tests[j];
		}
		if (!tn)
			continue;
		matched++;
		if (store_samples(sb, tb->id, "probes", "rtt_ns", &xb, &nb))
			goto fail;
		if (store_samples(sn, tn->id, "probes", "rtt_ns", &xn, &nn)) {
			free(xb);
			goto fail;
		}
		regress_median(xb, nb, xn, nn, LEVEL, a.tolerance, &h[0].r);
		regress_quantile(xb, nb, xn, nn, 0.99, LEVEL, a.tolerance,
				 &h[1].r);
		free(xb);
		free(xn);
		regress_loss(tb->values[sent].d * tb->values[loss].d / 100,
			     tb->values[sent].d,
			     tn->values[sent].d * tn->values[loss].d / 100,
			     tn->values[sent].d, LEVEL, a.tolerance, &h[2].r);
		pairing_label(tb, varies, -1, label, sizeof(label));
		for (k = 0; k < 3; k++) {
			const struct regress *r = &h[k].r;
			char p[32];

			if (write_row(w, label, &h[k], k == 2))
				goto fail;
			if (!r->regressed)
				continue;
			regressed++;
			snprintf(p, sizeof(p), isnan(r->p) ? "intervals apart" :
							     "p = %.2g",
				 r->p);
			strbuf_addf(&lines,
				    "regressed: %s: %s %+.1f %% (%.3f -> %.3f "
				    "%s, %s), tolerance %.0f %%\n",
				    label, h[k].name, 100 * r->change,
				    r->base / (k == 2 ? 1 : 1e3),
				    r->now / (k == 2 ? 1 : 1e3),
				    k == 2 ? "%" : "us", p,
				    100 * a.tolerance);
		}
	}
	if (writer_finish(w))
		ret = EXIT_FAIL;
	w = NULL;
	fputs(lines.buf, stderr);
	fprintf(stderr,
		"compare: %zu tests in both, %zu only in '%s', %zu only in "
		"'%s'; %zu regressions\n",
		matched, base.ntests - matched, ctx->argv[0],
		now.ntests - matched, ctx->argv[1], regressed);
	if (ret == EXIT_OK && regressed)
		ret = EXIT_FAIL;
	/* an unrelated baseline must not pass a CI job */
	if (ret == EXIT_OK && !matched) {
		error("no test is in both '%s' and '%s'", ctx->argv[0],
		      ctx->argv[1]);
		ret = EXIT_FAIL;
	}
	goto done;
fail:
	writer_finish(w);
	ret = EXIT_FAIL;
done:
	if (out != stdout && fclose(out)) {
		error_errno("cannot write '%s'", a.output);
		ret = EXIT_FAIL;
	}
release:
	series_release(&now);
release_base:
	series_release(&base);
close:
	strbuf_release(&lines);
	store_close(sn);
	store_close(sb);
	return ret;
}

const struct command cmd_compare = {
	.name = "compare",
	.summary = "a results database against a baseline: exit 1 on a "
		   "regression",
	.fn = compare_main,
	.usage = "iovbench compare [options] BASELINE.db NEW.db",
	.doc = "Join the tests of two databases by identity (their factor "
	       "values) and,\n"
	       "per test, report the change of the RTT's p50 (the "
	       "Hodges-Lehmann\n"
	       "shift over the probes, its 95 % interval, Mann-Whitney's "
	       "p), of its\n"
	       "p99 (significant when the 95 % intervals from order "
	       "statistics are\n"
	       "apart) and of the loss (two-proportion z-test). A metric "
	       "regressed\n"
	       "when it is worse by more than --tolerance of the baseline "
	       "and\n"
	       "significantly so; each regression gets a line on standard "
	       "error.\n",
	.footer = "Exit status: 0 no regression, 1 a regression, no test in "
		  "both, or an\nerror, 2 usage.\n"
		  "Definitions: docs/metrics.md (compare).\n",
	.min_args = 2,
	.max_args = 2,
};
