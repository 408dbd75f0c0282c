/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Campaign files (YAML). config_parse() is pure: it takes the file's text
 * and returns a campaign or fails with every error it found, each naming
 * file:line:column, the key and the value. Nothing is created before a
 * campaign parses cleanly. The keys, their types, ranges and defaults
 * are the tables in config_schema.c and factor.c; docs/config.md
 * documents them and a unit test checks that it does.
 */
#ifndef IOV_CORE_CONFIG_H
#define IOV_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/factor.h"
#include "util/strbuf.h"

/* A factor's value list in one matrix; empty means "the default". */
struct factor_values {
	int64_t *v;
	unsigned *line; /* where each value was written, for messages */
	size_t n;
};

struct matrix {
	char *name;
	unsigned line;
	struct factor_values f[FACTOR_COUNT];
};

enum testbed_kind {
	TESTBED_LOCAL, /* network namespaces on this machine */
	TESTBED_SSH,   /* two real servers, driven over SSH */
};

/* A real server of an SSH testbed. */
struct server_config {
	char *ssh;	/* OpenSSH destination, e.g. root@server1 */
	char *nic;	/* the NIC on the wire; the PF for SR-IOV */
	char *iovbench; /* iovbench on the server */
	char *ssh_config; /* ssh -F: an OpenSSH client config, or "" */
	/* external load generators there (generator: moongen, trex) */
	char *moongen, *moongen_script, *trex, *dpdk_port;
};

/* An IPv4 prefix, host byte order. */
struct subnet {
	uint32_t addr;
	unsigned len;
};

struct testbed_config {
	int kind; /* enum testbed_kind */
	struct subnet subnet;
	int64_t mtu;
	int64_t vfs; /* SR-IOV VFs to enable on each server's PF */
	int64_t loadgen_threads; /* the builtin generator's --threads */
	struct server_config servers[2]; /* sender, responder (ssh) */
};

struct guest_config {
	uint64_t cpus; /* CPU mask the main guests' processes or vCPU
			* threads run on; 0 = any */
	int64_t memory_mb; /* VM guests */
	int64_t vcpus;
	int accel; /* enum accel_mode */
	/* VMs: their NICs keep the guest kernel's default root qdisc
	 * (fq_codel) instead of noqueue; for measuring what it costs */
	bool keep_qdisc;
	/* a user's disk image instead of the guest image, reached by ssh */
	char *disk;
	char *user;
	char *key;
	char *guest_bin;
};

enum accel_mode { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };

/* Background guests: their count and kind are factors; these are not. */
struct background_config {
	int64_t memory_mb; /* VM background guests */
	int64_t batch;	   /* VMs booted at once */
};

/* The load background guests apply (its kind and place are factors). */
struct load_config {
	int64_t cpu_duty;   /* percent of each period a busy loop spins */
	int64_t net_rate;   /* packets/s from each loading guest */
	int64_t net_burst;  /* packets per burst */
	int64_t net_size;   /* frame size of load packets */
	int64_t settle_ns;  /* load runs this long before the probes */
	int64_t port;	    /* UDP port of the load sinks */
};

struct prober_config {
	int64_t warmup;	    /* probes sent and discarded before each run */
	/* the warm-up probes go once per setup, not before each run */
	bool warmup_once;
	/* container guests here: one prober for a setup (probe --serve) */
	bool serve;
	int64_t timeout_ns; /* wait for late replies after the last probe */
	int64_t udp_port;
	bool busy_poll; /* spin on the receive socket instead of sleeping */
	bool capture;	/* timestamp probes at the capture points */
	bool capture_ports; /* and at the main guests' ports */
	bool pcap;	/* keep the capture points' frames as pcap files */
	int64_t suspect_loss; /* % lost that makes a run suspect */
	/* % the achieved rate may be off the schedule's (Lancet: 10) */
	int64_t rate_tolerance;
	/* % of probes that may leave later than one interval */
	int64_t late_tolerance;
	bool refuse_overload; /* store such runs failed instead of flagged */
	/* store runs failed while a setting distorts (core/hygiene.h) */
	bool refuse_distorting;
};

/*
 * A mapping of names to text: qemu_props, the named sets of extra QEMU
 * device properties (NAME: "prop=value,..."), which the qemu_props
 * factor names.
 */
struct named_strings {
	char **names, **values;
	size_t n;
};

/* The value named name, or NULL. */
const char *named_strings_find(const struct named_strings *ns,
			       const char *name);

/* The warm-up probes before each run: none with warmup_once. */
static inline int64_t prober_run_warmup(const struct prober_config *p)
{
	return p->warmup_once ? 0 : p->warmup;
}

struct campaign {
	char *file; /* as given, for messages */
	char *name;
	char *prefix;
	char *results;
	struct testbed_config testbed;
	struct guest_config main_guests;
	struct background_config background;
	struct load_config load;
	struct prober_config prober;
	struct named_strings qemu_props;
	struct matrix *matrices;
	size_t nmatrices;
};

/* Largest campaign file accepted (a campaign is a page of YAML). */
#define CONFIG_MAX_BYTES (1u << 20)

/*
 * Parse text (len bytes) read from file. Errors go to err, one per line,
 * "file:line:col: error: ..."; returns 0, or -1 if there was any error
 * (then *c is released). file is used in messages only.
 */
int config_parse(const char *file, const char *text, size_t len,
		 struct campaign *c, struct strbuf *err);
/* Is s a valid name prefix (what the `prefix` key accepts)? */
bool config_prefix_valid(const char *s);

/* Read and parse a file; errors are printed; 0 or -1. */
int config_load(const char *file, struct campaign *c);
/* The same, keeping the file's text in *text (released on error). */
int config_read(const char *file, struct campaign *c, struct strbuf *text);
void config_release(struct campaign *c);

/* Value of factor id for tests of matrix m at index i (default if unset). */
size_t matrix_nvalues(const struct matrix *m, enum factor_id id);
int64_t matrix_value(const struct matrix *m, enum factor_id id, size_t i);

/* Key tables, exported for the documentation check. */
struct config_key_doc {
	const char *section; /* "" for top level */
	const char *name;
	const char *def; /* NULL = required */
	const char *doc;
};
/* Calls fn for every key a campaign may have, factors included. */
void config_for_each_key(void (*fn)(const struct config_key_doc *, void *),
			 void *data);

#endif
