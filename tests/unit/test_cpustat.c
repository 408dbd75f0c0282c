// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include "core/cpustat.h"
#include "util/alloc.h"

/*
 * The parsers get a copy of the text without its NUL, in a buffer of
 * exactly len bytes: under ASan a read past len is an error.
 */
static int parse_stat(const char *text, struct cpu_snapshot *s)
{
	size_t len = strlen(text);
	char *buf = xmalloc(len ? len : 1);
	int rc;

	memcpy(buf, text, len);
	rc = cpustat_parse(buf, len, s);
	free(buf);
	return rc;
}

static int parse_pid(const char *text, struct proc_times *p)
{
	size_t len = strlen(text);
	char *buf = xmalloc(len ? len : 1);
	int rc;

	memcpy(buf, text, len);
	rc = procstat_parse(buf, len, p);
	free(buf);
	return rc;
}

#define INTR "intr 2464189 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 7\n"
#define TAIL                                                                   \
	"ctxt 3512510\n"                                                       \
	"btime 1795000000\n"                                                   \
	"processes 123456\n"                                                   \
	"procs_running 2\n"                                                    \
	"procs_blocked 0\n"                                                    \
	"softirq 1234567 0 345678 12 45678 9012 0 3456 456789 0 23456\n"

/* Two CPUs, as on the development VM (Linux 6.18). */
static const char stat2[] =
    "cpu  240193 0 76234 1256316 1675 0 13669 448 0 0\n"
    "cpu0 98893 0 28296 659806 279 0 6674 232 0 0\n"
    "cpu1 141300 0 47938 596510 1396 0 6995 216 0 0\n" INTR TAIL;

/* Four online CPUs of six: 2 and 4 are offline, so absent. */
static const char stat4a[] =
    "cpu  4000 10 2000 40000 400 40 80 20 0 0\n"
    "cpu0 1000 10 500 10000 100 10 20 5 0 0\n"
    "cpu1 1000 0 500 10000 100 10 20 5 0 0\n"
    "cpu3 1000 0 500 10000 100 10 20 5 0 0\n"
    "cpu5 1000 0 500 10000 100 10 20 5 0 0\n" INTR TAIL;

/*
 * One second later (USER_HZ 100, so 100 jiffies per CPU): cpu0 ran a
 * busy loop, cpu1 dd (60 system, 40 user), cpu3 slept, cpu5 waited for
 * a disk a quarter of the time.
 */
static const char stat4b[] =
    "cpu  4140 10 2060 40175 425 40 80 20 0 0\n"
    "cpu0 1100 10 500 10000 100 10 20 5 0 0\n"
    "cpu1 1040 0 560 10000 100 10 20 5 0 0\n"
    "cpu3 1000 0 500 10100 100 10 20 5 0 0\n"
    "cpu5 1000 0 500 10075 125 10 20 5 0 0\n" INTR TAIL;

/*
 * Counters in /proc/stat's order, missing ones 0: user nice system idle
 * iowait irq softirq steal guest guest_nice. struct cpu_times is these
 * ten uint64_t in this order.
 */
#define T(...) ((const uint64_t[10]){__VA_ARGS__})
_Static_assert(sizeof(struct cpu_times) == 10 * sizeof(uint64_t),
	       "struct cpu_times is not ten counters");

#define assert_times(t, ...)                                                   \
	assert_memory_equal((t), T(__VA_ARGS__), sizeof(struct cpu_times))

