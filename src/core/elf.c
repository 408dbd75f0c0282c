// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/elf.h"

#include <elf.h>
#include <stdint.h>
#include <string.h>

/* Headers are copied out: buf need not be aligned */
static bool header(const void *buf, size_t len, Elf64_Ehdr *eh)
{
	if (len < sizeof(*eh))
		return false;
	memcpy(eh, buf, sizeof(*eh));
	return !memcmp(eh->e_ident, ELFMAG, SELFMAG) &&
	       eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	       eh->e_ident[EI_DATA] == ELFDATA2LSB &&
	       eh->e_machine == EM_X86_64;
}

/* Whether [off, off + n * size) lies inside the file */
static bool inside(size_t len, uint64_t off, uint64_t n, uint64_t size)
{
	return off <= len && (!size || n <= (len - off) / size);
}

static bool phdr(const void *buf, size_t len, size_t i, Elf64_Phdr *ph)
{
	Elf64_Ehdr eh;

	if (!header(buf, len, &eh) || eh.e_phentsize != sizeof(*ph) ||
	    i >= eh.e_phnum ||
	    !inside(len, eh.e_phoff, eh.e_phnum, sizeof(*ph)))
		return false;
	memcpy(ph, (const char *)buf + eh.e_phoff + i * sizeof(*ph),
	       sizeof(*ph));
	return true;
}

int elf_type(const void *buf, size_t len)
{
	Elf64_Ehdr eh;

	return header(buf, len, &eh) ? eh.e_type : -1;
}

bool elf_has_interp(const void *buf, size_t len)
{
	Elf64_Phdr ph;
	size_t i;

	for (i = 0; phdr(buf, len, i, &ph); i++) {
		if (ph.p_type == PT_INTERP)
			return true;
	}
	return false;
}

const char *elf_interp(const void *buf, size_t len)
{
	const char *base = buf;
	Elf64_Phdr ph;
	size_t i;

	for (i = 0; phdr(buf, len, i, &ph); i++) {
		if (ph.p_type != PT_INTERP)
			continue;
		/* a path that ends in its NUL inside the segment */
		if (!ph.p_filesz || !inside(len, ph.p_offset, ph.p_filesz, 1) ||
		    base[ph.p_offset + ph.p_filesz - 1] ||
		    !base[ph.p_offset])
			return NULL;
		return base + ph.p_offset;
	}
	return NULL;
}

/* The file offset of virtual address vaddr (a PT_LOAD's bytes), or -1 */
static int64_t vaddr_offset(const void *buf, size_t len, uint64_t vaddr)
{
	Elf64_Phdr ph;
	size_t i;

	for (i = 0; phdr(buf, len, i, &ph); i++) {
		if (ph.p_type != PT_LOAD || vaddr < ph.p_vaddr ||
		    vaddr - ph.p_vaddr >= ph.p_filesz ||
		    !inside(len, ph.p_offset, ph.p_filesz, 1))
			continue;
		return (int64_t)(ph.p_offset + (vaddr - ph.p_vaddr));
	}
	return -1;
}

