// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/options.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/suggest.h"

#define HELP_WIDTH 79
/* the column the help starts at; longer names put it on the next line */
#define HELP_COLUMN_MAX 28

void options_store(const struct option_spec *o, int64_t v)
{
	switch (o->size) {
	case 1: {
		uint8_t x = (uint8_t)v;

		memcpy(o->value, &x, 1);
		break;
	}
	case 2: {
		uint16_t x = (uint16_t)v;

		memcpy(o->value, &x, 2);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t)v;

		memcpy(o->value, &x, 4);
		break;
	}
	case 8:
		memcpy(o->value, &v, 8);
		break;
	default:
		abort(); /* not an integer: a bug in the table */
	}
}

const char *options_name(const struct option_spec *o, char *buf, size_t len)
{
	if (o->long_name)
		snprintf(buf, len, "--%s", o->long_name);
	else
		snprintf(buf, len, "-%c", o->short_name);
	return buf;
}

/* Parse arg for o and store it; 0, or -1 after a message. */
static int take_value(const struct option_spec *o, const char *arg)
{
	char name[64], lo[32], hi[32];
	int64_t v;

	options_name(o, name, sizeof(name));
	switch (o->type) {
	case OPTION_FLAG:
		if (o->cb)
			return o->cb(o, NULL);
		options_store(o, o->set);
		return 0;
	case OPTION_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPTION_INT:
		if (units_parse_si(arg, NULL, &v) || v < o->min || v > o->max) {
			units_format_si(o->min, lo, sizeof(lo));
			units_format_si(o->max, hi, sizeof(hi));
			return error("%s: '%s' is not a whole number in %s..%s",
				     name, arg, lo, hi);
		}
		options_store(o, v);
		return 0;
	case OPTION_DURATION:
		if (units_parse_duration(arg, &v) || v < 0)
			return error("%s: '%s' is not a duration like 500ms",
				     name, arg);
		options_store(o, v);
		return 0;
	case OPTION_CALLBACK:
		return o->cb(o, arg);
	case OPTION_END:
		break;
	}
	abort();
}

static bool takes_value(const struct option_spec *o)
{
	return o->type != OPTION_FLAG;
}

static void apply_defaults(const struct option_spec *opts)
{
	const struct option_spec *o;

	for (o = opts; o->type != OPTION_END; o++) {
		/* a default that does not parse is a bug the tests catch */
		if (o->def && take_value(o, o->def))
			abort();
	}
}

static const struct option_spec *find_short(const struct option_spec *opts,
					    int c)
{
	for (; opts->type != OPTION_END; opts++) {
		if (opts->short_name == c)
			return opts;
	}
	return NULL;
}

/* An exact long name, else the one option that name (len chars) begins. */
static const struct option_spec *find_long(const struct option_spec *opts,
					   const char *name, size_t len)
{
	const struct option_spec *o, *abbrev = NULL, *other = NULL;
	char word[64];
	const char *names[64];
	size_t n = 0;

	for (o = opts; o->type != OPTION_END; o++) {
		if (!o->long_name || strncmp(o->long_name, name, len))
			continue;
		if (!o->long_name[len])
			return o;
		if (abbrev)
			other = o;
		else
			abbrev = o;
	}
	if (abbrev && !other)
		return abbrev;
	snprintf(word, sizeof(word), "%.*s", (int)len, name);
	if (abbrev) {
		error("option '--%s' is ambiguous: '--%s' or '--%s'", word,
		      abbrev->long_name, other->long_name);
		return NULL;
	}
	for (o = opts; o->type != OPTION_END && n < 63; o++)
		names[n++] = o->long_name;
	names[n++] = "help";
	name = suggest_closest(word, names, n);
	if (name)
		error("unknown option '--%s' (did you mean '--%s'?)", word,
		      name);
	else
		error("unknown option '--%s'", word);
	return NULL;
}

/* -h, --help, or a prefix of it no option of the table has: --he */
static bool is_help(const struct option_spec *opts, const char *arg)
{
	size_t len = strlen(arg + 2);

	if (!strcmp(arg, "-h") || !strcmp(arg, "--help"))
		return true;
	if (strncmp(arg, "--", 2) || !len || strncmp("help", arg + 2, len))
		return false;
	for (; opts->type != OPTION_END; opts++) {
		if (opts->long_name && !strncmp(opts->long_name, arg + 2, len))
			return false;
	}
	return true;
}

/* One "--name[=value]" word (and the next, for its value). */
static int parse_long(const struct option_spec *opts, int argc, char **argv,
		      int *i, bool *seen)
{
	const char *word = argv[*i] + 2, *eq = strchr(word, '='), *arg;
	size_t len = eq ? (size_t)(eq - word) : strlen(word);
	const struct option_spec *o = find_long(opts, word, len);

	if (!o)
		return OPTIONS_USAGE;
	seen[o - opts] = true;
	if (!takes_value(o)) {
		if (eq)
			return error("option '--%s' takes no value",
				     o->long_name),
			       OPTIONS_USAGE;
		arg = NULL;
	} else if (eq) {
		arg = eq + 1;
	} else if (*i + 1 < argc) {
		arg = argv[++*i];
	} else {
		return error("option '--%s' needs a value", o->long_name),
		       OPTIONS_USAGE;
	}
	return take_value(o, arg) ? OPTIONS_INVALID : 0;
}

