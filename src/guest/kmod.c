// SPDX-License-Identifier: GPL-2.0-or-later
#include "guest/kmod.h"

#include <dirent.h>
#include <elf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/elf.h"
#include "util/alloc.h"
#include "util/error.h"

/* Dependency chains are short (virtio_net -> net_failover -> failover) */
#define KMOD_MAX_DEPTH 16

struct resolver {
	const char *moddir;
	struct strbuf index;   /* "\nname\tpath" for every module file */
	struct strbuf builtin; /* modules.builtin, '-' made '_' */
	struct kmod_set *set;
};

/* Module names use '_' where file names may use '-' (can-raw.ko) */
static void modname(char *s)
{
	for (; *s; s++) {
		if (*s == '-')
			*s = '_';
	}
}

static void index_dir(struct strbuf *idx, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && depth < KMOD_MAX_DEPTH && (e = readdir(d))) {
		const char *ko = strstr(e->d_name, ".ko");
		char path[PATH_MAX], name[64];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			index_dir(idx, path, depth + 1);
			continue;
		}
		/* foo.ko, or compressed foo.ko.xz (found, then refused) */
		if (!ko || (ko[3] && ko[3] != '.') ||
		    (size_t)(ko - e->d_name) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(ko - e->d_name),
			 e->d_name);
		modname(name);
		strbuf_addf(idx, "\n%s\t%s", name, path);
	}
	if (d)
		closedir(d);
}

static bool in_set(const struct kmod_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (!strcmp(set->v[i].name, name))
			return true;
	}
	return false;
}

static bool is_builtin(struct resolver *r, const char *name)
{
	char pat[80];

	/* lines like "kernel/drivers/virtio/virtio.ko" */
	snprintf(pat, sizeof(pat), "/%s.ko\n", name);
	return strstr(r->builtin.buf, pat);
}

static int add(struct resolver *r, const char *name, bool wanted, int depth)
{
	struct kmod m = {.data = STRBUF_INIT};
	char pat[80], path[PATH_MAX], deps[512], *dep, *save;
	const char *s;
	int ret;

	if (in_set(r->set, name))
		return 0;
	if (depth > KMOD_MAX_DEPTH)
		return error("module dependencies of '%s' go round", name);
	snprintf(pat, sizeof(pat), "\n%s\t", name);
	s = strstr(r->index.buf, pat);
	if (!s) {
		if (is_builtin(r, name))
			return 0;
		if (!wanted)
			return error("module '%s' is neither in '%s' nor built "
				     "in", name, r->moddir);
		warning("'%s' is neither a module in '%s' nor built in: the "
			"guest has no driver for it", name, r->moddir);
		return 0;
	}
	s += strlen(pat);
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(s, "\n"), s);
	if (strcmp(path + strlen(path) - 3, ".ko"))
		return error("module '%s' is compressed; the image needs plain "
			     ".ko files (busybox insmod)", path);
	ret = strbuf_read_file(&m.data, path, 0);
	if (ret) {
		strbuf_release(&m.data);
		return error("cannot read '%s': %s", path, strerror(-ret));
	}
	s = elf_modinfo(m.data.buf, m.data.len, "depends");
	if (elf_type(m.data.buf, m.data.len) != ET_REL || !s) {
		strbuf_release(&m.data);
		return error("'%s' is not a kernel module", path);
	}
	snprintf(deps, sizeof(deps), "%s", s);
	for (dep = strtok_r(deps, ",", &save); dep;
	     dep = strtok_r(NULL, ",", &save)) {
		modname(dep);
		if (add(r, dep, false, depth + 1)) {
			strbuf_release(&m.data);
			return -1;
		}
	}
	snprintf(m.name, sizeof(m.name), "%s", name);
	ALLOC_GROW(r->set->v, r->set->n + 1, r->set->alloc);
	r->set->v[r->set->n++] = m;
	return 0;
}

int kmod_resolve(const char *moddir, const char *const *names, size_t n,
		 struct kmod_set *set)
{
	struct resolver r = {moddir, STRBUF_INIT, STRBUF_INIT, set};
	char path[PATH_MAX];
	size_t i;
	int ret = 0;

	index_dir(&r.index, moddir, 0);
	strbuf_addch(&r.index, '\n');
	if (r.index.len == 1)
		warning("no modules in '%s'", moddir);
	snprintf(path, sizeof(path), "%s/modules.builtin", moddir);
	strbuf_read_file(&r.builtin, path, 0); /* none: nothing built in */
	modname(r.builtin.buf);
	for (i = 0; i < n && !ret; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s", names[i]);
		modname(name);
		ret = add(&r, name, true, 0);
	}
	strbuf_release(&r.index);
	strbuf_release(&r.builtin);
	return ret;
}

void kmod_set_release(struct kmod_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		strbuf_release(&set->v[i].data);
	free(set->v);
	set->v = NULL;
	set->n = set->alloc = 0;
}
