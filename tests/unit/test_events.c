// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Events in a run: schedules as the events factor writes them, the
 * plan's refusals, the analysis of a run's probes around each event
 * (outage, loss, RTT before/during/after), the events meter's fold, and
 * query-migrate's answer.
 */
#include "unit.h"

#include <errno.h>
#include <math.h>

#include "core/config.h"
#include "core/dataplane.h"
#include "core/event.h"
#include "core/meter_events.h"
#include "core/nics.h"
#include "core/probe.h"
#include "core/series.h"
#include "guest/qmp.h"

#define MS 1000000LL

static void test_parse(void **state)
{
	struct event_schedule s;
	char why[256], t[32];

	(void)state;
	assert_int_equal(event_schedule_parse("none", &s, why, sizeof(why)), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(event_schedule_parse(
				 "1s link-down responder.0; 2.5s link-up "
				 "responder.0 ;3s migrate sender",
				 &s, why, sizeof(why)),
			 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ev[0].kind, EV_LINK_DOWN);
	assert_int_equal(s.ev[0].at_ns, 1000 * MS);
	assert_int_equal(s.ev[0].server, 1);
	assert_int_equal(s.ev[1].kind, EV_LINK_UP);
	assert_int_equal(s.ev[1].at_ns, 2500 * MS);
	assert_int_equal(s.ev[2].kind, EV_MIGRATE);
	assert_int_equal(s.ev[2].server, 0);
	event_target(&s.ev[0], t, sizeof(t));
	assert_string_equal(t, "responder.0");
	event_target(&s.ev[2], t, sizeof(t));
	assert_string_equal(t, "sender");
	assert_int_equal(event_schedule_parse("500ms unplug sender.2", &s, why,
					      sizeof(why)),
			 0);
	assert_int_equal(s.ev[0].nic, 2);
}

static void bad(const char *text, const char *want)
{
	struct event_schedule s;
	char why[256];

	assert_int_equal(event_schedule_parse(text, &s, why, sizeof(why)), -1);
	if (!strstr(why, want))
		fail_msg("'%s': '%s' lacks '%s'", text, why, want);
}

static void test_parse_errors(void **state)
{
	(void)state;
	bad("1s link-sideways responder", "no event kind 'link-sideways'");
	bad("1s link-sideways responder", "link-down, link-up");
	bad("soon link-down responder", "TIME is a duration");
	bad("1s link-down", "expected TIME KIND TARGET");
	bad("1s link-down client", "TARGET is sender or responder");
	bad("1s link-down responder.9", "NIC is 0..3");
	bad("1s migrate responder.1", "acts on a guest, not on a NIC");
	bad("2s link-down responder; 1s link-up responder",
	    "comes before the event ahead of it");
	bad("1s link-down responder;", "an empty item");
}

static void test_refusals(void **state)
{
	struct campaign c = {0};
	int64_t v[FACTOR_COUNT];
	char why[256];
	int f;

	(void)state;
	for (f = 0; f < FACTOR_COUNT; f++)
		v[f] = factor_default((enum factor_id)f);
	c.testbed.kind = TESTBED_LOCAL;
	c.testbed.subnet.addr = 0xc6120000u;
	c.testbed.subnet.len = 16;
	v[F_COUNT] = 600;
	v[F_RATE] = 200;
	/* a container has no QMP */
	assert_int_equal(factor_parse(F_EVENTS, "1s link-down responder.0",
				      &v[F_EVENTS], why, sizeof(why)),
			 0);
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "acts on a VM"));
	v[F_DATAPLANE] = dataplane_find("virtio-bridge");
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 0);
	/* NIC 1 needs nics */
	factor_parse(F_EVENTS, "1s link-down responder.1", &v[F_EVENTS], why,
		     sizeof(why));
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "the guest has 1 NIC"));
	factor_parse(F_NICS, "virtio-bridge", &v[F_NICS], why, sizeof(why));
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 0);
	/* after the probes */
	factor_parse(F_EVENTS, "3s link-down responder.1", &v[F_EVENTS], why,
		     sizeof(why));
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "after the probes end"));
	/* a throughput test: also within the load, which starts 500 ms
	 * before the probes */
	factor_parse(F_EVENTS, "2s link-down responder.1", &v[F_EVENTS], why,
		     sizeof(why));
	v[F_MEASURE] = MEASURE_THROUGHPUT;
	v[F_RUNTIME] = 3;
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 0);
	v[F_RUNTIME] = 2;
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "after the load ends (runtime 2 s"));
	v[F_MEASURE] = MEASURE_RTT;
	/* NIC 0 has no device id */
	factor_parse(F_EVENTS, "1s unplug responder.0", &v[F_EVENTS], why,
		     sizeof(why));
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "no device id"));
	/* a passthru macvtap cannot be migrated here */
	factor_parse(F_EVENTS, "1s migrate responder", &v[F_EVENTS], why,
		     sizeof(why));
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 0);
	v[F_DATAPLANE] = dataplane_find("virtio-macvtap");
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "only taps in the PF's bridge"));
	c.testbed.kind = TESTBED_SSH;
	v[F_DATAPLANE] = dataplane_find("virtio-bridge");
	assert_int_equal(events_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "migration network"));
}

