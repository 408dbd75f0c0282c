// SPDX-License-Identifier: GPL-2.0-or-later
#include "guest/image_progs.h"

#include <elf.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/elf.h"
#include "core/guest_prog.h"
#include "guest/image_io.h"
#include "util/alloc.h"
#include "util/error.h"

/*
 * ld.so's default search path on Debian x86-64 (multiarch first), used
 * when there is no /etc/ld.so.cache, as in the guest
 */
static const char *const lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib",
	"/usr/lib",
};

/*
 * More files than this is not a small initramfs (dpdk-testpmd's closure
 * with its plugins and stdbuf is 71 files, 17.5 MB)
 */
#define FILES_MAX 192
#define NEEDED_MAX 64

static struct image_file *find_path(struct image_progs *p, const char *path)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (!strcmp(p->v[i].path, path))
			return &p->v[i];
	}
	return NULL;
}

/* Read host file root+path as guest file path; NULL after a message */
static struct image_file *add_file(struct image_progs *p, const char *root,
				   const char *path, const char *prog)
{
	struct image_file *f;
	char from[PATH_MAX];

	if (image_path(from, sizeof(from), "%s%s", root, path))
		return NULL;
	if (p->n == FILES_MAX)
		return error("more than %d files for the image's programs "
			     "(at '%s')", FILES_MAX, from), NULL;
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	f = &p->v[p->n];
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->data);
	if (image_read_file(from, &f->data)) {
		strbuf_release(&f->data);
		return NULL;
	}
	f->path = xstrdup(path);
	f->from = xstrdup(from);
	f->prog = prog;
	p->n++;
	return f;
}

/* The library name as ld.so would find it: its guest path, or -ENOENT */
static int lib_lookup(const char *root, const char *name, char *out,
		      size_t len)
{
	char host[PATH_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lib_dirs); i++) {
		snprintf(out, len, "%s/%s", lib_dirs[i], name);
		snprintf(host, sizeof(host), "%s%s", root, out);
		if (!access(host, R_OK))
			return 0;
	}
	return -ENOENT;
}

/* File k's libraries and theirs, breadth first (k is an index: v moves) */
static int add_needed(struct image_progs *p, const char *root, size_t k,
		      const char *loader)
{
	for (; k < p->n; k++) {
		const char *names[NEEDED_MAX];
		char path[PATH_MAX], from[PATH_MAX];
		int n, i;

		n = elf_needed(p->v[k].data.buf, p->v[k].data.len, names,
			       NEEDED_MAX);
		if (n < 0 || n > NEEDED_MAX)
			return error("'%s': unreadable dynamic section",
				     p->v[k].from);
		for (i = 0; i < n; i++) {
			/* the loader is loaded already, under its soname */
			if (loader && !strcmp(names[i], loader))
				continue;
			if (strchr(names[i], '/'))
				return error("'%s' needs '%s' by path: not "
					     "supported", p->v[k].from,
					     names[i]);
			snprintf(from, sizeof(from), "%s", p->v[k].from);
			if (lib_lookup(root, names[i], path, sizeof(path)))
				return error("'%s' needs '%s', which is in "
					     "none of ld.so's directories "
					     "(/lib/x86_64-linux-gnu...)",
					     from, names[i]);
			if (find_path(p, path))
				continue;
			if (!add_file(p, root, path, NULL))
				return -1;
		}
	}
	return 0;
}

/* The length of a library's name before ".so": librte_net_i40e */
static size_t stem_len(const char *base)
{
	const char *so = strstr(base, ".so");

	return so ? (size_t)(so - base) : strlen(base);
}

/* Is a library of this name (any version) in the image already? */
static int have_lib(const struct image_progs *p, const char *base)
{
	size_t i, n = stem_len(base);

	for (i = 0; i < p->n; i++) {
		const char *b = strrchr(p->v[i].path, '/');

		b = b ? b + 1 : p->v[i].path;
		if (stem_len(b) == n && !strncmp(b, base, n))
			return 1;
	}
	return 0;
}

/*
 * gp's libraries that no DT_NEEDED names, with their closures. A plugin
 * whose library is in the image already (librte_net_i40e.so beside the
 * linked librte_net_i40e.so.23) is left out: ld.so would load the second
 * copy beside the first (another path, another file), and DPDK refuses a
 * driver registered twice.
 */
