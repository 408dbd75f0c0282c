// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest image builder: the inputs (Debian's kernel package or the
 * user's bzImage, busybox-static, the guest binary), their hash, and the
 * image assembled in a temporary directory renamed into the cache.
 */
#include "guest/image.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/cpio.h"
#include "core/elf.h"
#include "guest/image_io.h"
#include "guest/image_progs.h"
#include "guest/kmod.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/time.h"

/* Part of the id: bump it when the layout of an image changes */
#define IMAGE_FORMAT "iovbench-image-2"
#define KERNEL_META "linux-image-amd64"

/*
 * The guest's NICs, virtio-console for the agent's port, bonding for
 * guests whose NICs are bonded (loaded only then: docs/vm-guests.md),
 * and vfio-pci for the testpmd reflector on a passed-through VF (bound
 * in VFIO's no-IOMMU mode: measure/testpmd.c)
 */
static const char *const wanted_modules[] = {
	"e1000", "virtio_net", "virtio_pci", "virtio_mmio", "virtio_console",
	"bonding", "vfio-pci",
};

/*
 * /init, busybox sh as PID 1. If PID 1 exits the kernel panics, so every
 * failure ends in a shell on the console, after saying what failed.
 */
static const char init_script[] =
	"#!/bin/sh\n"
	"# /init of an iovbench guest image; see docs/guest-image.md\n"
	"export PATH=/sbin:/bin:/usr/sbin:/usr/bin\n"
	"say() { echo \"iovbench-init: $*\"; }\n"
	"rescue() {\n"
	"\techo \"iovbench-init: error: $*\"\n"
	"\techo \"iovbench-init: keeping a shell on the console\"\n"
	"\twhile :; do setsid cttyhack sh; sleep 1; done\n"
	"}\n"
	"say \"starting on Linux $(uname -r)\"\n"
	"mount -t proc proc /proc || rescue \"cannot mount /proc\"\n"
	"mount -t sysfs sysfs /sys || rescue \"cannot mount /sys\"\n"
	"mount -t devtmpfs devtmpfs /dev || rescue \"cannot mount /dev\"\n"
	/* the initramfs' root is world-writable: DPDK's EAL refuses to
	 * load drivers from under it */
	"chmod 755 /\n"
	"mods=$(cat /lib/modules/load)\n"
	"bond= nics=1\n"
	"for w in $(cat /proc/cmdline); do\n"
	"\tcase $w in\n"
	"\tiovbench.bond=*) bond=${w#*=} ;;\n"
	"\tiovbench.nics=*) nics=${w#*=} ;;\n"
	"\tesac\n"
	"done\n"
	"for m in $mods; do\n"
	/* bonding makes a bond0 when loaded: only for a bonded guest */
	"\tcase $m in bonding|tls) [ -n \"$bond\" ] || continue ;; esac\n"
	/* module.param=value words of the command line are modprobe's
	 * to apply, not the kernel's: busybox insmod needs them given
	 * (microvm lists its virtio-mmio devices as virtio_mmio.device=) */
	"\targs=\n"
	"\tfor w in $(cat /proc/cmdline); do\n"
	"\t\tcase \"$w\" in \"$m\".*) args=\"$args ${w#$m.}\";; esac\n"
	"\tdone\n"
	"\tinsmod /lib/modules/$m.ko $args || rescue \"cannot load module $m\"\n"
	"done\n"
	"say \"modules loaded: $(echo ${mods:-none})\"\n"
	"ip link set dev lo up || rescue \"cannot bring lo up\"\n"
	"addr= mtu= qdisc=\n"
	"for w in $(cat /proc/cmdline); do\n"
	"\tcase $w in\n"
	"\tiovbench.ip=*) addr=${w#*=} ;;\n"
	"\tiovbench.mtu=*) mtu=${w#*=} ;;\n"
	"\tiovbench.qdisc=*) qdisc=${w#*=} ;;\n"
	"\tesac\n"
	"done\n"
	/*
	 * A NIC comes up with the guest kernel's default root qdisc
	 * (fq_codel in Debian's), a queue in every probe's path that the
	 * host's links do not have: noqueue, as the testbed sets its own
	 * links (iovbench.qdisc=keep: guests.main.keep_qdisc leaves it)
	 */
	"noq() {\n"
	"\t[ \"$qdisc\" = keep ] || /bin/iovbench-guest noqueue \"$@\"\n"
	"}\n"
	"[ -n \"$addr\" ] ||\n"
	"\trescue \"no iovbench.ip=ADDR/PLEN on the kernel command line\"\n"
	"i=0\n"
	"while [ ! -e /sys/class/net/eth0 ]; do\n"
	"\ti=$((i + 1))\n"
	"\t[ $i -le 100 ] ||\n"
	"\t\trescue \"no eth0 in 10 s; links: $(echo $(ls /sys/class/net))\"\n"
	"\tusleep 100000\n"
	"done\n"
	"# no IPv6 chatter (router solicitations, DAD, MLD) on the wire\n"
	"if [ -d /proc/sys/net/ipv6 ]; then\n"
	"\tfor c in all default eth0; do\n"
	"\t\techo 1 >/proc/sys/net/ipv6/conf/$c/disable_ipv6 ||\n"
	"\t\t\trescue \"cannot disable IPv6 on $c\"\n"
	"\tdone\n"
	"fi\n"
	"if [ -n \"$mtu\" ]; then\n"
	"\tip link set dev eth0 mtu \"$mtu\" || rescue \"bad mtu $mtu\"\n"
	"fi\n"
	/* NICs after eth0: their own address, or slaves of bond0 */
	/*
	 * Several NICs on one wire, each its own subnet: without these a
	 * guest answers ARP for every address on every NIC, and which NIC
	 * the probes reach is whichever answered first (ARP flux)
	 */
	"if [ $nics -gt 1 ] && [ -z \"$bond\" ]; then\n"
	"\tfor c in all default; do\n"
	"\t\techo 1 >/proc/sys/net/ipv4/conf/$c/arp_ignore\n"
	"\t\techo 2 >/proc/sys/net/ipv4/conf/$c/arp_announce\n"
	"\tdone\n"
	"fi\n"
	"k=1\n"
	"while [ $k -lt $nics ]; do\n"
	"\ti=0\n"
	"\twhile [ ! -e /sys/class/net/eth$k ]; do\n"
	"\t\ti=$((i + 1))\n"
	"\t\t[ $i -le 100 ] || rescue \"no eth$k in 10 s\"\n"
	"\t\tusleep 100000\n"
	"\tdone\n"
	"\t[ -d /proc/sys/net/ipv6 ] &&\n"
	"\t\techo 1 >/proc/sys/net/ipv6/conf/eth$k/disable_ipv6\n"
	"\t[ -z \"$mtu\" ] || ip link set dev eth$k mtu \"$mtu\" ||\n"
	"\t\trescue \"bad mtu $mtu on eth$k\"\n"
	"\tif [ -z \"$bond\" ]; then\n"
	"\t\ta=$(for w in $(cat /proc/cmdline); do\n"
	"\t\t\tcase $w in iovbench.ip$k=*) echo ${w#*=} ;; esac; done)\n"
	"\t\t[ -n \"$a\" ] || rescue \"no iovbench.ip$k= for eth$k\"\n"
	"\t\tip addr add \"$a\" dev eth$k || rescue \"cannot add $a\"\n"
	"\t\tip link set dev eth$k up || rescue \"cannot bring eth$k up\"\n"
	"\t\tsay \"eth$k $(cat /sys/class/net/eth$k/address) $a\"\n"
	"\tfi\n"
	"\tk=$((k + 1))\n"
	"done\n"
	"dev=eth0\n"
	"if [ -n \"$bond\" ]; then\n"
	/* miimon 10 ms: the bond notices a lost carrier within 10 ms;
	 * eth0 is primary, so a link-up of it switches back */
	"\tb=/sys/class/net/bond0/bonding\n"
	"\t[ -d $b ] || rescue \"no bond0 (bonding not loaded?)\"\n"
	"\techo \"$bond\" >$b/mode || rescue \"bad bond mode $bond\"\n"
	"\techo 10 >$b/miimon || rescue \"cannot set miimon\"\n"
	/* 3 gratuitous ARPs after a switch, 10 ms apart: one lost leaves
	 * the switches' tables pointing at the idle NIC */
	"\techo 3 >$b/num_grat_arp\n"
	"\tk=0\n"
	"\twhile [ $k -lt $nics ]; do\n"
	"\t\tip link set dev eth$k down\n"
	"\t\techo +eth$k >$b/slaves || rescue \"cannot enslave eth$k\"\n"
	"\t\tk=$((k + 1))\n"
	"\tdone\n"
	"\techo eth0 >$b/primary || rescue \"cannot make eth0 primary\"\n"
	"\t[ -d /proc/sys/net/ipv6 ] &&\n"
	"\t\techo 1 >/proc/sys/net/ipv6/conf/bond0/disable_ipv6\n"
	"\t[ -z \"$mtu\" ] || ip link set dev bond0 mtu \"$mtu\"\n"
	"\tdev=bond0\n"
	"\tsay \"bond0 ($bond) over $(cat $b/slaves)\"\n"
	"fi\n"
	"ip addr add \"$addr\" dev $dev || rescue \"cannot add $addr\"\n"
	"ip link set dev $dev up || rescue \"cannot bring $dev up\"\n"
	/* bond0 itself has no queue (IFF_NO_QUEUE): its slaves do */
	"k=0\n"
	"while [ $k -lt $nics ]; do\n"
	"\tnoq eth$k || rescue \"cannot make the qdisc of eth$k noqueue\"\n"
	"\tk=$((k + 1))\n"
	"done\n"
	"say \"root qdisc of the NICs: ${qdisc:-noqueue}\"\n"
	"drv=$(readlink /sys/class/net/eth0/device/driver)\n"
	"say \"eth0 (${drv##*/}) $(cat /sys/class/net/eth0/address)\" \\\n"
	"\t\"$(ip -o -4 addr show dev eth0 | awk '{print $4}')\" \\\n"
	"\t\"mtu $(cat /sys/class/net/eth0/mtu)\"\n"
	/*
	 * A NIC after eth0 that is unplugged and plugged back (QMP
	 * device_del, device_add: events in a run) comes back as a new
	 * ethK: configured again like at boot, within 200 ms. Reading its
	 * ifindex is a shell builtin; the sleep is the loop's only fork.
	 */
	"if [ $nics -gt 1 ]; then (\n"
	"\tk=1; while [ $k -lt $nics ]; do\n"
	"\t\tread i </sys/class/net/eth$k/ifindex; eval idx$k=$i\n"
	"\t\tk=$((k + 1)); done\n"
	"\twhile usleep 200000; do\n"
	"\t\tk=1; while [ $k -lt $nics ]; do\n"
	"\t\t\ti=; [ -e /sys/class/net/eth$k ] &&\n"
	"\t\t\t\tread i </sys/class/net/eth$k/ifindex\n"
	"\t\t\teval o=\\$idx$k\n"
	"\t\t\tif [ -n \"$i\" ] && [ \"$i\" != \"$o\" ]; then\n"
	"\t\t\t\teval idx$k=$i\n"
	"\t\t\t\t[ -d /proc/sys/net/ipv6 ] && echo 1 \\\n"
	"\t\t\t\t\t>/proc/sys/net/ipv6/conf/eth$k/disable_ipv6\n"
	"\t\t\t\t[ -z \"$mtu\" ] || ip link set dev eth$k mtu $mtu\n"
	"\t\t\t\tif [ -n \"$bond\" ]; then\n"
	"\t\t\t\t\tip link set dev eth$k down\n"
	"\t\t\t\t\techo +eth$k >$b/slaves\n"
	"\t\t\t\telse\n"
	"\t\t\t\t\ta=$(for w in $(cat /proc/cmdline); do case $w in \\\n"
	"\t\t\t\t\t\tiovbench.ip$k=*) echo ${w#*=};; esac; done)\n"
	"\t\t\t\t\tip addr add \"$a\" dev eth$k\n"
	"\t\t\t\t\tip link set dev eth$k up\n"
	"\t\t\t\tfi\n"
	"\t\t\t\tnoq eth$k\n"
	"\t\t\t\tsay \"eth$k plugged back\"\n"
	"\t\t\tfi\n"
	"\t\t\tk=$((k + 1))\n"
	"\t\tdone\n"
	"\tdone ) &\n"
	"fi\n"
	"say ready\n"
	"/bin/iovbench-guest agent\n"
	"rescue \"iovbench-guest agent exited with status $?\"\n";

