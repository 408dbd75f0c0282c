// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The runner's loop over meters (runner/meter.c) with fake meters: the
 * order of the phases, a failure that stops the run with its reason,
 * -EINTR, the meters a test does not take, and that every meter is told
 * the run is over, whatever happened.
 */
#include "unit.h"

#include <errno.h>

#include "runner/meter.h"
#include "util/error.h"

static char events[512];

static void note(const char *what, const char *who)
{
	size_t n = strlen(events);

	snprintf(events + n, sizeof(events) - n, "%s%s:%s", n ? " " : "",
		 what, who);
}

struct fake {
	const char *name;
	int fail_begin, fail_measure, fail_end; /* what the hook returns */
};

static struct fake fakes[3];

#define HOOK(phase)                                                     \
	static int fake_##phase(struct run_ctx *ctx, void *st)          \
	{                                                               \
		struct fake *f = *(struct fake **)st;                   \
                                                                        \
		(void)ctx;                                              \
		note(#phase, f->name);                                  \
		return f->fail_##phase;                                 \
	}
HOOK(begin)
HOOK(measure)
HOOK(end)

static int fake_prepare(struct run_ctx *ctx, void *st)
{
	(void)ctx;
	note("prepare", (*(struct fake **)st)->name);
	return 0;
}

static void fake_done(void *st)
{
	note("done", (*(struct fake **)st)->name);
}

static bool not_c(const struct campaign *c, const struct test *t)
{
	(void)c;
	return t->v[F_COUNT] != 3;
}

static const struct meter_ops ops[3] = {
	{.state_size = sizeof(void *), .prepare = fake_prepare,
	 .begin = fake_begin, .end = fake_end, .run_done = fake_done},
	{.state_size = sizeof(void *), .begin = fake_begin,
	 .end = fake_end, .run_done = fake_done, .wanted = not_c},
	{.state_size = sizeof(void *), .measure = fake_measure,
	 .end = fake_end, .run_done = fake_done},
};
static const struct meter_ops *const table[3] = {&ops[0], &ops[1], &ops[2]};

static int run(struct meters *m, int64_t count)
{
	struct test t;
	struct run_ctx ctx;
	int ret;

	memset(&t, 0, sizeof(t));
	t.v[F_COUNT] = count;
	memset(&ctx, 0, sizeof(ctx));
	ctx.t = &t;
	strbuf_init(&ctx.why);
	events[0] = '\0';
	ret = meters_run(m, &ctx);
	meters_done(m);
	strbuf_release(&ctx.why);
	return ret;
}

static void setup(struct meters *m)
{
	unsigned i;

	memset(fakes, 0, sizeof(fakes));
	fakes[0].name = "a";
	fakes[1].name = "b";
	fakes[2].name = "c";
	meters_init(m, table, 3);
	for (i = 0; i < 3; i++)
		*(struct fake **)m->state[i] = &fakes[i];
}

static void test_order(void **state)
{
	struct meters m;

	(void)state;
	setup(&m);
	assert_int_equal(run(&m, 1), 0);
	assert_string_equal(events, "prepare:a begin:a begin:b measure:c "
				    "end:c end:b end:a done:a done:b done:c");
	/* a meter the test does not take is left out, but told it is over */
	assert_int_equal(run(&m, 3), 0);
	assert_string_equal(events, "prepare:a begin:a measure:c end:c "
				    "end:a done:a done:b done:c");
	meters_release(&m);
}

static void test_failures(void **state)
{
	struct meters m;

	(void)state;
	setup(&m);
	/* begin fails: nothing measured, nothing ended */
	fakes[1].fail_begin = -1;
	assert_int_equal(run(&m, 1), -1);
	assert_string_equal(events, "prepare:a begin:a begin:b done:a "
				    "done:b done:c");
	/* stopped while measuring */
	fakes[1].fail_begin = 0;
	fakes[2].fail_measure = -EINTR;
	assert_int_equal(run(&m, 1), -EINTR);
	assert_string_equal(events, "prepare:a begin:a begin:b measure:c "
				    "done:a done:b done:c");
	/* an end fails: the others still end, the run fails */
	fakes[2].fail_measure = 0;
	fakes[2].fail_end = -1;
	assert_int_equal(run(&m, 1), -1);
	assert_string_equal(events, "prepare:a begin:a begin:b measure:c "
				    "end:c end:b end:a done:a done:b done:c");
	meters_release(&m);
}

static void test_reason(void **state)
{
	struct run_ctx ctx;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	strbuf_init(&ctx.why);
	assert_int_equal(run_fail(&ctx, "the %s failed", "prober"), -1);
	assert_string_equal(ctx.why.buf, "the prober failed");
	run_fail(&ctx, "then %d more", 2);
	assert_string_equal(ctx.why.buf, "then 2 more");
	strbuf_release(&ctx.why);
}

static void quiet(const char *line)
{
	(void)line;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_reason),
	};

	error_set_hook(quiet);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
