// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench doctor: what this host can do, and what that rules out. A
 * table of checks, each adding one or more rows of (item, state, detail);
 * the detail says what the state enables or rules out in the plan's own
 * words (data planes, vhost=on), so a refused test can be traced here.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/caps.h"
#include "core/dataplane.h"
#include "guest/image.h"
#include "host/facts.h"
#include "host/hygiene.h"
#include "host/proc.h"
#include "host/sriov.h"
#include "measure/stalls.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/time.h"

struct row {
	char *item, *state, *detail;
};

struct doctor {
	const char *sysfs;
	const char *root; /* of the host settings' /sys and /proc */
	uint32_t caps;
	struct row *rows;
	size_t n, alloc;
	/* from the guest image check, for the guest kernel check */
	struct image image;
	int image_state; /* 1 found, 0 not built, -1 cannot tell */
	int64_t stalls_ns; /* busy-waiting per CPU; 0: not watched */
};

static void say(struct doctor *d, const char *item, const char *state,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void say(struct doctor *d, const char *item, const char *state,
		const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct row *r;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(d->rows, d->n + 1, d->alloc);
	r = &d->rows[d->n++];
	r->item = xstrdup(item);
	r->state = xstrdup(state);
	r->detail = strbuf_detach(&sb, NULL);
}

/*
 * The data planes that need any of the caps in need, as "a, b and c":
 * with runnable, only those this host can run (every cap they need is
 * here); without, all of them. vm: only those with VM guests (1), with
 * container guests (0), or all (-1).
 */
static void dataplanes(const struct doctor *d, uint32_t need, bool runnable,
		       int vm, struct strbuf *out)
{
	const char *names[16];
	size_t n = 0, i;
	unsigned k;

	for (k = 0; k < dataplane_table_len && n < ARRAY_SIZE(names); k++) {
		const struct dataplane *dp = &dataplane_table[k];

		if (!(dp->needs & need) ||
		    (vm >= 0 && dataplane_vm(dp) != vm))
			continue;
		if (runnable && (dp->needs & ~d->caps))
			continue;
		names[n++] = dp->name;
	}
	for (i = 0; i < n; i++) {
		const char *sep = i + 1 < n ? ", " : " and ";

		strbuf_addf(out, "%s%s", i ? sep : "", names[i]);
	}
	if (!n)
		strbuf_addstr(out, "none");
}

/* "vfio-vf is" / "e1000-bridge and virtio-bridge are" ruled out */
static const char *is_are(const struct strbuf *list)
{
	return strstr(list->buf, ", ") || strstr(list->buf, " and ") ? "are" :
									"is";
}

static bool exists(const char *path)
{
	return !access(path, F_OK);
}

/* ---- the checks ---- */

static void check_kvm(struct doctor *d, const char *item)
{
	static const char tcg[] = "VM guests run with TCG (slower, higher RTT)";

	if (d->caps & CAP_KVM)
		say(d, item, "yes", "/dev/kvm runs guests: VM guests use KVM");
	else if (!exists("/dev/kvm"))
		say(d, item, "no", "no /dev/kvm: %s", tcg);
	else if (!host_cpu_virt("/"))
		say(d, item, "no",
		    "/dev/kvm present but no VT-x/AMD-V in the CPU flags: %s",
		    tcg);
	else
		say(d, item, "no", "/dev/kvm present but it cannot run a "
				   "guest (or is not ours to open): %s", tcg);
}

static void check_vhost(struct doctor *d, const char *item)
{
	if (d->caps & CAP_VHOST_NET)
		say(d, item, "yes", "/dev/vhost-net: tests with vhost=on can "
				    "run");
	else
		say(d, item, "no", "no /dev/vhost-net: tests with vhost=on "
				   "are refused (modprobe vhost_net)");
}

/* The first line of `qemu-system-x86_64 --version`, or "". */
static void qemu_version(char *buf, size_t len)
{
	char *argv[] = {"qemu-system-x86_64", "--version", NULL};
	struct spawn_opts so = {0};
	struct strbuf out = STRBUF_INIT;

	buf[0] = '\0';
	if (!proc_run(argv, &so, 10 * NSEC_PER_SEC, &out))
		snprintf(buf, len, "%.*s", (int)strcspn(out.buf, "\n"),
			 out.buf);
	strbuf_release(&out);
}

static void check_qemu(struct doctor *d, const char *item)
{
	struct strbuf dp = STRBUF_INIT;
	char version[256];

	if (!(d->caps & CAP_QEMU)) {
		dataplanes(d, CAP_QEMU, false, -1, &dp);
		say(d, item, "no", "no qemu-system-x86_64 in PATH: VM data "
				   "planes %s %s ruled out (apt-get install "
				   "qemu-system-x86)", dp.buf, is_are(&dp));
		goto out;
	}
	qemu_version(version, sizeof(version));
	dataplanes(d, CAP_QEMU, true, -1, &dp);
	if (!version[0])
		say(d, item, "no", "qemu-system-x86_64 --version failed: VM "
				   "guests will not start");
	else
		say(d, item, "yes", "%s: VM data planes %s", version, dp.buf);
out:
	strbuf_release(&dp);
}

static void check_iommu(struct doctor *d, const char *item)
{
	unsigned n = iommu_group_count(d->sysfs);
	struct strbuf dp = STRBUF_INIT;

	dataplanes(d, CAP_VFIO, false, -1, &dp);
	if (!n) {
		say(d, item, "no", "no IOMMU groups: %s %s ruled out (boot "
				   "with intel_iommu=on or amd_iommu=on)",
		    dp.buf, is_are(&dp));
	} else {
		say(d, item, "yes", "%u IOMMU groups: devices can be passed "
				    "through (%s)", n, dp.buf);
	}
	strbuf_release(&dp);
}

static void check_vfio(struct doctor *d, const char *item)
{
	struct strbuf dp = STRBUF_INIT;

	dataplanes(d, CAP_VFIO, false, -1, &dp);
	if (!vfio_pci_loaded(d->sysfs))
		say(d, item, "no", "driver not loaded: %s %s ruled out "
				   "(modprobe vfio-pci)", dp.buf, is_are(&dp));
	else if (!exists("/dev/vfio/vfio"))
		say(d, item, "no", "driver loaded but no /dev/vfio/vfio: %s %s "
				   "ruled out", dp.buf, is_are(&dp));
	else
		say(d, item, "yes", "driver loaded, /dev/vfio/vfio: VFs can be "
				    "bound to vfio-pci (%s)", dp.buf);
	strbuf_release(&dp);
}

/* What a PF's enabled VFs are ready for: macvtap (a netdev), or VFIO. */
static void vf_summary(struct doctor *d, const struct sriov_nic *nic,
		       struct strbuf *out)
{
	unsigned vf, netdevs = 0, vfio = 0;
	char bdf[SRIOV_BDF_LEN], name[IF_NAMESIZE], drv[64], why[256] = "";

	if (!nic->numvfs) {
		strbuf_addf(out, " (enable some: echo N > %s/class/net/%s/"
				 "device/sriov_numvfs)", d->sysfs, nic->name);
		return;
	}
	for (vf = 0; vf < nic->numvfs; vf++) {
		char w[256];

		if (sriov_vf_pci(d->sysfs, nic->name, vf, bdf, sizeof(bdf)))
			continue;
		if (!sriov_vf_netdev(d->sysfs, nic->name, vf, name,
				     sizeof(name)))
			netdevs++;
		if (pci_driver(d->sysfs, bdf, drv, sizeof(drv)) ||
		    strcmp(drv, "vfio-pci"))
			continue;
		if (!vfio_group_viable(d->sysfs, bdf, w, sizeof(w)))
			vfio++;
		else if (!why[0])
			snprintf(why, sizeof(why), "%s", w);
	}
	strbuf_addf(out, ": %u with a netdev (virtio-macvtap), %u on "
			 "vfio-pci in a viable group (vfio-vf)%s%s",
		    netdevs, vfio, why[0] ? "; " : "", why);
}

static void check_sriov(struct doctor *d, const char *item)
{
	struct strbuf dp = STRBUF_INIT, emul = STRBUF_INIT;
	struct sriov_nic *nics;
	size_t n, i;
	unsigned k;

	if (sriov_nics(d->sysfs, &nics, &n)) {
		say(d, item, "?", "cannot list the NICs in %s/class/net",
		    d->sysfs);
		return;
	}
	for (i = 0; i < n; i++) {
		strbuf_reset(&dp);
		strbuf_addf(&dp, "%s %s, %u of %u VFs enabled",
			    nics[i].pci[0] ? nics[i].pci : "?",
			    nics[i].driver[0] ? nics[i].driver : "(no driver)",
			    nics[i].numvfs, nics[i].totalvfs);
		vf_summary(d, &nics[i], &dp);
		say(d, item, nics[i].name, "%s", dp.buf);
	}
	if (!n) {
		/* the local testbed makes veth pairs stand in for VFs */
		for (k = 0; k < dataplane_table_len; k++) {
			if (dataplane_table[k].vf &&
			    !dataplane_table[k].local_refusal)
				strbuf_addf(&emul, "%s%s", emul.len ? ", " : "",
					    dataplane_table[k].name);
		}
		dataplanes(d, CAP_SRIOV, false, -1, &dp);
		say(d, item, "none", "no NIC with sriov_totalvfs > 0: %s runs "
				     "on emulated VFs, %s %s ruled out",
		    emul.buf, dp.buf, is_are(&dp));
	}
	free(nics);
	strbuf_release(&dp);
	strbuf_release(&emul);
}

/* The so_timestamping bits of one NIC, as a phrase. */
static void ts_describe(const struct ethtool_ts_info *ti, struct strbuf *out)
{
	unsigned t = ti->so_timestamping;
	bool srx = t & SOF_TIMESTAMPING_RX_SOFTWARE;
	bool stx = t & SOF_TIMESTAMPING_TX_SOFTWARE;
	bool hrx = t & SOF_TIMESTAMPING_RX_HARDWARE;
	bool htx = t & SOF_TIMESTAMPING_TX_HARDWARE;

	if (srx || stx)
		strbuf_addf(out, "software %s%s%s", srx ? "rx" : "",
			    srx && stx ? "/" : "", stx ? "tx" : "");
	else
		strbuf_addstr(out, "software: none");
	if (hrx || htx) {
		strbuf_addf(out, "; hardware %s%s%s%s", hrx ? "rx" : "",
			    hrx && htx ? "/" : "", htx ? "tx" : "",
			    t & SOF_TIMESTAMPING_RAW_HARDWARE ? " (raw)" : "");
		if (ti->phc_index >= 0)
			strbuf_addf(out, ", PTP clock /dev/ptp%d",
				    ti->phc_index);
		strbuf_addstr(out, ": probes can take hardware stamps once "
				   "the NIC stamps (SIOCSHWTSTAMP)");
	} else {
		strbuf_addstr(out, "; hardware: none");
		if (ti->phc_index >= 0)
			strbuf_addf(out, " (PTP clock /dev/ptp%d)",
				    ti->phc_index);
	}
}

static void check_timestamping(struct doctor *d, const char *item)
{
	struct strbuf sb = STRBUF_INIT;
	char dir[PATH_MAX];
	struct dirent **names;
	int fd, n, i;

	snprintf(dir, sizeof(dir), "%s/class/net", d->sysfs);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		say(d, item, "?", "cannot list '%s': %s", dir, strerror(errno));
		return;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		struct ethtool_ts_info ti = {.cmd = ETHTOOL_GET_TS_INFO};
		struct ifreq ifr;

		if (name[0] == '.' || !strcmp(name, "lo") ||
		    strlen(name) >= sizeof(ifr.ifr_name))
			continue;
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.ifr_name, name, strlen(name));
		ifr.ifr_data = (void *)&ti;
		strbuf_reset(&sb);
		if (fd < 0 || ioctl(fd, SIOCETHTOOL, &ifr))
			strbuf_addf(&sb, "cannot ask (ETHTOOL_GET_TS_INFO): %s",
				    strerror(fd < 0 || errno == ENODEV ?
						     ENODEV :
						     errno));
		else
			ts_describe(&ti, &sb);
		say(d, item, name, "%s", sb.buf);
	}
	if (fd >= 0)
		close(fd);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	strbuf_release(&sb);
}

