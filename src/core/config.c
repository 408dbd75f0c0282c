// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Campaign files. libyaml builds the document (every node keeps its line
 * and column); the tables below say which keys each mapping may hold,
 * their types, ranges and defaults. One walker applies the tables, so
 * every key gets the same checks and the same error format:
 *
 *   campaign.yaml:7:11: error: matrix[0].rate: '2M' is out of range 1..1M pps
 *
 * libcyaml was the first choice (DESIGN.md) but it cannot take a factor as
 * either a scalar or a list, nor parse "10k" with the value's position in
 * the error; its schema tables are what this file keeps.
 */
#include "core/config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/units.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/suggest.h"

#define MAX_ERRORS 50

enum vtype {
	V_NAME,	   /* char *: [A-Za-z0-9._-]{1,64} */
	V_PREFIX,  /* char *: [a-z][a-z0-9]{0,5}, the name prefix */
	V_PATH,	   /* char * */
	V_INT,	   /* int64_t in min..max, SI suffixes allowed */
	V_BOOL,	   /* bool: true | false */
	V_DURATION, /* int64_t nanoseconds in min..max */
	V_SUBNET,  /* struct subnet inside 198.18.0.0/15 */
	V_CPULIST, /* uint64_t mask */
	V_TESTBED, /* int: enum testbed_kind */
	V_ACCEL,   /* int: enum accel_mode */
	V_IFNAME,  /* char *: a network interface name */
	V_STRING,  /* char *: any text, empty allowed */
	V_SECTION, /* a nested mapping described by .section */
};

struct section;

struct key {
	const char *name;
	enum vtype type;
	size_t off; /* of the value in the section's struct */
	int64_t min, max;
	const char *def; /* NULL: required (or a section) */
	const char *doc;
	const struct section *section; /* V_SECTION */
};

struct section {
	const char *name; /* for messages: "testbed", "guests.main" */
	const struct key *keys;
	size_t nkeys;
	size_t off; /* of the section's struct in struct campaign */
};

static const char *const testbed_kind_names[] = {
	[TESTBED_LOCAL] = "local",
	[TESTBED_SSH] = "ssh",
};

static const char *const accel_names[] = {
	[ACCEL_AUTO] = "auto",
	[ACCEL_KVM] = "kvm",
	[ACCEL_TCG] = "tcg",
};

#define KEY(n, t, type_, field, ...)                                         \
	{                                                                    \
		.name = (n), .type = (type_), .off = offsetof(t, field),     \
		__VA_ARGS__                                                  \
	}

static const struct key server_keys[] = {
	KEY("ssh", struct server_config, V_PATH, ssh,
	    .doc = "OpenSSH destination (user@host, or a Host of "
		   "~/.ssh/config); required for ssh testbeds"),
	KEY("nic", struct server_config, V_IFNAME, nic,
	    .doc = "the server's NIC on the wire (the PF, for SR-IOV); "
		   "required for ssh testbeds"),
	KEY("iovbench", struct server_config, V_PATH, iovbench,
	    .def = "iovbench",
	    .doc = "iovbench on the server (the same version as here)"),
	KEY("ssh_config", struct server_config, V_STRING, ssh_config,
	    .def = "",
	    .doc = "an OpenSSH client config file for reaching the server "
		   "(ssh -F); empty: ssh's own"),
};

static const struct section sender_section = {
	"testbed.servers.sender", server_keys, ARRAY_SIZE(server_keys),
	offsetof(struct campaign, testbed.servers[0]),
};
static const struct section responder_section = {
	"testbed.servers.responder", server_keys, ARRAY_SIZE(server_keys),
	offsetof(struct campaign, testbed.servers[1]),
};

static const struct key servers_keys[] = {
	{.name = "sender", .type = V_SECTION, .section = &sender_section,
	 .doc = "the sender server"},
	{.name = "responder", .type = V_SECTION,
	 .section = &responder_section, .doc = "the responder server"},
};

static const struct section servers_section = {
	"testbed.servers", servers_keys, ARRAY_SIZE(servers_keys), 0,
};

