// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iovbench guest start|stop|console: the main guests by hand, autotest's
 * run-guest and kill-guest. VMs started here are daemonized, so they
 * outlive the command; `guest stop` or `testbed down` ends them.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/caps.h"
#include "core/config.h"
#include "core/dataplane.h"
#include "guest/image.h"
#include "guest/qmp.h"
#include "host/facts.h"
#include "net/netns.h"
#include "testbed/testbed.h"
#include "util/error.h"
#include "util/time.h"

static const char usage_text[] =
	"usage: iovbench guest start [options] CAMPAIGN\n"
	"       iovbench guest stop (CAMPAIGN | --prefix PREFIX)\n"
	"       iovbench guest console [--follow] (CAMPAIGN | --prefix PREFIX)\n"
	"                              [sender | responder]\n"
	"\n"
	"start    boot the main guests on the campaign's testbed (brought up\n"
	"         if it is not) and wait until their agents answer and their\n"
	"         NICs have link; the guests keep running after the command\n"
	"stop     shut the main guests down (QMP quit)\n"
	"console  print a guest's serial console log (default: sender)\n"
	"\n"
	"  -d, --dataplane DP   the data plane (default: the factor's default)\n"
	"  -m, --machine M      pc, q35 or microvm\n"
	"      --vhost on|off   vhost-net for virtio-net\n"
	"      --qemu NAME[:PATH]  the QEMU build\n"
	"      --macvtap MODE   passthru, bridge, vepa or private\n"
	"  -P, --prefix PREFIX  the prefix, instead of reading a campaign\n"
	"  -f, --follow         console: keep printing as the log grows\n"
	"  -h, --help           this text\n";

struct guest_args {
	const char *factor[FACTOR_COUNT];
	const char *prefix;
	int follow;
};

static int parse_setup(const struct guest_args *ga, struct setup *su)
{
	static const enum factor_id ids[] = {F_DATAPLANE, F_MACHINE, F_QEMU,
					     F_VHOST, F_MACVTAP};
	int64_t v[FACTOR_COUNT];
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		enum factor_id f = ids[i];

		v[f] = factor_default(f);
		if (ga->factor[f] &&
		    factor_parse(f, ga->factor[f], &v[f], why, sizeof(why)))
			return error("--%s: '%s' is %s", factor_table[f].name,
				     ga->factor[f], why);
	}
	memset(su, 0, sizeof(*su));
	su->dataplane = (int)v[F_DATAPLANE];
	su->machine = (enum machine_kind)v[F_MACHINE];
	su->qemu = v[F_QEMU];
	su->vhost = v[F_VHOST] != 0;
	su->macvtap = (enum macvtap_mode)v[F_MACVTAP];
	return 0;
}

static int image_for(struct image *im)
{
	struct image_opts io = {0};
	char guest[PATH_MAX];

	if (image_default_guest_bin(guest, sizeof(guest)))
		return -1;
	io.guest_bin = guest;
	return image_build(&io, im);
}

static int guest_start(const struct campaign *c, const struct guest_args *ga)
{
	struct testbed tb;
	struct setup su;
	struct image im;
	char a[32];
	int lock, s, ret = EXIT_FAIL;
	uint32_t caps = host_caps_detect("/");

	if (parse_setup(ga, &su))
		return EXIT_USAGE;
	lock = testbed_lock(c->prefix);
	if (lock < 0)
		return EXIT_FAIL;
	testbed_init(&tb, c);
	tb.env.daemonize = true;
	tb.accel = c->main_guests.accel == ACCEL_KVM ||
				   (c->main_guests.accel == ACCEL_AUTO &&
				    (caps & CAP_KVM)) ?
			   VM_KVM :
			   VM_TCG;
	tb.tsc_khz = host_cpu_khz("/");
	if (dataplane_vm(&dataplane_table[su.dataplane]) &&
	    !*c->main_guests.disk) {
		if (image_for(&im))
			goto out;
		tb.image = &im;
	}
	if (!netns_exists(tb.server_ns[SERVER_SENDER]) && testbed_up(&tb))
		goto out;
	if (testbed_guests_up(&tb, &su))
		goto out;
	for (s = 0; s < SERVER_COUNT; s++) {
		ipv4_format(tb.main[s].addr, a, sizeof(a));
		printf("%-9s %s %s%s%s\n", server_name(s), tb.main[s].name, a,
		       tb.main[s].vm ? " console " : "",
		       tb.main[s].vm ? tb.main[s].serial : "");
	}
	printf("stop them with: iovbench guest stop --prefix %s\n", c->prefix);
	ret = EXIT_OK;
out:
	/* the guests stay up: only close our connections to them */
	testbed_close_guests(&tb);
	return ret;
}

