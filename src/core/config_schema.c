// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The campaign schema: one table per mapping of a campaign file, one
 * entry per key (its type, place in struct campaign, range, default and
 * documentation), and the parsers of the value types. config.c walks
 * the YAML document with these tables; docs/config.md is checked
 * against them (config_for_each_key()).
 */
#include "core/config_schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "util/alloc.h"

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
	KEY("ssh", struct server_config, V_SSH_DEST, ssh,
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
	KEY("moongen", struct server_config, V_PATH, moongen,
	    .def = "MoonGen",
	    .doc = "generator moongen: MoonGen's binary on the server"),
	KEY("moongen_script", struct server_config, V_PATH, moongen_script,
	    .def = "l2-load-latency.lua",
	    .doc = "generator moongen: autotest's l2-load-latency.lua on the "
		   "server (DEV MAC -r KPPS -s SIZE -f FILE -T SECONDS)"),
	KEY("trex", struct server_config, V_PATH, trex,
	    .def = "trex-loadlat.py",
	    .doc = "generator trex: tools/trex-loadlat.py on the server, "
		   "next to a running TRex server (t-rex-64 -i)"),
	KEY("dpdk_port", struct server_config, V_STRING, dpdk_port,
	    .def = "0",
	    .doc = "generator moongen, trex: the DPDK port of the server's "
		   "NIC they send on"),
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
	KEY("loadgen_threads", struct testbed_config, V_INT, loadgen_threads,
	    .min = 1, .max = 16, .def = "1",
	    .doc = "sending threads of the builtin load generator "
		   "(iovbench loadgen --threads), each with its own TX ring "
		   "and an equal share of the rate; on a multi-queue NIC, "
		   "XPS maps each thread's CPU to a queue"),
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
	KEY("keep_qdisc", struct guest_config, V_BOOL, keep_qdisc,
	    .def = "false",
	    .doc = "VM guests: their NICs keep the guest kernel's default "
		   "root qdisc (fq_codel) instead of the noqueue the image's "
		   "/init sets, which the hygiene check then flags; for "
		   "measuring what it costs (bench/vmboot)"),
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
	KEY("warmup_once", struct prober_config, V_BOOL, warmup_once,
	    .def = "false",
	    .doc = "send the warm-up probes once per setup, when its guests "
		   "are up, instead of before each run"),
	KEY("serve", struct prober_config, V_BOOL, serve, .def = "true",
	    .doc = "one prober process for all the runs of a setup "
		   "(probe --serve) in container guests on this machine; "
		   "false: a process per run"),
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
	KEY("suspect_loss", struct prober_config, V_INT, suspect_loss,
	    .min = 0, .max = 100, .def = "50",
	    .doc = "a run that loses more than this percentage of its probes "
		   "on a path that answered its preflight is flagged as "
		   "suspect (something broke during the run)"),
	KEY("rate_tolerance", struct prober_config, V_INT, rate_tolerance,
	    .min = 0, .max = 100, .def = "10",
	    .doc = "a run whose achieved probe rate is off its schedule's by "
		   "more than this percentage is flagged as overloaded (the "
		   "host could not keep the schedule)"),
	KEY("late_tolerance", struct prober_config, V_INT, late_tolerance,
	    .min = 0, .max = 100, .def = "1",
	    .doc = "a run in which more than this percentage of the probes "
		   "left later than one interval is flagged as overloaded "
		   "too (the rate kept, the schedule not)"),
	KEY("refuse_overload", struct prober_config, V_BOOL, refuse_overload,
	    .def = "false",
	    .doc = "store an overloaded run as failed, with the reason, "
		   "instead of flagging it; the campaign goes on"),
	KEY("refuse_distorting", struct prober_config, V_BOOL,
	    refuse_distorting, .def = "false",
	    .doc = "store every run as failed while a server has a setting "
		   "that distorts latency (turbo on, a governor other than "
		   "performance, deep C-states, SMT, bridge netfilter, RPS: "
		   "`iovbench doctor`) instead of warning"),
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
	{.name = "qemu_props", .type = V_DEVICE_PROPS,
	 .off = offsetof(struct campaign, qemu_props), .def = "{}",
	 .doc = "named sets of extra QEMU device properties for patched "
		"builds (NAME: \"prop=value,...\"), appended to the VMs' "
		"NIC -device when the qemu_props factor names them"},
};