static int add_extra(struct image_progs *p, const char *root,
		     const struct guest_prog *gp, const char *loader)
{
	const char *const *e;
	char pat[PATH_MAX];
	size_t i, k;
	glob_t gl;
	int ret;

	for (e = gp->extra; e && *e; e++) {
		if (image_path(pat, sizeof(pat), "%s%s", root, *e))
			return -1;
		ret = glob(pat, 0, NULL, &gl);
		if (ret == GLOB_NOMATCH)
			continue;
		if (ret)
			return error("cannot list '%s'", pat);
		for (i = 0; i < gl.gl_pathc; i++) {
			const char *path = gl.gl_pathv[i] + strlen(root);

			if (have_lib(p, strrchr(path, '/') + 1))
				continue;
			k = p->n;
			if (!add_file(p, root, path, NULL) ||
			    add_needed(p, root, k, loader)) {
				globfree(&gl);
				return -1;
			}
		}
		globfree(&gl);
	}
	return 0;
}

static int add_prog(struct image_progs *p, const char *root,
		    const struct guest_prog *gp)
{
	const char *interp, *loader = NULL;
	struct image_file *f;
	char host[PATH_MAX];
	size_t k = p->n;
	int type;

	if (image_path(host, sizeof(host), "%s%s", root, gp->path))
		return -1;
	if (access(host, X_OK)) {
		strbuf_addf(&p->missing, "%s%s (%s, package %s)",
			    p->missing.len ? ", " : "", gp->name, gp->path,
			    gp->package);
		return 0;
	}
	if (find_path(p, gp->path))
		return 0; /* two entries, one program */
	f = add_file(p, root, gp->path, gp->name);
	if (!f)
		return -1;
	type = elf_type(f->data.buf, f->data.len);
	if (type != ET_EXEC && type != ET_DYN)
		return error("'%s' is not an x86-64 executable", host);
	interp = elf_interp(f->data.buf, f->data.len);
	if (interp) {
		if (interp[0] != '/')
			return error("'%s': loader '%s' is not an absolute "
				     "path", host, interp);
		/* copied out: add_file may move f */
		snprintf(host, sizeof(host), "%s", interp);
		if (!find_path(p, host) && !add_file(p, root, host, NULL))
			return -1;
		loader = strrchr(find_path(p, host)->path, '/') + 1;
	}
	if (add_needed(p, root, k, loader))
		return -1;
	return add_extra(p, root, gp, loader);
}

/* Is gp in every image, or in one of the sets asked for? */
static int wanted(const struct guest_prog *gp, const char *const *sets)
{
	if (!gp->set)
		return 1;
	for (; sets && *sets; sets++) {
		if (!strcmp(*sets, gp->set))
			return 1;
	}
	return 0;
}

int image_progs_resolve(const char *root, const char *const *sets,
			struct image_progs *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	strbuf_init(&p->missing);
	for (i = 0; i < guest_prog_count; i++) {
		if (wanted(&guest_prog_table[i], sets) &&
		    add_prog(p, root, &guest_prog_table[i]))
			return -1;
	}
	return 0;
}

/* Every directory above path, parents first, each once */
static int add_dirs(struct cpio *c, const char *path, struct strbuf *made)
{
	char dir[PATH_MAX], key[PATH_MAX + 2];
	const char *s;
	int err = 0;

	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(s - path - 1),
			 path + 1);
		snprintf(key, sizeof(key), "\n%s\n", dir);
		if (strstr(made->buf, key))
			continue;
		err |= cpio_add_dir(c, dir, 0755);
		strbuf_addf(made, "%s\n", dir);
	}
	return err;
}

int image_progs_add(const struct image_progs *p, struct cpio *c)
{
	/* what make_initrd() made already */
	struct strbuf made = STRBUF_INIT;
	size_t i;
	int err = 0;

	strbuf_addstr(&made, "\nbin\nlib\nusr\nusr/bin\nusr/sbin\nsbin\n");
	for (i = 0; i < p->n; i++) {
		err |= add_dirs(c, p->v[i].path, &made);
		err |= cpio_add_file(c, p->v[i].path + 1, 0755,
				     p->v[i].data.buf, p->v[i].data.len);
	}
	strbuf_release(&made);
	return err ? -1 : 0;
}

void image_progs_release(struct image_progs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].path);
		free(p->v[i].from);
		strbuf_release(&p->v[i].data);
	}
	free(p->v);
	strbuf_release(&p->missing);
	memset(p, 0, sizeof(*p));
}
