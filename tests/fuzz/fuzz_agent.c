// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the agent protocol's parsers on arbitrary bytes (a
 * request comes from the host into the guest's agent, a reply from a
 * guest into the host). A request that parses must format back with
 * agent_format_request() into a line that parses to the same request:
 * the host's formatter and the guest's parser must agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/agent_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ~4 KiB each: not on libFuzzer's stack */
static struct agent_request req, req2;
static struct agent_reply rep;

static void check_request(const char *line)
{
	struct strbuf out = STRBUF_INIT;
	char why[128];
	uint32_t number;
	int i;

	why[0] = '\0';
	if (agent_parse_request(line, &req, why, sizeof(why))) {
		if (!why[0])
			abort(); /* refused without saying why */
		return;
	}
	if ((unsigned)req.verb >= AGENT_VERB_COUNT || req.argc < 0 ||
	    req.argc > AGENT_MAX_WORDS || req.argv[req.argc])
		abort();
	for (i = 0; i < req.argc; i++) {
		if (!agent_word_ok(req.argv[i]))
			abort();
	}
	number = req.verb == AGENT_RUN || req.verb == AGENT_PROBE ?
			 req.timeout_ms :
		 req.verb == AGENT_STOP || req.verb == AGENT_WAIT ? req.handle :
								   0;
	if (req.verb == AGENT_WAIT) {
		/* its timeout is formatted as its one word */
		char ms[16];
		const char *w[] = {ms};

		if (req.argc)
			abort();
		snprintf(ms, sizeof(ms), "%u", req.timeout_ms);
		if (agent_format_request(&out, req.verb, req.tag, number, w,
					 1))
			abort();
	} else if (agent_format_request(&out, req.verb, req.tag, number,
					(const char *const *)req.argv,
					req.argc)) {
		abort(); /* we cannot write what we read */
	}
	if (!out.len || out.buf[out.len - 1] != '\n' ||
	    strchr(out.buf, '\n') != out.buf + out.len - 1)
		abort();
	out.buf[--out.len] = '\0';
	if (agent_parse_request(out.buf, &req2, why, sizeof(why)))
		abort(); /* nor read what we wrote */
	if (req2.verb != req.verb || req2.tag != req.tag ||
	    req2.timeout_ms != req.timeout_ms || req2.handle != req.handle ||
	    req2.argc != req.argc)
		abort();
	for (i = 0; i < req.argc; i++) {
		if (strcmp(req.argv[i], req2.argv[i]))
			abort();
	}
	strbuf_release(&out);
}

static void check_reply(const char *line)
{
	if (agent_parse_reply(line, &rep))
		return;
	switch (rep.kind) {
	case AGENT_OK:
	case AGENT_ERR:
		if (rep.exit || rep.len || strlen(rep.text) >= strlen(line))
			abort();
		break;
	case AGENT_DATA:
		if (rep.exit < 0 || rep.exit > 255 ||
		    rep.len > AGENT_MAX_DATA || rep.text[0])
			abort();
		break;
	case AGENT_PART:
		/* a part is its length only: the reader's bound on what
		 * it holds of a run's output at once */
		if (rep.exit || rep.len > AGENT_MAX_PART || rep.text[0])
			abort();
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a line as the readers hand it over: NUL-terminated, no '\n' */
	char *line = malloc(size + 1);

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	check_request(line);
	check_reply(line);
	free(line);
	return 0;
}
