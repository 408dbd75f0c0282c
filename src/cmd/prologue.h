/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host's prologue of commands: struct cmd_program's prepare, release. */
#ifndef IOV_CMD_PROLOGUE_H
#define IOV_CMD_PROLOGUE_H

struct cmd_ctx;

/*
 * Load the campaign file (or check ctx->prefix if file is NULL), then
 * take the testbed lock if the command holds it. Returns 0, EXIT_USAGE
 * (a bad campaign or prefix, said) or EXIT_FAIL (the lock, said).
 */
int cmd_prologue_prepare(struct cmd_ctx *ctx, const char *file);
void cmd_prologue_release(struct cmd_ctx *ctx);

#endif