static void test_parse(void **state)
{
	struct cpu_snapshot s;
	struct strbuf sb = STRBUF_INIT;
	int i;

	(void)state;
	assert_int_equal(parse_stat(stat2, &s), 0);
	assert_times(&s.all, 240193, 0, 76234, 1256316, 1675, 0, 13669, 448);
	assert_int_equal(s.ncpu, 2);
	assert_int_equal(s.id[0], 0);
	assert_int_equal(s.id[1], 1);
	assert_times(&s.cpu[0], 98893, 0, 28296, 659806, 279, 0, 6674, 232);
	assert_times(&s.cpu[1], 141300, 0, 47938, 596510, 1396, 0, 6995, 216);
	cpustat_release(&s);
	assert_null(s.cpu);
	assert_int_equal(s.ncpu, 0);

	/* offline CPUs: ids as in the file */
	assert_int_equal(parse_stat(stat4a, &s), 0);
	assert_int_equal(s.ncpu, 4);
	assert_int_equal(s.id[2], 3);
	assert_int_equal(s.id[3], 5);
	assert_times(&s.cpu[0], 1000, 10, 500, 10000, 100, 10, 20, 5);
	cpustat_release(&s);

	/* the last line without its newline; tabs; the largest counter */
	assert_int_equal(parse_stat("cpu\t1 2 3 4 5 6 7 8 9 10\n"
				    "cpu7  18446744073709551615 0 0 0",
				    &s),
			 0);
	assert_times(&s.all, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	assert_int_equal(s.ncpu, 1);
	assert_int_equal(s.id[0], 7);
	assert_times(&s.cpu[0], UINT64_MAX);
	cpustat_release(&s);

	/* many CPUs: the arrays grow */
	strbuf_addf(&sb, "cpu  1 2 3 4\n");
	for (i = 0; i < 300; i++)
		strbuf_addf(&sb, "cpu%d %d 0 0 1\n", 2 * i, i);
	assert_int_equal(parse_stat(sb.buf, &s), 0);
	assert_int_equal(s.ncpu, 300);
	assert_int_equal(s.id[299], 598);
	assert_times(&s.cpu[299], 299, 0, 0, 1);
	cpustat_release(&s);
	strbuf_release(&sb);
}

static void test_parse_old_kernels(void **state)
{
	struct cpu_snapshot s;

	(void)state;
	/* Linux 2.4: user nice system idle */
	assert_int_equal(parse_stat("cpu  100 2 30 400\ncpu0 100 2 30 400\n"
				    "page 5741 1808\n",
				    &s),
			 0);
	assert_times(&s.all, 100, 2, 30, 400);
	assert_int_equal(s.ncpu, 1);
	assert_times(&s.cpu[0], 100, 2, 30, 400);
	cpustat_release(&s);

	/* Linux 2.6.10: no steal, guest, guest_nice */
	assert_int_equal(parse_stat("cpu  100 2 30 400 5 6 7\n", &s), 0);
	assert_times(&s.all, 100, 2, 30, 400, 5, 6, 7);
	cpustat_release(&s);

	/* Linux 2.6.24: guest but no guest_nice */
	assert_int_equal(parse_stat("cpu  100 2 30 400 5 6 7 8 9\n", &s), 0);
	assert_times(&s.all, 100, 2, 30, 400, 5, 6, 7, 8, 9);
	cpustat_release(&s);

	/* a future kernel's eleventh field is ignored */
	assert_int_equal(parse_stat("cpu  1 2 3 4 5 6 7 8 9 10 11\n", &s), 0);
	assert_times(&s.all, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	cpustat_release(&s);
}

static void test_parse_garbage(void **state)
{
	static const char *const bad[] = {
	    "",
	    "\n\n",
	    "hello world\n",
	    "cpu",
	    "cpu\n",
	    "cpu  1 2 3\n",			 /* fewer than four fields */
	    "cpu  1 2 x 4\n",			 /* not a number */
	    "cpu  1 2 3 4x\n",			 /* nor this */
	    "cpu  1 2 -3 4\n",			 /* nor this */
	    "cpu  18446744073709551616 0 0 0\n", /* 2^64 */
	    "cpu0 1 2 3 4\ncpu1 1 2 3 4\n",	 /* no total */
	    "cpufreq 1 2 3 4\n",
	    "CPU  1 2 3 4\n",
	    " cpu  1 2 3 4\n",
	    "intr 1 2 3 4\nctxt 5\n",
	};
	struct cpu_snapshot s;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse_stat(bad[i], &s) != -1)
			fail_msg("parsed '%s'", bad[i]);
		assert_null(s.cpu);
		assert_null(s.id);
		assert_int_equal(s.ncpu, 0);
	}

	/* malformed per-CPU lines are skipped, the rest is kept */
	assert_int_equal(parse_stat("cpu  1 2 3 4\n"
				    "cpux 1 2 3 4\n"
				    "cpu-1 1 2 3 4\n"
				    "cpu1x 1 2 3 4\n"
				    "cpu2147483648 1 2 3 4\n"
				    "cpu3 1 2 3\n"
				    "cpu4 1 2 3 4\n"
				    "cpu5 oops\n",
				    &s),
			 0);
	assert_int_equal(s.ncpu, 1);
	assert_int_equal(s.id[0], 4);
	cpustat_release(&s);

	/* the length is obeyed: "4" of "45" is past it */
	{
		static const char text[] = "cpu  1 2 3 45";

		assert_int_equal(cpustat_parse(text, sizeof(text) - 2, &s), 0);
		assert_int_equal(s.all.idle, 4);
		cpustat_release(&s);
		assert_int_equal(cpustat_parse(text, 0, &s), -1);
	}
}

