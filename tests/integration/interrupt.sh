#!/bin/bash
# SIGINT in the middle of a run: exit 130, the run in progress is not
# stored (a run is complete or absent), the testbed is removed.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itint

campaign "$WORK/c.yaml" int <<'YAML'
prober:
  warmup: 0
matrix:
  - dataplane: veth-bridge
    rate: 1k
    count: 3000
    repetitions: 4
YAML
db=$WORK/r.db
"$IOV" run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
	n=$(sql "$db" "SELECT count(*) FROM runs" 2>/dev/null || echo 0)
	[ "${n:-0}" -ge 1 ] && break
	kill -0 $pid 2>/dev/null || fail "the run ended early: $(cat "$WORK/out")"
	sleep 0.05
done
sleep 1 # well inside run 2 (3 s long)
kill -INT $pid
wait $pid
status=$?
[ $status = 130 ] || fail "exit status $status, want 130: $(cat "$WORK/out")"
grep -q "interrupted: 1 runs stored now, 3 to do" "$WORK/out" || fail "message: $(cat "$WORK/out")"
[ "$(sql "$db" "SELECT count(*) FROM runs")" = 1 ] || fail "a partial run was stored"
[ "$(sql "$db" "SELECT count(*) FROM probes")" = 3000 ] || fail "probes of a partial run were stored"
assert_no_leftovers
echo "PASS"
