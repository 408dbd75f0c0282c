// SPDX-License-Identifier: GPL-2.0-or-later
/* What the UDP reflector answers (core/reflect_rule.c). */
#include "unit.h"

#include "core/packet.h"
#include "core/reflect_rule.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const struct reflect_addrs addrs = {
	.own = {IP(198, 18, 1, 1), IP(127, 0, 0, 1)},
	.nown = 2,
	.bcast = {IP(198, 18, 3, 255)},
	.nbcast = 1,
};

static uint8_t probe[64];

static enum reflect_verdict judge(uint32_t src, uint16_t sport, uint32_t dst,
				  const uint8_t *p, size_t len)
{
	return reflect_judge(&addrs, 7, src, sport, dst, p, len);
}

static void test_probe_answered(void **state)
{
	struct probe_hdr h = {.session = 99, .seq = 3};

	(void)state;
	packet_write_payload(probe, sizeof(probe), &h);
	assert_int_equal(judge(IP(198, 18, 0, 1), 40000, IP(198, 18, 1, 1),
			       probe, sizeof(probe)),
			 REFLECT_ANSWER);
	/* any session: the reflector cannot know the run's */
	h.session = 1;
	packet_write_payload(probe, sizeof(probe), &h);
	assert_int_equal(judge(IP(198, 18, 0, 1), 40000, IP(198, 18, 1, 1),
			       probe, sizeof(probe)),
			 REFLECT_ANSWER);
}

static void test_dropped(void **state)
{
	static const uint8_t junk[] = "hello";
	struct probe_hdr h = {.session = 99};
	const uint32_t peer = IP(198, 18, 0, 1), me = IP(198, 18, 1, 1);

	(void)state;
	packet_write_payload(probe, sizeof(probe), &h);
	assert_int_equal(judge(peer, 40000, me, junk, sizeof(junk)),
			 REFLECT_NOT_PROBE);
	assert_int_equal(judge(peer, 40000, me, probe, PROBE_HDR_LEN - 1),
			 REFLECT_NOT_PROBE);
	/* broadcasts and multicast, either way */
	assert_int_equal(judge(peer, 40000, IP(255, 255, 255, 255), probe, 64),
			 REFLECT_BROADCAST);
	assert_int_equal(judge(peer, 40000, IP(198, 18, 3, 255), probe, 64),
			 REFLECT_BROADCAST);
	assert_int_equal(judge(peer, 40000, IP(224, 0, 0, 1), probe, 64),
			 REFLECT_BROADCAST);
	assert_int_equal(judge(IP(198, 18, 3, 255), 40000, me, probe, 64),
			 REFLECT_BROADCAST);
	assert_int_equal(judge(0, 40000, me, probe, 64), REFLECT_BROADCAST);
	/* itself: 198.18.0.2:7 -> 198.18.0.2:7 looped forever */
	assert_int_equal(judge(me, 7, me, probe, 64), REFLECT_SELF);
	assert_int_equal(judge(me, 40000, me, probe, 64), REFLECT_SELF);
	assert_int_equal(judge(IP(127, 0, 0, 5), 40000, me, probe, 64),
			 REFLECT_SELF);
	/* another reflector's echo: two would ping-pong forever */
	assert_int_equal(judge(peer, 7, me, probe, 64), REFLECT_FROM_PORT);
	assert_string_equal(reflect_verdict_name(REFLECT_FROM_PORT),
			    "from a reflector's port");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_answered),
		cmocka_unit_test(test_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