static const struct key testbed_keys[] = {
	KEY("kind", struct testbed_config, V_TESTBED, kind, .def = "local",
	    .doc = "local: two network namespaces joined by a veth wire"),
	KEY("subnet", struct testbed_config, V_SUBNET, subnet,
	    .def = "198.18.0.0/16",
	    .doc = "addresses of the guests; must lie inside 198.18.0.0/15, "
		   "the range RFC 2544 reserves for benchmarking"),
	KEY("mtu", struct testbed_config, V_INT, mtu, .min = 576,
	    .max = 9000, .def = "1500",
	    .doc = "MTU of the wire and of every guest interface"),
	KEY("vfs", struct testbed_config, V_INT, vfs, .min = 1, .max = 256,
	    .def = "4",
	    .doc = "SR-IOV VFs enabled on each server's PF for the VF data "
		   "planes and background guests on VFs (emulated on the local "
		   "testbed, which makes as many as its plan needs)"),
	{.name = "servers", .type = V_SECTION, .section = &servers_section,
	 .doc = "the two real servers of an ssh testbed"},
};

static const struct key main_guest_keys[] = {
	KEY("cpus", struct guest_config, V_CPULIST, cpus, .def = "",
	    .doc = "CPU list (e.g. \"1\" or \"0-1\") the main guests' "
		   "processes (containers) or vCPU threads (VMs) are pinned "
		   "to; empty: not pinned"),
	KEY("memory", struct guest_config, V_INT, memory_mb, .min = 128,
	    .max = 65536, .def = "256",
	    .doc = "memory of VM guests, MiB"),
	KEY("vcpus", struct guest_config, V_INT, vcpus, .min = 1, .max = 64,
	    .def = "1", .doc = "vCPUs of VM guests"),
	KEY("accel", struct guest_config, V_ACCEL, accel, .def = "auto",
	    .doc = "QEMU accelerator: auto (kvm where it works, else tcg), "
		   "kvm or tcg"),
	KEY("disk", struct guest_config, V_STRING, disk, .def = "",
	    .doc = "a disk image of your own to boot instead of the guest "
		   "image (a path on the servers); reached by ssh"),
	KEY("user", struct guest_config, V_STRING, user, .def = "root",
	    .doc = "disk: the user ssh logs in as in the guest"),
	KEY("key", struct guest_config, V_STRING, key, .def = "",
	    .doc = "disk: ssh identity file for the guest; empty: ssh's "
		   "default"),
	KEY("guest_bin", struct guest_config, V_STRING, guest_bin,
	    .def = "iovbench-guest",
	    .doc = "disk: iovbench-guest inside the guest"),
};

static const struct section main_guest_section = {
	"guests.main", main_guest_keys, ARRAY_SIZE(main_guest_keys),
	offsetof(struct campaign, main_guests),
};

static const struct key background_keys[] = {
	KEY("memory", struct background_config, V_INT, memory_mb, .min = 128,
	    .max = 65536, .def = "128",
	    .doc = "memory of background VMs, MiB"),
	KEY("batch", struct background_config, V_INT, batch, .min = 1,
	    .max = 256, .def = "4",
	    .doc = "background VMs booted at once"),
};

static const struct section background_section = {
	"guests.background", background_keys, ARRAY_SIZE(background_keys),
	offsetof(struct campaign, background),
};

static const struct key guests_keys[] = {
	{.name = "main", .type = V_SECTION, .section = &main_guest_section,
	 .doc = "the two measured guests, one per server"},
	{.name = "background", .type = V_SECTION,
	 .section = &background_section,
	 .doc = "the background guests (their count and kind are factors)"},
};

static const struct key load_keys[] = {
	KEY("cpu_duty", struct load_config, V_INT, cpu_duty, .min = 1,
	    .max = 100, .def = "100",
	    .doc = "cpu load: percent of each 10 ms a background guest's busy "
		   "loop spins"),
	KEY("net_rate", struct load_config, V_INT, net_rate, .min = 1,
	    .max = 10000000, .def = "10k",
	    .doc = "net load: packets per second each loading background guest "
		   "sends"),
	KEY("net_burst", struct load_config, V_INT, net_burst, .min = 1,
	    .max = 1024, .def = "32",
	    .doc = "net load: packets sent back to back in each burst"),
	KEY("net_size", struct load_config, V_INT, net_size, .min = 64,
	    .max = 1518, .def = "1518",
	    .doc = "net load: frame size, FCS included"),
	KEY("settle", struct load_config, V_DURATION, settle_ns,
	    .min = 0, .max = 60000000000LL, .def = "200ms",
	    .doc = "how long the load runs before the probes start"),
	KEY("port", struct load_config, V_INT, port, .min = 1, .max = 65535,
	    .def = "9",
	    .doc = "UDP port of the load sinks"),
};

static const struct section load_section = {
	"load", load_keys, ARRAY_SIZE(load_keys),
	offsetof(struct campaign, load),
};

