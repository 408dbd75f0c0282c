// SPDX-License-Identifier: GPL-2.0-or-later
#include "guest/image_io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/proc.h"
#include "util/alloc.h"
#include "util/time.h"

/* apt-get download of 70 MB on a slow mirror */
#define RUN_TIMEOUT_NS (900 * NSEC_PER_SEC)

void image_say(const char *fmt, ...)
{
	va_list ap;

	if (iov_verbosity < 0)
		return;
	va_start(ap, fmt);
	fputs("iovbench: image: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int find_prog(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		return access(out, X_OK) ? -ENOENT : 0;
	}
	if (!path || !*path)
		path = "/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(out, len, "%.*s/%s", (int)n, path, name);
		if (n && !access(out, X_OK))
			return 0;
		path += n + (path[n] == ':');
	}
	return -ENOENT;
}

int image_run(struct strbuf *out, const char *prog, ...)
{
	struct spawn_opts so = {.capture = true};
	char *argv[16], path[PATH_MAX];
	size_t n = 1;
	va_list ap;
	int st;

	if (find_prog(prog, path, sizeof(path)))
		return error("cannot find '%s' in PATH", prog);
	argv[0] = path;
	va_start(ap, prog);
	while (n < ARRAY_SIZE(argv) - 1 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	st = proc_run(argv, &so, RUN_TIMEOUT_NS, out);
	if (st == -1)
		return -1;
	if (st == -ETIMEDOUT)
		return error("'%s' did not finish in %lld s", prog,
			     RUN_TIMEOUT_NS / NSEC_PER_SEC);
	if (st) {
		struct strbuf cmd = STRBUF_INIT;

		strbuf_addstr(&cmd, prog);
		for (n = 1; argv[n]; n++)
			strbuf_addf(&cmd, " %s", argv[n]);
		error("'%.200s' failed (exit status %d)", cmd.buf, st);
		strbuf_release(&cmd);
		return -1;
	}
	return 0;
}

int image_path(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		return error("path too long: '%.64s...'", out);
	return 0;
}

int image_read_file(const char *path, struct strbuf *sb)
{
	int ret = strbuf_read_file(sb, path, 0);

	if (ret) {
		errno = -ret;
		return error_errno("cannot read '%s'", path);
	}
	return 0;
}

int image_write_file(const char *path, const void *data, size_t len)
{
	const char *p = data;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return error_errno("cannot create '%s'", path);
	while (len && !ret) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno != EINTR)
			ret = error_errno("cannot write '%s'", path);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
		}
	}
	if (close(fd) && !ret)
		ret = error_errno("cannot write '%s'", path);
	return ret;
}

int image_mkdir_p(const char *dir)
{
	char buf[PATH_MAX], *s;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (s = buf + 1;; s++) {
		char c = *s;

		if (c && c != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return error_errno("cannot create directory '%s'", buf);
		*s = c;
		if (!c)
			return 0;
	}
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

void image_rm_rf(const char *path)
{
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) && errno != ENOENT)
		warning("cannot remove '%s': %s", path, strerror(errno));
}

void image_clean_stale(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		int pid;

		if (strncmp(e->d_name, prefix, strlen(prefix)) ||
		    sscanf(e->d_name + strlen(prefix), "%d", &pid) != 1 ||
		    pid <= 0 || pid == getpid() ||
		    !(kill(pid, 0) && errno == ESRCH))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		image_rm_rf(path);
	}
	if (d)
		closedir(d);
}


/*
 * A package's file from apt's lists; for the kernel, first the package
 * linux-image-amd64 depends on. apt takes a second per command where it
 * keeps no binary cache (Docker's Debian images), so the answer is kept
 * until the lists change (apt-get update renames files into them).
 */
int image_apt_resolve(const char *cache, const char *name, bool depends,
		      struct deb *d)
{
	struct strbuf out = STRBUF_INIT, memo = STRBUF_INIT;
	char path[PATH_MAX], key[64], old[64];
	char empty[] = "/tmp/iovbench-apt-XXXXXX";
	struct stat st;
	const char *s;
	int ret = -1;
	FILE *f;

