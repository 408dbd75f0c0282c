/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Subcommands. Each cmd/NAME.c defines one `struct command cmd_NAME`: its
 * name, its --help text, what it needs before it runs (the flags: root, a
 * campaign, the testbed lock, a place in iovbench-guest) and its body.
 * main.c and main_guest.c list the commands they carry; cmd_main() picks
 * one, and the body's first call, cmd_parse(), parses its options table
 * and does the prologue the flags ask for, so no command restates it.
 * Commands may die(); library code may not.
 */
#ifndef IOV_CMD_CMD_H
#define IOV_CMD_CMD_H

#include <signal.h>
#include <stdint.h>

#include "core/factor.h"
#include "core/options.h"

struct campaign;
struct strbuf;

/* Exit statuses (sysexits-like where it helps scripts). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	    /* the command ran and failed */
	EXIT_USAGE = 2,	    /* bad command line or campaign file */
	EXIT_INTERRUPT = 130, /* SIGINT / SIGTERM */
};

/* What a command needs before its body runs (struct command.flags). */
enum command_flags {
	CMD_GUEST = 1u << 0,	/* in iovbench-guest too (libc only, in
				 * guest_src of src/meson.build) */
	CMD_ROOT = 1u << 1,	/* refused unless root (or --dry-run) */
	CMD_CAMPAIGN = 1u << 2, /* its first argument is a campaign, loaded
				 * (a bad one: exit 2, nothing done) */
	CMD_PREFIX = 1u << 3,	/* or, instead, --prefix PREFIX */
	CMD_LOCK = 1u << 4,	/* holds the lock of the testbed's prefix */
};

struct cmd_ctx;

struct command {
	const char *name;
	const char *summary; /* its line in 'iovbench --help' */
	unsigned flags;	     /* enum command_flags */
	int (*fn)(struct cmd_ctx *ctx); /* returns the exit status */
	/* --help: "usage: " usage, then doc, the options, the footer */
	const char *usage;
	const char *doc;
	const char *footer;
	/* arguments besides options, verb and campaign; max -1: any */
	int min_args, max_args;
	/* verbs (testbed up|down|status), ended by an entry without name:
	 * each has its own flags, args and fn; the options are shared */
	const struct command *verbs;
	const char *root_why; /* CMD_ROOT: "it creates namespaces" */
	unsigned parse_flags; /* options_parse() flags */
};

/* The commands of one binary (iovbench, iovbench-guest). */
struct cmd_program {
	const char *name;
	const char *usage, *doc, *footer;
	const struct command *const *commands;
	size_t ncommands;
	/*
	 * The host's half of the prologue (cmd/prologue.c): load the
	 * campaign (file, or NULL with --prefix), check the prefix, take
	 * the lock; returns 0 or an exit status. release() undoes it.
	 * NULL in iovbench-guest, which has no such commands.
	 */
	int (*prepare)(struct cmd_ctx *ctx, const char *file);
	void (*release)(struct cmd_ctx *ctx);
};

struct cmd_ctx {
	const struct cmd_program *prog;
	const struct command *cmd;  /* the command, or its verb */
	const struct command *parent; /* the command of a verb, or NULL */
	/* its arguments; after cmd_parse(), what options, verb and
	 * campaign leave, argv[argc] NULL */
	int argc;
	char **argv;
	struct campaign *campaign;  /* CMD_CAMPAIGN: loaded, or NULL */
	struct strbuf *campaign_text; /* the campaign file as read */
	const char *prefix;	    /* the campaign's, or --prefix */
	int dry_run;		    /* set by OPT_DRY_RUN(): no CMD_ROOT */
	void *args;		    /* cmd_run_verb(): the options parsed */
	int lock;		    /* CMD_LOCK: the lock's fd */
	struct option_spec *opts;   /* private: the table cmd_parse() used */
};

/* Run the command argv[0] names (after the program's own options). */
int cmd_main(const struct cmd_program *prog, int argc, char **argv);

/*
 * Parse ctx's arguments with the command's options table opts (the
 * --prefix of CMD_PREFIX is added), then do what the flags ask. Returns
 * only if all went well: --help exits 0, a bad command line exits 2
 * (with the usage for a malformed one), a bad campaign 2, a refused
 * root or lock 1.
 */
void cmd_parse(struct cmd_ctx *ctx, const struct option_spec *opts);
/* Run the verb cmd_parse() chose, with args (the parent's options). */
int cmd_run_verb(struct cmd_ctx *ctx, void *args);

/* Entries for cmd_parse() tables. */
/* A factor's value, parsed and defaulted by the factor table (int64_t,
 * or any integer) */
#define OPT_FACTOR(s, l, v, id, a, h, ...)                                   \
	OPT_CALLBACK(s, l, v, a, cmd_factor_option, h, .data = (id),        \
		     .def = factor_table[id].def, __VA_ARGS__)
int cmd_factor_option(const struct option_spec *o, const char *arg);
#define OPT_DRY_RUN(ctx, h) OPT_FLAG('n', "dry-run", &(ctx)->dry_run, h)
#define OPT_NETNS(v) OPT_STRING('n', "netns", v, "NAME", \
				"run inside network namespace NAME")
#define OPT_READY(v, h) OPT_FLAG(0, "ready", v, h)

extern const struct command cmd_run, cmd_plan, cmd_report, cmd_testbed,
	cmd_guest, cmd_probe, cmd_reflect, cmd_load, cmd_loadgen, cmd_generator, cmd_macswap,
	cmd_capture, cmd_op, cmd_image, cmd_doctor, cmd_hygiene, cmd_agent, cmd_hist,
	cmd_stats, cmd_compare, cmd_noqueue;

struct plan;
/* Mark the runs complete in the results database (missing: none). */
int plan_load_done(struct plan *p, const char *results);

/* Set by SIGINT/SIGTERM once cmd_install_stop_handler() ran. */
extern volatile sig_atomic_t cmd_stop;
void cmd_install_stop_handler(void);

/* --ready: print "ready" on stdout, at once (a parent waits for it). */
void cmd_say_ready(void *data);

#endif