struct build {
	const struct image_opts *o;
	const char *cache;
	struct deb kdeb; /* Debian's kernel package, without o->kernel */
	char busybox[PATH_MAX];
	struct strbuf kernel, bb, guest;
	struct kmod_set mods;
	struct image_progs progs; /* iperf3 and its libraries */
	char version[64];
	char tmp[PATH_MAX]; /* the image being built */
};

/* FNV-1a, 64 bits: a cache key, not a defence against forgery */
static void hash_add(uint64_t *h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--) {
		*h ^= *p++;
		*h *= 0x100000001b3ULL;
	}
}

/* Label and length first, so that different inputs cannot run together */
static void hash_item(uint64_t *h, const char *label, const void *data,
		      size_t len)
{
	uint64_t n = len;

	hash_add(h, label, strlen(label) + 1);
	hash_add(h, &n, sizeof(n));
	hash_add(h, data, len);
}

static int check_static(const char *what, const char *path,
			const struct strbuf *f, const char *hint)
{
	int type = elf_type(f->buf, f->len);

	if (type != ET_EXEC && type != ET_DYN)
		return error("%s '%s' is not an x86-64 executable", what, path);
	if (elf_has_interp(f->buf, f->len))
		return error("%s '%s' is dynamically linked, but the image has "
			     "no libraries: %s", what, path, hint);
	return 0;
}

