/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest agent's state and the helpers its requests share
 * (agent/agent.c serves them; agent/agent_probe.c the probe request).
 */
#ifndef IOV_AGENT_AGENT_H
#define IOV_AGENT_AGENT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/agent_proto.h"
#include "host/proc.h"
#include "util/strbuf.h"

#define MAX_STARTED 16

struct agent {
	int fd;
	struct strbuf in;
	char exe[PATH_MAX];
	struct proc started[MAX_STARTED];
	bool used[MAX_STARTED];
	/* the prober of the VM's life (probe requests), once started */
	struct proc prober;
	bool prober_up;
};

/* A reply line (the '\n' added); 0 or -1 (the host is gone). */
int agent_say(struct agent *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "err TAG MESSAGE", the message on one line. */
int agent_say_err(struct agent *a, uint32_t tag, const char *msg);
int agent_write_all(int fd, const char *buf, size_t len);
/* Read what the started processes printed so far (but skip's). */
void agent_drain_started(struct agent *a, const struct proc *skip);

/*
 * A stream whose bytes go to the host as "part TAG LEN" replies of up
 * to 64 KiB (ps holds its state: keep it until fclose). NULL: no memory.
 */
struct agent_parts {
	struct agent *a;
	uint32_t tag;
};
FILE *agent_parts_open(struct agent_parts *ps, struct agent *a, uint32_t tag);

/* The probe request (agent/agent_probe.c); 0 or -1 (the host is gone). */
int agent_probe_serve(struct agent *a, const struct agent_request *r);
/* Remove the FIFOs of agents gone (at the start). */
void agent_probe_clean(void);
/* Stop the prober of the VM's life, if it runs. */
void agent_probe_stop(struct agent *a);

#endif
