// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/caps.h"

#include <errno.h>
#include <string.h>

const struct cap_info cap_table[] = {
	{CAP_NETNS, "netns", "network namespaces are not available"},
	{CAP_QEMU, "qemu", "no qemu-system-x86_64 binary was found"},
	{CAP_KVM, "kvm", "KVM is not available (/dev/kvm missing or unusable)"},
	{CAP_VHOST_NET, "vhost-net",
	 "vhost-net is not available (no /dev/vhost-net): QEMU would abort"},
	{CAP_VFIO, "vfio", "VFIO is not available (no /dev/vfio/vfio or IOMMU)"},
	{CAP_SRIOV, "sriov",
	 "no SR-IOV capable NIC (no device with sriov_totalvfs > 0)"},
};
const unsigned cap_table_len = sizeof(cap_table) / sizeof(cap_table[0]);

int caps_parse(const char *s, uint32_t *mask)
{
	uint32_t m = 0;

	if (!strcmp(s, "none")) {
		*mask = 0;
		return 0;
	}
	while (*s) {
		size_t len = strcspn(s, ",");
		unsigned i;

		if (len == 3 && !strncmp(s, "all", 3)) {
			for (i = 0; i < cap_table_len; i++)
				m |= cap_table[i].cap;
		} else {
			for (i = 0; i < cap_table_len; i++) {
				if (strlen(cap_table[i].name) == len &&
				    !strncmp(s, cap_table[i].name, len))
					break;
			}
			if (i == cap_table_len)
				return -EINVAL;
			m |= cap_table[i].cap;
		}
		s += len;
		if (*s == ',')
			s++;
	}
	*mask = m;
	return 0;
}

const char *caps_missing(uint32_t need, uint32_t have)
{
	unsigned i;

	for (i = 0; i < cap_table_len; i++) {
		if ((need & cap_table[i].cap) && !(have & cap_table[i].cap))
			return cap_table[i].missing;
	}
	return NULL;
}