/*
 * busybox-static: /bin/busybox when installed; otherwise the package,
 * downloaded and kept unpacked in cache/downloads/ (unless !fetch).
 */
static int find_busybox(struct build *b, bool fetch)
{
	char deb[PATH_MAX], dir[PATH_MAX];
	struct deb d;

	snprintf(b->busybox, sizeof(b->busybox), "/bin/busybox");
	if (!access(b->busybox, F_OK))
		return 0;
	if (image_apt_resolve(b->cache, "busybox-static", false, &d))
		return -1;
	/* named after the package file: a new version unpacks anew */
	if (image_path(dir, sizeof(dir), "%s/downloads/%.*s", b->cache,
		       (int)(strlen(d.file) - strlen(".deb")), d.file) ||
	    image_path(b->busybox, sizeof(b->busybox), "%s/bin/busybox", dir))
		return -1;
	if (!access(b->busybox, F_OK))
		return 0;
	if (!fetch)
		return error("busybox is neither installed nor downloaded");
	image_say("no /bin/busybox (package busybox-static): fetching it");
	image_rm_rf(dir);
	if (image_apt_fetch(b->cache, &d, deb) ||
	    image_run(NULL, "dpkg-deb", "-x", deb, dir, NULL))
		return -1;
	return 0;
}

