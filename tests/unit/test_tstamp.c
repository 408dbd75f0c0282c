// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <time.h>

#include "core/tstamp.h"

/*
 * A control buffer as recvmsg() fills it: room for a few cmsgs, aligned
 * for struct cmsghdr as CMSG_FIRSTHDR() assumes.
 */
struct control {
	struct msghdr msg;
	struct cmsghdr *last;
	union {
		char buf[4 * CMSG_SPACE(sizeof(struct scm_timestamping))];
		struct cmsghdr align;
	} u;
};

static void control_init(struct control *c)
{
	/*
	 * Zeroed: glibc's CMSG_NXTHDR() reads the cmsg_len of the header it
	 * returns, so the room after the last cmsg must not hold garbage.
	 */
	memset(c, 0, sizeof(*c));
	c->msg.msg_control = c->u.buf;
	c->msg.msg_controllen = 0;
}

/*
 * Append a cmsg with len bytes of data, of which cmsg_len claims only
 * claim (as the kernel writes it when the buffer is short: MSG_CTRUNC).
 */
static void control_add_len(struct control *c, int level, int type,
			    const void *data, size_t len, size_t claim)
{
	struct cmsghdr *h;

	/* CMSG_NXTHDR() only finds room that msg_controllen covers */
	c->msg.msg_controllen += CMSG_SPACE(len);
	assert_true(c->msg.msg_controllen <= sizeof(c->u.buf));
	h = c->last ? CMSG_NXTHDR(&c->msg, c->last) : CMSG_FIRSTHDR(&c->msg);
	assert_non_null(h);
	h->cmsg_level = level;
	h->cmsg_type = type;
	h->cmsg_len = CMSG_LEN(claim);
	memcpy(CMSG_DATA(h), data, len);
	c->last = h;
}

static void control_add(struct control *c, int level, int type,
			const void *data, size_t len)
{
	control_add_len(c, level, type, data, len, len);
}

static void add_timestamping(struct control *c, time_t sw_sec, long sw_nsec,
			     time_t hw_sec, long hw_nsec)
{
	struct scm_timestamping st;

	memset(&st, 0, sizeof(st));
	st.ts[0].tv_sec = sw_sec;
	st.ts[0].tv_nsec = sw_nsec;
	/* [1] is deprecated and must be ignored */
	st.ts[1].tv_sec = 111;
	st.ts[1].tv_nsec = 222;
	st.ts[2].tv_sec = hw_sec;
	st.ts[2].tv_nsec = hw_nsec;
	control_add(c, SOL_SOCKET, SCM_TIMESTAMPING, &st, sizeof(st));
}

static void add_recverr(struct control *c, int level, int type, int err,
			int origin, uint32_t data)
{
	struct sock_extended_err ee;

	memset(&ee, 0, sizeof(ee));
	ee.ee_errno = (uint32_t)err;
	ee.ee_origin = (uint8_t)origin;
	ee.ee_info = SCM_TSTAMP_SND;
	ee.ee_data = data;
	control_add(c, level, type, &ee, sizeof(ee));
}

static void assert_empty(const struct tstamp *ts)
{
	assert_int_equal(ts->sw, 0);
	assert_int_equal(ts->hw, 0);
	assert_false(ts->has_key);
	assert_int_equal(ts->key, 0);
}

static void test_timestamping(void **state)
{
	struct control c;
	struct tstamp ts;

	(void)state;
	control_init(&c);
	add_timestamping(&c, 1700000000, 123456789, 42, 7);
	tstamp_parse(&c.msg, &ts);
	assert_int_equal(ts.sw, 1700000000123456789LL);
	assert_int_equal(ts.hw, 42000000007LL);
	assert_false(ts.has_key);

	/* software only: the hardware slot is zero */
	control_init(&c);
	add_timestamping(&c, 1, 999999999, 0, 0);
	tstamp_parse(&c.msg, &ts);
	assert_int_equal(ts.sw, 1999999999);
	assert_int_equal(ts.hw, 0);
}

static void test_tx_stamp(void **state)
{
	struct control c;
	struct tstamp ts;

	(void)state;
	/* what the error queue returns for a sent datagram */
	control_init(&c);
	add_timestamping(&c, 1700000000, 5, 0, 0);
	add_recverr(&c, SOL_IP, IP_RECVERR, ENOMSG, SO_EE_ORIGIN_TIMESTAMPING,
		    4242);
	tstamp_parse(&c.msg, &ts);
	assert_int_equal(ts.sw, 1700000000000000005LL);
	assert_int_equal(ts.hw, 0);
	assert_true(ts.has_key);
	assert_int_equal(ts.key, 4242);

	/* the extended error first; key 0 is a key */
	control_init(&c);
	add_recverr(&c, SOL_IP, IP_RECVERR, ENOMSG, SO_EE_ORIGIN_TIMESTAMPING,
		    0);
	add_timestamping(&c, 0, 0, 3, 4);
	tstamp_parse(&c.msg, &ts);
	assert_int_equal(ts.sw, 0);
	assert_int_equal(ts.hw, 3000000004LL);
	assert_true(ts.has_key);
	assert_int_equal(ts.key, 0);

	/* a packet socket's (the ring sender's) */
	control_init(&c);
	add_timestamping(&c, 1700000000, 7, 0, 0);
	add_recverr(&c, SOL_PACKET, PACKET_TX_TIMESTAMP, ENOMSG,
		    SO_EE_ORIGIN_TIMESTAMPING, 9);
	tstamp_parse(&c.msg, &ts);
	assert_int_equal(ts.sw, 1700000000000000007LL);
	assert_true(ts.has_key);
	assert_int_equal(ts.key, 9);

	control_init(&c);
	add_recverr(&c, SOL_IPV6, IPV6_RECVERR, ENOMSG,
		    SO_EE_ORIGIN_TIMESTAMPING, UINT32_MAX);
	tstamp_parse(&c.msg, &ts);
	assert_true(ts.has_key);
	assert_int_equal(ts.key, UINT32_MAX);
}

