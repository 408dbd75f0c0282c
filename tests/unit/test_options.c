// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <stdbool.h>

#include "core/options.h"
#include "util/error.h"

/* The values a table of every kind of entry fills. */
struct vals {
	int64_t count, timeout;
	unsigned size;
	uint16_t port;
	bool busy, dry;
	int fmt;
	const char *netns, *iface;
	int cb_calls;
	const char *cb_arg;
};

static int take_cb(const struct option_spec *o, const char *arg)
{
	struct vals *v = o->value;

	v->cb_calls++;
	v->cb_arg = arg;
	return strcmp(arg, "bad") ? 0 : error("%s: bad", o->long_name);
}

/* messages go here, not to stderr */
static struct strbuf errors = STRBUF_INIT;

static void to_errors(const char *line)
{
	strbuf_addstr(&errors, line);
}

#define TABLE(v)                                                             \
	{                                                                    \
		OPT_INT('c', "count", &(v)->count, "N", 1, 1000000,         \
			"probes", .def = "100"),                            \
		OPT_INT('s', "size", &(v)->size, "BYTES", 64, 1518,         \
			"frame size", .def = "64"),                         \
		OPT_PORT('p', "port", &(v)->port, "UDP port", .def = "7"),  \
		OPT_DURATION('W', "timeout", &(v)->timeout, "DUR",          \
			     "wait this long", .def = "1s"),                \
		OPT_FLAG('B', "busy-poll", &(v)->busy, "spin"),             \
		OPT_FLAG('n', "dry-run", &(v)->dry, "change nothing"),      \
		OPT_SET(0, "csv", &(v)->fmt, 2, "csv output"),              \
		OPT_STRING(0, "netns", &(v)->netns, "NAME", "namespace"),   \
		OPT_CALLBACK('k', "kind", (v), "KIND", take_cb, "a kind"),  \
		OPT_END(),                                                   \
	}

static int parse(struct vals *v, char **argv, unsigned flags)
{
	const struct option_spec opts[] = TABLE(v);
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(v, 0, sizeof(*v));
	strbuf_reset(&errors);
	return options_parse(argc, argv, opts, flags);
}

static void test_defaults(void **state)
{
	char *argv[] = {"probe", NULL};
	struct vals v;

	(void)state;
	assert_int_equal(parse(&v, argv, 0), 0);
	assert_int_equal(v.count, 100);
	assert_int_equal(v.size, 64);
	assert_int_equal(v.port, 7);
	assert_int_equal(v.timeout, 1000000000);
	assert_false(v.busy);
	assert_null(v.netns);
	assert_int_equal(v.cb_calls, 0);
}

static void test_forms(void **state)
{
	char *argv[] = {"probe", "-c", "10k", "ADDR", "--size=128", "-Bn",
			"--port", "9", "-W250ms", "--csv", "--netns", "-x",
			"-kudp", "--", "-c", NULL};
	struct vals v;

	(void)state;
	assert_int_equal(parse(&v, argv, 0), 2);
	assert_string_equal(argv[0], "ADDR");
	assert_string_equal(argv[1], "-c");
	assert_null(argv[2]);
	assert_int_equal(v.count, 10000);
	assert_int_equal(v.size, 128);
	assert_int_equal(v.port, 9);
	assert_int_equal(v.timeout, 250000000);
	assert_true(v.busy);
	assert_true(v.dry);
	assert_int_equal(v.fmt, 2);
	/* a value is the next word, whatever it looks like */
	assert_string_equal(v.netns, "-x");
	assert_string_equal(v.cb_arg, "udp");
}

static void test_abbrev(void **state)
{
	char *ok[] = {"run", "--dry", "--coun=5", NULL};
	char *amb[] = {"run", "--c", "5", NULL};
	struct vals v;

	(void)state;
	assert_int_equal(parse(&v, ok, 0), 0);
	assert_true(v.dry);
	assert_int_equal(v.count, 5);
	/* --c: --count or --csv */
	assert_int_equal(parse(&v, amb, 0), OPTIONS_USAGE);
	assert_non_null(strstr(errors.buf, "'--c' is ambiguous"));
}

static void test_stop_at_arg(void **state)
{
	char *argv[] = {"op", "-B", "link-add", "-c", "x", NULL};
	struct vals v;

	(void)state;
	assert_int_equal(parse(&v, argv, OPTIONS_STOP_AT_ARG), 3);
	assert_true(v.busy);
	assert_string_equal(argv[0], "link-add");
	assert_string_equal(argv[1], "-c");
	assert_int_equal(v.count, 100);
}