/* "6.1.0-56-amd64" from a bzImage's setup header (boot protocol 2.0+) */
static int bzimage_version(const struct strbuf *k, char *out, size_t len)
{
	const unsigned char *p = (const void *)k->buf;
	size_t off;

	if (k->len < 0x210 || memcmp(p + 0x202, "HdrS", 4))
		return -1;
	off = 0x200 + (p[0x20e] | (size_t)p[0x20f] << 8);
	if (off == 0x200 || off >= k->len)
		return -1;
	/* "6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP ..." */
	snprintf(out, len, "%.*s",
		 (int)strcspn(k->buf + off, " \n"), k->buf + off);
	return *out ? 0 : -1;
}

/*
 * The uncompressed vmlinux, found the way scripts/extract-vmlinux does:
 * try each XZ magic in the bzImage until one decompresses to an ELF.
 * --single-stream ignores what follows the stream.
 */
static int extract_vmlinux(struct build *b, const char *bz, const char *dst)
{
	static const char magic[] = "\xfd" "7zXZ";
	const char *p = b->kernel.buf, *end = p + b->kernel.len;
	struct strbuf elf = STRBUF_INIT;
	char off[32];
	int ret = -1;

	if (image_run(NULL, "xz", "--version", NULL)) {
		warning("no vmlinux without xz (package xz-utils): machine "
			"microvm cannot boot this image");
		return -1;
	}
	while ((p = memmem(p, (size_t)(end - p), magic, sizeof(magic)))) {
		snprintf(off, sizeof(off), "+%td", p - b->kernel.buf + 1);
		strbuf_reset(&elf);
		/* a false magic is no error: the ELF check tells */
		if (!image_run(&elf, "sh", "-c",
			       "tail -c \"$1\" \"$2\" | "
			       "xz -dc --single-stream 2>/dev/null; exit 0",
			       "sh", off, bz, NULL) &&
		    elf_type(elf.buf, elf.len) == ET_EXEC)
			break;
		p++;
	}
	if (!p)
		warning("found no XZ-compressed ELF kernel in '%s': no "
			"vmlinux, machine microvm cannot boot this image", bz);
	else if (!elf_has_pvh_note(elf.buf, elf.len))
		warning("the vmlinux has no PVH entry note (CONFIG_PVH): "
			"machine microvm cannot boot it");
	else
		ret = image_write_file(dst, elf.buf, elf.len);
	strbuf_release(&elf);
	return ret;
}