static void test_nics_refusals(void **state)
{
	struct campaign c = {0};
	int64_t v[FACTOR_COUNT];
	char why[256];
	int f;

	(void)state;
	for (f = 0; f < FACTOR_COUNT; f++)
		v[f] = factor_default((enum factor_id)f);
	c.testbed.subnet.addr = 0xc6120000u;
	c.testbed.subnet.len = 16;
	v[F_DATAPLANE] = dataplane_find("virtio-macvtap");
	v[F_BOND] = BOND_ACTIVE_BACKUP;
	assert_int_equal(nics_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "nics is none"));
	factor_parse(F_NICS, "virtio-bridge", &v[F_NICS], why, sizeof(why));
	assert_int_equal(nics_refusal(v, &c, why, sizeof(why)), 0);
	v[F_NIC] = 1;
	assert_int_equal(nics_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "the bond holds the address"));
	v[F_BOND] = BOND_NONE;
	assert_int_equal(nics_refusal(v, &c, why, sizeof(why)), 0);
	v[F_NIC] = 2;
	assert_int_equal(nics_refusal(v, &c, why, sizeof(why)), 1);
	v[F_NIC] = 0;
	/* three /16s do not fit in 198.18.0.0/15 */
	factor_parse(F_NICS, "virtio-bridge+e1000-bridge", &v[F_NICS], why,
		     sizeof(why));
	assert_int_equal(nics_refusal(v, &c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "inside 198.18.0.0/15"));
	c.testbed.subnet.len = 24;
	assert_int_equal(nics_refusal(v, &c, why, sizeof(why)), 0);
	assert_int_equal(guest_nic_addr(0xc6120002u, 24, 2), 0xc6120202u);
	/* failover: a VF and a virtio standby */
	v[F_BOND] = BOND_FAILOVER;
	assert_int_equal(nics_refusal(v, &c, why, sizeof(why)), 1);
	v[F_DATAPLANE] = dataplane_find("vfio-vf");
	factor_parse(F_NICS, "virtio-bridge", &v[F_NICS], why, sizeof(why));
	assert_int_equal(nics_refusal(v, &c, why, sizeof(why)), 0);
	/* nics takes bridge data planes of VMs only */
	assert_int_equal(factor_parse(F_NICS, "veth-bridge", &v[F_NICS], why,
				      sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "not a data plane a second NIC"));
	assert_int_equal(factor_parse(F_NICS, "virtio-macvtap", &v[F_NICS],
				      why, sizeof(why)),
			 -EINVAL);
}

/*
 * A run at 1 kpps, RTT 100 us: probes sent in [lost_from, lost_to) are
 * lost, those in [slow_from, slow_to) take slow_rtt.
 */
static struct probe_rec *fake_probes(size_t n, size_t lost_from,
				     size_t lost_to, size_t slow_from,
				     size_t slow_to, int64_t slow_rtt)
{
	struct probe_rec *r = calloc(n, sizeof(*r));
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t rtt = i >= slow_from && i < slow_to ? slow_rtt :
							      100000;

		r[i].seq = (uint32_t)i;
		r[i].t_sched = 1000000000000LL + (int64_t)i * MS;
		r[i].t_tx_user = r[i].t_tx = r[i].t_sched;
		r[i].flags = PROBE_TX_SW | PROBE_RX_SW;
		if (i >= lost_from && i < lost_to)
			continue;
		r[i].replies = 1;
		r[i].t_rx = r[i].t_rx_user = r[i].t_tx + rtt;
	}
	return r;
}