/* Messages from image_find: the reason an image is not there. */
static char image_msg[512];

static void image_hook(const char *line)
{
	const char *p = strstr(line, "error: ");

	snprintf(image_msg, sizeof(image_msg), "%s", p ? p + 7 : line);
}

static void check_image(struct doctor *d, const char *item)
{
	struct image_opts o = {.cache = IMAGE_CACHE_DEFAULT};
	char self[PATH_MAX], guest[PATH_MAX + 32], *slash;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int ret;

	d->image_state = -1;
	if (len > 0)
		self[len] = '\0';
	if (len <= 0 || !(slash = strrchr(self, '/'))) {
		say(d, item, "?", "cannot find this iovbench binary");
		return;
	}
	/* the default of 'image build': iovbench-guest next to iovbench */
	*slash = '\0';
	snprintf(guest, sizeof(guest), "%s/iovbench-guest", self);
	if (access(guest, X_OK)) {
		say(d, item, "?", "no iovbench-guest next to iovbench in "
				  "'%s': cannot tell which image", self);
		return;
	}
	o.guest_bin = guest;
	image_msg[0] = '\0';
	error_set_hook(image_hook);
	ret = image_find(&o, &d->image);
	error_set_hook(NULL);
	if (!ret) {
		d->image_state = 1;
		say(d, item, "yes", "%s, cached in %s",
		    d->image.kernel_version, d->image.dir);
	} else if (ret == -ENOENT) {
		d->image_state = 0;
		say(d, item, "no", "not built for this iovbench-guest: "
				   "'iovbench image build' makes it (the "
				   "first build downloads Debian's kernel, "
				   "~70 MB); 'run' builds it too");
	} else {
		say(d, item, "?", "cannot tell: %s",
		    image_msg[0] ? image_msg : "image_find failed");
	}
}

