// SPDX-License-Identifier: GPL-2.0-or-later
/* The reflectors' table (measure/macswap.h). */
#include "measure/macswap.h"

#include <string.h>

#include "util/alloc.h"

const struct macswap_kind macswap_table[] = {
	{"afpacket", macswap_afpacket_run},
	{"xdp", macswap_xdp_run},
	{"testpmd", macswap_testpmd_run},
};
const unsigned macswap_table_len = ARRAY_SIZE(macswap_table);

const struct macswap_kind *macswap_find(const char *name)
{
	unsigned i;

	for (i = 0; i < macswap_table_len; i++) {
		if (!strcmp(macswap_table[i].name, name))
			return &macswap_table[i];
	}
	return NULL;
}
