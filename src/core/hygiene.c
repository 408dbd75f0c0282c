// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host hygiene, pure half (core/hygiene.h): the settings' table and the
 * fold of a "PATH:VALUE" dump into one word per setting. The files are
 * the kernel's (Documentation/admin-guide/pm/cpufreq.rst, cpuidle.rst,
 * intel_pstate.rst, ABI/testing/sysfs-devices-system-cpu).
 */
#include "core/hygiene.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hygiene_link.h"
#include "util/alloc.h"

#define CPU "/sys/devices/system/cpu"

static const char *const governor_globs[] = {
	CPU "/cpu[0-9]*/cpufreq/scaling_governor", NULL};
static const char *const turbo_globs[] = {
	CPU "/intel_pstate/no_turbo", CPU "/cpufreq/boost", NULL};
static const char *const cstate_globs[] = {
	CPU "/cpuidle/current_driver",
	CPU "/cpu[0-9]*/cpuidle/state[0-9]*/name",
	CPU "/cpu[0-9]*/cpuidle/state[0-9]*/latency",
	CPU "/cpu[0-9]*/cpuidle/state[0-9]*/disable", NULL};
static const char *const smt_globs[] = {CPU "/smt/active", CPU "/smt/control",
					NULL};
static const char *const bridge_nf_globs[] = {
	"/proc/sys/net/bridge/bridge-nf-call-iptables",
	"/proc/sys/net/bridge/bridge-nf-call-ip6tables",
	"/proc/sys/net/bridge/bridge-nf-call-arptables", NULL};
static const char *const rps_globs[] = {
	"/sys/class/net/*/queues/rx-[0-9]*/rps_cpus", NULL};
static const char *const xps_globs[] = {
	"/sys/class/net/*/queues/tx-[0-9]*/xps_cpus", NULL};
/* said by `iovbench hygiene` (net/linkset.c), not held in files */
static const char *const no_globs[] = {NULL};
static const char *const busy_poll_globs[] = {
	"/proc/sys/net/core/busy_read", "/proc/sys/net/core/busy_poll", NULL};

/* ---- the fold ---- */

#define GOVERNORS_MAX 8
#define STATES_MAX 16

struct hygiene_fold {
	struct {
		char name[24];
		unsigned n;
	} gov[GOVERNORS_MAX];
	unsigned ngov, govs;
	int no_turbo, boost;
	char driver[32];
	struct {
		char name[16];
		long latency; /* the largest any CPU said, -1: none */
		unsigned seen, disabled; /* CPUs that said disable=... */
		bool exists;
	} st[STATES_MAX];
	int smt_active;
	char smt_control[24];
	int nf[3];
	unsigned rps_queues, rps_on;
	char rps_first[48];
	long busy_read, busy_poll;
	struct link_fold links;
};

/* value as an integer, or dflt when it is not one */
static long num(const char *v, long dflt)
{
	char *end;
	long x = strtol(v, &end, 10);

	return end != v && !*end ? x : dflt;
}

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

static void fold_governor(struct hygiene_fold *f, const char *v)
{
	unsigned i;

	f->govs++;
	for (i = 0; i < f->ngov; i++) {
		if (!strcmp(f->gov[i].name, v)) {
			f->gov[i].n++;
			return;
		}
	}
	if (f->ngov == GOVERNORS_MAX)
		return;
	copy(f->gov[f->ngov].name, sizeof(f->gov[0].name), v);
	f->gov[f->ngov++].n = 1;
}

/* .../cpuN/cpuidle/stateK/FILE */
static void fold_cstate(struct hygiene_fold *f, const char *path, const char *v)
{
	const char *p = strstr(path, "/cpuidle/state");
	const char *file;
	long k;

	if (!p)
		return;
	k = strtol(p + 14, NULL, 10);
	file = strrchr(path, '/') + 1;
	if (k < 0 || k >= STATES_MAX)
		return;
	f->st[k].exists = true;
	if (!strcmp(file, "name")) {
		copy(f->st[k].name, sizeof(f->st[k].name), v);
	} else if (!strcmp(file, "latency")) {
		long l = num(v, -1);

		if (l > f->st[k].latency)
			f->st[k].latency = l;
	} else if (!strcmp(file, "disable")) {
		f->st[k].seen++;
		f->st[k].disabled += num(v, 0) != 0;
	}
}

/* a mask "00000000,00000003": any CPU set? */
static bool mask_set(const char *v)
{
	for (; *v; v++) {
		if (*v != '0' && *v != ',')
			return true;
	}
	return false;
}

