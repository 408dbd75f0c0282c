// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's half of a command's prologue (struct cmd_program.prepare):
 * what CMD_CAMPAIGN, CMD_PREFIX and CMD_LOCK ask for needs the campaign
 * parser and the testbed, which iovbench-guest does not carry.
 */
#include <stdlib.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/prologue.h"
#include "core/config.h"
#include "testbed/testbed.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"

int cmd_prologue_prepare(struct cmd_ctx *ctx, const char *file)
{
	if (file) {
		struct campaign *c = xcalloc(1, sizeof(*c));
		struct strbuf *text = xcalloc(1, sizeof(*text));

		strbuf_init(text);
		/* before anything is created: a bad file changes nothing */
		if (config_read(file, c, text)) {
			free(c);
			free(text);
			return EXIT_USAGE;
		}
		ctx->campaign = c;
		ctx->campaign_text = text;
		ctx->prefix = c->prefix;
	} else if (ctx->prefix && !config_prefix_valid(ctx->prefix)) {
		error("--prefix: '%s' is not 1-6 lowercase letters and digits "
		      "starting with a letter",
		      ctx->prefix);
		return EXIT_USAGE;
	}
	if (ctx->cmd->flags & CMD_LOCK) {
		ctx->lock = testbed_lock(ctx->prefix);
		if (ctx->lock < 0)
			return EXIT_FAIL;
	}
	return 0;
}

void cmd_prologue_release(struct cmd_ctx *ctx)
{
	if (ctx->lock >= 0)
		close(ctx->lock);
	if (ctx->campaign) {
		config_release(ctx->campaign);
		free(ctx->campaign);
	}
	if (ctx->campaign_text) {
		strbuf_release(ctx->campaign_text);
		free(ctx->campaign_text);
	}
}