#define assert_pct(got, want) assert_float_equal((got), (want), 1e-9)

static void assert_usage(const struct cpu_usage *u, double usr, double nice,
			 double sys, double iowait, double irq, double soft,
			 double steal, double guest, double gnice, double idle)
{
	assert_pct(u->usr, usr);
	assert_pct(u->nice, nice);
	assert_pct(u->sys, sys);
	assert_pct(u->iowait, iowait);
	assert_pct(u->irq, irq);
	assert_pct(u->soft, soft);
	assert_pct(u->steal, steal);
	assert_pct(u->guest, guest);
	assert_pct(u->gnice, gnice);
	assert_pct(u->idle, idle);
}

static void usage(const uint64_t a[10], const uint64_t b[10],
		  struct cpu_usage *u)
{
	struct cpu_times ta, tb;

	memcpy(&ta, a, sizeof(ta));
	memcpy(&tb, b, sizeof(tb));
	cpustat_usage(&ta, &tb, u);
}

static void test_usage(void **state)
{
	const uint64_t *a = T(1000, 0, 500, 8000, 100, 0, 50), *z = T(0);
	struct cpu_usage u;

	(void)state;
	/* 200 jiffies: 50 + 10 + 20 + 100 + 5 + 2 + 3 + 10 */
	usage(a, T(1050, 10, 520, 8100, 105, 2, 53, 10), &u);
	assert_usage(&u, 25, 5, 10, 2.5, 1, 1.5, 5, 0, 0, 50);

	/* no jiffy elapsed: all 0, no division by 0 */
	memset(&u, 0xff, sizeof(u));
	usage(a, a, &u);
	assert_usage(&u, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	memset(&u, 0xff, sizeof(u));
	usage(z, z, &u);
	assert_usage(&u, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

static void test_usage_snapshots(void **state)
{
	struct cpu_snapshot a, b;
	struct cpu_usage u;

	(void)state;
	assert_int_equal(parse_stat(stat4a, &a), 0);
	assert_int_equal(parse_stat(stat4b, &b), 0);
	assert_int_equal(b.ncpu, a.ncpu);

	cpustat_usage(&a.cpu[0], &b.cpu[0], &u);
	assert_usage(&u, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	cpustat_usage(&a.cpu[1], &b.cpu[1], &u);
	assert_usage(&u, 40, 0, 60, 0, 0, 0, 0, 0, 0, 0);
	cpustat_usage(&a.cpu[2], &b.cpu[2], &u);
	assert_usage(&u, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100);
	cpustat_usage(&a.cpu[3], &b.cpu[3], &u);
	assert_usage(&u, 0, 0, 0, 25, 0, 0, 0, 0, 0, 75);
	/* all: 400 jiffies, 140 user, 60 system, 175 idle, 25 iowait */
	cpustat_usage(&a.all, &b.all, &u);
	assert_usage(&u, 35, 0, 15, 6.25, 0, 0, 0, 0, 0, 43.75);

	cpustat_release(&a);
	cpustat_release(&b);
}

static void test_usage_guest(void **state)
{
	struct cpu_usage u;

	(void)state;
	/*
	 * The kernel counts guest time in user too: 80 user jiffies of
	 * which 60 in a guest, 20 nice of which 10 in a niced guest. The
	 * interval is 100, not 170.
	 */
	usage(T(1000, 100, 0, 0, 0, 0, 0, 0, 200, 50),
	      T(1080, 120, 0, 0, 0, 0, 0, 0, 260, 60), &u);
	assert_usage(&u, 20, 10, 0, 0, 0, 0, 0, 60, 10, 0);

	/*
	 * guest ahead of user (it happens, sysstat says): user - guest goes
	 * back by 10, %usr is 0 and the interval counts the guest's 20.
	 */
	usage(T(1000, 0, 0, 100, 0, 0, 0, 0, 500),
	      T(1010, 0, 0, 180, 0, 0, 0, 0, 520), &u);
	assert_usage(&u, 0, 0, 0, 0, 0, 0, 0, 20, 0, 80);
}

static void test_usage_backwards(void **state)
{
	const uint64_t *a = T(500, 0, 300, 9000, 200);
	struct cpu_usage u;

	(void)state;
	/*
	 * The CPU went offline and came back: user and system go on from
	 * where they were, idle and iowait restart from 0.
	 */
	usage(a, T(520, 0, 310, 65, 5), &u);
	assert_usage(&u, 20, 0, 10, 5, 0, 0, 0, 0, 0, 65);

	/* iowait time moved to idle: iowait went back, idle on */
	usage(a, T(510, 0, 300, 9090, 190), &u);
	assert_usage(&u, 10, 0, 0, 0, 0, 0, 0, 0, 0, 90);

	/* any other field going back counts 0 */
	usage(a, T(550, 0, 290, 9050, 200), &u);
	assert_usage(&u, 50, 0, 0, 0, 0, 0, 0, 0, 0, 50);
}

static void assert_proc(const char *text, const char *comm, uint64_t utime,
			uint64_t stime, uint64_t starttime)
{
	struct proc_times p;

	if (parse_pid(text, &p))
		fail_msg("cannot parse '%s'", text);
	assert_string_equal(p.comm, comm);
	assert_int_equal(p.utime, utime);
	assert_int_equal(p.stime, stime);
	assert_int_equal(p.starttime, starttime);
}

static void test_procstat(void **state)
{
	(void)state;
	assert_proc("12345 (qemu-system-x86) S 1 12340 12340 0 -1 4194560 "
		    "123456 0 12 0 87654 43210 0 0 20 0 9 0 5551234 4294967296 "
		    "250000 18446744073709551615 1 1 0 0 0 0 0 4096 17635 0 0 "
		    "0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		    "qemu-system-x86", 87654, 43210, 5551234);
	/* comm with spaces and a ')': the last ')' ends it */
	assert_proc("4242 (a b) c) R 1 4242 4242 34816 4242 4194304 90 0 0 0 7 "
		    "3 0 0 -21 -1 1 0 99 1000",
		    "a b) c", 7, 3, 99);
	assert_proc("1 ((sd-pam)) S 0 0 0 0 0 0 0 0 0 0 1 2 0 0 0 0 0 0 3",
		    "(sd-pam)", 1, 2, 3);
	assert_proc("1 () S 0 0 0 0 0 0 0 0 0 0 1 2 0 0 0 0 0 0 3", "", 1, 2,
		    3);
	/* a workqueue worker's long name is cut to fit */
	assert_proc("77 (kworker/u8:1-events_unbound_and_more) I 2 0 0 0 -1 "
		    "69238880 0 0 0 0 0 15 0 0 20 0 1 0 260",
		    "kworker/u8:1-events_unbound_and", 0, 15, 260);
}

static void test_procstat_garbage(void **state)
{
	static const char *const bad[] = {
	    "",
	    "12345",
	    "12345 (qemu",
	    "12345 qemu) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19",
	    "x (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19",
	    "1 (a)S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19",
	    "1 (a)",
	    /* field 21 is the last */
	    "1 (a) S 0 0 0 0 0 0 0 0 0 0 1 2 0 0 0 0 0 0",
	    "1 (a) S 0 0 0 0 0 0 0 0 0 0 1 2 0 0 0 0 0 0\n3",
	    /* utime is not a number, or negative */
	    "1 (a) S 0 0 0 0 0 0 0 0 0 0 x 2 0 0 0 0 0 0 3",
	    "1 (a) S 0 0 0 0 0 0 0 0 0 0 -1 2 0 0 0 0 0 0 3",
	    "1 (a) S 0 0 0 0 0 0 0 0 0 0 1 2 0 0 0 0 0 0 99999999999999999999",
	};
	struct proc_times p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse_pid(bad[i], &p) >= 0)
			fail_msg("parsed '%s'", bad[i]);
		assert_string_equal(p.comm, "");
		assert_int_equal(p.utime, 0);
	}

	/* the length is obeyed: the text past it would complete the line */
	{
		static const char text[] =
		    "1 (a) S 0 0 0 0 0 0 0 0 0 0 1 2 0 0 0 0 0 0 3";

		assert_int_not_equal(procstat_parse(text, sizeof(text) - 3, &p),
				     0);
		assert_int_equal(procstat_parse(text, sizeof(text) - 1, &p), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_parse_old_kernels),
	    cmocka_unit_test(test_parse_garbage),
	    cmocka_unit_test(test_usage),
	    cmocka_unit_test(test_usage_snapshots),
	    cmocka_unit_test(test_usage_guest),
	    cmocka_unit_test(test_usage_backwards),
	    cmocka_unit_test(test_procstat),
	    cmocka_unit_test(test_procstat_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