static void fold_line(struct hygiene_fold *f, const char *path, const char *v)
{
	size_t i;

	if (link_fold_line(&f->links, path, v))
		return;
	if (!fnmatch(governor_globs[0], path, FNM_PATHNAME))
		fold_governor(f, v);
	else if (!strcmp(path, turbo_globs[0]))
		f->no_turbo = (int)num(v, -1);
	else if (!strcmp(path, turbo_globs[1]))
		f->boost = (int)num(v, -1);
	else if (!strcmp(path, cstate_globs[0]))
		copy(f->driver, sizeof(f->driver), v);
	else if (!fnmatch(CPU "/cpu[0-9]*/cpuidle/state[0-9]*/*", path,
			  FNM_PATHNAME))
		fold_cstate(f, path, v);
	else if (!strcmp(path, smt_globs[0]))
		f->smt_active = (int)num(v, -1);
	else if (!strcmp(path, smt_globs[1]))
		copy(f->smt_control, sizeof(f->smt_control), v);
	else if (!fnmatch(rps_globs[0], path, FNM_PATHNAME) ||
		 /* a container guest's, said by `iovbench hygiene --label` */
		 !fnmatch("/net/*/*/queues/rx-[0-9]*/rps_cpus", path,
			  FNM_PATHNAME)) {
		f->rps_queues++;
		if (mask_set(v) && !f->rps_on++)
			copy(f->rps_first, sizeof(f->rps_first),
			     path + (path[1] == 's' ? strlen("/sys/class/net/") :
						      strlen("/net/")));
	} else if (!strcmp(path, busy_poll_globs[0]))
		f->busy_read = num(v, -1);
	else if (!strcmp(path, busy_poll_globs[1]))
		f->busy_poll = num(v, -1);
	for (i = 0; i < 3; i++) {
		if (!strcmp(path, bridge_nf_globs[i]))
			f->nf[i] = (int)num(v, -1);
	}
}

/* ---- one word per setting ---- */

static void set(struct hygiene_value *v, bool known, bool distorts,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void set(struct hygiene_value *v, bool known, bool distorts,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->value, sizeof(v->value), fmt, ap);
	va_end(ap);
	v->known = known;
	v->distorts = distorts;
}

static void finish_governor(const struct hygiene_fold *f,
			    struct hygiene_value *v)
{
	size_t used = 0;
	bool bad = false;
	unsigned i;

	if (!f->govs) {
		set(v, false, false,
		    "absent (no cpufreq: the firmware or "
		    "hypervisor sets the clock)");
		return;
	}
	v->value[0] = '\0';
	for (i = 0; i < f->ngov; i++) {
		int n = snprintf(v->value + used, sizeof(v->value) - used,
				 f->ngov > 1 ? "%s%s (%u CPUs)" : "%s%s",
				 i ? ", " : "", f->gov[i].name, f->gov[i].n);

		if (n > 0 && (size_t)n < sizeof(v->value) - used)
			used += (size_t)n;
		bad |= strcmp(f->gov[i].name, "performance") != 0;
	}
	v->known = true;
	v->distorts = bad;
}

static void finish_turbo(const struct hygiene_fold *f, struct hygiene_value *v)
{
	/* intel_pstate's no_turbo wins: with it, cpufreq/boost is absent */
	if (f->no_turbo >= 0)
		set(v, true, !f->no_turbo, "%s (intel_pstate)",
		    f->no_turbo ? "off" : "on");
	else if (f->boost >= 0)
		set(v, true, f->boost != 0, "%s (cpufreq boost)",
		    f->boost ? "on" : "off");
	else
		set(v, false, false,
		    "absent (no intel_pstate or cpufreq "
		    "boost file)");
}

static void finish_cstates(const struct hygiene_fold *f,
			   struct hygiene_value *v)
{
	long deepest = -1;
	int k, at = -1;

	for (k = 0; k < STATES_MAX; k++) {
		const bool enabled =
		    !f->st[k].seen || f->st[k].disabled < f->st[k].seen;

		if (f->st[k].exists && enabled && f->st[k].latency > deepest) {
			deepest = f->st[k].latency;
			at = k;
		}
	}
	if (at < 0) {
		set(v, false, false, "absent (no cpuidle states%s%s)",
		    *f->driver ? ": driver " : "", f->driver);
		return;
	}
	set(v, true, deepest > HYGIENE_CSTATE_MAX_US,
	    "deepest enabled %s (exit %ld us)%s%s",
	    *f->st[at].name ? f->st[at].name : "state", deepest,
	    *f->driver ? ", " : "", f->driver);
}

static void finish_smt(const struct hygiene_fold *f, struct hygiene_value *v)
{
	if (f->smt_active < 0 && !*f->smt_control)
		set(v, false, false, "absent (no smt control)");
	else if (f->smt_active >= 0)
		set(v, true, f->smt_active == 1, "%s%s%s%s",
		    f->smt_active == 1 ? "on" : "off",
		    *f->smt_control ? " (control " : "", f->smt_control,
		    *f->smt_control ? ")" : "");
	else
		set(v, true, !strcmp(f->smt_control, "on"), "control %s",
		    f->smt_control);
}

