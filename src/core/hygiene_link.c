// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host hygiene of the links, pure half (core/hygiene_link.h). What
 * distorts is what bench/linkcost measured on the local testbed (ICMP,
 * 1 kpps, kernel stamps; docs/testbed.md, bench/RESULTS.md): a root
 * qdisc other than noqueue on the path's links (pfifo_fast +1-7 % RTT
 * p50, htb +22-27 % on veth-bridge and macvlan) and RPS (+4-12 % p50,
 * p99 x2-5: core/hygiene.c); GRO and checksum offload moved the p50 by
 * at most 3 % either way, so they are recorded, not warned about.
 */
#include "core/hygiene_link.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hygiene.h"

const char *const link_feature_names[LF_COUNT] = {
	[LF_GRO] = "gro",	  [LF_GSO] = "gso",
	[LF_TSO] = "tso",	  [LF_LRO] = "lro",
	[LF_RX_CSUM] = "rx-csum", [LF_TX_CSUM] = "tx-csum",
};

void link_fold_init(struct link_fold *f)
{
	memset(f, 0, sizeof(*f));
}

/* the link NS/NAME (NS "-": the server's own, shown as NAME) */
static int link_at(struct link_fold *f, const char *ns, size_t nslen,
		   const char *name, size_t namelen)
{
	char full[sizeof(f->link[0].name)];
	unsigned i;
	int k;

	if (nslen == 1 && *ns == '-')
		snprintf(full, sizeof(full), "%.*s", (int)namelen, name);
	else
		snprintf(full, sizeof(full), "%.*s/%.*s", (int)nslen, ns,
			 (int)namelen, name);
	for (i = 0; i < f->n; i++) {
		if (!strcmp(f->link[i].name, full))
			return (int)i;
	}
	if (f->n == LINK_FOLD_MAX) {
		f->full = true;
		return -1;
	}
	memset(&f->link[i], 0, sizeof(f->link[i]));
	memcpy(f->link[i].name, full, sizeof(full));
	for (k = 0; k < LF_COUNT; k++)
		f->link[i].feat[k] = -1;
	f->link[i].rxq = f->link[i].txq = -1;
	return (int)f->n++;
}

static bool mask_set(const char *v)
{
	for (; *v; v++) {
		if (*v != '0' && *v != ',')
			return true;
	}
	return false;
}

static int count(const char *v)
{
	char *end;
	long x = strtol(v, &end, 10);

	return end != v && !*end && x >= 0 && x < 65536 ? (int)x : -1;
}

static void fold_key(struct link_fold *f, int at, const char *key,
		     const char *v)
{
	int k;

	for (k = 0; k < LF_COUNT; k++) {
		if (!strcmp(key, link_feature_names[k])) {
			f->link[at].feat[k] = !strcmp(v, "on")	  ? 1 :
					      !strcmp(v, "off") ? 0 :
								  -1;
			return;
		}
	}
	if (!strcmp(key, "qdisc"))
		snprintf(f->link[at].qdisc, sizeof(f->link[at].qdisc), "%s", v);
	else if (!strcmp(key, "rx_queues"))
		f->link[at].rxq = count(v);
	else if (!strcmp(key, "tx_queues"))
		f->link[at].txq = count(v);
}

static void fold_xps(struct link_fold *f, const char *where, const char *v)
{
	f->xps_queues++;
	if (mask_set(v) && !f->xps_on++)
		snprintf(f->xps_first, sizeof(f->xps_first), "%s", where);
}

bool link_fold_line(struct link_fold *f, const char *path, const char *v)
{
	const char *ns, *name, *key;
	size_t nslen, namelen;
	int at;

	if (!fnmatch("/sys/class/net/*/queues/tx-[0-9]*/xps_cpus", path,
		     FNM_PATHNAME)) {
		fold_xps(f, path + strlen("/sys/class/net/"), v);
		return true;
	}
	if (strncmp(path, "/net/", 5))
		return false;
	ns = path + 5;
	name = strchr(ns, '/');
	if (!name || name == ns)
		return false;
	nslen = (size_t)(name - ns);
	key = strchr(++name, '/');
	if (!key || key == name)
		return false;
	namelen = (size_t)(key - name);
	key++;
	if (!fnmatch("queues/tx-[0-9]*/xps_cpus", key, FNM_PATHNAME)) {
		fold_xps(f, ns, v);
		return true;
	}
	/* a labelled namespace's rps_cpus is core/hygiene.c's */
	if (!strncmp(key, "queues/", 7) || strchr(key, '/'))
		return false;
	at = link_at(f, ns, nslen, name, namelen);
	if (at >= 0)
		fold_key(f, at, key, v);
	return true;
}

/* ---- the words ---- */

struct out {
	char *buf;
	size_t len, used;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->used >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->used += (size_t)n < o->len - o->used ? (size_t)n :
							  o->len - o->used - 1;
}

/* ": a, b +3": the first two links named, the rest counted */
#define NAMES_SHOWN 2

static void names(struct out *o, const char *const *list, unsigned n)
{
	unsigned i;

	for (i = 0; i < n && i < NAMES_SHOWN; i++)
		put(o, "%s%s", i ? ", " : ": ", list[i]);
	if (n > NAMES_SHOWN)
		put(o, " +%u", n - NAMES_SHOWN);
}

