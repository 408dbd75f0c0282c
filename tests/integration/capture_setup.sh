#!/bin/bash
# Capture points that live for a setup (capture --runs): each point's
# `iovbench capture` starts once per setup, not per run, while every
# run still gets exactly its own frames (counts per run, not
# accumulated, every probe of every run matched); the setup's warm-up
# exchange is not in any run's frames, nor, with prober.warmup_once, any
# warm-up; nothing is left when the campaign ends, and a runner killed
# with SIGKILL leaves no capture.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itpc

count=200
warmup=5
reps=4
campaign "$WORK/c.yaml" capture-setup <<YAML
prober:
  warmup: $warmup
  timeout: 1s
  capture_ports: true
matrix:
  - dataplane: [veth-bridge, macvlan]
    probe: [icmp, udp]
    count: $count
    rate: 1k
    repetitions: $reps
YAML

# The capture processes in the servers' namespaces (their command lines
# name no prefix: the namespace is the spawn's, not an argument).
captures() {
	local ns pid
	for ns in $(ip netns list | awk '{print $1}' | grep "^$PREFIX-"); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
				grep -q "iovbench capture .*--runs" && echo "$pid"
		done
	done
}

db=$WORK/r.db
"$IOV" -q run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1 &
runner=$!
: >"$WORK/pids"
while kill -0 $runner 2>/dev/null; do
	captures >>"$WORK/pids"
	sleep 0.05
done
wait $runner || fail "run failed: $(tail -20 "$WORK/out")"
runs=$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")
[ "$runs" = $((4 * reps)) ] || fail "want $((4 * reps)) complete runs, got $runs"

note "one capture per point and setup: $(sort -u "$WORK/pids" | wc -l) processes for $runs runs"
n=$(sort -u "$WORK/pids" | wc -l)
# veth-bridge: 4 points (NICs and ports), macvlan: 2 (no ports); a
# capture per run would be 4 * 2 * reps + 2 * 2 * reps of them
[ "$n" -ge 2 ] || fail "saw $n capture processes: the sampling missed them"
[ "$n" -le 6 ] || fail "$n capture processes for 2 setups of 6 points"

note "every run's points saw exactly its probes"
bad=$(sql "$db" "SELECT r.id, c.point, c.requests, c.replies, c.expected_requests, c.expected_replies, c.repeats FROM captures c JOIN runs r ON c.run = r.id WHERE c.available = 1 AND (c.requests != c.expected_requests OR c.replies != c.expected_replies OR c.repeats != 0 OR c.wrong_way != 0 OR c.drops != 0)")
[ -z "$bad" ] || fail "points that missed or repeated probes: $bad"
# a run's frames are its probes' and warm-up probes' (request and reply),
# and its preflight's (a few), not the runs' before it nor the
# setup's warm-up exchange (20 probes)
bad=$(sql "$db" "SELECT r.id, c.point, c.frames FROM captures c JOIN runs r ON c.run = r.id WHERE c.available = 1 AND (c.frames < 2 * ($count + $warmup) OR c.frames > 2 * ($count + $warmup) + 20)")
[ -z "$bad" ] || fail "runs whose frames are not their own probes': $bad"
n=$(sql "$db" "SELECT count(*) FROM probes q LEFT JOIN probe_splits p USING (run, seq) WHERE p.response_ns IS NULL OR p.wire_ns IS NULL")
[ "$n" = 0 ] || fail "$n probes without a response or wire time"

note "nothing left after the campaign"
[ -z "$(captures)" ] || fail "capture processes left: $(captures)"
"$IOV" -q testbed down --prefix "$PREFIX" >/dev/null 2>&1

note "prober.warmup_once: a run is its probes only, the warm-up is the setup's"
campaign "$WORK/once.yaml" capture-once <<YAML
prober:
  warmup: $warmup
  warmup_once: true
  timeout: 1s
matrix:
  - dataplane: veth-bridge
    probe: icmp
    count: $count
    rate: 1k
    repetitions: 3
