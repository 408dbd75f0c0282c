// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/facts.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <jansson.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/caps.h"
#include "core/config.h"
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

uint64_t host_cpu_khz(const char *root)
{
	struct strbuf sb = STRBUF_INIT;
	char path[512];
	const char *p;
	double mhz = 0;

	path_in(root, "/proc/cpuinfo", path, sizeof(path));
	if (!strbuf_read_file(&sb, path, 1 << 22) &&
	    (p = strstr(sb.buf, "cpu MHz")) && (p = strchr(p, ':')))
		mhz = atof(p + 1);
	strbuf_release(&sb);
	return (uint64_t)(mhz * 1000);
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

/*
 * Run a one-instruction guest (hlt at address 0, real mode) and expect
 * KVM_EXIT_HLT. /dev/kvm can accept KVM_CREATE_VM and still be unable to
 * run a guest (seen in a nested VM without VT-x/AMD-V): QEMU then starts
 * and its guest never runs. In a child, so a hung KVM_RUN cannot hang us.
 */
static int kvm_runs_guest(void)
{
	struct kvm_userspace_memory_region mem = {0};
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	uint8_t *page;
	int kvm, vm, cpu;
	long size;

	alarm(2);
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0 || ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return 1;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || page == MAP_FAILED)
		return 1;
	page[0] = 0xf4; /* hlt */
	mem.memory_size = 4096;
	mem.userspace_addr = (uint64_t)(uintptr_t)page;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mem))
		return 1;
	cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (cpu < 0 || size <= 0)
		return 1;
	run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu,
		   0);
	if (run == MAP_FAILED || ioctl(cpu, KVM_GET_SREGS, &sregs))
		return 1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 2;
	if (ioctl(cpu, KVM_SET_SREGS, &sregs) || ioctl(cpu, KVM_SET_REGS, &regs))
		return 1;
	if (ioctl(cpu, KVM_RUN, 0))
		return 1;
	return run->exit_reason == KVM_EXIT_HLT ? 0 : 1;
}

int host_cpu_virt(const char *root)
{
	struct strbuf sb = STRBUF_INIT;
	char path[512];
	const char *p;
	int found = 0;

	path_in(root, "/proc/cpuinfo", path, sizeof(path));
	if (!strbuf_read_file(&sb, path, 1 << 22) &&
	    (p = strstr(sb.buf, "\nflags"))) {
		size_t len = strcspn(p + 1, "\n");
		char *line = xstrndup(p + 1, len);

		found = strstr(line, " vmx") || strstr(line, " svm");
		free(line);
	}
	strbuf_release(&sb);
	return found;
}

/*
 * KVM counts only where the CPU says it virtualizes and a guest runs:
 * a nested VM here offers /dev/kvm, runs a one-instruction guest, and
 * still fails QEMU's real guests (an MSR write aborts it).
 */
static int kvm_usable(const char *root)
{
	pid_t pid;
	int st;

	if (!host_cpu_virt(root))
		return 0;
	if (strcmp(root, "/"))
		return exists(root, "/dev/kvm");
	if (access("/dev/kvm", R_OK | W_OK))
		return 0;
	pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0)
		_exit(kvm_runs_guest());
	if (waitpid(pid, &st, 0) != pid)
		return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
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

uint32_t campaign_caps(const struct campaign *c)
{
	return c->testbed.kind == TESTBED_SSH ? ~0u : host_caps_detect("/");
}