static void finish_bridge_nf(const struct hygiene_fold *f,
			     struct hygiene_value *v)
{
	static const char *const names[] = {"iptables", "ip6tables",
					    "arptables"};
	char on[48] = "";
	size_t i;

	if (f->nf[0] < 0 && f->nf[1] < 0 && f->nf[2] < 0) {
		set(v, true, false, "off (no br_netfilter)");
		return;
	}
	for (i = 0; i < 3; i++) {
		if (f->nf[i] > 0)
			snprintf(on + strlen(on), sizeof(on) - strlen(on),
				 "%s%s", *on ? ", " : "", names[i]);
	}
	if (*on)
		set(v, true, true, "on (%s)", on);
	else
		set(v, true, false, "off");
}

static void finish_rps(const struct hygiene_fold *f, struct hygiene_value *v)
{
	if (!f->rps_queues)
		set(v, false, false, "absent (no receive queues)");
	else if (!f->rps_on)
		set(v, true, false, "off");
	else
		set(v, true, true, "on (%u of %u queues, %s)", f->rps_on,
		    f->rps_queues, f->rps_first);
}

static void finish_xps(const struct hygiene_fold *f, struct hygiene_value *v)
{
	link_finish_xps(&f->links, v);
}

static void finish_qdisc(const struct hygiene_fold *f, struct hygiene_value *v)
{
	link_finish_qdisc(&f->links, v);
}

static void finish_offloads(const struct hygiene_fold *f,
			    struct hygiene_value *v)
{
	link_finish_offloads(&f->links, v);
}

static void finish_queues(const struct hygiene_fold *f,
			  struct hygiene_value *v)
{
	link_finish_queues(&f->links, v);
}

static void finish_busy_poll(const struct hygiene_fold *f,
			     struct hygiene_value *v)
{
	if (f->busy_read < 0 && f->busy_poll < 0)
		set(v, false, false,
		    "absent (no net.core.busy_read here: the "
		    "initial namespace has it)");
	else if (f->busy_read <= 0 && f->busy_poll <= 0)
		set(v, true, false, "0");
	else
		set(v, true, false, "busy_read %ld us, busy_poll %ld us",
		    f->busy_read, f->busy_poll);
}

const struct hygiene_def hygiene_table[HY_COUNT] = {
	[HY_GOVERNOR] = {
		.name = "governor",
		.globs = governor_globs,
		.good = "performance",
		.finish = finish_governor,
		.effect = "the CPU frequency governor: any but performance "
			  "lowers the clock of idle CPUs, and a probe that "
			  "wakes one runs slowly until the governor notices "
			  "(tens of ms)",
	},
	[HY_TURBO] = {
		.name = "turbo",
		.globs = turbo_globs,
		.good = "off",
		.finish = finish_turbo,
		.effect = "turbo/boost: the clock then depends on the "
			  "temperature and on how many cores are busy, so the "
			  "same test differs from run to run (autotest refuses "
			  "to run with it on)",
	},
	[HY_CSTATES] = {
		.name = "cstates",
		.globs = cstate_globs,
		.good = "shallow",
		.finish = finish_cstates,
		.effect = "C-states: an idle CPU in a deep state takes its "
			  "exit latency to wake for a probe (C6: ~100 us); "
			  "deeper than 10 us distorts (disable them: "
			  "cpuidle.off=1, intel_idle.max_cstate=1 or "
			  "state*/disable)",
	},
	[HY_SMT] = {
		.name = "smt",
		.globs = smt_globs,
		.good = "off",
		.finish = finish_smt,
		.effect = "SMT (hyper-threading): a busy sibling thread shares "
			  "the core's pipelines and caches with the prober or "
			  "a vCPU, so background load reaches the RTT through "
			  "the core",
	},
	[HY_BRIDGE_NF] = {
		.name = "bridge_nf",
		.globs = bridge_nf_globs,
		.good = "off",
		.finish = finish_bridge_nf,
		.effect = "bridge netfilter (br_netfilter's bridge-nf-call-*): "
			  "every bridged frame goes through iptables "
			  "(veth-bridge here: RTT p50 12.06 vs 5.26 us); the "
			  "local testbed turns it off in its namespaces",
	},
	[HY_RPS] = {
		.name = "rps",
		.globs = rps_globs,
		.good = "off",
		.finish = finish_rps,
		.effect = "receive packet steering: the receive softirq moves "
			  "to another CPU through an inter-processor "
			  "interrupt, which adds its wake-up to every RTT "
			  "(rps_cpus on every link here: RTT p50 +4-12 %, "
			  "p99 x2-5 on veth-bridge and macvlan)",
	},
	[HY_XPS] = {
		.name = "xps",
		.globs = xps_globs,
		.good = "any",
		.finish = finish_xps,
		.effect = "transmit packet steering: which transmit queue a "
			  "CPU's packets take; with one queue per link (the "
			  "local testbed) it changes nothing, on a multiqueue "
			  "NIC it keeps the transmit completion on the "
			  "sending CPU: recorded, never a distortion",
	},
	[HY_QDISC] = {
		.name = "qdisc",
		.globs = no_globs,
		.good = "noqueue",
		.finish = finish_qdisc,
		.effect = "the root qdisc of each link: any but noqueue queues "
			  "every frame it sends and dequeues it under its "
			  "lock (here, on every link: pfifo_fast +1-7 % RTT "
			  "p50, htb +22-27 % on veth-bridge and macvlan); the "
			  "local testbed makes its links "
			  "noqueue (taps get the host's default_qdisc)",
	},
	[HY_OFFLOADS] = {
		.name = "offloads",
		.globs = no_globs,
		.good = "any",
		.finish = finish_offloads,
		.effect = "GRO, GSO, TSO, LRO and checksum offload of each "
			  "link (ethtool -k): they batch or skip work for "
			  "large flows; with 64-byte probes GRO on and "
			  "checksums in software moved the RTT p50 by 3 % at "
			  "most, either way, "
			  "here: recorded, never a distortion",
	},
	[HY_QUEUES] = {
		.name = "queues",
		.globs = no_globs,
		.good = "any",
		.finish = finish_queues,
		.effect = "receive and transmit queues of each link: with "
			  "several, the NIC's hash picks the queue and so the "
			  "CPU of the interrupt, which pinning must follow: "
			  "recorded",
	},
	[HY_BUSY_POLL] = {
		.name = "busy_poll",
		.globs = busy_poll_globs,
		.good = "0",
		.finish = finish_busy_poll,
		.effect = "socket busy polling (net.core.busy_read/busy_poll, "
			  "us): non-zero makes every socket spin on its device "
			  "queue instead of sleeping, shortening UDP wake-ups "
			  "for all",
	},
};