static const struct key prober_keys[] = {
	KEY("warmup", struct prober_config, V_INT, warmup, .min = 0,
	    .max = 100000, .def = "10",
	    .doc = "probes sent before each run and not recorded (they "
		   "resolve ARP and warm caches)"),
	KEY("timeout", struct prober_config, V_DURATION, timeout_ns,
	    .min = 1000000, .max = 60000000000LL, .def = "1s",
	    .doc = "how long to wait for replies after the last probe; a "
		   "probe unanswered by then is lost"),
	KEY("udp_port", struct prober_config, V_INT, udp_port, .min = 1,
	    .max = 65535, .def = "7",
	    .doc = "port of the UDP reflector in the responder guest"),
	KEY("busy_poll", struct prober_config, V_BOOL, busy_poll,
	    .def = "false",
	    .doc = "spin on the receive socket instead of sleeping in "
		   "poll(); lowers user-space RTT, costs a CPU"),
	KEY("capture", struct prober_config, V_BOOL, capture, .def = "true",
	    .doc = "timestamp the probes at the capture points (the main "
		   "guests' NICs) too"),
	KEY("capture_ports", struct prober_config, V_BOOL, capture_ports,
	    .def = "false",
	    .doc = "also capture at each main guest's own link on its server "
		   "(a VM's tap or macvtap, a container's veth port): splits "
		   "each server's part into host and guest"),
	KEY("pcap", struct prober_config, V_BOOL, pcap, .def = "false",
	    .doc = "keep each run's frames at each capture point as a pcap "
		   "file"),
};

static const struct section testbed_section = {
	"testbed", testbed_keys, ARRAY_SIZE(testbed_keys),
	offsetof(struct campaign, testbed),
};
static const struct section guests_section = {
	"guests", guests_keys, ARRAY_SIZE(guests_keys), 0,
};
static const struct section prober_section = {
	"prober", prober_keys, ARRAY_SIZE(prober_keys),
	offsetof(struct campaign, prober),
};

/* "matrix" is walked by hand below: a list of mappings of factors. */
static const struct key top_keys[] = {
	KEY("campaign", struct campaign, V_NAME, name,
	    .doc = "name of the campaign (letters, digits, '.', '_', '-')"),
	KEY("prefix", struct campaign, V_PREFIX, prefix, .def = "iov",
	    .doc = "prefix of every namespace, link and process the campaign "
		   "creates (1-6 lowercase letters and digits); leftovers "
		   "with it are removed by `testbed down` and the next run"),
	KEY("results", struct campaign, V_PATH, results, .def = "results.db",
	    .doc = "SQLite results database, relative to the current "
		   "directory; --results overrides it"),
	{.name = "testbed", .type = V_SECTION, .section = &testbed_section,
	 .doc = "the two servers and the wire between them"},
	{.name = "guests", .type = V_SECTION, .section = &guests_section,
	 .doc = "settings of the guests"},
	{.name = "prober", .type = V_SECTION, .section = &prober_section,
	 .doc = "settings of the prober that are not factors"},
	{.name = "load", .type = V_SECTION, .section = &load_section,
	 .doc = "settings of the background load that are not factors"},
};

static const struct section top_section = {
	"", top_keys, ARRAY_SIZE(top_keys), 0,
};

struct walker {
	const char *file;
	yaml_document_t *doc;
	struct strbuf *err;
	int errors;
	struct campaign *c;
};

static void walk_error(struct walker *w, const yaml_node_t *n,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void walk_error(struct walker *w, const yaml_node_t *n,
		       const char *fmt, ...)
{
	va_list ap;

	if (++w->errors > MAX_ERRORS)
		return;
	if (n)
		strbuf_addf(w->err, "%s:%zu:%zu: error: ", w->file,
			    n->start_mark.line + 1, n->start_mark.column + 1);
	else
		strbuf_addf(w->err, "%s: error: ", w->file);
	va_start(ap, fmt);
	strbuf_vaddf(w->err, fmt, ap);
	va_end(ap);
	strbuf_addch(w->err, '\n');
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ?
		       (const char *)n->data.scalar.value :
		       NULL;
}

/* A plain "~", "null" or empty scalar: the key is present with no value. */
static int is_null(const yaml_node_t *n)
{
	const char *s = scalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null");
}

static const char *type_name(yaml_node_type_t t)
{
	switch (t) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a value";
	}
}