static void test_analysis(void **state)
{
	/* link down at 1 s: 40 probes lost; link up at 2 s: nothing */
	struct probe_rec *r = fake_probes(3000, 1003, 1043, 0, 0, 0);
	struct event_timing tm[2] = {{1000 * MS, 0}, {2000 * MS, 0}};
	struct event_figures f[2];

	(void)state;
	event_analyze(r, 3000, tm, 2, f);
	/* last reply: probe 1002's, first after: probe 1043's */
	assert_int_equal(f[0].outage_ns, 41 * MS);
	assert_true(f[0].recovered);
	assert_int_equal(f[0].gap_start_ns, 1002 * MS + 100000);
	assert_int_equal(f[0].lost, 40);
	assert_int_equal(f[0].probes, 1500);
	assert_int_equal(f[0].rtt_before_ns, 100000);
	assert_int_equal(f[0].rtt_during_ns, -1); /* all lost */
	assert_int_equal(f[0].rtt_after_ns, 100000);
	/* no outage: the largest gap is one probe interval */
	assert_int_equal(f[1].outage_ns, MS);
	assert_int_equal(f[1].lost, 0);
	assert_int_equal(f[1].probes, 1500);
	free(r);

	/*
	 * A migration: 200 ms copying memory (RTT 300 us), then 30 probes
	 * lost in the downtime, its span from QEMU's total time
	 */
	r = fake_probes(2000, 1200, 1230, 1000, 1200, 300000);
	tm[0].at_ns = 1000 * MS;
	tm[0].span_ns = 230 * MS;
	event_analyze(r, 2000, tm, 1, f);
	assert_int_equal(f[0].outage_ns, 31 * MS - 200000);
	assert_int_equal(f[0].lost, 30);
	assert_int_equal(f[0].rtt_before_ns, 100000);
	assert_int_equal(f[0].rtt_during_ns, 300000);
	assert_int_equal(f[0].rtt_after_ns, 100000);
	free(r);
	/* the path never came back: from the last reply to the last probe */
	r = fake_probes(2000, 1500, 2000, 0, 0, 0);
	tm[0].at_ns = 1500 * MS;
	tm[0].span_ns = 0;
	event_analyze(r, 2000, tm, 1, f);
	assert_false(f[0].recovered);
	assert_int_equal(f[0].outage_ns, 1999 * MS - (1499 * MS + 100000));
	assert_int_equal(f[0].lost, 500);
	free(r);
	/* no probes: nothing measured */
	event_analyze(NULL, 0, tm, 1, f);
	assert_int_equal(f[0].outage_ns, -1);
	assert_int_equal(f[0].probes, 0);
}

static unsigned events_index(void)
{
	unsigned m;

	for (m = 0; m < meter_count; m++) {
		if (meter_defs[m] == &meter_events)
			return m;
	}
	fail_msg("events is not in meter_defs");
	return 0;
}

/* dip: the link-down's throughput dip (%), the migration's half of it;
 * < 0: an rtt run, no load */
static void feed(struct series *s, int64_t id, int64_t outage,
		 int64_t mig_outage, int64_t downtime, double dip)
{
	struct event ev[2] = {{.kind = EV_LINK_DOWN, .server = 1},
			      {.kind = EV_MIGRATE, .server = 1}};
	struct event_row row[2];
	struct meter_run run = {.id = id};
	struct cell c[METER_COLS_MAX];
	unsigned i;

	memset(row, 0, sizeof(row));
	for (i = 0; i < 2; i++) {
		row[i].index = i;
		row[i].ev = &ev[i];
		event_target(&ev[i], row[i].target, sizeof(row[i].target));
		row[i].fig.probes = 100;
		row[i].fig.lost = 5 * (i + 1);
		row[i].qemu_downtime_ms = row[i].qemu_total_ms = -1;
		row[i].qemu_setup_ms = row[i].ram_bytes = -1;
	}
	row[0].fig.outage_ns = outage;
	row[1].fig.outage_ns = mig_outage;
	row[1].qemu_downtime_ms = downtime;
	for (i = 0; i < 2 && dip >= 0; i++) {
		row[i].have_tput = true;
		row[i].tput.before_bps = 1e9;
		row[i].tput.during_bps = row[i].tput.after_bps = NAN;
		row[i].tput.lowest_bps = 1e9 * (1 - dip / 100 / (i + 1));
		row[i].tput.dip_pct = dip / (i + 1);
	}
	series_run(s, &run);
	for (i = 0; i < 2; i++) {
		meter_events_cells(&row[i], c);
		series_row(s, events_index(), 0, c);
	}
}

