// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guest/image_progs.c over a fake root: iperf3 and its libraries copied
 * from this host into a tree laid out on purpose (one library in ld.so's
 * second directory, one missing), then resolved as the image builder
 * does. Skipped without iperf3 on the host (scripts/deps installs it).
 */
#include "unit.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/guest_prog.h"
#include "guest/image_progs.h"
#include "util/alloc.h"
#include "util/error.h"

static char root[PATH_MAX];
static char said[512];

static void hook(const char *line)
{
	snprintf(said, sizeof(said), "%s", line);
}

static void put(const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX + 64], *slash;
	FILE *f;

	if (strbuf_read_file(&sb, from, 64 << 20))
		fail_msg("cannot read '%s'", from);
	snprintf(path, sizeof(path), "%s%s", root, to);
	/* mkdir -p of its directory */
	for (slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(sb.buf, 1, sb.len, f), sb.len);
	fclose(f);
	chmod(path, 0755);
	strbuf_release(&sb);
}

static const struct image_file *file(const struct image_progs *p,
				     const char *path)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (!strcmp(p->v[i].path, path))
			return &p->v[i];
	}
	return NULL;
}

static void test_resolve(void **state)
{
	static const char *const dpdk[] = {GUEST_PROG_SET_DPDK, NULL};
	static const char *const libs[] = {"libc.so.6", "libm.so.6",
					   "libsctp.so.1"};
	const char *lib = "/lib/x86_64-linux-gnu/";
	char from[PATH_MAX], cmd[PATH_MAX + 16];
	struct image_progs p;
	size_t i;

	(void)state;
	if (access("/usr/bin/iperf3", X_OK))
		skip();
	snprintf(root, sizeof(root), "/tmp/iovbench-unit-progs.XXXXXX");
	assert_non_null(mkdtemp(root));

	/* nothing there: no program, said so, not an error */
	assert_int_equal(image_progs_resolve(root, NULL, &p), 0);
	assert_int_equal(p.n, 0);
	/* dpdk-testpmd only with its set */
	assert_string_equal(p.missing.buf,
			    "iperf3 (/usr/bin/iperf3, package iperf3)");
	image_progs_release(&p);
	assert_int_equal(image_progs_resolve(root, dpdk, &p), 0);
	assert_string_equal(p.missing.buf,
			    "iperf3 (/usr/bin/iperf3, package iperf3), "
			    "dpdk-testpmd (/usr/bin/dpdk-testpmd, package dpdk), "
			    "stdbuf (/usr/bin/stdbuf, package coreutils)");
	image_progs_release(&p);

	put("/usr/bin/iperf3", "/usr/bin/iperf3");
	put("/lib64/ld-linux-x86-64.so.2", "/lib64/ld-linux-x86-64.so.2");
	/* in ld.so's second directory only */
	put("/usr/lib/x86_64-linux-gnu/libiperf.so.0",
	    "/usr/lib/x86_64-linux-gnu/libiperf.so.0");
	for (i = 0; i < ARRAY_SIZE(libs); i++) {
		snprintf(from, sizeof(from), "%s%s", lib, libs[i]);
		put(from, from);
	}
	/* libiperf needs libcrypto, which is not there */
	error_set_hook(hook);
	assert_int_equal(image_progs_resolve(root, dpdk, &p), -1);
	error_set_hook(NULL);
	if (!strstr(said, "needs 'libcrypto.so.3', which is in none of "
			  "ld.so's directories"))
		fail_msg("said: %s", said);
	image_progs_release(&p);

	snprintf(from, sizeof(from), "%slibcrypto.so.3", lib);
	put(from, from);
	assert_int_equal(image_progs_resolve(root, dpdk, &p), 0);
	assert_string_equal(p.missing.buf,
			    "dpdk-testpmd (/usr/bin/dpdk-testpmd, package dpdk), "
			    "stdbuf (/usr/bin/stdbuf, package coreutils)");
	/* the program, its loader, 5 libraries; ld.so itself not twice */
	assert_int_equal(p.n, 7);
	assert_string_equal(p.v[0].path, "/usr/bin/iperf3");
	assert_string_equal(p.v[0].prog, "iperf3");
	assert_string_equal(p.v[1].path, "/lib64/ld-linux-x86-64.so.2");
	assert_null(p.v[1].prog);
	assert_non_null(file(&p, "/usr/lib/x86_64-linux-gnu/libiperf.so.0"));
	assert_null(file(&p, "/lib/x86_64-linux-gnu/libiperf.so.0"));
	for (i = 0; i < ARRAY_SIZE(libs); i++) {
		snprintf(from, sizeof(from), "%s%s", lib, libs[i]);
		assert_non_null(file(&p, from));
	}
	assert_non_null(file(&p, "/lib/x86_64-linux-gnu/libcrypto.so.3"));
	assert_null(file(&p, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
	image_progs_release(&p);

	/* a library no DT_NEEDED names (stdbuf's LD_PRELOAD) comes along */
	if (!access("/usr/bin/stdbuf", X_OK) &&
	    !access("/usr/libexec/coreutils/libstdbuf.so", R_OK)) {
		put("/usr/bin/stdbuf", "/usr/bin/stdbuf");
		put("/usr/libexec/coreutils/libstdbuf.so",
		    "/usr/libexec/coreutils/libstdbuf.so");
		assert_int_equal(image_progs_resolve(root, dpdk, &p), 0);
		assert_string_equal(p.missing.buf,
				    "dpdk-testpmd (/usr/bin/dpdk-testpmd, "
				    "package dpdk)");
		assert_non_null(file(&p, "/usr/bin/stdbuf"));
		assert_non_null(
			file(&p, "/usr/libexec/coreutils/libstdbuf.so"));
		image_progs_release(&p);
	}

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
