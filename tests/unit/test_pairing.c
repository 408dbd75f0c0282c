// SPDX-License-Identifier: GPL-2.0-or-later
/* Pairing tests that differ in one factor only; --where filters. */
#include "unit.h"

#include "core/dataplane.h"
#include "core/pairing.h"
#include "util/alloc.h"

/* tests: dataplane x background, one (macvlan, 8) missing */
static void make(struct series *s)
{
	static const struct {
		const char *dp;
		int bg;
	} t[] = {
		{"veth-bridge", 0}, {"veth-bridge", 8}, {"veth-bridge", 32},
		{"macvlan", 0},	    {"macvlan", 32},
	};
	size_t i;
	int f;

	memset(s, 0, sizeof(*s));
	s->ntests = ARRAY_SIZE(t);
	s->tests = xcalloc(s->ntests, sizeof(*s->tests));
	for (i = 0; i < s->ntests; i++) {
		for (f = 0; f < FACTOR_COUNT; f++)
			s->tests[i].v[f] = factor_default(f);
		s->tests[i].v[F_DATAPLANE] = dataplane_find(t[i].dp);
		s->tests[i].v[F_BACKGROUND] = t[i].bg;
		s->tests[i].values = xcalloc(1, sizeof(struct metric_value));
	}
}

static void test_pairs(void **state)
{
	struct series s;
	size_t *ia, *ib, n;
	int64_t *vals;
	size_t group[5];

	(void)state;
	make(&s);
	assert_int_equal(pairing_values(&s, F_DATAPLANE, &vals), 2);
	n = pairing_pairs(&s, F_DATAPLANE, vals[0], vals[1], &ia, &ib);
	/* background 0 and 32 have both; 8 has no partner */
	assert_int_equal(n, 2);
	assert_true(ia[0] == 0 && ib[0] == 3 && ia[1] == 2 && ib[1] == 4);
	free(ia);
	free(ib);
	free(vals);
	/* a trend over background: one group per data plane */
	assert_int_equal(pairing_groups(&s, F_BACKGROUND, group), 2);
	assert_true(group[0] == 0 && group[1] == 0 && group[2] == 0);
	assert_true(group[3] == 1 && group[4] == 1);
	series_release(&s);
}

static void test_label_and_where(void **state)
{
	struct series s;
	struct pairing_where w;
	bool varies[FACTOR_COUNT];
	char buf[128];

	(void)state;
	make(&s);
	pairing_varying(&s, varies);
	pairing_label(&s.tests[1], varies, -1, buf, sizeof(buf));
	assert_string_equal(buf, "background=8 dataplane=veth-bridge");
	pairing_label(&s.tests[1], varies, F_DATAPLANE, buf, sizeof(buf));
	assert_string_equal(buf, "background=8");
	assert_int_equal(pairing_where_parse("dataplane=macvlan", &w), 0);
	assert_int_equal(w.factor, F_DATAPLANE);
	assert_int_equal(pairing_filter(&s, &w, 1), 2);
	assert_int_equal(s.tests[1].v[F_BACKGROUND], 32);
	assert_int_equal(pairing_where_parse("dataplane", &w), -1);
	assert_int_equal(pairing_where_parse("nosuch=1", &w), -1);
	assert_int_equal(pairing_where_parse("dataplane=nosuch", &w), -1);
	series_release(&s);
}

static void test_reference(void **state)
{
	struct series_test r = {0}, b = {0};
	int f;

	(void)state;
	for (f = 0; f < FACTOR_COUNT; f++)
		r.v[f] = b.v[f] = factor_default(f);
	b.v[F_BACKGROUND] = 8;
	b.v[F_LOAD_TYPE] = LOAD_CPU;
	/* the same test without background guests (load none) */
	assert_true(pairing_reference_of(&r, &b));
	assert_false(pairing_reference_of(&b, &r));
	/* another probe kind is another test, not a reference */
	r.v[F_PROBE] = PROBE_UDP;
	assert_false(pairing_reference_of(&r, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_label_and_where),
		cmocka_unit_test(test_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