static void suggest(const char *word, const char *const *cands, size_t n,
		    char *buf, size_t len)
{
	const char *pick = suggest_closest(word, cands, n);

	if (pick)
		snprintf(buf, len, " (did you mean '%s'?)", pick);
	else
		buf[0] = '\0';
}

static int valid_name(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n > max)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int parse_subnet(const char *s, struct subnet *out, char *why,
			size_t len)
{
	unsigned a, b, c, d, plen;
	uint32_t addr, mask;
	char tail;

	if (sscanf(s, "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &plen, &tail) != 5 ||
	    a > 255 || b > 255 || c > 255 || d > 255 || plen > 32) {
		snprintf(why, len, "expected an IPv4 prefix like 198.18.0.0/16");
		return -EINVAL;
	}
	addr = a << 24 | b << 16 | c << 8 | d;
	/* the benchmarking range only: test traffic must never leak */
	if (plen < 15 || (addr & 0xfffe0000u) != 0xc6120000u) {
		snprintf(why, len,
			 "must lie inside 198.18.0.0/15, the range RFC 2544 "
			 "reserves for benchmarking");
		return -ERANGE;
	}
	if (plen > 29) {
		snprintf(why, len, "a /%u is too small for the guests (at most "
				   "/29)", plen);
		return -ERANGE;
	}
	mask = 0xffffffffu << (32 - plen);
	if (addr & ~mask) {
		snprintf(why, len, "host bits are set (did you mean %u.%u.%u.%u/%u?)",
			 (addr & mask) >> 24, (addr & mask) >> 16 & 255,
			 (addr & mask) >> 8 & 255, addr & mask & 255, plen);
		return -EINVAL;
	}
	out->addr = addr;
	out->len = plen;
	return 0;
}

bool config_prefix_valid(const char *s)
{
	return *s && strlen(s) <= 6 && s[0] >= 'a' && s[0] <= 'z' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789") == strlen(s);
}

/*
 * Parse text as k's type into dst. On error, returns -1 with why set.
 * Used for defaults too, so a default that does not parse fails the tests.
 */
static int parse_value(const struct key *k, const char *text, void *dst,
		       char *why, size_t len)
{
	char lo[32], hi[32];
	int64_t v;
	uint64_t mask;
	unsigned i;

	switch (k->type) {
	case V_NAME:
		if (!valid_name(text, 64)) {
			snprintf(why, len, "expected 1-64 letters, digits, '.', "
					   "'_' or '-'");
			return -1;
		}
		goto string;
	case V_PREFIX:
		if (!config_prefix_valid(text)) {
			snprintf(why, len, "expected 1-6 lowercase letters and "
					   "digits, starting with a letter");
			return -1;
		}
		goto string;
	case V_STRING:
		goto string;
	case V_IFNAME:
		if (!*text || strlen(text) > 15 || strpbrk(text, " /:")) {
			snprintf(why, len, "expected an interface name (1-15 "
					   "characters, no '/', ':' or space)");
			return -1;
		}
		goto string;
	case V_PATH:
		if (!*text) {
			snprintf(why, len, "expected a path");
			return -1;
		}
	string:
		free(*(char **)dst);
		*(char **)dst = xstrdup(text);
		return 0;
	case V_INT:
	case V_DURATION:
		if (k->type == V_INT ? units_parse_si(text, NULL, &v) :
				       units_parse_duration(text, &v)) {
			snprintf(why, len, k->type == V_INT ?
						   "expected a whole number" :
						   "expected a duration like "
						   "500ms or 2s");
			return -1;
		}
		if (v < k->min || v > k->max) {
			if (k->type == V_INT) {
				units_format_si(k->min, lo, sizeof(lo));
				units_format_si(k->max, hi, sizeof(hi));
			} else {
				snprintf(lo, sizeof(lo), "%gms", k->min / 1e6);
				snprintf(hi, sizeof(hi), "%gs", k->max / 1e9);
			}
			snprintf(why, len, "out of range %s..%s", lo, hi);
			return -1;
		}
		*(int64_t *)dst = v;
		return 0;
	case V_BOOL:
		if (strcmp(text, "true") && strcmp(text, "false")) {
			snprintf(why, len, "expected true or false");
			return -1;
		}
		*(bool *)dst = !strcmp(text, "true");
		return 0;
	case V_SUBNET:
		return parse_subnet(text, dst, why, len) ? -1 : 0;
	case V_CPULIST:
		if (!*text) {
			*(uint64_t *)dst = 0;
			return 0;
		}
		if (units_parse_cpulist(text, &mask)) {
			snprintf(why, len, "expected a CPU list like \"1\" or "
					   "\"0-3,6\" (CPUs 0..63)");
			return -1;
		}
		*(uint64_t *)dst = mask;
		return 0;
	case V_TESTBED:
		for (i = 0; i < ARRAY_SIZE(testbed_kind_names); i++) {
			if (!strcmp(text, testbed_kind_names[i])) {
				*(int *)dst = (int)i;
				return 0;
			}
		}
		snprintf(why, len, "expected one of: local, ssh");
		return -1;
	case V_ACCEL:
		for (i = 0; i < ARRAY_SIZE(accel_names); i++) {
			if (!strcmp(text, accel_names[i])) {
				*(int *)dst = (int)i;
				return 0;
			}
		}
		snprintf(why, len, "expected one of: auto, kvm, tcg");
		return -1;
	case V_SECTION:
		break;
	}
	snprintf(why, len, "internal: bad key type");
	return -1;
}

static void section_defaults(const struct section *s, struct campaign *c)
{
	char why[256];
	size_t i;

	for (i = 0; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i];

		if (k->type == V_SECTION) {
			section_defaults(k->section, c);
			continue;
		}
		if (!k->def)
			continue;
		if (parse_value(k, k->def, (char *)c + s->off + k->off, why,
				sizeof(why)))
			abort(); /* a bad default is a bug: the tests catch it */
	}
}

