/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Subcommands. Each cmd/NAME.c defines cmd_NAME(argc, argv) with argv[0]
 * the subcommand's name; it returns the process exit status. main.c holds
 * the table. Commands may die(); library code may not.
 */
#ifndef IOV_CMD_CMD_H
#define IOV_CMD_CMD_H

#include <signal.h>
#include <stdint.h>

int cmd_run(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_testbed(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_reflect(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_image(int argc, char **argv);
int cmd_agent(int argc, char **argv);
int cmd_guest(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_op(int argc, char **argv);

struct plan;
/* Mark the runs complete in the results database (missing: none). */
int plan_load_done(struct plan *p, const char *results);

/* Exit statuses (sysexits-like where it helps scripts). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	    /* the command ran and failed */
	EXIT_USAGE = 2,	    /* bad command line or campaign file */
	EXIT_INTERRUPT = 130, /* SIGINT / SIGTERM */
};

/* Set by SIGINT/SIGTERM once cmd_install_stop_handler() ran. */
extern volatile sig_atomic_t cmd_stop;
void cmd_install_stop_handler(void);

/* A UDP port (1..65535) given to option opt; 0, or -1 after a message. */
int cmd_parse_port(const char *opt, const char *arg, uint16_t *port);
/* --ready: print "ready" on stdout, at once (a parent waits for it). */
void cmd_say_ready(void *data);

/* Print usage to stdout and exit 0 (for -h) or to stderr and exit 2. */
void cmd_usage(const char *usage, int status) __attribute__((noreturn));

#endif
