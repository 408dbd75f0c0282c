// SPDX-License-Identifier: GPL-2.0-or-later
/* iovbench report: statistics of a results database; CSV and JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "report/summary.h"
#include "report/writer.h"
#include "store/store.h"
#include "util/error.h"
#include "util/strbuf.h"

static const char usage_text[] =
	"usage: iovbench report [options] RESULTS.db\n"
	"\n"
	"Print, per test, the runs, loss and the RTT distribution over all\n"
	"repetitions (min, p25, p50, p75, p90, p99, max, mean, stdev), with\n"
	"the factor values as columns, then where the RTT went (capture\n"
	"points), CPU busy%, the background load achieved, its fairness and\n"
	"the interference it caused; or export the tests, runs or every\n"
	"probe as CSV or JSON for pandas or R. Only complete runs count.\n"
	"Works while a campaign is running (the database is in WAL mode).\n"
	"\n"
	"  -f, --format FMT    text (default), csv or json\n"
	"      --csv           same as --format csv\n"
	"      --json          same as --format json\n"
	"  -t, --table TABLE   summary (default): statistics per test;\n"
	"                      tests, runs or probes: the stored rows;\n"
	"                      captures, loads, cpu or processes: what each\n"
	"                      run observed besides its probes\n"
	"  -o, --output FILE   write to FILE instead of standard output\n"
	"  -h, --help          this text\n"
	"\n"
	"Columns are defined in docs/metrics.md and docs/results.md.\n";

/* A table store_export() has: tests, runs, or an exported meter table. */
static bool report_table_known(const char *name)
{
	unsigned k;
	const struct meter_def *d = meter_table_find(name, &k);

	return !strcmp(name, "tests") || !strcmp(name, "runs") ||
	       (d && !d->tables[k].export_as);
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"csv", no_argument, NULL, 'C'},
		{"json", no_argument, NULL, 'J'},
		{"table", required_argument, NULL, 't'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum writer_format fmt = FORMAT_TEXT;
	const char *table = "summary", *output = NULL;
	struct store *s;
	FILE *out = stdout;
	int c, ret;

	while ((c = getopt_long(argc, argv, "f:t:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (writer_format_find(optarg, &fmt)) {
				error("--format: '%s' is not text, csv or json",
				      optarg);
				return EXIT_USAGE;
			}
			break;
		case 'C':
			fmt = FORMAT_CSV;
			break;
		case 'J':
			fmt = FORMAT_JSON;
			break;
		case 't':
			table = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind + 1 != argc)
		cmd_usage(usage_text, EXIT_USAGE);
	if (strcmp(table, "summary") && !report_table_known(table)) {
		struct strbuf names = STRBUF_INIT;

		store_export_names(&names);
		error("--table: '%s' is not summary, %s", table, names.buf);
		strbuf_release(&names);
		return EXIT_USAGE;
	}
	if (store_open(argv[optind], STORE_READ, &s))
		return EXIT_FAIL;
	if (output && !(out = fopen(output, "w"))) {
		error_errno("cannot open '%s'", output);
		store_close(s);
		return EXIT_FAIL;
	}
	if (!strcmp(table, "summary")) {
		ret = report_summary(s, NULL, 0, fmt, out);
	} else {
		struct writer *w = writer_new(fmt, out);

		ret = store_export(s, table, writer_row, w);
		if (writer_finish(w))
			ret = -1;
	}
	if (out != stdout && fclose(out))
		ret = error_errno("cannot write '%s'", output);
	store_close(s);
	return ret ? EXIT_FAIL : EXIT_OK;
}
