#!/bin/bash
# Kill and resume, N times (default 30): a VM campaign (virtio-bridge and
# virtio-macvtap, microvm, ICMP and UDP) is started, killed with SIGKILL
# at a random moment (while VMs boot, while probes run, while guests are
# torn down), and started again. Counts the runs stored failed: each must
# be 0, since a resume may redo a run but never fail one. A campaign
# that completes is checked (every run once, every probe answered) and
# begun anew. Long (minutes): not in the suite; run as root:
#   IOVBENCH=build/iovbench tests/stress/kill_resume.sh [N]
# Uses the integration tests' lock and prefix scheme.
. "$(dirname "$0")/../integration/lib.sh"
require_root
command -v qemu-system-x86_64 >/dev/null || skip "needs qemu-system-x86_64"
N=${1:-30}
setup_test itkr
campaign "$WORK/c.yaml" killresume <<'YAML'
prober:
  warmup: 5
  timeout: 300ms
matrix:
  - dataplane: [virtio-bridge, virtio-macvtap]
    machine: microvm
    probe: [icmp, udp]
    rate: 200
    count: 200
    repetitions: 2
YAML
db=$WORK/r.db
failed_total=0 campaigns=0
for i in $(seq 1 "$N"); do
	"$IOV" -q run -r "$db" "$WORK/c.yaml" >"$WORK/out.$i" 2>&1 &
	pid=$!
	# 0.3 .. 9.9 s: boots, runs and teardowns all get hit
	sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.1f", 0.3 + (r % 97) / 10 }')"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	failed=$(sql "$db" "SELECT count(*) FROM runs WHERE status='failed'" 2>/dev/null || echo 0)
	complete=$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'" 2>/dev/null || echo 0)
	echo "cycle $i: $complete complete, $failed failed"
	if [ "${failed:-0}" != 0 ]; then
		sql "$db" "SELECT run_id, error FROM runs WHERE status='failed'"
		failed_total=$((failed_total + failed))
	fi
	if [ "${complete:-0}" = 8 ]; then
		bad=$(sql "$db" "SELECT count(*) FROM runs r JOIN probe_runs p ON p.run = r.id WHERE p.received != p.sent")
		[ "$bad" = 0 ] || fail "cycle $i: $bad complete runs lost probes"
		[ "$(sql "$db" "SELECT count(DISTINCT run_id) FROM runs")" = 8 ] || fail "cycle $i: runs twice"
		campaigns=$((campaigns + 1))
		rm -f "$db" "$db-wal" "$db-shm"
	fi
done
"$IOV" -q run -r "$db" "$WORK/c.yaml" >"$WORK/out.last" 2>&1 || fail "the last run failed: $(tail -5 "$WORK/out.last")"
assert_no_leftovers
echo "$N kill-and-resume cycles, $campaigns campaigns completed on the way: $failed_total failed runs"
[ $failed_total = 0 ] || fail "$failed_total runs failed"
echo PASS