/* One "-abc" word: flags, the last of which may take a value. */
static int parse_short(const struct option_spec *opts, int argc, char **argv,
		       int *i, bool *seen)
{
	const char *p = argv[*i] + 1, *arg;

	for (; *p; p++) {
		const struct option_spec *o = find_short(opts, *p);

		if (!o && *p == 'h')
			return OPTIONS_HELP;
		if (!o)
			return error("unknown option '-%c'", *p),
			       OPTIONS_USAGE;
		seen[o - opts] = true;
		if (!takes_value(o)) {
			if (take_value(o, NULL))
				return OPTIONS_INVALID;
			continue;
		}
		if (p[1])
			arg = p + 1;
		else if (*i + 1 < argc)
			arg = argv[++*i];
		else
			return error("option '-%c' needs a value", *p),
			       OPTIONS_USAGE;
		return take_value(o, arg) ? OPTIONS_INVALID : 0;
	}
	return 0;
}

static int check_required(const struct option_spec *opts, const bool *seen)
{
	const struct option_spec *o;
	char name[64];

	for (o = opts; o->type != OPTION_END; o++) {
		if ((o->flags & OPTION_REQUIRED) && !seen[o - opts])
			return error("option '%s' is required",
				     options_name(o, name, sizeof(name))),
			       OPTIONS_USAGE;
	}
	return 0;
}

int options_parse(int argc, char **argv, const struct option_spec *opts,
		  unsigned flags)
{
	char **args = xcalloc((size_t)argc + 1, sizeof(*args));
	bool *seen;
	int i, n = 0, ret = 0;
	size_t nopts = 0;

	while (opts[nopts].type != OPTION_END)
		nopts++;
	seen = xcalloc(nopts + 1, sizeof(*seen));
	apply_defaults(opts);
	for (i = 1; i < argc && !ret; i++) {
		char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (++i < argc)
				args[n++] = argv[i];
			break;
		}
		if (a[0] != '-' || !a[1]) {
			args[n++] = a;
			if (flags & OPTIONS_STOP_AT_ARG) {
				while (++i < argc)
					args[n++] = argv[i];
				break;
			}
			continue;
		}
		if (is_help(opts, a)) {
			ret = OPTIONS_HELP;
			break;
		}
		if (a[1] == '-')
			ret = parse_long(opts, argc, argv, &i, seen);
		else
			ret = parse_short(opts, argc, argv, &i, seen);
	}
	if (!ret)
		ret = check_required(opts, seen);
	if (!ret) {
		memcpy(argv, args, (size_t)n * sizeof(*args));
		argv[n] = NULL;
		ret = n;
	}
	free(seen);
	free(args);
	return ret;
}

/* "-c, --count N" */
static void option_names(const struct option_spec *o, struct strbuf *sb)
{
	if (o->short_name)
		strbuf_addf(sb, "-%c", o->short_name);
	else
		strbuf_addstr(sb, "    ");
	if (o->short_name && o->long_name)
		strbuf_addstr(sb, ", ");
	if (o->long_name)
		strbuf_addf(sb, "--%s", o->long_name);
	if (takes_value(o))
		strbuf_addf(sb, " %s", o->argh ? o->argh : "VALUE");
}

/* Words of text wrapped from column col (the cursor is there) to 80. */
static void wrap(struct strbuf *out, const char *text, size_t col)
{
	size_t at = col;

	while (*text) {
		size_t len = strcspn(text, " \n");

		if (at > col && at + 1 + len > HELP_WIDTH) {
			strbuf_addch(out, '\n');
			strbuf_addchars(out, ' ', col);
			at = col;
		} else if (at > col) {
			strbuf_addch(out, ' ');
			at++;
		}
		strbuf_add(out, text, len);
		at += len;
		text += len;
		if (*text == '\n') {
			strbuf_addch(out, '\n');
			strbuf_addchars(out, ' ', col);
			at = col;
		}
		while (*text == ' ' || *text == '\n')
			text++;
	}
	strbuf_addch(out, '\n');
}

void options_help(const struct option_spec *opts, struct strbuf *out)
{
	static const struct option_spec help = {
		.type = OPTION_FLAG, .short_name = 'h', .long_name = "help",
		.help = "this text"};
	const struct option_spec *o;
	struct strbuf names = STRBUF_INIT, text = STRBUF_INIT;
	size_t col = 0;
	int pass;

	/* pass 0 measures the names, pass 1 writes */
	for (pass = 0; pass < 2; pass++) {
		for (o = opts;; o++) {
			const struct option_spec *e =
				o->type == OPTION_END ? &help : o;

			strbuf_reset(&names);
			option_names(e, &names);
			if (!pass) {
				if (names.len + 4 > col &&
				    names.len + 4 <= HELP_COLUMN_MAX)
					col = names.len + 4;
			} else {
				strbuf_addf(out, "  %s", names.buf);
				if (names.len + 4 > col) {
					strbuf_addch(out, '\n');
					strbuf_addchars(out, ' ', col);
				} else {
					strbuf_addchars(out, ' ',
							col - names.len - 2);
				}
				strbuf_reset(&text);
				strbuf_addstr(&text, e->help ? e->help : "");
				if (e->def)
					strbuf_addf(&text, "; default %s",
						    e->def);
				wrap(out, text.buf, col);
			}
			if (o->type == OPTION_END)
				break;
		}
	}
	strbuf_release(&names);
	strbuf_release(&text);
}