static void walk_section(struct walker *w, const struct section *s,
			 yaml_node_t *map);

static const char *path_of(const struct section *s, const char *key,
			   char *buf, size_t len)
{
	if (*s->name)
		snprintf(buf, len, "%s.%s", s->name, key);
	else
		snprintf(buf, len, "%s", key);
	return buf;
}

static void walk_key(struct walker *w, const struct section *s,
		     const struct key *k, yaml_node_t *val)
{
	char why[256], path[128];
	const char *text;

	path_of(s, k->name, path, sizeof(path));
	if (k->type == V_SECTION) {
		if (is_null(val))
			return;
		if (val->type != YAML_MAPPING_NODE) {
			walk_error(w, val, "%s: expected a mapping, not %s",
				   path, type_name(val->type));
			return;
		}
		walk_section(w, k->section, val);
		return;
	}
	text = scalar(val);
	if (!text) {
		walk_error(w, val, "%s: expected a single value, not %s", path,
			   type_name(val->type));
		return;
	}
	if (parse_value(k, text, (char *)w->c + s->off + k->off, why,
			sizeof(why)))
		walk_error(w, val, "%s: '%s' %s%s", path, text,
			   strncmp(why, "out of", 6) ? "is invalid: " : "is ",
			   why);
}

/* Each key once; unknown keys named, with a suggestion. */
static yaml_node_t *pair_key(struct walker *w, yaml_node_pair_t *p,
			     const char *where)
{
	yaml_node_t *k = yaml_document_get_node(w->doc, p->key);

	if (!scalar(k)) {
		walk_error(w, k, "%s: keys must be plain words, not %s", where,
			   k ? type_name(k->type) : "nothing");
		return NULL;
	}
	return k;
}

static int seen_before(struct walker *w, yaml_node_t *map,
		       yaml_node_pair_t *upto, const char *name)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < upto; p++) {
		const char *s = scalar(yaml_document_get_node(w->doc, p->key));

		if (s && !strcmp(s, name))
			return 1;
	}
	return 0;
}

static void walk_section(struct walker *w, const struct section *s,
			 yaml_node_t *map)
{
	const char *names[32];
	yaml_node_pair_t *p;
	size_t i;

	for (i = 0; i < s->nkeys && i < ARRAY_SIZE(names); i++)
		names[i] = s->keys[i].name;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = pair_key(w, p, *s->name ? s->name : "top");
		yaml_node_t *vn = yaml_document_get_node(w->doc, p->value);
		const char *name;
		char hint[96], path[128];

		if (!kn)
			continue;
		name = scalar(kn);
		if (!*s->name && !strcmp(name, "matrix"))
			continue; /* walked by walk_matrices() */
		if (seen_before(w, map, p, name)) {
			walk_error(w, kn, "%s: key given twice",
				   path_of(s, name, path, sizeof(path)));
			continue;
		}
		for (i = 0; i < s->nkeys; i++) {
			if (!strcmp(s->keys[i].name, name))
				break;
		}
		if (i == s->nkeys) {
			const char *top_extra[34];
			size_t n = s->nkeys;

			memcpy(top_extra, names, n * sizeof(*names));
			if (!*s->name)
				top_extra[n++] = "matrix";
			suggest(name, top_extra, n, hint, sizeof(hint));
			walk_error(w, kn, "unknown key '%s'%s%s%s", name,
				   *s->name ? " in " : "", s->name, hint);
			continue;
		}
		walk_key(w, s, &s->keys[i], vn);
	}
}