static void test_errors(void **state)
{
	static const struct {
		const char *args[4];
		int ret;
		const char *msg;
	} cases[] = {
		{{"--cuont", "5"}, OPTIONS_USAGE,
		 "unknown option '--cuont' (did you mean '--count'?)"},
		{{"--bogus"}, OPTIONS_USAGE, "unknown option '--bogus'"},
		{{"-x"}, OPTIONS_USAGE, "unknown option '-x'"},
		{{"--count"}, OPTIONS_USAGE, "option '--count' needs a value"},
		{{"-c"}, OPTIONS_USAGE, "option '-c' needs a value"},
		{{"--busy-poll=1"}, OPTIONS_USAGE,
		 "option '--busy-poll' takes no value"},
		{{"-c", "5M"}, OPTIONS_INVALID,
		 "--count: '5M' is not a whole number in 1..1M"},
		{{"--port=0"}, OPTIONS_INVALID,
		 "--port: '0' is not a whole number in 1..65535"},
		{{"-W", "soon"}, OPTIONS_INVALID,
		 "--timeout: 'soon' is not a duration like 500ms"},
		{{"-k", "bad"}, OPTIONS_INVALID, "kind: bad"},
		{{"-h"}, OPTIONS_HELP, ""},
		{{"x", "--help"}, OPTIONS_HELP, ""},
		{{"--he"}, OPTIONS_HELP, ""},
		{{"-Bh"}, OPTIONS_HELP, ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[6] = {"cmd"};
		struct vals v;
		size_t k;
		int ret;

		for (k = 0; cases[i].args[k]; k++)
			argv[k + 1] = (char *)cases[i].args[k];
		ret = parse(&v, argv, 0);
		if (ret != cases[i].ret)
			fail_msg("case %zu: ret %d, want %d", i, ret,
				 cases[i].ret);
		if (!strstr(errors.buf, cases[i].msg))
			fail_msg("case %zu: message '%s' lacks '%s'", i,
				 errors.buf, cases[i].msg);
	}
}

static void test_required(void **state)
{
	const char *iface = NULL;
	const struct option_spec opts[] = {
		OPT_STRING('i', "interface", &iface, "IFACE", "the interface",
			   .flags = OPTION_REQUIRED),
		OPT_END(),
	};
	char *none[] = {"capture", NULL};
	char *given[] = {"capture", "-i", "eth0", NULL};

	(void)state;
	strbuf_reset(&errors);
	assert_int_equal(options_parse(1, none, opts, 0), OPTIONS_USAGE);
	assert_non_null(strstr(errors.buf, "option '--interface' is required"));
	assert_int_equal(options_parse(3, given, opts, 0), 0);
	assert_string_equal(iface, "eth0");
}

static void test_help(void **state)
{
	struct vals v;
	const struct option_spec opts[] = TABLE(&v);
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	options_help(opts, &sb);
	assert_string_equal(sb.buf,
		"  -c, --count N      probes; default 100\n"
		"  -s, --size BYTES   frame size; default 64\n"
		"  -p, --port PORT    UDP port; default 7\n"
		"  -W, --timeout DUR  wait this long; default 1s\n"
		"  -B, --busy-poll    spin\n"
		"  -n, --dry-run      change nothing\n"
		"      --csv          csv output\n"
		"      --netns NAME   namespace\n"
		"  -k, --kind KIND    a kind\n"
		"  -h, --help         this text\n");
	strbuf_release(&sb);
}

static void test_help_wraps(void **state)
{
	const char *s = NULL;
	const struct option_spec opts[] = {
		OPT_STRING(0, "a-rather-long-option-name", &s, "VALUE",
			   "goes on a line of its own, and its help is long "
			   "enough to be wrapped at eighty columns, with the "
			   "same indent"),
		OPT_STRING('r', "results", &s, "DB",
			   "results database\n(second line)"),
		OPT_END(),
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	options_help(opts, &sb);
	assert_string_equal(sb.buf,
		"      --a-rather-long-option-name VALUE\n"
		"                    goes on a line of its own, and its help "
		"is long enough to\n"
		"                    be wrapped at eighty columns, with the "
		"same indent\n"
		"  -r, --results DB  results database\n"
		"                    (second line)\n"
		"  -h, --help        this text\n");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_abbrev),
		cmocka_unit_test(test_stop_at_arg),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_help_wraps),
	};
	int ret;

	error_set_hook(to_errors);
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	strbuf_release(&errors);
	return ret;
}
