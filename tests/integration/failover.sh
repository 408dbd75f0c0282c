#!/bin/bash
# Events in a run on the local testbed (examples/failover.yaml, shorter):
# a bonded VM pair (virtio-macvtap "VF" + virtio-bridge, active-backup)
# whose responder VF loses its link at 1 s and gets it back at 2 s, and
# a live migration of the responder VM at 1 s. SIGKILL after the first
# complete run, then again: the campaign resumes, nothing finished is
# redone, every event has its figures (the switch's outage and probes
# lost; the migration's outage beside QEMU's downtime), no QEMU is left.
# Then NIC 1, which the probes cross, is unplugged and plugged back: the
# probes are answered after the plug, once the guest configured the NIC.
. "$(dirname "$0")/lib.sh"
require_root
command -v qemu-system-x86_64 >/dev/null || skip "needs qemu-system-x86_64"
setup_test iovfp

campaign "$WORK/c.yaml" failover <<'YAML'
guests:
  main:
    memory: 128
prober:
  warmup: 10
  timeout: 500ms
matrix:
  - name: switch
    dataplane: virtio-macvtap
    nics: virtio-bridge
    bond: active-backup
    rate: 200
    count: 600
    events: "1s link-down responder.0; 2s link-up responder.0"
    repetitions: 1
  - name: migrate
    dataplane: virtio-bridge
    rate: 200
    count: 600
    events: "1s migrate responder"
    repetitions: 2
  - name: hotplug
    dataplane: virtio-bridge
    nics: virtio-bridge
    nic: 1
    rate: 200
    count: 600
    events: "1s unplug responder.1; 2s plug responder.1"
    repetitions: 1
YAML
db=$WORK/r.db

note "start, then kill -9 once the first run is stored"
KILL_WAIT=360 kill_after "$db" 1 "$WORK/c.yaml" -v
[ "$KILLED_N" -ge 1 ] && [ "$KILLED_N" -lt 4 ] || fail "expected 1..3 runs before the kill, got $KILLED_N: $(tail -20 "$WORK/killed.out")"
note "run again: resumes"
resume_once "$db" "$WORK/c.yaml" 4 -v

note "each event has its figures"
sql "$db" "SELECT kind, target, outage_ns / 1e6 AS outage_ms, lost, recovered, qemu_downtime_ms, qemu_total_ms, rtt_before_ns / 1e3, rtt_during_ns / 1e3, rtt_after_ns / 1e3 FROM events ORDER BY kind, run"
n=$(sql "$db" "SELECT count(*) FROM events e JOIN runs r ON r.id = e.run WHERE r.status = 'complete'")
[ "$n" = 6 ] || fail "want 6 events (2 link, 2 migrate, 2 hotplug), got $n"
bad=$(sql "$db" "SELECT count(*) FROM events WHERE kind NOT IN ('unplug', 'plug') AND (outage_ns IS NULL OR lost IS NULL OR done_ns IS NULL OR error IS NOT NULL)")
[ "$bad" = 0 ] || fail "$bad events without an outage, a loss count or a time"
down=$(sql "$db" "SELECT outage_ns FROM events WHERE kind = 'link-down'")
[ "$down" -gt 0 ] && [ "$down" -lt 1000000000 ] ||
	fail "the link-down switch's outage is $down ns: not a switch within its window"
mig=$(sql "$db" "SELECT count(*) FROM events WHERE kind = 'migrate' AND qemu_downtime_ms >= 0 AND qemu_total_ms > 0 AND outage_ns > 0")
[ "$mig" = 2 ] || fail "migrations without QEMU's downtime or the probes' outage: $(sql "$db" "SELECT * FROM events WHERE kind='migrate'")"

# unplug and plug of NIC 1 happened (QMP answered) and the probes came
# back after the plug. Whether the unplug itself lost probes is not
# asserted: in 2 of 3 runs here it lost none (see docs/metrics.md)
hp=$(sql "$db" "SELECT count(*) FROM events WHERE kind IN ('unplug', 'plug') AND done_ns IS NOT NULL AND took_ns IS NOT NULL AND error IS NULL")
back=$(sql "$db" "SELECT recovered = 1 AND lost < probes FROM events WHERE kind = 'plug'")
[ "$hp" = 2 ] && [ "$back" = 1 ] ||
	fail "unplug/plug of the probes' NIC: $(sql "$db" "SELECT * FROM events WHERE kind IN ('unplug', 'plug')")"

note "the report shows them"
"$IOV" report "$db" >"$WORK/report" 2>&1 || fail "report failed"
grep -q "outage" "$WORK/report" && grep -q "qemu_down" "$WORK/report" ||
	fail "the report lacks the events' columns: $(cat "$WORK/report")"
"$IOV" report "$db" --table events >/dev/null || fail "report --table events failed"

assert_no_leftovers
! pgrep -f "process=$PREFIX-" >/dev/null || fail "a QEMU was left: $(pgrep -af "process=$PREFIX-")"
echo "PASS"
