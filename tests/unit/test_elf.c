// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <elf.h>

#include "core/elf.h"
#include "util/alloc.h"
#include "util/strbuf.h"

/*
 * A hand-made x86-64 ELF: two program headers (PT_INTERP, PT_NOTE with a
 * GNU note then Xen's PVH entry note) and two sections (.modinfo,
 * .shstrtab), laid out one after the other.
 */
#define PH_OFF 64
#define INTERP_OFF (PH_OFF + 2 * sizeof(Elf64_Phdr)) /* 176 */
#define NOTE_OFF (INTERP_OFF + 16)		     /* 192 */
#define NOTE_LEN 40
#define MODINFO_OFF (NOTE_OFF + NOTE_LEN) /* 232 */
static const char modinfo[] = "license=GPL\0depends=virtio,virtio_ring\0"
			      "depends_x=no";
#define SHSTR_OFF (MODINFO_OFF + sizeof(modinfo))
static const char shstr[] = "\0.shstrtab\0.modinfo";
#define SH_OFF ((SHSTR_OFF + sizeof(shstr) + 7) / 8 * 8)
#define ELF_LEN (SH_OFF + 3 * sizeof(Elf64_Shdr))

static unsigned char elf[ELF_LEN];

static void put_note(size_t off, const char *name, uint32_t type)
{
	Elf64_Nhdr nh = {.n_namesz = 4, .n_descsz = 4, .n_type = type};

	memcpy(elf + off, &nh, sizeof(nh));
	memcpy(elf + off + sizeof(nh), name, 4);
	memset(elf + off + sizeof(nh) + 4, 0xab, 4);
}

static int setup(void **state)
{
	Elf64_Ehdr eh = {
		.e_type = ET_EXEC,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_phoff = PH_OFF,
		.e_shoff = SH_OFF,
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = 2,
		.e_shentsize = sizeof(Elf64_Shdr),
		.e_shnum = 3,
		.e_shstrndx = 2,
	};
	Elf64_Phdr ph[2] = {
		{.p_type = PT_INTERP, .p_offset = INTERP_OFF, .p_filesz = 16},
		{.p_type = PT_NOTE, .p_offset = NOTE_OFF, .p_filesz = NOTE_LEN},
	};
	Elf64_Shdr sh[3] = {
		{0},
		{.sh_name = 11, .sh_type = SHT_PROGBITS,
		 .sh_offset = MODINFO_OFF, .sh_size = sizeof(modinfo)},
		{.sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = SHSTR_OFF,
		 .sh_size = sizeof(shstr)},
	};

	(void)state;
	memset(elf, 0, sizeof(elf));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(elf, &eh, sizeof(eh));
	memcpy(elf + PH_OFF, ph, sizeof(ph));
	memcpy(elf + INTERP_OFF, "/lib/ld.so.2", 13);
	put_note(NOTE_OFF, "GNU", NT_GNU_BUILD_ID);
	put_note(NOTE_OFF + 20, "Xen", 18);
	memcpy(elf + MODINFO_OFF, modinfo, sizeof(modinfo));
	memcpy(elf + SHSTR_OFF, shstr, sizeof(shstr));
	memcpy(elf + SH_OFF, sh, sizeof(sh));
	return 0;
}

static void test_queries(void **state)
{
	size_t size;
	const char *s;

	(void)state;
	assert_int_equal(elf_type(elf, sizeof(elf)), ET_EXEC);
	assert_true(elf_has_interp(elf, sizeof(elf)));
	assert_true(elf_has_pvh_note(elf, sizeof(elf)));
	s = elf_section(elf, sizeof(elf), ".modinfo", &size);
	assert_ptr_equal(s, elf + MODINFO_OFF);
	assert_int_equal(size, sizeof(modinfo));
	assert_null(elf_section(elf, sizeof(elf), ".modinf", &size));
	assert_null(elf_section(elf, sizeof(elf), ".text", &size));
	assert_string_equal(elf_modinfo(elf, sizeof(elf), "depends"),
			    "virtio,virtio_ring");
	assert_string_equal(elf_modinfo(elf, sizeof(elf), "license"), "GPL");
	assert_string_equal(elf_modinfo(elf, sizeof(elf), "depends_x"), "no");
	assert_null(elf_modinfo(elf, sizeof(elf), "depend"));
	assert_null(elf_modinfo(elf, sizeof(elf), "vermagic"));
}

static void test_negatives(void **state)
{
	Elf64_Phdr ph;

	(void)state;
	assert_int_equal(elf_type("#!/bin/sh\n", 10), -1);
	assert_int_equal(elf_type(elf, 63), -1);
	/* a static binary: no PT_INTERP */
	memcpy(&ph, elf + PH_OFF, sizeof(ph));
	ph.p_type = PT_LOAD;
	memcpy(elf + PH_OFF, &ph, sizeof(ph));
	assert_false(elf_has_interp(elf, sizeof(elf)));
	/* a Xen note, but not the PVH entry */
	put_note(NOTE_OFF + 20, "Xen", 17);
	assert_false(elf_has_pvh_note(elf, sizeof(elf)));
	/* another machine */
	elf[EI_CLASS] = ELFCLASS32;
	assert_int_equal(elf_type(elf, sizeof(elf)), -1);
	assert_null(elf_modinfo(elf, sizeof(elf), "depends"));
}