const struct section config_schema_top = {
	"", top_keys, ARRAY_SIZE(top_keys), 0,
};


int config_schema_valid_name(const char *s, size_t max)
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

/*
 * [ssh://][user@]host[:port]: what ssh takes as a destination, and
 * nothing it could take for an option (a leading '-') or a shell could
 * split. host may be a name, an address, [IPv6] or a Host of ssh_config.
 */
static bool ssh_dest_valid(const char *s)
{
	const char *host = s, *at;

	if (!strncmp(host, "ssh://", 6))
		host += 6;
	at = strchr(host, '@');
	if (at) {
		if (at == host || strchr(at + 1, '@'))
			return false;
		host = at + 1;
	}
	return *host && *host != '-' && *s != '-' && strlen(s) <= 255 &&
	       strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
			    "XYZ0123456789.-_:[]%") == strlen(host) &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"
			 "Z0123456789.-_:[]%@/") == strlen(s);
}

bool config_prefix_valid(const char *s)
{
	return *s && strlen(s) <= 6 && s[0] >= 'a' && s[0] <= 'z' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789") == strlen(s);
}

int config_schema_parse(const struct key *k, const char *text, void *dst,
			char *why, size_t len)
{
	char lo[32], hi[32];
	int64_t v;
	uint64_t mask;
	unsigned i;

	switch (k->type) {
	case V_NAME:
		if (!config_schema_valid_name(text, 64)) {
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
	case V_SSH_DEST:
		if (!ssh_dest_valid(text)) {
			snprintf(why, len, "expected an ssh destination "
					   "([user@]host, or "
					   "ssh://[user@]host[:port]), not "
					   "starting with '-'");
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
	case V_DEVICE_PROPS: /* mappings: config.c walks them */
		break;
	}
	snprintf(why, len, "internal: bad key type");
	return -1;
}

void config_schema_defaults(const struct section *s, struct campaign *c)
{
	char why[256];
	size_t i;

	for (i = 0; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i];

		if (k->type == V_SECTION) {
			config_schema_defaults(k->section, c);
			continue;
		}
		if (!k->def || k->type == V_DEVICE_PROPS)
			continue;
		if (config_schema_parse(k, k->def, (char *)c + s->off + k->off,
					why, sizeof(why)))
			abort(); /* a bad default is a bug: the tests catch it */
	}
}


/* The key types whose value is a string the campaign owns. */
static const bool owns_string[] = {
	[V_NAME] = true, [V_PREFIX] = true, [V_PATH] = true,
	[V_IFNAME] = true, [V_STRING] = true, [V_SSH_DEST] = true,
};

void config_schema_release(const struct section *s, struct campaign *c)
{
	size_t i;

	for (i = 0; i < s->nkeys; i++) {
		const struct key *k = &s->keys[i];

		if (k->type == V_SECTION) {
			config_schema_release(k->section, c);
		} else if (k->type == V_DEVICE_PROPS) {
			struct named_strings *ns =
				(void *)((char *)c + s->off + k->off);
			size_t j;

			for (j = 0; j < ns->n; j++) {
				free(ns->names[j]);
				free(ns->values[j]);
			}
			free(ns->names);
			free(ns->values);
			memset(ns, 0, sizeof(*ns));
		} else if ((size_t)k->type < ARRAY_SIZE(owns_string) &&
			   owns_string[k->type]) {
			free(*(char **)((char *)c + s->off + k->off));
		}
	}
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

	for_each_in(&config_schema_top, fn, data);
	fn(&name, data);
	for (f = 0; f < FACTOR_COUNT; f++) {
		struct config_key_doc d = {"matrix", factor_table[f].name,
					   factor_table[f].def,
					   factor_table[f].doc};

		fn(&d, data);
	}
}