void hygiene_parse(const char *dump, size_t len, const char *root,
		   struct hygiene *out)
{
	size_t rlen = root && strcmp(root, "/") ? strlen(root) : 0;
	const char *p = dump, *end = dump + len;
	struct hygiene_fold *f = xcalloc(1, sizeof(*f));
	int k;

	f->no_turbo = f->boost = f->smt_active = -1;
	f->nf[0] = f->nf[1] = f->nf[2] = -1;
	f->busy_read = f->busy_poll = -1;
	link_fold_init(&f->links);
	for (k = 0; k < STATES_MAX; k++)
		f->st[k].latency = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[512], *colon, *path = line;

		if (n < sizeof(line) && !memchr(p, '\0', n)) {
			memcpy(line, p, n);
			line[n] = '\0';
			if (rlen && !strncmp(path, root, rlen))
				path += rlen;
			colon = strchr(path, ':');
			if (colon && path[0] == '/') {
				*colon = '\0';
				fold_line(f, path, colon + 1);
			}
		}
		p += n + 1;
	}
	memset(out, 0, sizeof(*out));
	for (k = 0; k < HY_COUNT; k++)
		hygiene_table[k].finish(f, &out->v[k]);
	free(f);
}

bool hygiene_distorting(const struct hygiene *h, char *buf, size_t len)
{
	bool any = false;
	int k;

	if (len)
		buf[0] = '\0';
	for (k = 0; k < HY_COUNT; k++) {
		if (!h->v[k].distorts)
			continue;
		if (len)
			snprintf(buf + strlen(buf), len - strlen(buf),
				 "%s%s %s", any ? ", " : "",
				 hygiene_table[k].name, h->v[k].value);
		any = true;
	}
	return any;
}

int cpulist_parse(const char *text, size_t len, int *count, int *highest)
{
	char buf[1024];
	const char *p = buf;

	*count = 0;
	*highest = -1;
	/* strtol needs a terminated string: the list is one short line */
	if (len >= sizeof(buf) || memchr(text, '\0', len))
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	while (*p) {
		char *e;
		long a = strtol(p, &e, 10), b = a;

		/* digits only: strtol would take spaces and signs */
		if (*p < '0' || *p > '9' || a > 65535)
			return -1;
		p = e;
		if (*p == '-') {
			if (p[1] < '0' || p[1] > '9')
				return -1;
			b = strtol(p + 1, &e, 10);
			if (b < a || b > 65535)
				return -1;
			p = e;
		}
		*count += (int)(b - a + 1);
		if (b > *highest)
			*highest = (int)b;
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			return -1;
	}
	return 0;
}
