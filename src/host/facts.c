// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/facts.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/caps.h"
#include "iov_config.h"
#include "util/alloc.h"
#include "util/strbuf.h"

static void path_in(const char *root, const char *rel, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", strcmp(root, "/") ? root : "", rel);
}

/* First line of a file, trimmed, or NULL. */
static char *read_line(const char *root, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	char path[512];

	path_in(root, rel, path, sizeof(path));
	if (strbuf_read_file(&sb, path, 1 << 20)) {
		strbuf_release(&sb);
		return NULL;
	}
	sb.buf[strcspn(sb.buf, "\n")] = '\0';
	return strbuf_detach(&sb, NULL);
}

/* "model name : AMD EPYC" from /proc/cpuinfo. */
static char *cpu_model(const char *root)
{
	struct strbuf sb = STRBUF_INIT;
	char path[512], *line, *model = NULL;

	path_in(root, "/proc/cpuinfo", path, sizeof(path));
	if (strbuf_read_file(&sb, path, 1 << 22))
		goto out;
	for (line = strtok(sb.buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		model = xstrdup(colon + 1 + (colon[1] == ' '));
		break;
	}
out:
	strbuf_release(&sb);
	return model;
}

char *host_facts_json(const char *root)
{
	json_t *o = json_object();
	struct utsname u;
	char *s, *text;

	if (!uname(&u)) {
		json_object_set_new(o, "hostname", json_string(u.nodename));
		json_object_set_new(o, "kernel", json_string(u.release));
		json_object_set_new(o, "machine", json_string(u.machine));
	}
	if ((s = cpu_model(root))) {
		json_object_set_new(o, "cpu", json_string(s));
		free(s);
	}
	json_object_set_new(o, "cpus", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	s = read_line(root, "/sys/devices/system/clocksource/clocksource0/"
			    "current_clocksource");
	if (s) {
		json_object_set_new(o, "clocksource", json_string(s));
		free(s);
	}
	json_object_set_new(o, "iovbench", json_string(IOV_VERSION));
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text ? text : xstrdup("{}");
}

static int exists(const char *root, const char *rel)
{
	char path[512];

	path_in(root, rel, path, sizeof(path));
	return access(path, F_OK) == 0;
}

/* /dev/kvm may exist and still refuse VMs (no VT-x/AMD-V exposed). */
static int kvm_usable(const char *root)
{
	char path[512];
	int fd, vm;

	if (strcmp(root, "/"))
		return exists(root, "/dev/kvm");
	path_in(root, "/dev/kvm", path, sizeof(path));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	vm = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION ?
		     ioctl(fd, KVM_CREATE_VM, 0) :
		     -1;
	if (vm >= 0)
		close(vm);
	close(fd);
	return vm >= 0;
}

static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[1024];

	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, prog);
		if (!access(buf, X_OK))
			return 1;
		path += len + (path[len] == ':');
	}
	return 0;
}

static int sriov_nic(const char *root)
{
	char dir[512];
	struct dirent *e;
	DIR *d;
	int found = 0;

	path_in(root, "/sys/class/net", dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		char rel[600];
		char *v;

		if (e->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/device/"
					   "sriov_totalvfs",
			 e->d_name);
		v = read_line(root, rel);
		found = v && atoi(v) > 0;
		free(v);
	}
	closedir(d);
	return found;
}

static int iommu_groups(const char *root)
{
	char dir[512];
	struct dirent *e;
	DIR *d;
	int n = 0;

	path_in(root, "/sys/kernel/iommu_groups", dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

uint32_t host_caps_detect(const char *root)
{
	uint32_t caps = 0;

	if (exists(root, "/proc/self/ns/net"))
		caps |= CAP_NETNS;
	if (in_path("qemu-system-x86_64"))
		caps |= CAP_QEMU;
	if (kvm_usable(root))
		caps |= CAP_KVM;
	if (exists(root, "/dev/vhost-net"))
		caps |= CAP_VHOST_NET;
	if (exists(root, "/dev/vfio/vfio") && iommu_groups(root) > 0)
		caps |= CAP_VFIO;
	if (sriov_nic(root))
		caps |= CAP_SRIOV;
	return caps;
}
