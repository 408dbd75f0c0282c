// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Values of the qemu factor (NAME or NAME:PATH), of the qemu_props
 * factor (a name of the campaign's qemu_props) and of the bond factor:
 * the parts of factor.c's table that are about one factor each.
 */
#include <stdio.h>
#include <string.h>

#include "core/factor.h"

void qemu_value_name(const char *value, char *name, size_t len)
{
	size_t n = strcspn(value, ":");

	snprintf(name, len, "%.*s", (int)n, value);
}

const char *qemu_value_path(const char *value)
{
	const char *colon = strchr(value, ':');

	return colon ? colon + 1 : NULL;
}

int qemu_value_check(const char *text, char *why, size_t whylen)
{
	char name[64];

	qemu_value_name(text, name, sizeof(name));
	if (!*text || !*name || strlen(name) > 32 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") !=
		    strlen(name) ||
	    (qemu_value_path(text) && qemu_value_path(text)[0] != '/')) {
		snprintf(why, whylen, "expected NAME or NAME:/PATH, NAME of "
				      "1-32 lowercase letters, digits, '.', "
				      "'_', '-'");
		return -1;
	}
	return 0;
}

static const char *const bond_names[BOND_MODE_COUNT] = {
	[BOND_NONE] = "none",
	[BOND_ACTIVE_BACKUP] = "active-backup",
	[BOND_FAILOVER] = "failover",
};

const char *bond_mode_name(enum bond_mode m)
{
	return (unsigned)m < BOND_MODE_COUNT ? bond_names[m] : "?";
}

unsigned bond_mode_count(void)
{
	return BOND_MODE_COUNT;
}

const char *bond_mode_enum_name(unsigned i)
{
	return bond_names[i];
}

int qemu_props_check(const char *text, char *why, size_t len)
{
	size_t n = strlen(text);

	/* what config.c takes as a name of qemu_props (V_NAME's, 32) */
	if (n && n <= 32 &&
	    strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789._-") == n)
		return 0;
	snprintf(why, len, "expected none or a name of the campaign's "
			   "qemu_props");
	return -1;
}