int elf_needed(const void *buf, size_t len, const char **names, size_t max)
{
	const char *base = buf;
	uint64_t strtab = 0, strsz = 0;
	bool have_strtab = false;
	Elf64_Phdr ph, dyn;
	Elf64_Dyn d;
	int64_t str = 0;
	size_t i, n = 0, count;
	int pass;

	for (i = 0; phdr(buf, len, i, &ph); i++) {
		if (ph.p_type == PT_DYNAMIC)
			break;
	}
	if (!phdr(buf, len, i, &ph))
		return 0;
	dyn = ph;
	if (!inside(len, dyn.p_offset, dyn.p_filesz / sizeof(d), sizeof(d)))
		return -1;
	count = dyn.p_filesz / sizeof(d);
	/* first the string table, wherever it is listed; then the names */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < count; i++) {
			memcpy(&d, base + dyn.p_offset + i * sizeof(d),
			       sizeof(d));
			if (d.d_tag == DT_NULL)
				break;
			if (!pass && d.d_tag == DT_STRTAB) {
				strtab = d.d_un.d_ptr;
				have_strtab = true;
			} else if (!pass && d.d_tag == DT_STRSZ) {
				strsz = d.d_un.d_val;
			} else if (pass && d.d_tag == DT_NEEDED) {
				const char *s;

				if (d.d_un.d_val >= strsz)
					return -1;
				s = base + str + d.d_un.d_val;
				if (!memchr(s, '\0', strsz - d.d_un.d_val) ||
				    !*s)
					return -1;
				if (n < max)
					names[n] = s;
				n++;
			}
		}
		if (pass)
			break;
		if (!have_strtab || !strsz)
			return -1;
		str = vaddr_offset(buf, len, strtab);
		if (str < 0 || !inside(len, (uint64_t)str, strsz, 1))
			return -1;
	}
	return n > INT32_MAX ? -1 : (int)n;
}

const void *elf_section(const void *buf, size_t len, const char *name,
			size_t *size)
{
	const char *base = buf;
	Elf64_Shdr sh, str;
	Elf64_Ehdr eh;
	size_t i, want = strlen(name) + 1;

	if (!header(buf, len, &eh) || eh.e_shentsize != sizeof(sh) ||
	    !inside(len, eh.e_shoff, eh.e_shnum, sizeof(sh)) ||
	    eh.e_shstrndx >= eh.e_shnum)
		return NULL;
	memcpy(&str, base + eh.e_shoff + eh.e_shstrndx * sizeof(sh),
	       sizeof(str));
	if (!inside(len, str.sh_offset, str.sh_size, 1))
		return NULL;
	for (i = 0; i < eh.e_shnum; i++) {
		memcpy(&sh, base + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_name >= str.sh_size ||
		    str.sh_size - sh.sh_name < want ||
		    memcmp(base + str.sh_offset + sh.sh_name, name, want))
			continue;
		if (sh.sh_type == SHT_NOBITS ||
		    !inside(len, sh.sh_offset, sh.sh_size, 1))
			return NULL;
		*size = sh.sh_size;
		return base + sh.sh_offset;
	}
	return NULL;
}

const char *elf_modinfo(const void *buf, size_t len, const char *key)
{
	size_t size, klen = strlen(key);
	const char *s = elf_section(buf, len, ".modinfo", &size), *end;

	if (!s)
		return NULL;
	end = s + size;
	while (s < end) {
		size_t n = strnlen(s, (size_t)(end - s));

		if (n == (size_t)(end - s))
			return NULL; /* not NUL-terminated: not ours to read */
		if (n > klen && !memcmp(s, key, klen) && s[klen] == '=')
			return s + klen + 1;
		s += n + 1;
	}
	return NULL;
}

bool elf_has_pvh_note(const void *buf, size_t len)
{
	const char *base = buf;
	Elf64_Phdr ph;
	Elf64_Nhdr nh;
	size_t i;

	for (i = 0; phdr(buf, len, i, &ph); i++) {
		uint64_t off = ph.p_offset, end;

		if (ph.p_type != PT_NOTE || !inside(len, off, ph.p_filesz, 1))
			continue;
		end = off + ph.p_filesz;
		/* notes: header, name and descriptor each 4-byte aligned */
		while (end - off >= sizeof(nh)) {
			memcpy(&nh, base + off, sizeof(nh));
			off += sizeof(nh);
			if (nh.n_type == 18 && nh.n_namesz == 4 &&
			    end - off >= 4 && !memcmp(base + off, "Xen", 4))
				return true;
			off += ((uint64_t)nh.n_namesz + 3) / 4 * 4 +
			       ((uint64_t)nh.n_descsz + 3) / 4 * 4;
			if (off > end)
				break;
		}
	}
	return false;
}
