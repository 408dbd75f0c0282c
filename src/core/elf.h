/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Queries on an x86-64 ELF file held in memory: is a binary static, which
 * loader and libraries does a dynamic one need, what does a kernel module
 * depend on, can QEMU boot a vmlinux with PVH. Pure
 * and bounds-checked, since the files come from outside (downloads, user
 * paths). Only ELF64 little-endian x86-64 is recognised.
 */
#ifndef IOV_CORE_ELF_H
#define IOV_CORE_ELF_H

#include <stdbool.h>
#include <stddef.h>

/* e_type (ET_EXEC, ET_DYN, ET_REL...), or -1 if not an x86-64 ELF64 */
int elf_type(const void *buf, size_t len);
/* A PT_INTERP program header: the binary needs a dynamic loader */
bool elf_has_interp(const void *buf, size_t len);
/*
 * PT_INTERP's path (the dynamic loader, "/lib64/ld-linux-x86-64.so.2"),
 * NUL-terminated inside buf; NULL if there is none or it is malformed.
 */
const char *elf_interp(const void *buf, size_t len);
/*
 * The DT_NEEDED names of a dynamic binary or library, in their order, as
 * ld.so reads them: PT_DYNAMIC's entries, DT_STRTAB's address mapped to
 * the file through the PT_LOAD segment holding it. Up to max names are
 * stored in names (pointing into buf, NUL-terminated); returns how many
 * there are (possibly more than max), 0 for a file without PT_DYNAMIC,
 * or -1 if the dynamic section or its string table is malformed.
 */
int elf_needed(const void *buf, size_t len, const char **names, size_t max);
/* The contents of the section called name, or NULL */
const void *elf_section(const void *buf, size_t len, const char *name,
			size_t *size);
/*
 * The value of key in a kernel module's .modinfo section (NUL-separated
 * "key=value" strings), e.g. "depends" -> "virtio,virtio_ring"; NULL if
 * absent. The value points into buf and is NUL-terminated.
 */
const char *elf_modinfo(const void *buf, size_t len, const char *key);
/*
 * A PT_NOTE holding Xen's XEN_ELFNOTE_PHYS32_ENTRY (18), the PVH entry
 * point QEMU needs to boot an uncompressed kernel (machine microvm).
 */
bool elf_has_pvh_note(const void *buf, size_t len);

#endif
