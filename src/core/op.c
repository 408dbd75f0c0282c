// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/op.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

struct op_type {
	const char *name;
	int positional; /* words before the options */
	/* option keys it takes ("up" style flags and "key=" values), or
	 * NULL: everything after "--" is passed on (vm-start) */
	const char *const *keys;
	const char *doc;
};

static const char *const no_keys[] = {NULL};
static const char *const link_add_keys[] = {
	"peer=", "peerns=", "lower=", "mode=", "ifindex=", "netns=", NULL};
static const char *const link_set_keys[] = {
	"up", "mtu=", "master=", "nomaster", "mac=", "netns=", "name=", NULL};
static const char *const vf_keys[] = {
	"mac=", "vlan=", "trust=", "spoofchk=", NULL};

static const struct op_type op_table[OP_COUNT] = {
	[OP_NETNS_ADD] = {"netns-add", 1, no_keys,
			  "NS: a quiet network namespace (no IPv6, no "
			  "netfilter on bridges, lo up)"},
	[OP_NETNS_DEL] = {"netns-del", 1, no_keys,
			  "NS: stop its processes, remove it"},
	[OP_LINK_ADD] = {"link-add", 3, link_add_keys,
			 "NS NAME KIND: veth peer= [peerns=], bridge, macvlan "
			 "lower= [netns=], macvtap lower= mode= [ifindex=], "
			 "tap"},
	[OP_LINK_SET] = {"link-set", 2, link_set_keys,
			 "NS NAME [mtu=] [mac=] [nomaster] [master=] [up] "
			 "[netns= [name=]]"},
	[OP_LINK_DEL] = {"link-del", 2, no_keys, "NS NAME"},
	[OP_LINK_WAIT] = {"link-wait", 2, no_keys,
			  "NS NAME: until it has carrier (10 s at most)"},
	[OP_ADDR_ADD] = {"addr-add", 3, no_keys,
			 "NS NAME ADDR/PLEN"},
	[OP_NEIGH_FLUSH] = {"neigh-flush", 1, no_keys,
			    "NS: forget every learned neighbour"},
	[OP_SYSFS_WRITE] = {"sysfs-write", 2, no_keys,
			    "PATH VALUE (PATH under /sys)"},
	[OP_VF_SET] = {"vf-set", 3, vf_keys,
		       "NS PF VF [mac=] [vlan=] [trust=on|off] "
		       "[spoofchk=on|off]"},
	[OP_DRIVER_BIND] = {"driver-bind", 2, no_keys,
			    "BDF DRIVER: driver_override, unbind, probe"},
	[OP_VM_START] = {"vm-start", 2, NULL,
			 "NAME NS -- QEMU ARGV..."},
	[OP_VM_STOP] = {"vm-stop", 1, no_keys, "NAME"},
};

const char *op_name(enum op_id id)
{
	return (unsigned)id < OP_COUNT ? op_table[id].name : "?";
}

int op_find(const char *name)
{
	int i;

	for (i = 0; i < OP_COUNT; i++) {
		if (!strcmp(op_table[i].name, name))
			return i;
	}
	return -1;
}

void op_release(struct op *op)
{
	strv_clear(&op->words);
}

void op_list_clear(struct op_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		op_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct op *op_new(struct op_list *l, int server, enum op_id id)
{
	struct op *op;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	op = &l->v[l->n++];
	memset(op, 0, sizeof(*op));
	op->id = id;
	op->server = server;
	return op;
}

void op_add(struct op_list *l, int server, enum op_id id, ...)
{
	struct op *op = op_new(l, server, id);
	const char *w;
	va_list ap;

	va_start(ap, id);
	while ((w = va_arg(ap, const char *)))
		strv_push(&op->words, w);
	va_end(ap);
}

void op_addf(struct op_list *l, int server, enum op_id id, const char *fmt,
	     ...)
{
	struct op *op = op_new(l, server, id);
	struct strbuf sb = STRBUF_INIT;
	char *w, *save;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	for (w = strtok_r(sb.buf, " ", &save); w;
	     w = strtok_r(NULL, " ", &save))
		strv_push(&op->words, w);
	strbuf_release(&sb);
}

void op_format(const struct op *op, struct strbuf *out)
{
	size_t i;

	/* quoted as a shell would read it: what `iovbench op` takes */
	strbuf_addstr(out, op_name(op->id));
	for (i = 0; i < op->words.n; i++) {
		strbuf_addch(out, ' ');
		strbuf_addquoted(out, op->words.v[i]);
	}
}

/* Words arrive already split by a shell: anything printable goes. */
static int word_ok(const char *w)
{
	for (; *w; w++) {
		if ((unsigned char)*w < 0x20 || *w == 0x7f)
			return 0;
	}
	return 1;
}

int op_parse(char **argv, int argc, struct op *op, char *why, size_t len)
{
	const struct op_type *t;
	int id, i, k;

	memset(op, 0, sizeof(*op));
	if (argc < 1 || (id = op_find(argv[0])) < 0) {
		snprintf(why, len, "unknown op '%s'", argc ? argv[0] : "");
		return -1;
	}
	t = &op_table[id];
	op->id = (enum op_id)id;
	for (i = 1; i < argc; i++) {
		if (!word_ok(argv[i])) {
			snprintf(why, len, "%s: bad word '%s'", t->name,
				 argv[i]);
			goto fail;
		}
		strv_push(&op->words, argv[i]);
	}
	if (argc - 1 < t->positional) {
		snprintf(why, len, "%s takes %s", t->name, t->doc);
		goto fail;
	}
	if (!t->keys) {
		/* vm-start: NAME NS -- ARGV... */
		if (argc - 1 < t->positional + 2 ||
		    strcmp(op->words.v[t->positional], "--")) {
			snprintf(why, len, "%s takes %s", t->name, t->doc);
			goto fail;
		}
		return 0;
	}
	for (i = t->positional; i < (int)op->words.n; i++) {
		const char *w = op->words.v[i];

		for (k = 0; t->keys[k]; k++) {
			size_t kl = strlen(t->keys[k]);

			if (t->keys[k][kl - 1] == '=' ?
				    !strncmp(w, t->keys[k], kl) && w[kl] :
				    !strcmp(w, t->keys[k]))
				break;
		}
		if (!t->keys[k]) {
			snprintf(why, len, "%s: unknown option '%s' (%s)",
				 t->name, w, t->doc);
			goto fail;
		}
	}
	return 0;
fail:
	op_release(op);
	return -1;
}

int op_positional(enum op_id id)
{
	return (unsigned)id < OP_COUNT ? op_table[id].positional : 0;
}
