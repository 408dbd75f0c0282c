/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent protocol: how the host drives a guest over a virtio-serial
 * port, independent of the network being measured. Lines of words
 * separated by single spaces; every request carries a tag that its
 * answer repeats.
 *
 *   host -> guest                        guest -> host
 *   hello TAG                            ok TAG iovbench-guest VERSION
 *   link TAG IFNAME                      ok TAG up | ok TAG down
 *   counters TAG IFNAME                  ok TAG RX_BYTES RX_PACKETS
 *                                        TX_BYTES TX_PACKETS (its
 *                                        kernel's statistics)
 *   run TAG TIMEOUT_MS ARG...            part TAG LEN, then LEN bytes, any
 *                                        number of times (the command's
 *                                        standard output as it comes),
 *                                        then data TAG EXIT LEN, then LEN
 *                                        bytes (the rest)
 *   probe TAG TIMEOUT_MS KEY=VALUE...    as run: parts, then data TAG
 *                                        EXIT 0 (0: done; 1: failed, the
 *                                        reason on the console)
 *   start TAG ARG...                     ok TAG HANDLE
 *   stop TAG HANDLE                      data TAG EXIT LEN, then LEN bytes
 *                                        (its standard output since ready)
 *   wait TAG HANDLE TIMEOUT_MS           data TAG EXIT LEN, then LEN bytes,
 *                                        once it exited by itself; err if
 *                                        it still runs after TIMEOUT_MS
 *                                        (it is left running)
 *                                        err TAG MESSAGE... (any request)
 *
 * probe runs one run through the prober of the VM's life (`probe
 * --serve`, core/probe_serve.h), started by the first probe request and
 * kept for the next ones: its KEY=VALUEs are a request line's but out=,
 * which the agent sets (a FIFO it reads the records from as they come).
 * ARGs are the arguments of iovbench-guest: run takes probe ..., start
 * reflect ... or load ... (servers that print "ready"), or a program of
 * core/guest_prog.h's table and its arguments (iperf3 ...); the agent
 * runs nothing else. The output of started processes is read while
 * other requests are served, so none blocks on a full pipe. A run's
 * output is streamed in parts of at most AGENT_MAX_PART bytes, so that
 * neither the agent nor the host holds a prober's records whole (a run
 * is as long as the disk allows). Words are 1-255 bytes of [A-Za-z0-9._:/=,+-];
 * a request has at most AGENT_MAX_WORDS words. Both parsers take
 * untrusted text and are fuzzed.
 */
#ifndef IOV_CORE_AGENT_PROTO_H
#define IOV_CORE_AGENT_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define AGENT_MAX_WORDS 40
#define AGENT_MAX_WORD 255
#define AGENT_MAX_LINE 4096
/* The largest data block (a stopped server's output) the host accepts. */
#define AGENT_MAX_DATA (512u << 20)
/* The largest part of a run's output; the agent sends 64 KiB ones. */
#define AGENT_MAX_PART (1u << 20)
/* The virtio-serial port's name, as QEMU's virtserialport name=. */
#define AGENT_PORT_NAME "iovbench.agent"

enum agent_verb {
	AGENT_HELLO,
	AGENT_LINK,
	AGENT_RUN,
	AGENT_START,
	AGENT_STOP,
	AGENT_WAIT,
	AGENT_COUNTERS,
	AGENT_PROBE,
	AGENT_VERB_COUNT
};

struct agent_request {
	enum agent_verb verb;
	uint32_t tag;
	uint32_t timeout_ms; /* run, probe, wait */
	uint32_t handle;     /* stop, wait */
	int argc;	     /* link, counters: 1 (the interface); run, start:
			      * the ARGs; probe: the KEY=VALUEs */
	char *argv[AGENT_MAX_WORDS + 1];
	char buf[AGENT_MAX_LINE];
};

enum agent_reply_kind { AGENT_OK, AGENT_ERR, AGENT_DATA, AGENT_PART };

struct agent_reply {
	enum agent_reply_kind kind;
	uint32_t tag;
	int exit;      /* data */
	uint64_t len;  /* data, part: bytes that follow */
	char text[AGENT_MAX_LINE]; /* ok: the words after the tag; err: message */
};

/* A line without its '\n'. 0, or -1 with why set. */
int agent_parse_request(const char *line, struct agent_request *r, char *why,
			size_t len);
int agent_parse_reply(const char *line, struct agent_reply *r);

/* Is s a valid word? */
int agent_word_ok(const char *s);

/*
 * Append a request line (with '\n'); -1 if an argument is not a word.
 * number is run's TIMEOUT_MS, stop's and wait's HANDLE; wait's
 * TIMEOUT_MS is its one argument.
 */
int agent_format_request(struct strbuf *out, enum agent_verb verb,
			 uint32_t tag, uint32_t number, const char *const *argv,
			 int argc);

const char *agent_verb_name(enum agent_verb v);

#endif