/* Every truncation of the file: no read past the end (ASan checks) */
static void test_truncated(void **state)
{
	size_t len, size;

	(void)state;
	for (len = 0; len < sizeof(elf); len++) {
		unsigned char *copy = malloc(len ? len : 1);
		const char *dep;

		memcpy(copy, elf, len);
		elf_type(copy, len);
		elf_has_interp(copy, len);
		elf_has_pvh_note(copy, len);
		elf_section(copy, len, ".modinfo", &size);
		dep = elf_modinfo(copy, len, "depends");
		/* found only when the whole value is inside */
		if (dep)
			assert_true(len >= MODINFO_OFF + 40);
		free(copy);
	}
}

/* A note claiming a huge name must not run off the segment */
static void test_bad_note(void **state)
{
	Elf64_Nhdr nh = {.n_namesz = 0xfffffff0u, .n_descsz = 4, .n_type = 1};

	(void)state;
	memcpy(elf + NOTE_OFF, &nh, sizeof(nh));
	assert_false(elf_has_pvh_note(elf, sizeof(elf)));
}

/* The loader and libraries of a real binary, as readelf -d lists them */
static void test_real_needed(void **state)
{
	static const struct {
		const char *path, *interp, *needed[5];
		int n;
	} cases[] = {
		{"/usr/bin/iperf3", "/lib64/ld-linux-x86-64.so.2",
		 {"libiperf.so.0", "libc.so.6"}, 2},
		{"/usr/lib/x86_64-linux-gnu/libiperf.so.0", NULL,
		 {"libcrypto.so.3", "libsctp.so.1", "libm.so.6", "libc.so.6"},
		 4},
	};
	const char *names[8];
	size_t c;
	int i, n, seen = 0;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct strbuf f = STRBUF_INIT;
		const char *interp;

		if (strbuf_read_file(&f, cases[c].path, 64 << 20)) {
			strbuf_release(&f);
			continue; /* package iperf3 is not installed */
		}
		seen++;
		interp = elf_interp(f.buf, f.len);
		if (cases[c].interp)
			assert_string_equal(interp, cases[c].interp);
		else
			assert_null(interp);
		n = elf_needed(f.buf, f.len, names, ARRAY_SIZE(names));
		assert_int_equal(n, cases[c].n);
		for (i = 0; i < n; i++)
			assert_string_equal(names[i], cases[c].needed[i]);
		/* fewer slots than names: the count is still whole */
		assert_int_equal(elf_needed(f.buf, f.len, names, 1), n);
		/* every truncation near the headers and the dynamic
		 * section: no read past the end (ASan), -1 or a prefix */
		for (size_t len = 0; len < f.len; len += len < 4096 ? 7 : 4093) {
			elf_interp(f.buf, len);
			n = elf_needed(f.buf, len, names, ARRAY_SIZE(names));
			assert_true(n <= cases[c].n);
		}
		strbuf_release(&f);
	}
	if (!seen)
		skip(); /* no iperf3 on this host: scripts/deps installs it */
}

/* The hand-made file has no PT_DYNAMIC; then one that lies */
static void test_needed_bad(void **state)
{
	const char *names[4];
	Elf64_Phdr ph = {.p_type = PT_DYNAMIC, .p_offset = MODINFO_OFF,
			 .p_filesz = 2 * sizeof(Elf64_Dyn)};
	Elf64_Dyn d[2] = {{.d_tag = DT_NEEDED, .d_un.d_val = 0},
			  {.d_tag = DT_NULL}};
	unsigned seed = 1;
	size_t i;

	(void)state;
	assert_string_equal(elf_interp(elf, sizeof(elf)), "/lib/ld.so.2");
	assert_int_equal(elf_needed(elf, sizeof(elf), names, 4), 0);
	memcpy(elf + PH_OFF + sizeof(ph), &ph, sizeof(ph));
	memcpy(elf + MODINFO_OFF, d, sizeof(d));
	/* DT_NEEDED without a string table */
	assert_int_equal(elf_needed(elf, sizeof(elf), names, 4), -1);
	/* a PT_INTERP that is not NUL-terminated */
	elf[INTERP_OFF + 15] = 'x';
	assert_null(elf_interp(elf, sizeof(elf)));
	/* random bytes over the dynamic entries: never a crash */
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		elf[MODINFO_OFF + (seed >> 8) % sizeof(d)] = (unsigned char)
			(seed >> 16);
		elf_needed(elf, sizeof(elf), names, 4);
	}
	assert_int_equal(elf_needed("garbage", 7, names, 4), 0);
	assert_null(elf_interp("garbage", 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_queries, setup),
		cmocka_unit_test_setup(test_negatives, setup),
		cmocka_unit_test_setup(test_truncated, setup),
		cmocka_unit_test_setup(test_bad_note, setup),
		cmocka_unit_test(test_real_needed),
		cmocka_unit_test_setup(test_needed_bad, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
