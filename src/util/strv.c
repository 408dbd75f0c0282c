// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/strv.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/alloc.h"

void strv_push(struct strv *sv, const char *s)
{
	ALLOC_GROW(sv->v, sv->n + 2, sv->alloc);
	sv->v[sv->n++] = xstrdup(s);
	sv->v[sv->n] = NULL;
}

void strv_pushf(struct strv *sv, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(sv->v, sv->n + 2, sv->alloc);
	sv->v[sv->n++] = strbuf_detach(&sb, NULL);
	sv->v[sv->n] = NULL;
}

void strv_clear(struct strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

void strv_join(const struct strv *sv, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		strbuf_addf(out, "%s%s", i ? " " : "", sv->v[i]);
}
