/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host hygiene, OS half: the dump core/hygiene.h folds, read from this
 * machine's files under root ("/", or a fake tree), in the format that
 * `grep -Hs . FILES` gives; `iovbench hygiene` prints it on a server.
 */
#ifndef IOV_HOST_HYGIENE_H
#define IOV_HOST_HYGIENE_H

#include "core/hygiene.h"
#include "util/strbuf.h"

/* Every setting's files under root, as "PATH:LINE" lines into out. */
void host_hygiene_dump(const char *root, struct strbuf *out);

/* The dump, folded; with root "/", this namespace's links too. */
void host_hygiene_read(const char *root, struct hygiene *h);

#endif
