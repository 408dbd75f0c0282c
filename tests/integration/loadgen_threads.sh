#!/bin/bash
# The builtin generator with two sending threads (testbed.loadgen_threads,
# `iovbench loadgen --threads 2`): the runner passes --threads, the two
# TX rings together send the offered rate (each half of it), the latency
# frames (from the first thread) come back, the totals are reported as
# for one thread, and veth's refusal of hardware stamps is recorded as
# the software sources. Nothing left behind.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itgq

campaign "$WORK/c.yaml" loadgen-threads <<'YAML'
testbed:
  loadgen_threads: 2
matrix:
  - measure: loadlat
    dataplane: veth-bridge
    size: 64
    rate: 20k
    runtime: 2
    repetitions: 1
YAML
db=$WORK/results.db

note "dry run: the generator with --threads 2"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
grep -q "loadgen --to .* --rate 20000 .* --threads 2 --ready" "$WORK/dry" ||
	fail "no --threads 2 in the dry run: $(grep loadgen "$WORK/dry")"

note "run: one test, one run, two sending threads"
"$IOV" -q run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1 || fail "run failed: $(tail -20 "$WORK/out")"
row=$(sql "$db" "SELECT l.sent_load || ' ' || l.offered || ' ' || l.received_latency || ' ' ||
	l.sent_latency || ' ' || l.loss_pct || ' ' || l.tx_stamp || ' ' || l.rx_stamp
	FROM loadlat_runs l JOIN runs r ON l.run = r.id WHERE r.status = 'complete'")
read -r sent offered rlat slat loss txs rxs <<<"$row"
[ -n "$sent" ] || fail "no complete load-latency run"
note "sent $sent of $offered offered; latency frames $rlat of $slat back; loss $loss %; stamps $txs/$rxs"
awk -v s="$sent" -v o="$offered" 'BEGIN { exit !(o > 0 && s >= 0.98 * o && s <= 1.01 * o) }' ||
	fail "two threads sent $sent load frames of $offered offered"
awk -v l="$loss" 'BEGIN { exit !(l <= 1) }' || fail "loss $loss % at 20k"
[ "$slat" -ge 1500 ] && [ "$rlat" -ge $((slat * 99 / 100)) ] ||
	fail "latency frames: $rlat of $slat back"
[ "$txs $rxs" = "user kernel" ] || fail "stamps '$txs $rxs', want 'user kernel' (veth: no hardware stamps)"
"$IOV" testbed down "$WORK/c.yaml" >/dev/null 2>&1 || true
assert_no_leftovers