/*
 * What the image is made of, and its id, without building anything.
 * Debian's package counts by file name and size (no need to fetch 70 MB
 * to know the image is built); user files count by their bytes.
 */
static int prepare(struct build *b, struct image *out, bool fetch)
{
	const struct image_opts *o = b->o;
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV offset basis */
	size_t i;

	if (!o->guest_bin)
		return error("no guest binary given");
	if (o->modules && !o->kernel)
		return error("a modules directory goes with a kernel of one's "
			     "own (--kernel)");
	hash_item(&h, "format", IMAGE_FORMAT, strlen(IMAGE_FORMAT));
	hash_item(&h, "init", init_script, strlen(init_script));
	for (i = 0; i < ARRAY_SIZE(wanted_modules); i++)
		hash_item(&h, "want", wanted_modules[i],
			  strlen(wanted_modules[i]));
	if (o->kernel) {
		if (image_read_file(o->kernel, &b->kernel))
			return -1;
		if (bzimage_version(&b->kernel, b->version, sizeof(b->version)))
			return error("'%s' is not a bzImage (no boot protocol "
				     "header with a version)", o->kernel);
		hash_item(&h, "kernel", b->kernel.buf, b->kernel.len);
	} else {
		if (image_apt_resolve(b->cache, KERNEL_META, true, &b->kdeb))
			return -1;
		if (strncmp(b->kdeb.pkg, "linux-image-", 12))
			return error("'%s' depends on '%s', not on a kernel",
				     KERNEL_META, b->kdeb.pkg);
		snprintf(b->version, sizeof(b->version), "%s",
			 b->kdeb.pkg + strlen("linux-image-"));
		hash_item(&h, "kernel-deb", b->kdeb.file, strlen(b->kdeb.file));
		hash_item(&h, "kernel-deb-size", &b->kdeb.size,
			  sizeof(b->kdeb.size));
	}
	if (o->modules) {
		size_t n = strlen(o->modules);
		const char *base;

		while (n > 1 && o->modules[n - 1] == '/')
			n--;
		for (base = o->modules + n; base > o->modules; base--) {
			if (base[-1] == '/')
				break;
		}
		if ((size_t)(o->modules + n - base) != strlen(b->version) ||
		    strncmp(base, b->version, strlen(b->version)))
			warning("modules '%s' are not named after the kernel's "
				"version %s: insmod may refuse them",
				o->modules, b->version);
		if (kmod_resolve(o->modules, wanted_modules,
				 ARRAY_SIZE(wanted_modules), &b->mods))
			return -1;
		for (i = 0; i < b->mods.n; i++)
			hash_item(&h, b->mods.v[i].name, b->mods.v[i].data.buf,
				  b->mods.v[i].data.len);
	}
	if (find_busybox(b, fetch) || image_read_file(b->busybox, &b->bb) ||
	    check_static("busybox", b->busybox, &b->bb,
			 "install busybox-static, not busybox"))
		return -1;
	hash_item(&h, "busybox", b->bb.buf, b->bb.len);
	if (image_read_file(o->guest_bin, &b->guest) ||
	    check_static("guest binary", o->guest_bin, &b->guest,
			 "sanitizer builds make one; use build/iovbench-guest "
			 "of a plain build"))
		return -1;
	hash_item(&h, "guest", b->guest.buf, b->guest.len);
	if (image_progs_resolve("", o->sets, &b->progs))
		return -1;
	for (i = 0; i < b->progs.n; i++)
		hash_item(&h, b->progs.v[i].path, b->progs.v[i].data.buf,
			  b->progs.v[i].data.len);
	hash_item(&h, "missing", b->progs.missing.buf, b->progs.missing.len);

	memset(out, 0, sizeof(*out));
	snprintf(out->id, sizeof(out->id), "%016" PRIx64, h);
	snprintf(out->kernel_version, sizeof(out->kernel_version), "%s",
		 b->version);
	if (image_path(out->dir, sizeof(out->dir), "%s/%s", b->cache,
		       out->id) ||
	    image_path(out->kernel, sizeof(out->kernel), "%s/bzImage",
		       out->dir) ||
	    image_path(out->vmlinux, sizeof(out->vmlinux), "%s/vmlinux",
		       out->dir) ||
	    image_path(out->initrd, sizeof(out->initrd), "%s/initrd.cpio",
		       out->dir))
		return -1;
	return 0;
}