/* Runs after check_image: what the image's kernel can boot on. */
static void check_guest_kernel(struct doctor *d, const char *item)
{
	uint64_t khz = host_cpu_khz("/");

	if (d->image_state <= 0) {
		say(d, item, "?", "no guest image to look at");
		return;
	}
	if (!d->image.vmlinux[0]) {
		say(d, item, "yes", "%s: bzImage for machines pc and q35; no "
				    "uncompressed vmlinux, so machine microvm "
				    "is ruled out",
		    d->image.kernel_version);
		return;
	}
	if (khz)
		say(d, item, "yes", "%s: bzImage for machines pc and q35, "
				    "vmlinux (PVH) for microvm, booted with "
				    "tsc_early_khz=%llu",
		    d->image.kernel_version, (unsigned long long)khz);
	else
		say(d, item, "yes", "%s: bzImage for machines pc and q35, "
				    "vmlinux (PVH) for microvm, but no cpu MHz "
				    "in /proc/cpuinfo for tsc_early_khz: "
				    "microvm may hang at boot",
		    d->image.kernel_version);
}

static void check_netns(struct doctor *d, const char *item)
{
	struct strbuf dp = STRBUF_INIT;

	if (!(d->caps & CAP_NETNS)) {
		dataplanes(d, CAP_NETNS, false, -1, &dp);
		say(d, item, "no", "no network namespaces: the local testbed "
				   "and data planes %s are ruled out", dp.buf);
	} else {
		dataplanes(d, CAP_NETNS, true, 0, &dp);
		say(d, item, "yes", "the local testbed (veth wire, bridges) "
				    "and container data planes %s%s",
		    dp.buf, geteuid() ? "; not root: 'run' needs root" : "");
	}
	strbuf_release(&dp);
}