/* Keys without a default must be present (a bad value is its own error). */
static void check_required(struct walker *w, const struct section *s,
			   yaml_node_t *root)
{
	size_t i;

	for (i = 0; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i];

		if (k->def || k->type == V_SECTION)
			continue;
		if (!seen_before(w, root, root->data.mapping.pairs.top,
				 k->name))
			walk_error(w, root, "missing required key '%s'",
				   k->name);
	}
}

/* An ssh testbed names its servers; a local one has none to name. */
static yaml_node_t *value_of(struct walker *w, yaml_node_t *map,
			     const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(yaml_document_get_node(w->doc, p->key));

		if (k && !strcmp(k, key))
			return yaml_document_get_node(w->doc, p->value);
	}
	return NULL;
}

static void check_servers(struct walker *w, yaml_node_t *root)
{
	struct testbed_config *tb = &w->c->testbed;
	static const char *const who[] = {"sender", "responder"};
	yaml_node_t *at = value_of(w, root, "testbed");
	int s;

	if (!at)
		at = root;

	for (s = 0; s < 2; s++) {
		struct server_config *sv = &tb->servers[s];

		if (tb->kind == TESTBED_SSH && (!sv->ssh || !sv->nic))
			walk_error(w, at, "testbed.servers.%s needs ssh and nic "
					    "when testbed.kind is ssh",
				   who[s]);
		if (tb->kind == TESTBED_LOCAL && (sv->ssh || sv->nic))
			walk_error(w, at, "testbed.servers.%s: a local "
					    "testbed has no servers to name "
					    "(kind: ssh?)",
				   who[s]);
	}
}

static void factor_add(struct factor_values *fv, int64_t v, unsigned line)
{
	fv->v = xrealloc(fv->v, (fv->n + 1) * sizeof(*fv->v));
	fv->line = xrealloc(fv->line, (fv->n + 1) * sizeof(*fv->line));
	fv->v[fv->n] = v;
	fv->line[fv->n] = line;
	fv->n++;
}

static void walk_factor_value(struct walker *w, struct matrix *m,
			      enum factor_id id, yaml_node_t *n, size_t mi)
{
	const char *text = scalar(n);
	char why[256];
	int64_t v;
	size_t i;
	int ret;

	if (!text || is_null(n)) {
		walk_error(w, n, "matrix[%zu].%s: expected a value, not %s", mi,
			   factor_table[id].name,
			   text ? "nothing" : type_name(n->type));
		return;
	}
	ret = factor_parse(id, text, &v, why, sizeof(why));
	if (ret) {
		walk_error(w, n, "matrix[%zu].%s: '%s' is %s%s", mi,
			   factor_table[id].name, text,
			   ret == -ERANGE ? "" : "invalid: ", why);
		return;
	}
	for (i = 0; i < m->f[id].n; i++) {
		if (m->f[id].v[i] == v) {
			walk_error(w, n, "matrix[%zu].%s: '%s' is listed twice",
				   mi, factor_table[id].name, text);
			return;
		}
	}
	factor_add(&m->f[id], v, (unsigned)n->start_mark.line + 1);
}