static void test_other_errors(void **state)
{
	struct control c;
	struct tstamp ts;

	(void)state;
	/* an ICMP error (e.g. port unreachable) queued for the socket */
	control_init(&c);
	add_recverr(&c, SOL_IP, IP_RECVERR, ECONNREFUSED, SO_EE_ORIGIN_ICMP,
		    17);
	tstamp_parse(&c.msg, &ts);
	assert_empty(&ts);

	/* ENOMSG but not from timestamping */
	control_init(&c);
	add_recverr(&c, SOL_IP, IP_RECVERR, ENOMSG, SO_EE_ORIGIN_LOCAL, 17);
	tstamp_parse(&c.msg, &ts);
	assert_empty(&ts);

	/* the timestamping origin with another errno */
	control_init(&c);
	add_recverr(&c, SOL_IP, IP_RECVERR, EIO, SO_EE_ORIGIN_TIMESTAMPING,
		    17);
	tstamp_parse(&c.msg, &ts);
	assert_empty(&ts);

	/* right type, wrong level: IP_RECVERR's number at SOL_SOCKET */
	control_init(&c);
	add_recverr(&c, SOL_SOCKET, IP_RECVERR, ENOMSG,
		    SO_EE_ORIGIN_TIMESTAMPING, 17);
	tstamp_parse(&c.msg, &ts);
	assert_empty(&ts);
}

static void test_skips_unknown(void **state)
{
	struct control c;
	struct tstamp ts;
	int ttl = 64;

	(void)state;
	control_init(&c);
	control_add(&c, SOL_IP, IP_TTL, &ttl, sizeof(ttl));
	add_timestamping(&c, 10, 20, 30, 40);
	control_add(&c, SOL_IP, IP_TTL, &ttl, sizeof(ttl));
	add_recverr(&c, SOL_IP, IP_RECVERR, ENOMSG, SO_EE_ORIGIN_TIMESTAMPING,
		    9);
	tstamp_parse(&c.msg, &ts);
	assert_int_equal(ts.sw, 10000000020LL);
	assert_int_equal(ts.hw, 30000000040LL);
	assert_true(ts.has_key);
	assert_int_equal(ts.key, 9);
}

static void test_truncated(void **state)
{
	struct scm_timestamping st;
	struct sock_extended_err ee;
	struct control c;
	struct tstamp ts;

	(void)state;
	memset(&st, 0, sizeof(st));
	st.ts[0].tv_sec = 5;
	st.ts[2].tv_sec = 6;
	/* the kernel cut the cmsg short (MSG_CTRUNC): none of it is read */
	control_init(&c);
	control_add_len(&c, SOL_SOCKET, SCM_TIMESTAMPING, &st, sizeof(st),
			sizeof(st) - 1);
	tstamp_parse(&c.msg, &ts);
	assert_empty(&ts);
	control_init(&c);
	control_add_len(&c, SOL_SOCKET, SCM_TIMESTAMPING, &st, sizeof(st),
			sizeof(st.ts[0]));
	tstamp_parse(&c.msg, &ts);
	assert_empty(&ts);

	memset(&ee, 0, sizeof(ee));
	ee.ee_errno = ENOMSG;
	ee.ee_origin = SO_EE_ORIGIN_TIMESTAMPING;
	ee.ee_data = 3;
	control_init(&c);
	control_add_len(&c, SOL_IP, IP_RECVERR, &ee, sizeof(ee),
			sizeof(ee) - 1);
	tstamp_parse(&c.msg, &ts);
	assert_empty(&ts);

	/* a cmsg_len below the header's size ends the walk */
	control_init(&c);
	add_timestamping(&c, 5, 0, 0, 0);
	add_recverr(&c, SOL_IP, IP_RECVERR, ENOMSG, SO_EE_ORIGIN_TIMESTAMPING,
		    3);
	CMSG_FIRSTHDR(&c.msg)->cmsg_len = sizeof(struct cmsghdr) - 1;
	tstamp_parse(&c.msg, &ts);
	assert_empty(&ts);
}

static void test_empty(void **state)
{
	struct msghdr msg;
	struct control c;
	struct tstamp ts;

	(void)state;
	memset(&msg, 0, sizeof(msg));
	memset(&ts, 0x5a, sizeof(ts));
	tstamp_parse(&msg, &ts);
	assert_empty(&ts);

	/* a control buffer too short for one header */
	control_init(&c);
	c.msg.msg_controllen = sizeof(struct cmsghdr) - 1;
	memset(&ts, 0x5a, sizeof(ts));
	tstamp_parse(&c.msg, &ts);
	assert_empty(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timestamping),
		cmocka_unit_test(test_tx_stamp),
		cmocka_unit_test(test_other_errors),
		cmocka_unit_test(test_skips_unknown),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
