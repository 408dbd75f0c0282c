#!/bin/bash
# Events in a throughput run (issue 11): one pair of microvm guests on
# virtio-bridge (TCG here; events act on VMs over QMP), a 3 s TCP load
# from iperf3 at --interval 0.1, probes under it, and the responder's
# NIC down at 1 s of the probes and up again 300 ms later. Checks:
#  - the dry run lists the client with --interval 0.1 and the events;
#  - each event has its row with the probes' figures, and the load's:
#    the link-down's throughput before it > 0 and its dip > 0, the
#    link-up's throughput after it > 0;
#  - the report shows the largest dip (text and JSON);
#  - nothing left.
. "$(dirname "$0")/lib.sh"
require_root
command -v qemu-system-x86_64 >/dev/null || skip "needs qemu-system-x86_64"
command -v iperf3 >/dev/null ||
	skip "needs iperf3 on the host, for the guest image (scripts/deps)"
setup_test itte

campaign "$WORK/c.yaml" tputev <<'YAML'
prober:
  warmup: 5
  timeout: 500ms
matrix:
  - measure: throughput
    dataplane: virtio-bridge
    machine: microvm
    protocol: tcp
    runtime: 3
    count: 1000
    rate: 500
    events: "1s link-down responder.0; 1.3s link-up responder.0"
    repetitions: 1
YAML
db=$WORK/r.db

note "dry run: iperf3 with short intervals, the events"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
grep -q "start in $PREFIX-s-main: iperf3 --client .* --interval 0.1" "$WORK/dry" ||
	fail "no client with --interval 0.1: $(grep iperf3 "$WORK/dry")"
grep -q "QMP set_link" "$WORK/dry" || fail "no set_link in the dry run"

note "run"
"$IOV" -v run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1
status=$?
if grep -q "no guest image: .*\(download\|reachable\)" "$WORK/out"; then
	skip "the guest image cannot be built here (no Debian mirror)"
fi
[ $status = 0 ] || fail "run failed ($status): $(tail -20 "$WORK/out")"

note "each event: the probes' figures and the load's"
sql "$db" "SELECT kind, outage_ns / 1e6, lost, tput_before_bps / 1e6, tput_during_bps / 1e6, tput_after_bps / 1e6, tput_lowest_bps / 1e6, tput_dip_pct, error FROM events ORDER BY event" | tee "$WORK/ev"
[ "$(grep -c . "$WORK/ev")" = 2 ] || fail "want 2 events"
ok=$(sql "$db" "SELECT count(*) FROM events WHERE kind = 'link-down' AND error IS NULL AND outage_ns > 0 AND tput_before_bps > 0 AND tput_dip_pct > 0")
[ "$ok" = 1 ] || fail "the link-down has no throughput before it or no dip"
ok=$(sql "$db" "SELECT count(*) FROM events WHERE kind = 'link-up' AND error IS NULL AND tput_after_bps > 0")
[ "$ok" = 1 ] || fail "the link-up has no throughput after it"
n=$(sql "$db" "SELECT count(*) FROM throughput_pairs WHERE error IS NULL AND received_bps > 0")
[ "$n" = 1 ] || fail "want the pair's row with a throughput"

note "the report: the largest dip"
"$IOV" report "$db" >"$WORK/report" 2>&1 || fail "report failed"
grep -q "tput_dip" "$WORK/report" || fail "no tput_dip in the report: $(cat "$WORK/report")"
"$IOV" report --json "$db" >"$WORK/report.json" 2>&1 || fail "report --json failed"
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
assert "event_tput_dip_pct" in s, "no event_tput_dip_pct"' "$WORK/report.json" ||
	fail "the JSON report lacks event_tput_dip_pct"

"$IOV" testbed down "$WORK/c.yaml" >/dev/null 2>&1 || true
assert_no_leftovers
echo PASS
