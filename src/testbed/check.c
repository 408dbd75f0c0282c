// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench testbed check: every server of the campaign's testbed is
 * reached (over ssh for a real one) and asked for what its runnable
 * tests need (core/server_needs.h); with --install, iovbench is copied
 * to a server where it is missing or older than this one. A dry run
 * prints what would be run on each server instead.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "iov_config.h"
#include "core/server_needs.h"
#include "host/host.h"
#include "testbed/check.h"
#include "util/error.h"
#include "util/time.h"

#define CHECK_NS (30 * NSEC_PER_SEC)
#define INSTALL_NS (120 * NSEC_PER_SEC)

/* Where iovbench goes on a server: its configured path, or /usr/local/bin */
static void install_path(const char *configured, char *buf, size_t len)
{
	if (strchr(configured, '/'))
		snprintf(buf, len, "%s", configured);
	else
		snprintf(buf, len, "/usr/local/bin/%s", configured);
}

/* sh -c 'ssh ... DEST "cat > TMP && install ..." < EXE' */
static void install_command(const struct host *h, const char *exe,
			    const char *path, struct strbuf *sh)
{
	struct strv argv = STRV_INIT;
	struct strbuf remote = STRBUF_INIT, line = STRBUF_INIT;
	size_t i;

	host_ssh_argv(h, &argv);
	strbuf_addstr(&remote, "t=$(mktemp) && cat >\"$t\" && install -m 0755 "
			       "\"$t\" ");
	strbuf_addquoted(&remote, path);
	strbuf_addstr(&remote, "; s=$?; rm -f \"$t\"; exit $s");
	strv_push(&argv, remote.buf);
	for (i = 0; i < argv.n; i++) {
		if (i)
			strbuf_addch(&line, ' ');
		strbuf_addquoted(&line, argv.v[i]);
	}
	strbuf_addf(sh, "%s < ", line.buf);
	strbuf_addquoted(sh, exe);
	strv_clear(&argv);
	strbuf_release(&remote);
	strbuf_release(&line);
}

static int run_script(struct host *h, bool remote, const char *script,
		      struct strbuf *out)
{
	struct strv argv = STRV_INIT;
	struct spawn_opts so = {0};
	int st;

	if (remote) {
		host_ssh_argv(h, &argv);
	} else {
		strv_push(&argv, "sh");
		strv_push(&argv, "-c");
	}
	strv_push(&argv, script);
	st = proc_run(argv.v, &so, CHECK_NS, out);
	strv_clear(&argv);
	return st;
}

static int check_server(struct testbed *tb, const struct plan *p, int s,
			const struct testbed_check_opts *o, struct strbuf *out)
{
	struct server_need n[SERVER_NEEDS_MAX];
	struct strbuf script = STRBUF_INIT, said = STRBUF_INIT;
	struct server_check ck;
	struct host *h = &tb->hosts[s];
	const char *name = h->name;
	size_t count = server_needs(p, s, n, SERVER_NEEDS_MAX), i;
	char path[PATH_MAX];
	int missing = 0, st;
	bool stale;

	server_needs_script(n, count, &script);
	if (o->dry) {
		strbuf_addf(out, "%-9s # %s: ", name,
			    tb->remote ? "over ssh" : "here");
		strbuf_addquoted(out, script.buf);
		strbuf_addch(out, '\n');
		for (i = 0; i < count; i++)
			strbuf_addf(out, "%-9s #   needs %s (%s): %s\n", name,
				    n[i].name, n[i].program, n[i].why);
		if (tb->remote) {
			install_path(n[0].program, path, sizeof(path));
			strbuf_addf(out, "%-9s # if iovbench is missing or "
					 "older than %s%s: ",
				    name, IOV_VERSION,
				    o->install ? "" : " (with --install)");
			install_command(h, o->exe, path, out);
			strbuf_addch(out, '\n');
		}
		goto out;
	}
	/* ssh's ControlPath lives there */
	if (tb->remote && ((mkdir("/run/iovbench", 0755) && errno != EEXIST) ||
			   (mkdir(tb->rundir, 0755) && errno != EEXIST)))
		strbuf_addf(out, "%s: cannot make '%s'\n", name, tb->rundir);
	st = run_script(h, tb->remote, script.buf, &said);
	if (st || server_check_parse(said.buf ? said.buf : "", said.len, n,
				     count, &ck)) {
		strbuf_addf(out, "%s: not reachable or no answer (%d)\n", name,
			    st);
		missing = 1;
		goto out;
	}
	if (!count)
		strbuf_addf(out, "%s: its tests need nothing but this "
				 "machine's iovbench\n",
			    name);
	for (i = 0; i < count; i++) {
		stale = !strcmp(n[i].name, "iovbench") && ck.have[i] &&
			server_version_cmp(ck.version, IOV_VERSION) < 0;
		strbuf_addf(out, "%s: %s %s (%s)%s%s\n", name,
			    ck.have[i] && !stale ? "have" :
			    stale		 ? "old" :
						   "missing",
			    n[i].name, n[i].why, stale ? ": version " : "",
			    stale ? ck.version : "");
		if (ck.have[i] && !stale)
			continue;
		if (!strcmp(n[i].name, "iovbench") && o->install) {
			struct strbuf sh = STRBUF_INIT;
			char *argv[] = {"sh", "-c", NULL, NULL};
			struct spawn_opts so = {0};

			install_path(n[i].program, path, sizeof(path));
			install_command(h, o->exe, path, &sh);
			argv[2] = sh.buf;
			st = proc_run(argv, &so, INSTALL_NS, NULL);
			strbuf_addf(out, "%s: %s iovbench %s at %s\n", name,
				    st ? "could not install" : "installed",
				    IOV_VERSION, path);
			strbuf_release(&sh);
			if (!st)
				continue;
		}
		missing++;
	}
out:
	strbuf_release(&script);
	strbuf_release(&said);
	return missing;
}

int testbed_check(const struct campaign *c, const struct plan *p,
		  const struct testbed_check_opts *o, struct strbuf *out)
{
	struct testbed tb;
	int s, missing = 0;

	testbed_init(&tb, c);
	for (s = 0; s < SERVER_COUNT; s++)
		missing += check_server(&tb, p, s, o, out);
	testbed_release(&tb);
	return missing;
}