static void walk_matrix(struct walker *w, yaml_node_t *map, size_t mi)
{
	struct campaign *c = w->c;
	struct matrix *m = &c->matrices[mi];
	const char *names[FACTOR_COUNT + 1];
	yaml_node_pair_t *p;
	char where[32];
	int id;

	snprintf(where, sizeof(where), "matrix[%zu]", mi);
	m->line = (unsigned)map->start_mark.line + 1;
	for (id = 0; id < FACTOR_COUNT; id++)
		names[id] = factor_table[id].name;
	names[FACTOR_COUNT] = "name";
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = pair_key(w, p, where);
		yaml_node_t *vn = yaml_document_get_node(w->doc, p->value);
		yaml_node_item_t *it;
		const char *name;
		char hint[96];

		if (!kn)
			continue;
		name = scalar(kn);
		if (seen_before(w, map, p, name)) {
			walk_error(w, kn, "%s.%s: key given twice", where, name);
			continue;
		}
		if (!strcmp(name, "name")) {
			if (!scalar(vn) || !valid_name(scalar(vn), 64))
				walk_error(w, vn,
					   "%s.name: '%s' is invalid: expected "
					   "1-64 letters, digits, '.', '_' or "
					   "'-'",
					   where, scalar(vn) ? scalar(vn) : "");
			else
				m->name = xstrdup(scalar(vn));
			continue;
		}
		id = factor_find(name);
		if (id < 0) {
			suggest(name, names, ARRAY_SIZE(names), hint,
				sizeof(hint));
			walk_error(w, kn, "unknown key '%s' in %s%s", name,
				   where, hint);
			continue;
		}
		if (vn->type != YAML_SEQUENCE_NODE) {
			walk_factor_value(w, m, (enum factor_id)id, vn, mi);
			continue;
		}
		if (vn->data.sequence.items.start == vn->data.sequence.items.top)
			walk_error(w, vn, "%s.%s: the list is empty", where,
				   name);
		for (it = vn->data.sequence.items.start;
		     it < vn->data.sequence.items.top; it++)
			walk_factor_value(w, m, (enum factor_id)id,
					  yaml_document_get_node(w->doc, *it),
					  mi);
	}
	if (!m->name)
		m->name = xasprintf("matrix%zu", mi);
}

static void walk_matrices(struct walker *w, yaml_node_t *root)
{
	yaml_node_pair_t *p;
	yaml_node_t *seq = NULL, *kn = NULL;
	yaml_node_item_t *it;
	size_t n;

	for (p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(w->doc, p->key);

		if (scalar(k) && !strcmp(scalar(k), "matrix")) {
			if (seq) {
				walk_error(w, k, "matrix: key given twice");
				return;
			}
			kn = k;
			seq = yaml_document_get_node(w->doc, p->value);
		}
	}
	if (!seq) {
		walk_error(w, root, "missing required key 'matrix'");
		return;
	}
	/* one matrix may be written as a mapping instead of a list of one */
	if (seq->type == YAML_MAPPING_NODE) {
		w->c->matrices = xcalloc(1, sizeof(*w->c->matrices));
		w->c->nmatrices = 1;
		walk_matrix(w, seq, 0);
		return;
	}
	if (seq->type != YAML_SEQUENCE_NODE ||
	    seq->data.sequence.items.start == seq->data.sequence.items.top) {
		walk_error(w, is_null(seq) ? kn : seq,
			   "matrix: expected a list of matrices (mappings of "
			   "factors)");
		return;
	}
	n = (size_t)(seq->data.sequence.items.top -
		     seq->data.sequence.items.start);
	w->c->matrices = xcalloc(n, sizeof(*w->c->matrices));
	w->c->nmatrices = n;
	for (it = seq->data.sequence.items.start, n = 0;
	     it < seq->data.sequence.items.top; it++, n++) {
		yaml_node_t *m = yaml_document_get_node(w->doc, *it);

		if (m->type != YAML_MAPPING_NODE) {
			walk_error(w, m, "matrix[%zu]: expected a mapping of "
					 "factors, not %s",
				   n, type_name(m->type));
			w->c->matrices[n].name = xasprintf("matrix%zu", n);
			continue;
		}
		walk_matrix(w, m, n);
	}
}

static void yaml_syntax_error(struct walker *w, const yaml_parser_t *yp)
{
	w->errors++;
	strbuf_addf(w->err, "%s:%zu:%zu: error: YAML syntax: %s%s%s\n",
		    w->file, yp->problem_mark.line + 1,
		    yp->problem_mark.column + 1,
		    yp->problem ? yp->problem : "unreadable",
		    yp->context ? " " : "", yp->context ? yp->context : "");
}

int config_parse(const char *file, const char *text, size_t len,
		 struct campaign *c, struct strbuf *err)
{
	struct walker w = {.file = file, .err = err, .c = c};
	yaml_parser_t yp;
	yaml_document_t doc, extra;
	yaml_node_t *root;
	int loaded = 0;

	memset(c, 0, sizeof(*c));
	c->file = xstrdup(file);
	section_defaults(&top_section, c);