YAML
"$IOV" -q run --results "$WORK/once.db" "$WORK/once.yaml" >"$WORK/once" 2>&1 ||
	fail "run failed: $(tail -20 "$WORK/once")"
bad=$(sql "$WORK/once.db" "SELECT r.id, c.point, c.frames, c.requests, c.expected_requests FROM captures c JOIN runs r ON c.run = r.id WHERE c.available = 1 AND (c.frames < 2 * $count OR c.frames > 2 * $count + 20 OR c.requests != c.expected_requests OR c.replies != c.expected_replies)")
[ -z "$bad" ] || fail "warmup_once: runs with warm-up frames or unmatched probes: $bad"
n=$(sql "$WORK/once.db" "SELECT count(*) FROM probes")
[ "$n" = $((3 * count)) ] || fail "warmup_once: $n probes stored, want $((3 * count))"
"$IOV" -q testbed down --prefix "$PREFIX" >/dev/null 2>&1

note "capture: off runs have no capture on their path"
campaign "$WORK/off.yaml" capture-off <<YAML
prober:
  warmup: $warmup
  timeout: 1s
matrix:
  - dataplane: veth-bridge
    probe: icmp
    capture: [on, off]
    count: 500
    rate: 1k
    repetitions: 2
YAML
"$IOV" -q run --results "$WORK/off.db" "$WORK/off.yaml" >"$WORK/off" 2>&1 &
runner=$!
: >"$WORK/samples"
while kill -0 $runner 2>/dev/null; do
	echo "$(date +%s%N) $(captures | wc -l)" >>"$WORK/samples"
	sleep 0.02
done
wait $runner || fail "run failed: $(tail -20 "$WORK/off")"
# the probes' window (warm-up included: 10 ms before the first's time);
# the run's own start stops the setup's captures first
sql "$WORK/off.db" "SELECT min(q.t_sched) - 10000000, max(q.t_rx) FROM probes q JOIN runs r ON r.id = q.run JOIN tests t ON t.id = r.test_id WHERE t.capture = 'off' AND r.status = 'complete' GROUP BY r.id" >"$WORK/off-runs"
[ "$(wc -l <"$WORK/off-runs")" = 2 ] || fail "want 2 capture: off runs"
bad=$(awk -F'[| ]' 'NR == FNR { s[NR] = $1; e[NR] = $2; n = NR; next }
	{ for (i = 1; i <= n; i++) if ($1 > s[i] && $1 < e[i] && $2 > 0) print }' \
	"$WORK/off-runs" "$WORK/samples" | head -3)
[ -z "$bad" ] || fail "captures ran during a capture: off run: $bad"
n=$(awk -F'[| ]' 'NR == FNR { s[NR] = $1; e[NR] = $2; n = NR; next }
	{ for (i = 1; i <= n; i++) if ($1 > s[i] && $1 < e[i]) c++ } END { print c + 0 }' \
	"$WORK/off-runs" "$WORK/samples")
[ "$n" -gt 5 ] || fail "only $n samples within the capture: off runs"
"$IOV" -q testbed down --prefix "$PREFIX" >/dev/null 2>&1

note "a runner killed with SIGKILL leaves no capture"
rm -f "$db"
"$IOV" -q run --results "$db" "$WORK/c.yaml" >"$WORK/out2" 2>&1 &
runner=$!
wait_complete "$db" 2 $runner || fail "no 2 runs: $(tail -5 "$WORK/out2")"
[ -n "$(captures)" ] || fail "no capture running between runs"
kill -9 $runner
wait $runner 2>/dev/null
for _ in $(seq 1 40); do
	[ -z "$(captures)" ] && break
	sleep 0.05
done
[ -z "$(captures)" ] || fail "captures outlived their runner: $(captures)"
"$IOV" -q testbed down --prefix "$PREFIX" >/dev/null 2>&1
assert_no_leftovers
echo PASS