/* A key's value in `sshd -T` output (lower-case keys), or NULL. */
static const char *sshd_value(const char *text, const char *key, char *buf,
			      size_t len)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ' ') {
			p += kl + 1;
			snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
			return buf;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

/*
 * This host as an ssh testbed's server: the controller opens up to 8
 * master connections (docs/testbed.md), each carrying up to MaxSessions
 * sessions, and forwards VMs' unix sockets.
 */
static void check_sshd(struct doctor *d, const char *item)
{
	char *argv[] = {"sshd", "-T", NULL};
	struct spawn_opts so = {.log = "/dev/null"};
	struct strbuf out = STRBUF_INIT;
	char sessions[32], fwd[32];
	int st = proc_run(argv, &so, 10 * NSEC_PER_SEC, &out);

	if (st == 127) {
		say(d, item, "no", "no sshd: this host cannot be a server of an "
				   "ssh testbed");
	} else if (st || !sshd_value(out.buf, "maxsessions", sessions,
				     sizeof(sessions)) ||
		   !sshd_value(out.buf, "allowstreamlocalforwarding", fwd,
			       sizeof(fwd))) {
		say(d, item, "?", "'sshd -T' failed (exit %d): its settings "
				  "for an ssh testbed are unknown (%s)",
		    st, geteuid() ? "not root" : "run it to see why");
	} else if (!strcmp(fwd, "no")) {
		say(d, item, "no", "AllowStreamLocalForwarding no: as an ssh "
				   "testbed's server, VM guests are ruled out "
				   "(their QMP and agent sockets cannot be "
				   "forwarded)");
	} else {
		say(d, item, "yes", "as an ssh testbed's server: MaxSessions "
				    "%s per connection (iovbench opens up to 8), "
				    "stream-local forwarding %s",
		    sessions, fwd);
	}
	strbuf_release(&out);
}

/*
 * The settings that move latency (core/hygiene.h), one row each: what
 * it is here and what it does; warn where `run` would warn.
 */
static void check_hygiene(struct doctor *d, const char *item)
{
	struct hygiene h;
	int k;

	(void)item;
	host_hygiene_read(d->root, &h);
	for (k = 0; k < HY_COUNT; k++) {
		const struct hygiene_value *v = &h.v[k];

		say(d, hygiene_table[k].name,
		    v->distorts ? "warn" : v->known ? "ok" : "-",
		    "%s: %s%s", v->value, hygiene_table[k].effect,
		    v->distorts ? "; `run` warns (prober.refuse_distorting: "
				  "refuses)" :
				  "");
	}
}

/* CPUs watched for stalls at most (a big server: its first ones) */
#define STALL_CPUS_MAX 8
/* The rate doctor's figures are for: the 100 kpps */
#define STALL_RATE 100000.0
/* Below this f a prober keeps 1 % late up to 90 % of its capacity */
#define STALL_LATE_OK 0.001
/* prober.late_tolerance's default (docs/config.md) */
#define LATE_TOLERANCE 0.01

/*
 * Busy-wait on each CPU in turn and say what its stalls cost a paced
 * prober (core/stalls.h): measured, so the figures move from run to run.
 */
static void check_stalls(struct doctor *d, const char *item)
{
	cpu_set_t mine;
	int cpu, watched = 0;

	/* a fake tree's host is not this one, whose CPUs this would watch */
	if (d->stalls_ns <= 0 || strcmp(d->root, "/") ||
	    strcmp(d->sysfs, "/sys"))
		return;
	if (sched_getaffinity(0, sizeof(mine), &mine)) {
		say(d, item, "-", "cannot read my CPU affinity: %s",
		    strerror(errno));
		return;
	}
	for (cpu = 0; cpu < CPU_SETSIZE && watched < STALL_CPUS_MAX; cpu++) {
		struct stall_stats s;

		if (!CPU_ISSET(cpu, &mine))
			continue;
		watched++;
		if (stalls_watch(cpu, d->stalls_ns, STALL_RATE, &s)) {
			say(d, item, "-", "CPU %d: cannot watch it", cpu);
			continue;
		}
		say(d, item, s.late_bare < STALL_LATE_OK ? "ok" : "warn",
		    "CPU %d: %.2f %% of its time lost in %.0f stalls a second "
		    "(longer than %d us; the longest %.0f us) in %.0f ms of "
		    "busy-waiting. At %.0f kpps a bare pacer would leave "
		    "f = %.2f %% of its probes later than one interval, and a "
		    "sender that catches up at its capacity C about "
		    "f C / (C - r): within prober.late_tolerance (1 %%) only "
		    "at rates up to %.0f %% of its capacity (bench/latemodel; "
		    "a quiet CPU: isolcpus, nohz_full, no other guest on it)",
		    cpu, 100 * s.share, s.per_s, STALL_MIN_NS / 1000,
		    s.longest_ns / 1e3, d->stalls_ns / 1e6, STALL_RATE / 1e3,
		    100 * s.late_bare,
		    100 * stall_busy_limit(s.late_bare, LATE_TOLERANCE));
	}
}

static const struct check {
	const char *item;
	void (*run)(struct doctor *d, const char *item);
} checks[] = {
	{"kvm", check_kvm},
	{"vhost-net", check_vhost},
	{"qemu", check_qemu},
	{"iommu", check_iommu},
	{"vfio-pci", check_vfio},
	{"sr-iov nics", check_sriov},
	{"timestamping", check_timestamping},
	{"guest image", check_image},
	{"guest kernel", check_guest_kernel}, /* after guest image */
	{"namespaces", check_netns},
	{"sshd", check_sshd},
	{"hygiene", check_hygiene},
	{"stalls", check_stalls},
};

static void print_text(const struct doctor *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		printf("%-14s %-6s %s\n", d->rows[i].item, d->rows[i].state,
		       d->rows[i].detail);
}

static int print_json(const struct doctor *d)
{
	json_t *a = json_array();
	char *text;
	size_t i;

	for (i = 0; i < d->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "item",
						   d->rows[i].item, "state",
						   d->rows[i].state, "detail",
						   d->rows[i].detail));
	text = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(a);
	if (!text)
		return error("cannot make the JSON output");
	printf("%s\n", text);
	free(text);
	return 0;
}