static double value(const struct series *s, const char *name)
{
	int k = series_metric_find(s, name);

	assert_true(k >= 0);
	return s->tests[0].values[k].type == CELL_REAL ?
		       s->tests[0].values[k].d :
		       NAN;
}

static double value1(const struct series *s, unsigned t, const char *name)
{
	int k = series_metric_find(s, name);

	assert_true(k >= 0);
	return s->tests[t].values[k].type == CELL_REAL ?
		       s->tests[t].values[k].d :
		       NAN;
}

static void test_fold(void **state)
{
	int64_t v[FACTOR_COUNT];
	struct series s;
	int f;

	(void)state;
	for (f = 0; f < FACTOR_COUNT; f++)
		v[f] = factor_default((enum factor_id)f);
	series_init(&s);
	series_test_begin(&s, "t1", v);
	feed(&s, 1, 40 * MS, 80 * MS, 50, -1);
	feed(&s, 2, 60 * MS, 100 * MS, 70, -1);
	series_test_end(&s);
	/* a throughput test: the largest dip of a run, mean over runs */
	series_test_begin(&s, "t2", v);
	feed(&s, 3, 40 * MS, 80 * MS, 50, 100);
	feed(&s, 4, 60 * MS, 100 * MS, 70, 40);
	series_test_end(&s);
	series_finish(&s);
	assert_true(fabs(value(&s, "event_outage_ms") - 50 * MS) < 1);
	assert_true(fabs(value(&s, "event_lost") - 5) < 1e-9);
	assert_true(fabs(value(&s, "migration_outage_ms") - 90 * MS) < 1);
	assert_true(fabs(value(&s, "migration_downtime_ms") - 60) < 1e-9);
	assert_true(fabs(value(&s, "migration_lost") - 10) < 1e-9);
	/* an rtt test has no dip */
	assert_true(isnan(value(&s, "event_tput_dip_pct")));
	assert_true(fabs(value1(&s, 1, "event_tput_dip_pct") - 70) < 1e-9);
	series_release(&s);
}

static void test_query_migrate(void **state)
{
	static const char done[] =
		"{\"return\": {\"expected-downtime\": 300, \"status\": "
		"\"completed\", \"setup-time\": 2, \"downtime\": 41, "
		"\"total-time\": 812, \"ram\": {\"transferred\": 9871234, "
		"\"total\": 134217728}}}";
	static const char failed[] =
		"{\"status\": \"failed\", \"error-desc\": \"Unable to write to "
		"socket: Broken pipe\"}";
	struct qmp_migration m;

	(void)state;
	assert_int_equal(qmp_migration_parse(done, strlen(done), &m), 0);
	assert_string_equal(m.status, "completed");
	assert_int_equal(m.downtime_ms, 41);
	assert_int_equal(m.total_ms, 812);
	assert_int_equal(m.setup_ms, 2);
	assert_int_equal(m.ram_bytes, 9871234);
	assert_int_equal(qmp_migration_parse(failed, strlen(failed), &m), 0);
	assert_string_equal(m.status, "failed");
	assert_int_equal(m.downtime_ms, -1);
	assert_non_null(strstr(m.error, "Broken pipe"));
	/* active: no downtime yet; not a migration's answer at all */
	assert_int_equal(qmp_migration_parse("{\"status\": \"active\"}", 20,
					     &m),
			 0);
	assert_int_equal(qmp_migration_parse("{\"return\": {}}", 14, &m), -1);
	{
		static const char neg[] =
			"{\"downtime\": -5, \"status\": \"completed\"}";

		assert_int_equal(qmp_migration_parse(neg, strlen(neg), &m), 0);
	}
	assert_int_equal(m.downtime_ms, -1);
	assert_int_equal(qmp_migration_parse("[1,", 3, &m), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_nics_refusals),
		cmocka_unit_test(test_analysis),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_query_migrate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
