// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Campaign files. libyaml builds the document (every node keeps its line
 * and column); the tables of config_schema.c say which keys each mapping
 * may hold, their types, ranges and defaults. One walker applies the
 * tables, so every key gets the same checks and the same error format:
 *
 *   campaign.yaml:7:11: error: matrix[0].rate: '2M' is out of range 1..1M pps
 *
 * libcyaml was the first choice (DESIGN.md) but it cannot take a factor as
 * either a scalar or a list, nor parse "10k" with the value's position in
 * the error; its schema tables are what config_schema.c keeps.
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

#include "core/config_schema.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/suggest.h"

#define MAX_ERRORS 50

struct walker {
	const char *file;
	const char *text; /* the file's */
	size_t len;
	yaml_document_t *doc;
	struct strbuf *err;
	int errors;
	struct campaign *c;
};

static void walk_error(struct walker *w, const yaml_node_t *n,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A quoted word of a message longer than this is shown cut. */
#define QUOTED_MAX 80

/*
 * Append msg, cutting each 'quoted' part longer than QUOTED_MAX (what
 * the file said: a 200 kB value is not echoed whole).
 */
static void add_clipped(struct strbuf *out, const char *msg)
{
	const char *p = msg, *q, *end;

	while ((q = strchr(p, '\'')) && (end = strchr(q + 1, '\''))) {
		size_t n = (size_t)(end - q - 1);

		strbuf_add(out, p, (size_t)(q + 1 - p));
		if (n > QUOTED_MAX)
			strbuf_addf(out, "%.*s...' (%zu bytes)", QUOTED_MAX - 20,
				    q + 1, n);
		else
			strbuf_add(out, q + 1, n + 1);
		p = end + 1;
	}
	strbuf_addstr(out, p);
}

static void walk_error(struct walker *w, const yaml_node_t *n,
		       const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	if (++w->errors > MAX_ERRORS)
		return;
	if (n)
		strbuf_addf(w->err, "%s:%zu:%zu: error: ", w->file,
			    n->start_mark.line + 1, n->start_mark.column + 1);
	else
		strbuf_addf(w->err, "%s: error: ", w->file);
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	add_clipped(w->err, msg.buf);
	strbuf_release(&msg);
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

static yaml_node_t *pair_key(struct walker *w, yaml_node_pair_t *p,
			     const char *where);

/*
 * QEMU device properties as a -device option's text takes them after a
 * comma: prop=value pairs of letters, digits and "_-.:=,", nothing QEMU's
 * option parser or a shell would read otherwise.
 */
static int device_props_valid(const char *s)
{
	size_t n = strlen(s);

	return n && n < 256 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_-.:=,") == n &&
	       s[0] != ',' && s[n - 1] != ',';
}

/* NAME: "props" pairs into ns (a name twice, a bad name or text: errors) */
static void walk_device_props(struct walker *w, const char *path,
			      struct named_strings *ns, yaml_node_t *map)
{
	yaml_node_pair_t *p;

	if (is_null(map))
		return;
	if (map->type != YAML_MAPPING_NODE) {
		walk_error(w, map, "%s: expected a mapping of NAME: "
				   "\"prop=value,...\", not %s",
			   path, type_name(map->type));
		return;
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = pair_key(w, p, path);
		yaml_node_t *vn = yaml_document_get_node(w->doc, p->value);
		const char *name, *text;

		if (!kn)
			continue;
		name = scalar(kn);
		text = scalar(vn);
		if (!config_schema_valid_name(name, 32) ||
		    !strcmp(name, "none")) {
			walk_error(w, kn, "%s: '%s' is not a name (letters, "
					  "digits, '.', '_', '-'; not none)",
				   path, name);
			continue;
		}
		if (named_strings_find(ns, name)) {
			walk_error(w, kn, "%s.%s: key given twice", path, name);
			continue;
		}
		if (!text || !device_props_valid(text)) {
			walk_error(w, vn ? vn : kn,
				   "%s.%s: '%s' is not device properties "
				   "(prop=value,... of letters, digits and "
				   "_-.:=)",
				   path, name, text ? text : "");
			continue;
		}
		ns->names = xrealloc(ns->names, (ns->n + 1) * sizeof(char *));
		ns->values = xrealloc(ns->values,
				      (ns->n + 1) * sizeof(char *));
		ns->names[ns->n] = xstrdup(name);
		ns->values[ns->n++] = xstrdup(text);
	}
}

const char *named_strings_find(const struct named_strings *ns,
			       const char *name)
{
	size_t i;

	for (i = 0; i < ns->n; i++) {
		if (!strcmp(ns->names[i], name))
			return ns->values[i];
	}
	return NULL;
}

static void walk_key(struct walker *w, const struct section *s,
		     const struct key *k, yaml_node_t *val)
{
	char why[256], path[128];
	const char *text;

	path_of(s, k->name, path, sizeof(path));
	if (k->type == V_DEVICE_PROPS) {
		walk_device_props(w, path,
				  (void *)((char *)w->c + s->off + k->off),
				  val);
		return;
	}
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
	if (config_schema_parse(k, text, (char *)w->c + s->off + k->off, why,
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

/* A numeric factor as a sweep: {from: 50k, to: 1M, times: 2} */
#define SWEEP_MAX 64

static void walk_factor_sweep(struct walker *w, struct matrix *m,
			      enum factor_id id, yaml_node_t *map, size_t mi)
{
	static const char *const keys[] = {"from", "to", "times"};
	const char *val[3] = {NULL, NULL, "2"}, *name = factor_table[id].name;
	int64_t v[SWEEP_MAX];
	yaml_node_pair_t *p;
	char why[256];
	int n, i, j;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(w->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(w->doc, p->value);
		const char *key = scalar(kn);

		for (i = 0; i < 3 && key && strcmp(key, keys[i]); i++)
			;
		if (i == 3) {
			walk_error(w, kn, "matrix[%zu].%s: unknown key '%s' in "
					  "a sweep (from, to, times)",
				   mi, name, key ? key : "");
			return;
		}
		if (!scalar(vn) || is_null(vn)) {
			walk_error(w, vn, "matrix[%zu].%s.%s: expected a value",
				   mi, name, key);
			return;
		}
		val[i] = scalar(vn);
	}
	if (!val[0] || !val[1]) {
		walk_error(w, map, "matrix[%zu].%s: a sweep needs from and to "
				   "(and times, 2 by default)",
			   mi, name);
		return;
	}
	n = factor_sweep(id, val[0], val[1], val[2], v, SWEEP_MAX, why,
			 sizeof(why));
	if (n < 0) {
		walk_error(w, map, "matrix[%zu].%s: invalid sweep: %s", mi,
			   name, why);
		return;
	}
	/* distinct already (factor_sweep), and the key is given once */
	for (j = 0; j < n; j++)
		factor_add(&m->f[id], v[j], (unsigned)map->start_mark.line + 1);
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
			if (!scalar(vn) || !config_schema_valid_name(scalar(vn), 64))
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
		if (vn->type == YAML_MAPPING_NODE) {
			walk_factor_sweep(w, m, (enum factor_id)id, vn, mi);
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
	size_t line = yp->problem_mark.line, col = yp->problem_mark.column, i;

	/* libyaml's reader (bad UTF-8, control characters) gives a byte
	 * offset, not a mark: count lines and characters up to it */
	if (yp->error == YAML_READER_ERROR) {
		line = col = 0;
		for (i = 0; i < yp->problem_offset && i < w->len; i++) {
			if (w->text[i] == '\n') {
				line++;
				col = 0;
			} else if (((unsigned char)w->text[i] & 0xc0) != 0x80) {
				col++;
			}
		}
	}
	w->errors++;
	strbuf_addf(w->err, "%s:%zu:%zu: error: YAML syntax: %s%s%s\n",
		    w->file, line + 1, col + 1,
		    yp->problem ? yp->problem : "unreadable",
		    yp->context ? " " : "", yp->context ? yp->context : "");
}

int config_parse(const char *file, const char *text, size_t len,
		 struct campaign *c, struct strbuf *err)
{
	struct walker w = {
		.file = file, .text = text, .len = len, .err = err, .c = c,
	};
	yaml_parser_t yp;
	yaml_document_t doc, extra;
	yaml_node_t *root;
	int loaded = 0;

	memset(c, 0, sizeof(*c));
	c->file = xstrdup(file);
	config_schema_defaults(&config_schema_top, c);

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

	walk_section(&w, &config_schema_top, root);
	walk_matrices(&w, root);
	check_required(&w, &config_schema_top, root);
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

int config_read(const char *file, struct campaign *c, struct strbuf *text)
{
	struct strbuf buf = STRBUF_INIT, err = STRBUF_INIT;
	int ret;

	if (!text)
		text = &buf;
	ret = strbuf_read_file(text, file, CONFIG_MAX_BYTES + 1);
	if (ret == -EFBIG) {
		ret = error("%s: file is larger than %u bytes", file,
			    CONFIG_MAX_BYTES);
	} else if (ret) {
		errno = -ret;
		ret = error_errno("cannot read campaign '%s'", file);
	} else {
		ret = config_parse(file, text->buf, text->len, c, &err);
		if (ret)
			fputs(err.buf, stderr);
	}
	if (ret || text == &buf)
		strbuf_release(text);
	strbuf_release(&err);
	return ret;
}

int config_load(const char *file, struct campaign *c)
{
	return config_read(file, c, NULL);
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
	config_schema_release(&config_schema_top, c);
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
