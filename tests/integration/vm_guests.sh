#!/bin/bash
# QEMU main guests on the local testbed: a pc and a microvm setup on
# virtio-bridge, ICMP and UDP between the two VMs across the wire. Each
# setup boots its two VMs once (boots = 2 x setups); vhost=on, which this
# host cannot do, is refused with the reason while the rest runs; the VMs
# quit cleanly over QMP and nothing is left behind; the sender VM's agent
# runs one prober for the setup's runs; each run stores the
# two QEMU processes' CPU time; the VMs' NICs are stored as noqueue.
. "$(dirname "$0")/lib.sh"
require_root
command -v qemu-system-x86_64 >/dev/null || skip "needs qemu-system-x86_64"
setup_test itvm

campaign "$WORK/c.yaml" vmtest <<'YAML'
prober:
  warmup: 5
  timeout: 500ms
matrix:
  - dataplane: virtio-bridge
    machine: [pc, microvm]
    probe: [icmp, udp]
    count: 100
    repetitions: 1
  - dataplane: virtio-bridge
    vhost: on
    count: 100
    repetitions: 1
YAML
db=$WORK/r.db

vhost=no
[ -e /dev/vhost-net ] && vhost=yes
"$IOV" -v run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1
status=$?
if grep -q "no guest image: .*\(download\|reachable\)" "$WORK/out"; then
	skip "the guest image cannot be built here (no Debian mirror)"
fi
[ $status = 0 ] || fail "run failed ($status): $(tail -20 "$WORK/out")"

complete=$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")
if [ $vhost = no ]; then
	[ "$complete" = 4 ] || fail "want 4 complete runs, got $complete: $(tail -20 "$WORK/out")"
	refused=$(sql "$db" "SELECT error FROM runs WHERE status='refused'")
	echo "$refused" | grep -q "vhost=on needs /dev/vhost-net" ||
		fail "vhost=on was not refused with its reason: '$refused'"
	grep -q "refused: .*vhost=on" "$WORK/out" || fail "the refusal was not said"
fi

# both probe kinds crossed the wire between the VMs, nothing lost
bad=$(sql "$db" "SELECT run_id FROM runs LEFT JOIN probe_runs ON probe_runs.run = runs.id WHERE status='complete' AND (ifnull(received, -1) != 100 OR ifnull(tx_stamped, -1) != 100)")
[ -z "$bad" ] || fail "runs with lost probes or stamps: $bad"
for m in pc microvm; do
	for p in icmp udp; do
		n=$(sql "$db" "SELECT count(*) FROM runs r JOIN tests t ON r.test_id = t.id WHERE r.status='complete' AND t.machine='$m' AND t.probe='$p'")
		[ "$n" = 1 ] || fail "no complete $m/$p run"
	done
done

# one boot per VM per setup, the accelerator recorded with every run
setups=$(grep -c "setting up guests: virtio-bridge" "$WORK/out")
boots=$(sql "$db" "SELECT max(json_extract(setup, '\$.boots')) FROM runs WHERE status='complete'")
[ "$setups" = 2 ] || fail "want 2 setups, got $setups"
[ "$boots" = 4 ] || fail "want 4 VM boots (2 setups x 2 VMs), got $boots"
noaccel=$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete' AND json_extract(setup, '\$.accel') NOT IN ('tcg', 'kvm')")
[ "$noaccel" = 0 ] || fail "runs without an accelerator recorded"

# each run has both QEMU processes' CPU time (from /proc/PID/stat through
# QEMU's pid file); under TCG a VM that answered probes spent some
procs=$(sql "$db" "SELECT count(*) FROM processes p JOIN runs r ON p.run = r.id WHERE r.status='complete' AND p.role='main' AND p.cpu_seconds > 0 AND p.seconds > 0 AND p.pid > 0")
[ "$procs" = 8 ] || fail "want 8 QEMU process rows (4 runs x 2 VMs), got $procs"

# consoles kept with the results, showing the boot
for log in $(sql "$db" "SELECT DISTINCT json_extract(setup, '\$.console.sender') FROM runs WHERE status='complete'"); do
	grep -q "iovbench-init: ready" "$log" || fail "console $log lacks the boot"
	# one prober served the setup's exchange and both its runs (no
	# exec per run), and its records streamed back through the agent
	n=$(grep -ac "agent: the prober of this guest serves" "$log")
	[ "$n" = 1 ] || fail "console $log: $n probers started in the sender VM, want 1"
done

# the image's /init made the VMs' NICs noqueue (the guest kernel boots
# them with fq_codel): every stored qdisc is noqueue, none distorts
qd=$(sql "$db" "SELECT DISTINCT value || ' ' || distorts FROM host_settings h JOIN runs r ON h.run = r.id WHERE r.status='complete' AND h.setting = 'qdisc' AND h.server != 'testbed'")
[ -n "$qd" ] || fail "no qdisc stored with the runs"
echo "$qd" | grep -v "^noqueue ([0-9]* links) 0$" &&
	fail "a qdisc other than noqueue on the path (guest/eth0?): $qd"

# every QEMU quit cleanly over QMP
clean=$(grep -c "QEMU exited cleanly" "$WORK/out")
[ "$clean" = 4 ] || fail "want 4 clean QEMU exits, got $clean: $(grep QEMU "$WORK/out")"
assert_no_leftovers
pgrep -f "qemu-system.*itvm" >/dev/null && fail "QEMU left running"
echo "PASS"
