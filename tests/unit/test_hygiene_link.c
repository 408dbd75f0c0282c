// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host hygiene of the links (core/hygiene_link.c): the fold of the
 * link lines `iovbench hygiene` prints, what distorts (a queueing root
 * qdisc, RPS, as bench/linkcost measured) and what is only recorded;
 * and the parse of an RTM_GETQDISC dump (core/qdisc_reply.c).
 */
#include "unit.h"

#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "core/hygiene.h"
#include "core/qdisc_reply.h"
#include "util/alloc.h"

static void parse(const char *text, struct hygiene *h)
{
	size_t len = strlen(text);
	char *buf = xmalloc(len ? len : 1);

	memcpy(buf, text, len);
	hygiene_parse(buf, len, "/", h);
	free(buf);
}

#define LINK(ns, name, qd, gro, csum)                                        \
	"/net/" ns "/" name "/kind:veth\n"                                   \
	"/net/" ns "/" name "/qdisc:" qd "\n"                                \
	"/net/" ns "/" name "/rx_queues:1\n"                                 \
	"/net/" ns "/" name "/tx_queues:1\n"                                 \
	"/net/" ns "/" name "/gro:" gro "\n"                                 \
	"/net/" ns "/" name "/gso:on\n"                                      \
	"/net/" ns "/" name "/tso:on\n"                                      \
	"/net/" ns "/" name "/lro:off\n"                                     \
	"/net/" ns "/" name "/rx-csum:" csum "\n"                            \
	"/net/" ns "/" name "/tx-csum:on\n"

/* the local testbed's sender: everything noqueue, the bridge's GRO on */
static void test_testbed_links(void **state)
{
	struct hygiene h;
	char why[512];

	(void)state;
	parse(LINK("-", "iovbh-main", "noqueue", "off", "on")
	      LINK("-", "iovbh-br", "noqueue", "on", "off")
	      LINK("-", "iovbh-nic", "noqueue", "off", "on")
	      LINK("guest", "eth0", "noqueue", "off", "on")
	      "/net/guest/eth0/queues/rx-0/rps_cpus:0\n"
	      "/net/guest/eth0/queues/tx-0/xps_cpus:0\n"
	      "/sys/class/net/iovbh-main/queues/rx-0/rps_cpus:0\n"
	      "/sys/class/net/iovbh-main/queues/tx-0/xps_cpus:00000000\n",
	      &h);
	assert_string_equal(h.v[HY_QDISC].value, "noqueue (4 links)");
	assert_false(h.v[HY_QDISC].distorts);
	assert_true(h.v[HY_QDISC].known);
	assert_string_equal(h.v[HY_OFFLOADS].value,
			    "gro off (on: iovbh-br), gso on, tso on, lro off, "
			    "rx-csum on (off: iovbh-br), tx-csum on; 4 links");
	assert_false(h.v[HY_OFFLOADS].distorts);
	assert_string_equal(h.v[HY_QUEUES].value, "1 rx, 1 tx (4 links)");
	assert_string_equal(h.v[HY_XPS].value, "off");
	assert_string_equal(h.v[HY_RPS].value, "off");
	assert_false(hygiene_distorting(&h, why, sizeof(why)));
}

/* a real server: its NIC multiqueue under mq, a tap with pfifo_fast */
static void test_server_links(void **state)
{
	struct hygiene h;
	char why[512];

	(void)state;
	parse("/net/-/enp1s0/qdisc:mq\n"
	      "/net/-/enp1s0/rx_queues:8\n"
	      "/net/-/enp1s0/tx_queues:8\n"
	      "/net/-/enp1s0/gro:on\n"
	      "/net/-/tap0/qdisc:pfifo_fast\n"
	      "/net/-/tap0/rx_queues:1\n"
	      "/net/-/tap0/tx_queues:1\n"
	      "/net/-/br0/qdisc:noqueue\n"
	      "/net/-/down0/qdisc:noop\n"
	      "/sys/class/net/enp1s0/queues/tx-0/xps_cpus:01\n"
	      "/sys/class/net/enp1s0/queues/tx-1/xps_cpus:02\n"
	      "/net/guest/eth0/queues/rx-0/rps_cpus:3\n",
	      &h);
	assert_string_equal(h.v[HY_QDISC].value,
			    "noqueue (1 link), mq (1 link: enp1s0), "
			    "pfifo_fast (1 link: tap0), noop (1 link: down0)");
	assert_true(h.v[HY_QDISC].distorts);
	assert_string_equal(h.v[HY_QUEUES].value,
			    "up to 8 rx, 8 tx (1 of 2 links: enp1s0)");
	assert_false(h.v[HY_QUEUES].distorts);
	assert_string_equal(h.v[HY_XPS].value,
			    "on (2 of 2 queues, enp1s0/queues/tx-0/xps_cpus)");
	assert_false(h.v[HY_XPS].distorts);
	/* a guest's RPS is the path's too */
	assert_string_equal(h.v[HY_RPS].value,
			    "on (1 of 1 queues, guest/eth0/queues/rx-0/rps_cpus)");
	assert_true(h.v[HY_RPS].distorts);
	assert_string_equal(h.v[HY_OFFLOADS].value, "gro on; 4 links");
	assert_true(hygiene_distorting(&h, why, sizeof(why)));
	assert_non_null(strstr(why, "qdisc noqueue (1 link), mq"));
}

/* only noop (every link down) is not a queue on the path */
static void test_noop_only(void **state)
{
	struct hygiene h;

	(void)state;
	parse("/net/-/a/qdisc:noop\n", &h);
	assert_false(h.v[HY_QDISC].distorts);
}

