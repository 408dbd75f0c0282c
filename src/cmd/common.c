// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every subcommand uses, in iovbench and in iovbench-guest alike:
 * picking the command, its options and prologue (git's run_builtin()
 * with its RUN_SETUP flags), --help, the stop signals.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "iov_config.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/suggest.h"

volatile sig_atomic_t cmd_stop;

static void on_stop(int sig)
{
	(void)sig;
	cmd_stop = 1;
}

void cmd_install_stop_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: blocking calls return EINTR and see the flag */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void cmd_say_ready(void *data)
{
	(void)data;
	printf("ready\n");
	fflush(stdout);
}

int cmd_factor_option(const struct option_spec *o, const char *arg)
{
	char why[256], name[64];
	int64_t v;
	int ret;

	ret = factor_parse((enum factor_id)o->data, arg, &v, why, sizeof(why));
	if (ret)
		return error("%s: '%s' is %s%s",
			     options_name(o, name, sizeof(name)), arg,
			     ret == -ERANGE ? "" : "invalid: ", why);
	/* a word (a size mix) is a campaign's: options take numbers */
	if (factor_word((enum factor_id)o->data, v))
		return error("%s: '%s' is not a number (a mix is for "
			     "campaigns and loadgen)",
			     options_name(o, name, sizeof(name)), arg);
	options_store(o, v);
	return 0;
}

/* The verbs of a command (or the commands of a program) as names. */
static const char **verb_names(const struct command *verbs, size_t *n)
{
	const char **names;
	size_t i;

	for (*n = 0; verbs[*n].name;)
		(*n)++;
	names = xcalloc(*n + 1, sizeof(*names));
	for (i = 0; i < *n; i++)
		names[i] = verbs[i].name;
	return names;
}

/* "up, down or status" */
static void list_words(const char **w, size_t n, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? i + 1 == n ? " or " : ", " : "",
			    w[i]);
}

static const struct command *top(const struct cmd_ctx *ctx)
{
	return ctx->parent ? ctx->parent : ctx->cmd;
}

/*
 * --help: the usage, the doc, what comes before the options (the list of
 * commands), the options, the footer.
 */
static void print_help(FILE *f, const char *usage, const char *doc,
		       const char *before, const struct option_spec *opts,
		       const char *footer)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "usage: %s\n", usage);
	if (doc)
		strbuf_addf(&sb, "\n%s", doc);
	strbuf_addf(&sb, "\n%s", before);
	options_help(opts, &sb);
	if (footer)
		strbuf_addf(&sb, "\n%s", footer);
	fputs(sb.buf, f);
	strbuf_release(&sb);
}

static void help(const struct cmd_ctx *ctx, const struct option_spec *opts,
		 FILE *f)
{
	const struct command *c = top(ctx);

	print_help(f, c->usage, c->doc, "", opts, c->footer);
}

/* The usage to stderr, exit 2. */
static noreturn void usage_error(const struct cmd_ctx *ctx)
{
	help(ctx, ctx->opts, stderr);
	exit(EXIT_USAGE);
}

/* The flags of a command and of all its verbs. */
static unsigned all_flags(const struct command *c)
{
	unsigned flags = c->flags;
	const struct command *v;

	for (v = c->verbs; v && v->name; v++)
		flags |= v->flags;
	return flags;
}

/* opts, and --prefix for a command that takes it. */
static struct option_spec *with_prefix(struct cmd_ctx *ctx,
				       const struct option_spec *opts)
{
	const struct option_spec prefix = OPT_STRING(
		'P', "prefix", &ctx->prefix, "PREFIX",
		"the testbed's prefix, instead of reading a campaign");
	struct option_spec *all;
	size_t n = 0;

	while (opts[n].type != OPTION_END)
		n++;
	all = xcalloc(n + 2, sizeof(*all));
	memcpy(all, opts, n * sizeof(*all));
	if (all_flags(ctx->cmd) & CMD_PREFIX)
		all[n++] = prefix;
	all[n] = (struct option_spec)OPT_END();
	return all;
}

static void choose_verb(struct cmd_ctx *ctx)
{
	const struct command *c = ctx->cmd;
	const char **names, *guess;
	struct strbuf list = STRBUF_INIT;
	size_t i, n;

	if (!ctx->argc)
		usage_error(ctx);
	names = verb_names(c->verbs, &n);
	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], ctx->argv[0]))
			break;
	}
	if (i == n) {
		list_words(names, n, &list);
		guess = suggest_closest(ctx->argv[0], names, n);
		if (guess)
			error("unknown %s action '%s' (did you mean '%s'?)",
			      c->name, ctx->argv[0], guess);
		else
			error("unknown %s action '%s' (%s)", c->name,
			      ctx->argv[0], list.buf);
		exit(EXIT_USAGE);
	}
	free(names);
	strbuf_release(&list);
	ctx->parent = c;
	ctx->cmd = &c->verbs[i];
	ctx->argc--;
	ctx->argv++;
}

