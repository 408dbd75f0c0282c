// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/server_needs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dataplane.h"
#include "core/generators.h"
#include "core/reflectors.h"

static void add(struct server_need *n, size_t max, size_t *count,
		const char *name, const char *program, const char *why,
		bool file)
{
	size_t i;

	for (i = 0; i < *count; i++) {
		if (!strcmp(n[i].name, name) && !strcmp(n[i].program, program))
			return;
	}
	if (*count == max)
		return;
	snprintf(n[*count].name, sizeof(n[*count].name), "%s", name);
	snprintf(n[*count].program, sizeof(n[*count].program), "%s", program);
	n[*count].why = why;
	n[*count].file = file;
	(*count)++;
}

size_t server_needs(const struct plan *p, int server, struct server_need *n,
		    size_t max)
{
	const struct campaign *c = p->campaign;
	const struct server_config *sv = &c->testbed.servers[server];
	size_t count = 0, i;

	if (c->testbed.kind == TESTBED_SSH)
		add(n, max, &count, "iovbench", sv->iovbench,
		    "runs the ops, the guests and the servers' processes",
		    false);
	for (i = 0; i < p->ntests; i++) {
		const struct test *t = &p->tests[i];
		const struct dataplane *dp = &dataplane_table[t->v[F_DATAPLANE]];
		const char *q;

		if (t->reason)
			continue;
		if (dataplane_vm(dp) || (t->v[F_BACKGROUND] && t->v[F_BG_KIND])) {
			q = qemu_value_path(factor_string(t->v[F_QEMU]));
			add(n, max, &count, "qemu",
			    q ? q : "qemu-system-x86_64", "VM guests", false);
		}
		if (t->v[F_MEASURE] != MEASURE_LOADLAT)
			continue;
		if (server == 0 && !strcmp(generator_table[t->v[F_GENERATOR]]
						   .name,
					   "moongen")) {
			add(n, max, &count, "moongen", sv->moongen,
			    "generator moongen", false);
			add(n, max, &count, "moongen_script",
			    sv->moongen_script, "generator moongen", true);
		}
		if (server == 0 && !strcmp(generator_table[t->v[F_GENERATOR]]
						   .name,
					   "trex")) {
			add(n, max, &count, "trex", sv->trex, "generator trex",
			    false);
			add(n, max, &count, "python3", "python3",
			    "generator trex (its driver)", false);
		}
		if (server == 1 && !dataplane_vm(dp) &&
		    reflector_table[t->v[F_REFLECTOR]].vm_pci_device) {
			/* a container's testpmd runs on the server */
			add(n, max, &count, "dpdk-testpmd", "dpdk-testpmd",
			    "reflector testpmd in container guests", false);
			add(n, max, &count, "stdbuf", "stdbuf",
			    "reflector testpmd (line-buffered output)", false);
		}
	}
	return count;
}

void server_needs_script(const struct server_need *n, size_t count,
			 struct strbuf *script)
{
	size_t i;

	for (i = 0; i < count; i++) {
		strbuf_addf(script, "%s=", n[i].name[0] == 'i' ? "i" : "p");
		strbuf_addquoted(script, n[i].program);
		if (n[i].file)
			strbuf_addf(script, "; if [ -r \"$p\" ]; then echo have "
					     "%s \"$p\"; else echo missing %s; "
					     "fi; ",
				    n[i].name, n[i].name);
		else
			strbuf_addf(script,
				    "; w=$(command -v \"$%s\" 2>/dev/null) && "
				    "echo have %s \"$w\" || echo missing %s; ",
				    n[i].name[0] == 'i' ? "i" : "p", n[i].name,
				    n[i].name);
		if (!strcmp(n[i].name, "iovbench"))
			strbuf_addstr(script, "command -v \"$i\" >/dev/null "
					      "2>&1 && echo version $(\"$i\" "
					      "--version | cut -d' ' -f2); ");
	}
	strbuf_addstr(script, "echo end");
}

int server_check_parse(const char *text, size_t len,
		       const struct server_need *n, size_t count,
		       struct server_check *out)
{
	const char *p = text, *end = text + len;
	bool any = false;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[512], word[16], name[32];
		size_t i;

		if (l >= sizeof(line))
			l = sizeof(line) - 1;
		memcpy(line, p, l);
		line[l] = '\0';
		p = nl ? nl + 1 : end;
		if (!strcmp(line, "end")) { /* the script ran to its end */
			any = true;
			continue;
		}
		if (sscanf(line, "version %31s", out->version) == 1) {
			any = true;
			continue;
		}
		if (sscanf(line, "%15s %31s", word, name) != 2)
			continue;
		for (i = 0; i < count && i < SERVER_NEEDS_MAX; i++) {
			if (strcmp(n[i].name, name))
				continue;
			if (!strcmp(word, "have"))
				out->have[i] = true;
			any = any || !strcmp(word, "have") ||
			      !strcmp(word, "missing");
		}
	}
	return any ? 0 : -1;
}

int server_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);

		if (ea == a)
			return eb == b ? 0 : -1;
		if (eb == b)
			return 1;
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
		if (*ea != '.' && *eb != '.')
			break;
	}
	return 0;
}

const char *const *server_image_sets(const struct plan *p)
{
	static const char *sets[2];
	size_t i;

	for (i = 0; i < p->ntests; i++) {
		const struct test *t = &p->tests[i];
		const struct reflector_def *rd =
			&reflector_table[t->v[F_REFLECTOR]];

		if (!t->reason && t->ndone < test_runs(t) &&
		    t->v[F_MEASURE] == MEASURE_LOADLAT && rd->image_set &&
		    dataplane_table[t->v[F_DATAPLANE]].guest == GUEST_QEMU) {
			sets[0] = rd->image_set;
			return sets;
		}
	}
	return NULL;
}