/* The initramfs: busybox and its applet links, modules, /init, guest */
static int make_initrd(struct build *b, const char *path, size_t *size)
{
	static const char *const dirs[] = {
		"bin", "dev", "etc", "lib", "lib/modules", "proc", "root",
		"run", "sbin", "sys", "tmp", "usr", "usr/bin", "usr/sbin",
		/* DPDK's EAL keeps its runtime files in /var/run/dpdk */
		"var", "var/run",
	};
	struct strbuf img = STRBUF_INIT, list = STRBUF_INIT;
	char name[PATH_MAX], *line, *save;
	struct cpio c;
	size_t i;
	int err = 0, ret;

	/* the applets this busybox has, where it would install them */
	if (image_run(&list, b->busybox, "--list-full", NULL))
		return -1;
	cpio_init(&c, &img);
	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		err |= cpio_add_dir(&c, dirs[i], strcmp(dirs[i], "tmp") ?
							  0755 : 01777);
	/* the kernel opens /dev/console for /init's stdio before devtmpfs */
	err |= cpio_add_chardev(&c, "dev/console", 0600, 5, 1);
	err |= cpio_add_file(&c, "bin/busybox", 0755, b->bb.buf, b->bb.len);
	for (line = strtok_r(list.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strcmp(line, "bin/busybox"))
			err |= cpio_add_symlink(&c, line, "/bin/busybox");
	}
	err |= cpio_add_file(&c, "bin/iovbench-guest", 0755, b->guest.buf,
			     b->guest.len);
	err |= cpio_add_file(&c, "init", 0755, init_script,
			     strlen(init_script));
	err |= image_progs_add(&b->progs, &c);
	strbuf_reset(&list);
	for (i = 0; i < b->mods.n; i++) {
		snprintf(name, sizeof(name), "lib/modules/%s.ko",
			 b->mods.v[i].name);
		err |= cpio_add_file(&c, name, 0644, b->mods.v[i].data.buf,
				     b->mods.v[i].data.len);
		strbuf_addf(&list, "%s\n", b->mods.v[i].name);
	}
	/* the load order for /init: dependencies first */
	err |= cpio_add_file(&c, "lib/modules/load", 0644, list.buf, list.len);
	cpio_finish(&c);
	ret = err ? error("cannot add a file to the initramfs (name, size)") :
		    image_write_file(path, img.buf, img.len);
	*size = img.len;
	strbuf_release(&img);
	strbuf_release(&list);
	return ret;
}

/* Size of a file of the image being built; -1: none */
static long long file_size(struct build *b, const char *name)
{
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", b->tmp, name);
	return stat(path, &st) ? -1 : (long long)st.st_size;
}