	if (len > CONFIG_MAX_BYTES) {
		walk_error(&w, NULL, "file is larger than %u bytes",
			   CONFIG_MAX_BYTES);
		goto out;
	}
	if (memchr(text, '\0', len)) {
		walk_error(&w, NULL, "file contains a NUL byte");
		goto out;
	}
	if (!yaml_parser_initialize(&yp)) {
		walk_error(&w, NULL, "out of memory");
		goto out;
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
	if (!yaml_parser_load(&yp, &doc)) {
		yaml_syntax_error(&w, &yp);
		goto parser;
	}
	loaded = 1;
	w.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		walk_error(&w, NULL, "file is empty");
		goto document;
	}
	if (root->type != YAML_MAPPING_NODE) {
		walk_error(&w, root, "expected a mapping of keys at the top, "
				     "not %s",
			   type_name(root->type));
		goto document;
	}
	/* a second document in the same file is almost surely a mistake */
	if (!yaml_parser_load(&yp, &extra)) {
		yaml_syntax_error(&w, &yp);
		goto document;
	}
	if (yaml_document_get_root_node(&extra))
		walk_error(&w, NULL, "file holds more than one YAML document");
	yaml_document_delete(&extra);

	walk_section(&w, &top_section, root);
	walk_matrices(&w, root);
	check_required(&w, &top_section, root);
	check_servers(&w, root);
document:
	if (loaded)
		yaml_document_delete(&doc);
parser:
	yaml_parser_delete(&yp);
out:
	if (w.errors > MAX_ERRORS)
		strbuf_addf(err, "%s: error: %d more errors not shown\n", file,
			    w.errors - MAX_ERRORS);
	if (w.errors) {
		config_release(c);
		return -1;
	}
	return 0;
}

int config_load(const char *file, struct campaign *c)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	int ret;

	ret = strbuf_read_file(&text, file, CONFIG_MAX_BYTES + 1);
	if (ret == -EFBIG) {
		strbuf_release(&text);
		return error("%s: file is larger than %u bytes", file,
			     CONFIG_MAX_BYTES);
	}
	if (ret) {
		strbuf_release(&text);
		errno = -ret;
		return error_errno("cannot read campaign '%s'", file);
	}
	ret = config_parse(file, text.buf, text.len, c, &err);
	if (ret)
		fputs(err.buf, stderr);
	strbuf_release(&text);
	strbuf_release(&err);
	return ret;
}

/* The key types whose value is a string the campaign owns. */
static const bool owns_string[] = {
	[V_NAME] = true, [V_PREFIX] = true, [V_PATH] = true,
	[V_IFNAME] = true, [V_STRING] = true,
};

/* Free what s's keys hold: one table, so a new key cannot leak. */
static void section_release(const struct section *s, struct campaign *c)
{
	size_t i;

	for (i = 0; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i];

		if (k->type == V_SECTION)
			section_release(k->section, c);
		else if ((size_t)k->type < ARRAY_SIZE(owns_string) &&
			 owns_string[k->type])
			free(*(char **)((char *)c + s->off + k->off));
	}
}

void config_release(struct campaign *c)
{
	size_t i;
	int f;

	for (i = 0; i < c->nmatrices; i++) {
		for (f = 0; f < FACTOR_COUNT; f++) {
			free(c->matrices[i].f[f].v);
			free(c->matrices[i].f[f].line);
		}
		free(c->matrices[i].name);
	}
	free(c->matrices);
	section_release(&top_section, c);
	free(c->file);
	memset(c, 0, sizeof(*c));
}

size_t matrix_nvalues(const struct matrix *m, enum factor_id id)
{
	return m->f[id].n ? m->f[id].n : 1;
}

int64_t matrix_value(const struct matrix *m, enum factor_id id, size_t i)
{
	return m->f[id].n ? m->f[id].v[i] : factor_default(id);
}

static void for_each_in(const struct section *s,
			void (*fn)(const struct config_key_doc *, void *),
			void *data)
{
	size_t i;

	for (i = 0; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i];
		struct config_key_doc d = {s->name, k->name, k->def, k->doc};

		if (k->type == V_SECTION)
			for_each_in(k->section, fn, data);
		else
			fn(&d, data);
	}
}

void config_for_each_key(void (*fn)(const struct config_key_doc *, void *),
			 void *data)
{
	struct config_key_doc name = {"matrix", "name", "matrixN",
				      "label of the matrix in messages"};
	int f;

	for_each_in(&top_section, fn, data);
	fn(&name, data);
	for (f = 0; f < FACTOR_COUNT; f++) {
		struct config_key_doc d = {"matrix", factor_table[f].name,
					   factor_table[f].def,
					   factor_table[f].doc};

		fn(&d, data);
	}
}