/* Quit every VM of prefix over its QMP socket; containers stay. */
static int guest_stop(const char *prefix)
{
	static const char *const who[] = {"s-main", "r-main"};
	unsigned n = 0;
	size_t i;

	for (i = 0; i < 2; i++) {
		char path[PATH_MAX];
		struct qmp q;

		snprintf(path, sizeof(path), "/run/iovbench/%s/%s-%s.qmp",
			 prefix, prefix, who[i]);
		if (access(path, F_OK) || qmp_open(&q, path, NSEC_PER_SEC))
			continue;
		if (!qmp_execute(&q, "quit", NULL, NULL, 5 * NSEC_PER_SEC))
			n++;
		qmp_close(&q);
		unlink(path);
	}
	printf("stopped %u VMs with prefix '%s'\n", n, prefix);
	return EXIT_OK;
}

static int guest_console(const char *prefix, const char *server, int follow)
{
	char path[PATH_MAX];
	char *argv[] = {"tail", "-n", "+1", follow ? "-f" : NULL, path, NULL};

	if (strcmp(server, "sender") && strcmp(server, "responder")) {
		error("console: '%s' is not sender or responder", server);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/run/iovbench/%s/%s-%c-main-boot%d.console",
		 prefix, prefix, server[0], server[0] == 's' ? 1 : 2);
	if (access(path, R_OK)) {
		error_errno("no console log '%s'", path);
		return EXIT_FAIL;
	}
	if (!follow)
		argv[3] = path, argv[4] = NULL;
	execvp("tail", argv);
	error_errno("cannot run tail");
	return EXIT_FAIL;
}

int cmd_guest(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dataplane", required_argument, NULL, 'd'},
		{"machine", required_argument, NULL, 'm'},
		{"vhost", required_argument, NULL, 'V'},
		{"qemu", required_argument, NULL, 'Q'},
		{"macvtap", required_argument, NULL, 'M'},
		{"prefix", required_argument, NULL, 'P'},
		{"follow", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct guest_args ga;
	struct campaign c;
	const char *verb, *server = "sender";
	int ch, have = 0, ret;

	memset(&ga, 0, sizeof(ga));
	while ((ch = getopt_long(argc, argv, "d:m:P:fh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			ga.factor[F_DATAPLANE] = optarg;
			break;
		case 'm':
			ga.factor[F_MACHINE] = optarg;
			break;
		case 'V':
			ga.factor[F_VHOST] = optarg;
			break;
		case 'Q':
			ga.factor[F_QEMU] = optarg;
			break;
		case 'M':
			ga.factor[F_MACVTAP] = optarg;
			break;
		case 'P':
			ga.prefix = optarg;
			break;
		case 'f':
			ga.follow = 1;
			break;
		case 'h':
			cmd_usage(usage_text, EXIT_OK);
		default:
			cmd_usage(usage_text, EXIT_USAGE);
		}
	}
	if (optind >= argc)
		cmd_usage(usage_text, EXIT_USAGE);
	verb = argv[optind++];
	if (!ga.prefix || !strcmp(verb, "start")) {
		if (optind >= argc)
			cmd_usage(usage_text, EXIT_USAGE);
		if (config_load(argv[optind++], &c))
			return EXIT_USAGE;
		have = 1;
		ga.prefix = c.prefix;
	} else if (!config_prefix_valid(ga.prefix)) {
		error("--prefix: '%s' is not a prefix", ga.prefix);
		return EXIT_USAGE;
	}
	if (optind < argc)
		server = argv[optind++];
	if (optind < argc)
		cmd_usage(usage_text, EXIT_USAGE);
	if (!strcmp(verb, "start")) {
		ret = guest_start(&c, &ga);
	} else if (!strcmp(verb, "stop")) {
		ret = guest_stop(ga.prefix);
	} else if (!strcmp(verb, "console")) {
		ret = guest_console(ga.prefix, server, ga.follow);
	} else {
		error("unknown guest action '%s' (start, stop or console)",
		      verb);
		ret = EXIT_USAGE;
	}
	if (have)
		config_release(&c);
	return ret;
}
