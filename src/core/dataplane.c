// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/dataplane.h"

#include <string.h>

#include "core/caps.h"

const struct dataplane dataplane_table[] = {
	{
		.name = "veth-bridge",
		.guest = GUEST_NETNS,
		.attach = ATTACH_VETH_BRIDGE,
		.needs = CAP_NETNS,
		.doc = "container guest on a veth pair whose host end is a "
		       "port of a Linux bridge with the server's NIC",
	},
	{
		.name = "macvlan",
		.guest = GUEST_NETNS,
		.attach = ATTACH_MACVLAN,
		.needs = CAP_NETNS,
		.doc = "container guest on a macvlan (bridge mode) over the "
		       "server's NIC",
	},
};
const unsigned dataplane_table_len =
	sizeof(dataplane_table) / sizeof(dataplane_table[0]);

int dataplane_find(const char *name)
{
	unsigned i;

	for (i = 0; i < dataplane_table_len; i++) {
		if (!strcmp(dataplane_table[i].name, name))
			return (int)i;
	}
	return -1;
}

const char *guest_kind_name(enum guest_kind kind)
{
	return kind == GUEST_QEMU ? "qemu" : "netns";
}