/* For people: what went in, from where, how big */
static int write_manifest(struct build *b, const struct image *im)
{
	struct strbuf m = STRBUF_INIT;
	char when[32], path[PATH_MAX + 16];
	time_t now = time(NULL);
	size_t i;
	int ret;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	strbuf_addf(&m, "# iovbench guest image, see docs/guest-image.md\n"
			"id %s\nbuilt %s\nkernel_version %s\n",
		    im->id, when, b->version);
	if (b->o->kernel)
		strbuf_addf(&m, "kernel_from %s\n", b->o->kernel);
	else
		strbuf_addf(&m, "kernel_from %s (%" PRIu64 " bytes) %s\n",
			    b->kdeb.file, b->kdeb.size, b->kdeb.url);
	strbuf_addf(&m, "modules_from %s\n",
		    b->o->kernel && !b->o->modules ? "none (built in)" :
		    b->o->modules ? b->o->modules : b->kdeb.file);
	strbuf_addf(&m, "busybox %s %zu\nguest_bin %s %zu\n", b->busybox,
		    b->bb.len, b->o->guest_bin, b->guest.len);
	for (i = 0; i < b->mods.n; i++)
		strbuf_addf(&m, "module %s %zu\n", b->mods.v[i].name,
			    b->mods.v[i].data.len);
	for (i = 0; i < b->progs.n; i++)
		strbuf_addf(&m, "%s %s %zu %s\n",
			    b->progs.v[i].prog ? "program" : "library",
			    b->progs.v[i].path, b->progs.v[i].data.len,
			    b->progs.v[i].from);
	if (b->progs.missing.len)
		strbuf_addf(&m, "missing %s\n", b->progs.missing.buf);
	strbuf_addf(&m, "bzImage %lld\nvmlinux %lld\ninitrd.cpio %lld\n",
		    file_size(b, "bzImage"), file_size(b, "vmlinux"),
		    file_size(b, "initrd.cpio"));
	snprintf(path, sizeof(path), "%s/manifest", b->tmp);
	ret = image_write_file(path, m.buf, m.len);
	strbuf_release(&m);
	return ret;
}

/* Debian's kernel package: downloaded once, unpacked for this build */
static int debian_kernel(struct build *b, char *moddir, size_t len)
{
	char deb[PATH_MAX], dir[PATH_MAX + 16], bz[PATH_MAX + 128];

	if (image_apt_fetch(b->cache, &b->kdeb, deb))
		return -1;
	snprintf(dir, sizeof(dir), "%s/unpack", b->tmp);
	image_say("unpacking %s", deb);
	if (image_run(NULL, "dpkg-deb", "-x", deb, dir, NULL))
		return -1;
	if (image_path(bz, sizeof(bz), "%s/boot/vmlinuz-%s", dir,
		       b->version) ||
	    image_path(moddir, len, "%s/lib/modules/%s", dir, b->version) ||
	    image_read_file(bz, &b->kernel))
		return -1;
	return kmod_resolve(moddir, wanted_modules, ARRAY_SIZE(wanted_modules),
			    &b->mods);
}

/* Everything into b->tmp, which becomes the image's directory */
static int assemble(struct build *b)
{
	char path[PATH_MAX + 16], bz[PATH_MAX + 16], moddir[PATH_MAX];
	size_t initrd_size, i;
	int64_t t0 = now_mono();

	if (!b->o->kernel && debian_kernel(b, moddir, sizeof(moddir)))
		return -1;
	if (b->o->kernel && !b->o->modules)
		image_say("no modules directory: assuming '%s' has e1000, "
			  "virtio_net, virtio_pci, virtio_mmio and "
			  "virtio_console built in", b->o->kernel);
	snprintf(bz, sizeof(bz), "%s/bzImage", b->tmp);
	if (image_write_file(bz, b->kernel.buf, b->kernel.len))
		return -1;
	snprintf(path, sizeof(path), "%s/vmlinux", b->tmp);
	extract_vmlinux(b, bz, path); /* none: no microvm, said why */
	snprintf(path, sizeof(path), "%s/initrd.cpio", b->tmp);
	if (make_initrd(b, path, &initrd_size))
		return -1;
	if (!b->o->kernel) {
		snprintf(path, sizeof(path), "%s/unpack", b->tmp);
		image_rm_rf(path);
	}
	if (b->mods.n) {
		struct strbuf names = STRBUF_INIT;

		for (i = 0; i < b->mods.n; i++)
			strbuf_addf(&names, " %s", b->mods.v[i].name);
		image_say("modules:%s", names.buf);
		strbuf_release(&names);
	}
	for (i = 0; i < b->progs.n; i++) {
		if (b->progs.v[i].prog)
			image_say("program %s (%s) with its libraries",
				  b->progs.v[i].prog, b->progs.v[i].path);
	}
	if (b->progs.missing.len)
		image_say("not on this host, so not in the image: %s; "
			  "throughput tests in VMs need it",
			  b->progs.missing.buf);
	image_say("assembled in %.1f s (initramfs %.1f MB)",
		  (now_mono() - t0) / 1e9, initrd_size / 1e6);
	return 0;
}