static void set_value(struct hygiene_value *v, bool known, bool distorts)
{
	v->known = known;
	v->distorts = distorts;
}

static void absent(struct hygiene_value *v, const char *what)
{
	snprintf(v->value, sizeof(v->value),
		 "absent (no %s read: `iovbench hygiene` did not run there)",
		 what);
	set_value(v, false, false);
}

void link_finish_offloads(const struct link_fold *f, struct hygiene_value *v)
{
	struct out o = {v->value, sizeof(v->value), 0};
	const char *odd[LINK_FOLD_MAX];
	unsigned i, known = 0;
	int k;

	v->value[0] = '\0';
	for (k = 0; k < LF_COUNT; k++) {
		unsigned on = 0, off = 0, nodd = 0;
		int major;

		for (i = 0; i < f->n; i++) {
			on += f->link[i].feat[k] == 1;
			off += f->link[i].feat[k] == 0;
		}
		if (!on && !off)
			continue;
		major = on >= off;
		for (i = 0; i < f->n; i++) {
			if (f->link[i].feat[k] == !major)
				odd[nodd++] = f->link[i].name;
		}
		put(&o, "%s%s %s", known++ ? ", " : "", link_feature_names[k],
		    major ? "on" : "off");
		if (nodd) {
			put(&o, " (%s", major ? "off" : "on");
			names(&o, odd, nodd);
			put(&o, ")");
		}
	}
	if (!known) {
		absent(v, "link features");
		return;
	}
	put(&o, "; %u links%s", f->n, f->full ? " (the first ones)" : "");
	set_value(v, true, false);
}

void link_finish_qdisc(const struct link_fold *f, struct hygiene_value *v)
{
	struct out o = {v->value, sizeof(v->value), 0};
	const char *kinds[LINK_FOLD_MAX], *with[LINK_FOLD_MAX];
	unsigned i, j, nkinds = 0;
	bool distorts = false;

	for (i = 0; i < f->n; i++) {
		for (j = 0; j < nkinds; j++) {
			if (!strcmp(kinds[j], f->link[i].qdisc))
				break;
		}
		if (*f->link[i].qdisc && j == nkinds)
			kinds[nkinds++] = f->link[i].qdisc;
	}
	if (!nkinds) {
		absent(v, "qdiscs");
		return;
	}
	v->value[0] = '\0';
	/* noqueue first: the others are the exceptions, named */
	for (j = 1; j < nkinds; j++) {
		if (!strcmp(kinds[j], "noqueue")) {
			memmove(kinds + 1, kinds, j * sizeof(*kinds));
			kinds[0] = "noqueue";
			break;
		}
	}
	for (j = 0; j < nkinds; j++) {
		unsigned n = 0;

		for (i = 0; i < f->n; i++) {
			if (!strcmp(f->link[i].qdisc, kinds[j]))
				with[n++] = f->link[i].name;
		}
		put(&o, "%s%s (%u link%s", j ? ", " : "", kinds[j], n,
		    n == 1 ? "" : "s");
		if (strcmp(kinds[j], "noqueue"))
			names(&o, with, n);
		put(&o, ")");
		/* noop: a link that is down, which carries nothing */
		distorts |= strcmp(kinds[j], "noqueue") &&
			    strcmp(kinds[j], "noop");
	}
	if (f->full)
		put(&o, "; only the first %d links", LINK_FOLD_MAX);
	set_value(v, true, distorts);
}

void link_finish_queues(const struct link_fold *f, struct hygiene_value *v)
{
	struct out o = {v->value, sizeof(v->value), 0};
	const char *multi[LINK_FOLD_MAX];
	unsigned i, known = 0, nmulti = 0;
	int maxrx = 0, maxtx = 0;

	for (i = 0; i < f->n; i++) {
		if (f->link[i].rxq < 0 && f->link[i].txq < 0)
			continue;
		known++;
		if (f->link[i].rxq > 1 || f->link[i].txq > 1)
			multi[nmulti++] = f->link[i].name;
		if (f->link[i].rxq > maxrx)
			maxrx = f->link[i].rxq;
		if (f->link[i].txq > maxtx)
			maxtx = f->link[i].txq;
	}
	if (!known) {
		absent(v, "queue counts");
		return;
	}
	v->value[0] = '\0';
	if (!nmulti) {
		put(&o, "1 rx, 1 tx (%u links)", known);
	} else {
		put(&o, "up to %d rx, %d tx (%u of %u links", maxrx, maxtx,
		    nmulti, known);
		names(&o, multi, nmulti);
		put(&o, ")");
	}
	set_value(v, true, false);
}

void link_finish_xps(const struct link_fold *f, struct hygiene_value *v)
{
	if (!f->xps_queues) {
		snprintf(v->value, sizeof(v->value),
			 "absent (no xps_cpus: a link with one "
			 "transmit queue has none)");
		set_value(v, false, false);
	} else if (!f->xps_on) {
		snprintf(v->value, sizeof(v->value), "off");
		set_value(v, true, false);
	} else {
		snprintf(v->value, sizeof(v->value), "on (%u of %u queues, %s)",
			 f->xps_on, f->xps_queues, f->xps_first);
		set_value(v, true, false);
	}
}
