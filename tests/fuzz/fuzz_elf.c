// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the ELF queries on arbitrary bytes (the image builder
 * reads binaries, libraries and modules from the host and from packages).
 * Whatever they return must lie inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const uint8_t *data, size_t size, const char *s)
{
	if (s && (s < (const char *)data ||
		  s + strlen(s) >= (const char *)data + size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *names[16], *s;
	size_t len;
	int n, i;

	elf_type(data, size);
	elf_has_interp(data, size);
	elf_has_pvh_note(data, size);
	inside(data, size, elf_interp(data, size));
	if (elf_section(data, size, ".modinfo", &len))
		inside(data, size, elf_modinfo(data, size, "depends"));
	n = elf_needed(data, size, names, 16);
	for (i = 0; i < n && i < 16; i++)
		inside(data, size, names[i]);
	s = elf_modinfo(data, size, "license");
	inside(data, size, s);
	return 0;
}
