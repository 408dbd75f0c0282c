/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small QMP client: QEMU's JSON control protocol on a unix socket.
 * Enough for readiness (query-status), vCPU threads (query-cpus-fast, for
 * pinning) and a clean exit (quit). Asynchronous events that arrive while
 * waiting for a command's answer are skipped. qmp_classify() is the pure
 * part that reads one message and is fuzzed.
 */
#ifndef IOV_GUEST_QMP_H
#define IOV_GUEST_QMP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/strbuf.h"

enum qmp_kind {
	QMP_GREETING, /* {"QMP": {...}} */
	QMP_RETURN,   /* {"return": ...} */
	QMP_ERROR,    /* {"error": {"class": ..., "desc": ...}} */
	QMP_EVENT,    /* {"event": ...} */
	QMP_UNKNOWN,
};

/*
 * Classify one message (a JSON object on one line). For QMP_ERROR, desc
 * gets the error's description. Returns the kind; QMP_UNKNOWN for
 * anything else, including text that is not JSON.
 */
enum qmp_kind qmp_classify(const char *line, size_t len, char *desc,
			   size_t desclen);

/* What query-migrate says of a migration (ms; -1: not in the reply). */
struct qmp_migration {
	char status[24]; /* "active", "completed", "failed", ... */
	int64_t total_ms, downtime_ms, setup_ms, expected_downtime_ms;
	int64_t ram_bytes; /* ram.transferred */
	char error[128];   /* error-desc of a failed one */
};

/*
 * Parse query-migrate's answer: its "return" object, or the whole
 * message {"return": {...}}. Untrusted text (QEMU, maybe over ssh):
 * fuzzed. 0, or -1 when it is not one (no status).
 */
int qmp_migration_parse(const char *text, size_t len,
			struct qmp_migration *m);

struct qmp {
	int fd;
	struct strbuf in;
	char version[32]; /* QEMU's, from the greeting */
};

/* Connect, read the greeting, negotiate capabilities. 0 or -1. */
int qmp_open(struct qmp *q, const char *path, int64_t timeout_ns);
void qmp_close(struct qmp *q);

/*
 * Execute command (with arguments args, may be NULL; stolen) and return
 * its "return" value in *ret (caller json_decref()s; may pass NULL).
 */
int qmp_execute(struct qmp *q, const char *command, json_t *args,
		json_t **ret, int64_t timeout_ns);

/* "running", "paused", "shutdown", ... */
int qmp_status(struct qmp *q, char *status, size_t len, int64_t timeout_ns);
/* Thread ids of the vCPUs, in CPU order. */
int qmp_vcpu_threads(struct qmp *q, pid_t *tids, size_t max, size_t *n,
		     int64_t timeout_ns);

#endif