static int doctor_main(struct cmd_ctx *ctx)
{
	struct doctor d = {0};
	bool json = false;
	size_t i;
	int ret = EXIT_OK;
	const struct option_spec options[] = {
		OPT_STRING('s', "sysfs", &d.sysfs, "DIR",
			   "read sysfs from DIR (a fake tree)", .def = "/sys"),
		OPT_STRING('R', "root", &d.root, "DIR",
			   "read the host settings' sys/ and proc/ under DIR "
			   "(a fake tree)",
			   .def = "/"),
		OPT_FLAG('j', "json", &json,
			 "a JSON array of {item, state, detail}"),
		OPT_DURATION(0, "stalls", &d.stalls_ns, "TIME",
			     "busy-wait TIME on each CPU (up to 8) to measure "
			     "its stalls; 0: not (nor with --sysfs or --root)",
			     .def = "200ms"),
		OPT_END(),
	};

	cmd_parse(ctx, options);
	d.caps = host_caps_detect("/");
	/*
	 * host_caps_detect() reads /sys; with --sysfs, VFIO and SR-IOV come
	 * from the tree given, as every sysfs line of the report does.
	 */
	if (strcmp(d.sysfs, "/sys")) {
		struct sriov_nic *nics;
		size_t n = 0;

		d.caps &= ~(uint32_t)(CAP_VFIO | CAP_SRIOV);
		if (exists("/dev/vfio/vfio") && iommu_group_count(d.sysfs))
			d.caps |= CAP_VFIO;
		if (!sriov_nics(d.sysfs, &nics, &n)) {
			if (n)
				d.caps |= CAP_SRIOV;
			free(nics);
		}
	}
	for (i = 0; i < ARRAY_SIZE(checks); i++)
		checks[i].run(&d, checks[i].item);
	if (json) {
		if (print_json(&d))
			ret = EXIT_FAIL;
	} else {
		print_text(&d);
	}
	for (i = 0; i < d.n; i++) {
		free(d.rows[i].item);
		free(d.rows[i].state);
		free(d.rows[i].detail);
	}
	free(d.rows);
	return ret;
}

const struct command cmd_doctor = {
	.name = "doctor",
	.summary = "what this host can do, and what it rules out",
	.fn = doctor_main,
	.usage = "iovbench doctor [--sysfs DIR] [--root DIR] [--stalls TIME] "
		 "[--json]",
	.doc = "Say what this host offers (KVM, vhost-net, QEMU, IOMMU, "
	       "vfio-pci,\n"
	       "SR-IOV NICs, timestamping, the guest image, network "
	       "namespaces),\n"
	       "one line per item: its state, and which data planes and "
	       "factor\n"
	       "values it enables or rules out. Then the settings that move "
	       "latency\n"
	       "(governor, turbo, C-states, SMT, bridge netfilter, RPS, busy "
	       "polling):\n"
	       "their value, what each does to latency, and \"warn\" where "
	       "`run`\n"
	       "warns. Last, the stalls of each CPU (up to 8), measured by "
	       "busy-waiting\n"
	       "--stalls TIME on it, and the share of a paced prober's "
	       "capacity they\n"
	       "leave usable within prober.late_tolerance. Changes nothing, "
	       "downloads\n"
	       "nothing.\n",
	.footer = "See docs/vm-guests.md.\n",
};