/* no link lines (a fake tree, an older iovbench there): absent */
static void test_absent(void **state)
{
	struct hygiene h;

	(void)state;
	parse("/proc/sys/net/core/busy_read:0\n", &h);
	assert_false(h.v[HY_QDISC].known);
	assert_false(h.v[HY_QDISC].distorts);
	assert_non_null(strstr(h.v[HY_QDISC].value, "absent"));
	assert_false(h.v[HY_OFFLOADS].known);
	assert_false(h.v[HY_QUEUES].known);
	assert_false(h.v[HY_XPS].known);
}

/* malformed lines are ignored; more links than the fold keeps, too */
static void test_bad_lines(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct hygiene h;
	int i;

	(void)state;
	strbuf_addstr(&sb, "/net//x/qdisc:htb\n/net/-//qdisc:htb\n/net/-\n"
			   "/net/-/x\n/net/-/x/gro:maybe\n"
			   "/net/-/x/rx_queues:-4\n/net/-/x/a/b:c\n");
	for (i = 0; i < 100; i++)
		strbuf_addf(&sb, "/net/-/l%d/qdisc:noqueue\n", i);
	parse(sb.buf, &h);
	/* x is a link (its values unknown): 63 of the 100 fit beside it */
	assert_string_equal(h.v[HY_QDISC].value,
			    "noqueue (63 links); only the first 64 links");
	assert_string_equal(h.v[HY_QUEUES].value,
			    "absent (no queue counts read: `iovbench "
			    "hygiene` did not run there)");
	assert_false(h.v[HY_OFFLOADS].known);
	strbuf_release(&sb);
}

/* ---- the RTM_GETQDISC dump ---- */

struct msgs {
	uint8_t buf[1024];
	size_t len;
};

static void put_qdisc(struct msgs *m, int ifindex, uint32_t parent,
		      const char *kind, size_t kindlen)
{
	struct nlmsghdr h = {.nlmsg_type = RTM_NEWQDISC};
	struct tcmsg tc = {.tcm_ifindex = ifindex, .tcm_parent = parent};
	struct rtattr ra = {.rta_type = TCA_KIND};
	size_t at = m->len;

	ra.rta_len = (unsigned short)RTA_LENGTH(kindlen);
	h.nlmsg_len = (uint32_t)(NLMSG_LENGTH(sizeof(tc)) + RTA_ALIGN(ra.rta_len));
	memset(m->buf + at, 0, NLMSG_ALIGN(h.nlmsg_len));
	memcpy(m->buf + at, &h, sizeof(h));
	memcpy(m->buf + at + NLMSG_HDRLEN, &tc, sizeof(tc));
	memcpy(m->buf + at + NLMSG_LENGTH(sizeof(tc)), &ra, sizeof(ra));
	memcpy(m->buf + at + NLMSG_LENGTH(sizeof(tc)) + RTA_LENGTH(0), kind,
	       kindlen);
	m->len += NLMSG_ALIGN(h.nlmsg_len);
}

static void put_done(struct msgs *m, uint16_t type, int error)
{
	struct nlmsghdr h = {.nlmsg_type = type};
	struct nlmsgerr e = {.error = error};

	h.nlmsg_len = NLMSG_LENGTH(sizeof(e));
	memcpy(m->buf + m->len, &h, sizeof(h));
	memcpy(m->buf + m->len + NLMSG_HDRLEN, &e, sizeof(e));
	m->len += NLMSG_ALIGN(h.nlmsg_len);
}

static void test_qdisc_dump(void **state)
{
	struct msgs m = {.len = 0};
	struct qdisc_root r[4];
	size_t n = 0;
	int err;

	(void)state;
	put_qdisc(&m, 2, TC_H_ROOT, "noqueue", 8);
	put_qdisc(&m, 3, TC_H_ROOT, "mq", 3);
	put_qdisc(&m, 3, TC_H_MAKE(0x80010000U, 1), "pfifo_fast", 11);
	put_qdisc(&m, 4, TC_H_ROOT, "noterminator", 12); /* no NUL: skipped */
	put_qdisc(&m, 2, TC_H_ROOT, "pfifo", 6);	  /* replaces 2's */
	assert_int_equal(qdisc_reply_parse(m.buf, m.len, r, 4, &n, &err),
			 QDISC_REPLY_MORE);
	assert_int_equal(n, 2);
	assert_string_equal(qdisc_root_kind(r, n, 2), "pfifo");
	assert_string_equal(qdisc_root_kind(r, n, 3), "mq");
	assert_null(qdisc_root_kind(r, n, 4));
	put_done(&m, NLMSG_DONE, 0);
	n = 0;
	assert_int_equal(qdisc_reply_parse(m.buf, m.len, r, 1, &n, &err),
			 QDISC_REPLY_DONE);
	assert_int_equal(n, 1); /* max 1: the others dropped */
	/* cut in the middle of a message */
	n = 0;
	assert_int_equal(qdisc_reply_parse(m.buf, 30, r, 4, &n, &err),
			 QDISC_REPLY_ERROR);
	/* the kernel's error */
	m.len = 0;
	put_done(&m, NLMSG_ERROR, -1);
	assert_int_equal(qdisc_reply_parse(m.buf, m.len, r, 4, &n, &err),
			 QDISC_REPLY_ERROR);
	assert_int_equal(err, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_testbed_links),
		cmocka_unit_test(test_server_links),
		cmocka_unit_test(test_noop_only),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_qdisc_dump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