/*
 * tmp -> dir, atomically: readers see a whole image or none. A directory
 * already there is another build's (same inputs, same bytes) unless
 * force asked to replace it.
 */
static int install(struct build *b, const struct image *im)
{
	char old[PATH_MAX + 32];

	if (!rename(b->tmp, im->dir))
		return 0;
	if (errno != EEXIST && errno != ENOTEMPTY)
		return error_errno("cannot move '%s' to '%s'", b->tmp, im->dir);
	if (!b->o->force) {
		image_rm_rf(b->tmp);
		return 0;
	}
	snprintf(old, sizeof(old), "%s/.tmp-%d-old", b->cache, (int)getpid());
	if (rename(im->dir, old) || rename(b->tmp, im->dir))
		return error_errno("cannot replace '%s'", im->dir);
	image_rm_rf(old);
	return 0;
}

static void build_init(struct build *b, const struct image_opts *o)
{
	memset(b, 0, sizeof(*b));
	b->o = o;
	b->cache = o->cache ? o->cache : IMAGE_CACHE_DEFAULT;
	strbuf_init(&b->kernel);
	strbuf_init(&b->bb);
	strbuf_init(&b->guest);
}

static void build_release(struct build *b)
{
	strbuf_release(&b->kernel);
	strbuf_release(&b->bb);
	strbuf_release(&b->guest);
	kmod_set_release(&b->mods);
	image_progs_release(&b->progs);
}

static bool is_built(struct image *im)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/manifest", im->dir);
	if (access(path, F_OK))
		return false;
	if (access(im->vmlinux, F_OK))
		im->vmlinux[0] = '\0';
	return true;
}

int image_find(const struct image_opts *o, struct image *out)
{
	struct build b;
	int ret;

	build_init(&b, o);
	ret = prepare(&b, out, false);
	if (!ret && !is_built(out)) {
		error("no guest image %s in '%s' for these inputs; "
		      "'iovbench image build' makes it",
		      out->id, b.cache);
		ret = -ENOENT;
	}
	build_release(&b);
	return ret;
}

int image_build(const struct image_opts *o, struct image *out)
{
	int64_t t0 = now_mono();
	struct build b;
	int ret;

	build_init(&b, o);
	/* downloads/ first: apt's answers are remembered there */
	ret = image_path(b.tmp, sizeof(b.tmp), "%s/downloads", b.cache);
	if (!ret)
		ret = image_mkdir_p(b.tmp);
	if (!ret)
		ret = prepare(&b, out, true);
	if (ret)
		goto release;
	if (!o->force && is_built(out)) {
		out->cached = true;
		image_say("cached: %s", out->dir);
		goto release;
	}
	image_say("building image %s (kernel %s) in %s", out->id, b.version,
		  b.cache);
	image_clean_stale(b.tmp, ".partial-");
	image_clean_stale(b.cache, ".tmp-");
	snprintf(b.tmp, sizeof(b.tmp), "%s/.tmp-%d-%s", b.cache,
		 (int)getpid(), out->id);
	image_rm_rf(b.tmp);
	ret = image_mkdir_p(b.tmp);
	if (ret)
		goto release;
	ret = assemble(&b);
	if (!ret)
		ret = write_manifest(&b, out);
	if (!ret)
		ret = install(&b, out);
	if (ret) {
		image_rm_rf(b.tmp);
		goto release;
	}
	is_built(out);
	image_say("built in %.1f s: %s", (now_mono() - t0) / 1e9, out->dir);
release:
	build_release(&b);
	return ret;
}

int image_default_guest_bin(char *out, size_t len)
{
	const char *env = getenv("IOVBENCH_GUEST");
	char self[PATH_MAX];
	char *slash;
	ssize_t n;

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return access(out, X_OK) ?
			       error_errno("IOVBENCH_GUEST: '%s'", out) :
			       0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return error_errno("cannot read /proc/self/exe");
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	if (snprintf(out, len, "%s/iovbench-guest", self) >= (int)len ||
	    access(out, X_OK))
		return error("no iovbench-guest next to iovbench in '%s'; give "
			     "--guest-bin or set IOVBENCH_GUEST",
			     self);
	return 0;
}
