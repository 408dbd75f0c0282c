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
kill_after "$db" 4 "$WORK/c.yaml" -q
[ "$KILLED_N" -ge 4 ] && [ "$KILLED_N" -lt 12 ] || fail "expected 4..11 runs before the kill, got $KILLED_N"
[ -n "$(leftovers)" ] || fail "the kill left no testbed: the test proves nothing"

note "run again: resumes, cleans the crash's leftovers"
resume_once "$db" "$WORK/c.yaml" 12

# every complete run holds all its probes, once
bad=$(sql "$db" "SELECT r.run_id FROM runs r LEFT JOIN probes p ON p.run = r.id GROUP BY r.id HAVING count(p.seq) != 400 OR count(DISTINCT p.seq) != 400")
[ -z "$bad" ] || fail "runs with missing or extra probes: $bad"

note "a third run has nothing to do"
"$IOV" run --results "$db" "$WORK/c.yaml" >"$WORK/out3" 2>&1 || fail "third run failed"
grep -q "nothing to do: all 12 runs are complete" "$WORK/out3" || fail "third run did work: $(cat "$WORK/out3")"
[ "$(sql "$db" "SELECT count(*) FROM runs")" = 12 ] || fail "third run changed the runs"

assert_no_leftovers
echo "PASS"
