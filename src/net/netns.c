// SPDX-License-Identifier: GPL-2.0-or-later
#include "net/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"

static void ns_path(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", NETNS_RUN_DIR, name);
}

/*
 * /run/netns must be a shared mount so that namespaces mounted there show
 * up in other mount namespaces (iproute2's netns_add does the same).
 */
static int prepare_run_dir(void)
{
	if (mkdir(NETNS_RUN_DIR, 0755) && errno != EEXIST)
		return error_errno("cannot create '%s'", NETNS_RUN_DIR);
	if (!mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL))
		return 0;
	if (errno != EINVAL)
		return error_errno("cannot make '%s' a shared mount",
				   NETNS_RUN_DIR);
	/* not a mount point yet: bind it onto itself first */
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC,
		  NULL))
		return error_errno("cannot bind-mount '%s'", NETNS_RUN_DIR);
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL))
		return error_errno("cannot make '%s' a shared mount",
				   NETNS_RUN_DIR);
	return 0;
}

int netns_create(const char *name)
{
	char path[256];
	int fd, saved, ret = 0;

	if (prepare_run_dir())
		return -1;
	ns_path(name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return error_errno("cannot create '%s'", path);
	close(fd);
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		ret = error_errno("cannot open the current network namespace");
		goto unlink;
	}
	if (unshare(CLONE_NEWNET)) {
		ret = error_errno("cannot create a network namespace");
		goto close_saved;
	}
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL))
		ret = error_errno("cannot bind-mount namespace on '%s'", path);
	if (setns(saved, CLONE_NEWNET))
		die_errno("cannot return to the original network namespace");
close_saved:
	close(saved);
unlink:
	if (ret)
		unlink(path);
	return ret;
}

int netns_delete(const char *name)
{
	char path[256];

	ns_path(name, path, sizeof(path));
	if (umount2(path, MNT_DETACH) && errno != EINVAL && errno != ENOENT)
		return error_errno("cannot unmount '%s'", path);
	if (unlink(path) && errno != ENOENT)
		return error_errno("cannot remove '%s'", path);
	return 0;
}

int netns_exists(const char *name)
{
	char path[256];

	ns_path(name, path, sizeof(path));
	return access(path, F_OK) == 0;
}

int netns_open(const char *name)
{
	char path[256];
	int fd;

	ns_path(name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int netns_enter(const char *name, int *saved)
{
	int fd = netns_open(name);

	if (fd < 0) {
		errno = -fd;
		return error_errno("cannot open network namespace '%s'", name);
	}
	*saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*saved < 0) {
		close(fd);
		return error_errno("cannot open the current network namespace");
	}
	if (setns(fd, CLONE_NEWNET)) {
		int ret = error_errno("cannot enter network namespace '%s'",
				      name);

		close(fd);
		close(*saved);
		return ret;
	}
	close(fd);
	return 0;
}

int netns_restore(int saved)
{
	int ret = 0;

	if (setns(saved, CLONE_NEWNET))
		ret = error_errno("cannot return to the original network "
				  "namespace");
	close(saved);
	return ret;
}

void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int netns_list(const char *prefix, char ***names, size_t *n)
{
	DIR *d = opendir(NETNS_RUN_DIR);
	struct dirent *e;
	size_t alloc = 0, plen = strlen(prefix);

	*names = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, plen))
			continue;
		ALLOC_GROW(*names, *n + 1, alloc);
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	return 0;
}

int netns_pids(const char *name, pid_t **pids, size_t *n)
{
	struct stat ns, st;
	char path[300];
	size_t alloc = 0;
	struct dirent *e;
	DIR *d;

	*pids = NULL;
	*n = 0;
	ns_path(name, path, sizeof(path));
	if (stat(path, &ns))
		return -errno;
	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &st) || st.st_ino != ns.st_ino ||
		    st.st_dev != ns.st_dev)
			continue;
		ALLOC_GROW(*pids, *n + 1, alloc);
		(*pids)[(*n)++] = (pid_t)pid;
	}
	closedir(d);
	return 0;
}

int netns_sysctl(const char *name, const char *key, const char *value)
{
	char path[256];
	int saved, fd, ret = 0;
	size_t len = strlen(value);

	/* /proc/sys/net resolves against the opener's namespace */
	if (netns_enter(name, &saved))
		return -1;
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, len) != (ssize_t)len)
		ret = error_errno("cannot set '%s' in namespace '%s'", path,
				  name);
	if (fd >= 0)
		close(fd);
	if (netns_restore(saved))
		ret = -1;
	return ret;
}
