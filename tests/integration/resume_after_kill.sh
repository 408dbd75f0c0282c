#!/bin/bash
# A campaign of 2 data planes x 2 rates x 3 repetitions stores 12 runs.
# SIGKILL in the middle, run again: exactly 12 complete runs, none of
# those finished before the kill redone, nothing left behind.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itkill

campaign "$WORK/c.yaml" resume <<'YAML'
prober:
  warmup: 5
  timeout: 200ms
matrix:
  - dataplane: [veth-bridge, macvlan]
    rate: [1k, 2k]
    count: 400
    repetitions: 3
YAML
db=$WORK/results.db

note "start, then kill -9 once 4 runs are stored"
"$IOV" -q run --results "$db" "$WORK/c.yaml" >"$WORK/out1" 2>&1 &
pid=$!
wait_complete "$db" 4 $pid
kill -9 $pid 2>/dev/null || fail "the campaign ended before it could be killed"
wait $pid 2>/dev/null
before=$(sql "$db" "SELECT run_id || ' ' || started_ns FROM runs WHERE status='complete' ORDER BY run_id")
nbefore=$(echo "$before" | grep -c .)
note "killed with $nbefore complete runs"
[ "$nbefore" -ge 4 ] && [ "$nbefore" -lt 12 ] || fail "expected 4..11 runs before the kill, got $nbefore"
[ -n "$(leftovers)" ] || fail "the kill left no testbed: the test proves nothing"

note "run again: resumes, cleans the crash's leftovers"
"$IOV" run --results "$db" "$WORK/c.yaml" >"$WORK/out2" 2>&1 || {
	cat "$WORK/out2"
	fail "second run failed"
}
grep -q "resuming: $nbefore runs already complete" "$WORK/out2" ||
	fail "the second run did not say it resumed: $(cat "$WORK/out2")"

total=$(sql "$db" "SELECT count(*) FROM runs")
complete=$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")
distinct=$(sql "$db" "SELECT count(DISTINCT run_id) FROM runs")
[ "$total" = 12 ] && [ "$complete" = 12 ] && [ "$distinct" = 12 ] ||
	fail "want 12 complete distinct runs, got total=$total complete=$complete distinct=$distinct"

after=$(sql "$db" "SELECT run_id || ' ' || started_ns FROM runs ORDER BY run_id")
echo "$before" | while read -r line; do
	echo "$after" | grep -qx "$line" || fail "run redone or changed: $line"
done || exit 1

# every complete run holds all its probes, once
bad=$(sql "$db" "SELECT r.run_id FROM runs r LEFT JOIN probes p ON p.run = r.id GROUP BY r.id HAVING count(p.seq) != 400 OR count(DISTINCT p.seq) != 400")
[ -z "$bad" ] || fail "runs with missing or extra probes: $bad"

note "a third run has nothing to do"
"$IOV" run --results "$db" "$WORK/c.yaml" >"$WORK/out3" 2>&1 || fail "third run failed"
grep -q "nothing to do: all 12 runs are complete" "$WORK/out3" || fail "third run did work: $(cat "$WORK/out3")"
[ "$(sql "$db" "SELECT count(*) FROM runs")" = 12 ] || fail "third run changed the runs"

assert_no_leftovers
echo "PASS"