	if (stat("/var/lib/apt/lists", &st))
		return error_errno("no apt lists in /var/lib/apt/lists (use "
				   "--kernel on a system without apt)");
	snprintf(key, sizeof(key), "%lld.%09ld", (long long)st.st_mtim.tv_sec,
		 st.st_mtim.tv_nsec);
	snprintf(path, sizeof(path), "%s/downloads/%s.apt", cache, name);
	if (!strbuf_read_file(&memo, path, 4096) &&
	    sscanf(memo.buf, "%63s %127s %255s %" SCNu64 " %1023s", old,
		   d->pkg, d->file, &d->size, d->url) == 5 &&
	    !strcmp(key, old)) {
		ret = 0;
		goto out;
	}
	snprintf(d->pkg, sizeof(d->pkg), "%s", name);
	if (depends) {
		if (image_run(&out, "apt-cache", "depends", name, NULL))
			goto out;
		s = strstr(out.buf, "Depends: ");
		if (!s || sscanf(s, "Depends: %127s", d->pkg) != 1) {
			ret = error("cannot tell which package '%s' depends on "
				    "(apt-cache depends)", name);
			goto out;
		}
		strbuf_reset(&out);
	}
	/* it prints nothing for a file already in its working directory */
	if (!mkdtemp(empty)) {
		ret = error_errno("cannot create a directory in /tmp");
		goto out;
	}
	ret = image_run(&out, "sh", "-c",
			"cd \"$1\" && "
			"exec apt-get download --print-uris \"$2\"",
			"sh", empty, d->pkg, NULL);
	rmdir(empty);
	if (ret)
		goto out;
	ret = -1;
	/* 'URL' FILE SIZE SHA256:HASH */
	if (sscanf(out.buf, "'%1023[^']' %255s %" SCNu64, d->url, d->file,
		   &d->size) != 3) {
		ret = error("apt knows no file for '%s' (apt-get update?)",
			    d->pkg);
		goto out;
	}
	strbuf_reset(&memo);
	strbuf_addf(&memo, "%s %s %s %" PRIu64 " %s\n", key, d->pkg, d->file,
		    d->size, d->url);
	/* best effort, quietly: 'image path' may not write in the cache */
	f = fopen(path, "w");
	if (f) {
		fputs(memo.buf, f);
		fclose(f);
	}
	ret = 0;
out:
	strbuf_release(&out);
	strbuf_release(&memo);
	return ret;
}

/*
 * cache/downloads/<file>, downloaded once. apt-get download writes into
 * its working directory: a directory of our own, moved from when done.
 */
int image_apt_fetch(const char *cache, const struct deb *d, char *deb)
{
	char dir[PATH_MAX], got[PATH_MAX + 256];
	struct stat st;
	int64_t t0 = now_mono();
	int ret;

	snprintf(deb, PATH_MAX, "%s/downloads/%s", cache, d->file);
	if (!stat(deb, &st) && (uint64_t)st.st_size == d->size)
		return 0;
	snprintf(dir, sizeof(dir), "%s/downloads/.partial-%d", cache,
		 (int)getpid());
	if (image_mkdir_p(dir))
		return -1;
	image_say("downloading %s (%.1f MB) from %s", d->pkg, d->size / 1e6,
	    d->url);
	/* as root apt would drop to user _apt, who cannot write in dir */
	ret = image_run(NULL, "sh", "-c",
		  "cd \"$1\" && exec apt-get -qq -o APT::Sandbox::User=root "
		  "download \"$2\"",
		  "sh", dir, d->pkg, NULL);
	snprintf(got, sizeof(got), "%s/%s", dir, d->file);
	if (ret)
		ret = error("cannot download '%s' (is %s reachable?)", d->pkg,
			    d->url);
	else if (stat(got, &st) || (uint64_t)st.st_size != d->size)
		ret = error("apt-get download made no '%s' of %" PRIu64
			    " bytes", got, d->size);
	else if (rename(got, deb))
		ret = error_errno("cannot move '%s' to '%s'", got, deb);
	else
		image_say("downloaded in %.1f s", (now_mono() - t0) / 1e9);
	image_rm_rf(dir);
	return ret;
}
