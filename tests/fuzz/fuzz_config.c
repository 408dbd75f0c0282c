// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: config_parse() on arbitrary bytes. Besides the
 * sanitizers' checks, the result must be consistent: an error has a
 * message, a success has none and holds what a campaign must hold.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct campaign c;
	int ret;

	ret = config_parse("fuzz.yaml", (const char *)data, size, &c, &err);
	if (ret && !err.len)
		abort(); /* failed without saying why */
	if (!ret && (err.len || !c.name || !c.prefix || !c.results ||
		     !c.nmatrices || !c.matrices))
		abort();
	/* after a failure c is already released: releasing twice is safe */
	config_release(&c);
	strbuf_release(&err);
	return 0;
}
