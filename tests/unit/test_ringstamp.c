// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include <errno.h>
#include <linux/if_packet.h>

#include "core/ringstamp.h"

/* a slot's stamp kind from its status, whatever else the status says */
static void test_slot(void **state)
{
	(void)state;
	assert_int_equal(ringstamp_slot(TP_STATUS_USER), RINGSTAMP_NONE);
	assert_int_equal(ringstamp_slot(TP_STATUS_AVAILABLE), RINGSTAMP_NONE);
	assert_int_equal(ringstamp_slot(TP_STATUS_USER | TP_STATUS_TS_SOFTWARE),
			 RINGSTAMP_SOFTWARE);
	assert_int_equal(ringstamp_slot(TP_STATUS_USER |
					TP_STATUS_TS_RAW_HARDWARE),
			 RINGSTAMP_HARDWARE);
	/* a returned TX slot: AVAILABLE (0) with the stamp's bit */
	assert_int_equal(ringstamp_slot(TP_STATUS_AVAILABLE |
					TP_STATUS_TS_RAW_HARDWARE),
			 RINGSTAMP_HARDWARE);
	assert_int_equal(ringstamp_slot(TP_STATUS_USER | TP_STATUS_COPY |
					TP_STATUS_VLAN_VALID |
					TP_STATUS_TS_SOFTWARE),
			 RINGSTAMP_SOFTWARE);
	/* the deprecated SYS_HARDWARE bit is no hardware stamp we read */
	assert_int_equal(ringstamp_slot(TP_STATUS_TS_SYS_HARDWARE),
			 RINGSTAMP_NONE);
}

static void test_refused(void **state)
{
	(void)state;
	/* veth: EOPNOTSUPP; drivers returning the kernel's ENOTSUPP */
	assert_true(ringstamp_refused(EOPNOTSUPP));
	assert_true(ringstamp_refused(524));
	assert_true(ringstamp_refused(ERANGE));
	assert_false(ringstamp_refused(EPERM));
	assert_false(ringstamp_refused(EFAULT));
}

static void test_latency_software(void **state)
{
	struct ringstamp_lat l = {.intended = 1000, .sent_user = 1500,
				  .rx = 41500};
	struct ringstamp_used u;
	int64_t a, i;

	(void)state;
	assert_true(ringstamp_latency(&l, &a, &i, &u));
	assert_int_equal(a, 40000);
	assert_int_equal(i, 40500);
	assert_int_equal(u.tx, RINGSTAMP_SOFTWARE);
	assert_int_equal(u.rx, RINGSTAMP_SOFTWARE);
	assert_false(u.rx_user);
	/* a hardware receive stamp without a hardware send stamp: the
	 * clocks differ, so the software pair */
	l.rx_hw = 99999999;
	l.rx_user = true;
	assert_true(ringstamp_latency(&l, &a, &i, &u));
	assert_int_equal(a, 40000);
	assert_int_equal(u.tx, RINGSTAMP_SOFTWARE);
	assert_true(u.rx_user);
	/* not back */
	l.rx = 0;
	assert_false(ringstamp_latency(&l, &a, &i, &u));
	/* a stamp before the send is no latency below zero */
	l.rx = 1200;
	assert_true(ringstamp_latency(&l, &a, &i, &u));
	assert_int_equal(a, 0);
	assert_int_equal(i, 200);
}

static void test_latency_hardware(void **state)
{
	/* NIC clock far from CLOCK_REALTIME: only differences count */
	struct ringstamp_lat l = {.intended = 1000, .sent_user = 1300,
				  .sent_hw = 7000000, .rx = 90000,
				  .rx_hw = 7012345, .rx_user = true};
	struct ringstamp_used u;
	int64_t a, i;

	(void)state;
	assert_true(ringstamp_latency(&l, &a, &i, &u));
	assert_int_equal(a, 12345);
	assert_int_equal(i, 12345 + 300);
	assert_int_equal(u.tx, RINGSTAMP_HARDWARE);
	assert_int_equal(u.rx, RINGSTAMP_HARDWARE);
	assert_false(u.rx_user);
	/* back with a hardware stamp, but the TX stamp never came: the
	 * receive clock in the RX thread */
	l.sent_hw = 0;
	assert_true(ringstamp_latency(&l, &a, &i, &u));
	assert_int_equal(a, 90000 - 1300);
	assert_int_equal(u.rx, RINGSTAMP_SOFTWARE);
	assert_true(u.rx_user);
}

static void test_words(void **state)
{
	struct ringstamp_tally tx = {0}, rx = {0};
	struct ringstamp_used sw = {RINGSTAMP_SOFTWARE, RINGSTAMP_SOFTWARE,
				    false};
	struct ringstamp_used hw = {RINGSTAMP_HARDWARE, RINGSTAMP_HARDWARE,
				    false};
	struct ringstamp_used swu = {RINGSTAMP_SOFTWARE, RINGSTAMP_SOFTWARE,
				     true};

	(void)state;
	/* nothing back: the caller's word (today's defaults) */
	assert_string_equal(ringstamp_word(&tx, "user"), "user");
	assert_string_equal(ringstamp_word(&rx, "kernel"), "kernel");
	/* the fallback path (veth): what runs on this machine */
	ringstamp_count(&tx, &rx, &sw);
	ringstamp_count(&tx, &rx, &sw);
	assert_string_equal(ringstamp_word(&tx, "user"), "user");
	assert_string_equal(ringstamp_word(&rx, "kernel"), "kernel");
	ringstamp_count(&tx, &rx, &swu);
	assert_string_equal(ringstamp_word(&tx, "user"), "user");
	assert_string_equal(ringstamp_word(&rx, "kernel"), "mixed");
	/* all hardware */
	memset(&tx, 0, sizeof(tx));
	memset(&rx, 0, sizeof(rx));
	ringstamp_count(&tx, &rx, &hw);
	assert_string_equal(ringstamp_word(&tx, "user"), "hardware");
	assert_string_equal(ringstamp_word(&rx, "kernel"), "hardware");
	ringstamp_count(&tx, &rx, &sw);
	assert_string_equal(ringstamp_word(&tx, "user"), "mixed");
	assert_string_equal(ringstamp_word(&rx, "kernel"), "mixed");
	assert_int_equal(tx.hardware, 1);
	assert_int_equal(tx.user, 1);
	assert_int_equal(rx.kernel, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_latency_software),
		cmocka_unit_test(test_latency_hardware),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