void cmd_parse(struct cmd_ctx *ctx, const struct option_spec *opts)
{
	struct option_spec *all = with_prefix(ctx, opts);
	const char *file = NULL;
	const struct command *c;
	int n, ret;

	ctx->opts = all;
	n = options_parse(ctx->argc, ctx->argv, all, ctx->cmd->parse_flags);
	if (n == OPTIONS_HELP) {
		help(ctx, all, stdout);
		exit(EXIT_OK);
	}
	if (n == OPTIONS_USAGE)
		usage_error(ctx);
	if (n < 0)
		exit(EXIT_USAGE);
	ctx->argc = n;
	if (ctx->cmd->verbs)
		choose_verb(ctx);
	c = ctx->cmd;
	/* --prefix for a verb that wants a campaign (testbed up) */
	if (ctx->prefix && !(c->flags & CMD_PREFIX))
		usage_error(ctx);
	if ((c->flags & CMD_CAMPAIGN) && !ctx->prefix) {
		if (!ctx->argc)
			usage_error(ctx);
		file = ctx->argv[0];
		ctx->argc--;
		ctx->argv++;
	}
	if (ctx->argc < c->min_args ||
	    (c->max_args >= 0 && ctx->argc > c->max_args))
		usage_error(ctx);
	if (c->flags & (CMD_CAMPAIGN | CMD_LOCK)) {
		ret = ctx->prog->prepare ? ctx->prog->prepare(ctx, file) :
					   EXIT_FAIL;
		if (ret)
			exit(ret);
	}
	if ((c->flags & CMD_ROOT) && !ctx->dry_run && geteuid() != 0) {
		error("%s needs root: %s", top(ctx)->name, c->root_why);
		exit(EXIT_FAIL);
	}
}

int cmd_run_verb(struct cmd_ctx *ctx, void *args)
{
	ctx->args = args;
	return ctx->cmd->fn(ctx);
}

static void program_help(const struct cmd_program *prog, FILE *f,
			 const struct option_spec *opts)
{
	struct strbuf list = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&list, "commands:\n");
	for (i = 0; i < prog->ncommands; i++)
		strbuf_addf(&list, "  %-10s %s\n", prog->commands[i]->name,
			    prog->commands[i]->summary);
	strbuf_addstr(&list, "\noptions:\n");
	print_help(f, prog->usage, prog->doc, list.buf, opts, prog->footer);
	strbuf_release(&list);
}

static int more_verbose(const struct option_spec *o, const char *arg)
{
	(void)o;
	(void)arg;
	iov_verbosity++;
	return 0;
}

static const struct command *find_command(const struct cmd_program *prog,
					  const char *name)
{
	size_t i;

	for (i = 0; i < prog->ncommands; i++) {
		const struct command *c = prog->commands[i];

		/* a program without the host's prologue runs guest ones */
		if (!strcmp(c->name, name) &&
		    (prog->prepare || (c->flags & CMD_GUEST)))
			return c;
	}
	return NULL;
}

static int run_command(const struct cmd_program *prog,
		       const struct command *c, int argc, char **argv)
{
	struct cmd_ctx ctx = {.prog = prog, .cmd = c, .argc = argc,
			      .argv = argv, .lock = -1};
	int ret;

	ret = c->fn(&ctx);
	if (prog->release)
		prog->release(&ctx);
	free(ctx.opts);
	return ret;
}

int cmd_main(const struct cmd_program *prog, int argc, char **argv)
{
	int version = 0, n;
	const struct option_spec opts[] = {
		{.type = OPTION_FLAG, .short_name = 'v',
		 .long_name = "verbose", .help = "say more (twice: debug)",
		 .cb = more_verbose},
		OPT_SET('q', "quiet", &iov_verbosity, -1, "only errors"),
		OPT_FLAG('V', "version", &version, "print the version"),
		OPT_END(),
	};
	const struct command *c;
	const char **names, *guess;
	size_t i;

	/* the first argument is the command: the rest is its own */
	n = options_parse(argc, argv, opts, OPTIONS_STOP_AT_ARG);
	if (n == OPTIONS_HELP) {
		program_help(prog, stdout, opts);
		return EXIT_OK;
	}
	if (n < 0) {
		program_help(prog, stderr, opts);
		return EXIT_USAGE;
	}
	if (version) {
		printf("%s %s\n", prog->name, IOV_VERSION);
		return EXIT_OK;
	}
	if (!n) {
		program_help(prog, stderr, opts);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		char *sub[] = {argv[1], "--help", NULL};

		c = n > 1 ? find_command(prog, argv[1]) : NULL;
		if (c)
			return run_command(prog, c, 2, sub);
		program_help(prog, stdout, opts);
		return EXIT_OK;
	}
	c = find_command(prog, argv[0]);
	if (c)
		return run_command(prog, c, n, argv);
	names = xcalloc(prog->ncommands, sizeof(*names));
	for (i = 0; i < prog->ncommands; i++)
		names[i] = prog->commands[i]->name;
	guess = suggest_closest(argv[0], names, prog->ncommands);
	if (guess)
		error("'%s' is not an %s command; did you mean '%s'?", argv[0],
		      prog->name, guess);
	else
		error("'%s' is not an %s command; see '%s --help'", argv[0],
		      prog->name, prog->name);
	free(names);
	return EXIT_USAGE;
}
