#!/bin/bash
# The throughput meter between VM guests (issue 11): one pair of microvm
# guests on virtio-bridge (TCG here), iperf3 from the image (with its
# libraries: guest/image_progs.c) started and collected through the
# agent, probes and CPU sampling under the load. Checks:
#  - the dry run lists the iperf3 server and client in the VMs;
#  - the run stores a pair row with a throughput and no error, probes
#    and CPU rows (latency under load);
#  - iperf3's received bytes and the counters agree within 2 % at the
#    tap (the responder's port) and at the VM's own eth0 (read by the
#    agent);
#  - nothing left.
# About 15 s here: two microvm boots under TCG and a 6 s run.
. "$(dirname "$0")/lib.sh"
require_root
command -v qemu-system-x86_64 >/dev/null || skip "needs qemu-system-x86_64"
command -v iperf3 >/dev/null ||
	skip "needs iperf3 on the host, for the guest image (scripts/deps)"
setup_test itvt

campaign "$WORK/c.yaml" tputvm <<'YAML'
prober:
  warmup: 5
  timeout: 500ms
matrix:
  - measure: throughput
    dataplane: virtio-bridge
    machine: microvm
    protocol: tcp
    runtime: 6
    count: 1000
    rate: 500
    repetitions: 1
YAML
db=$WORK/r.db

note "dry run: iperf3 in the VMs"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
grep -q "start in $PREFIX-r-main: iperf3 --server" "$WORK/dry" ||
	fail "no iperf3 server in the responder VM: $(grep iperf3 "$WORK/dry")"
grep -q "start in $PREFIX-s-main: iperf3 --client" "$WORK/dry" ||
	fail "no iperf3 client in the sender VM"

note "run"
start=$(date +%s)
"$IOV" -v run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1
status=$?
if grep -q "no guest image: .*\(download\|reachable\)" "$WORK/out"; then
	skip "the guest image cannot be built here (no Debian mirror)"
fi
[ $status = 0 ] || fail "run failed ($status): $(tail -20 "$WORK/out")"
echo "ran in $(( $(date +%s) - start )) s"

note "a pair row, probes and CPU under the load"
row=$(sql "$db" "SELECT received_bps, sent_bps, error FROM throughput_pairs")
echo "throughput_pairs: $row"
n=$(sql "$db" "SELECT count(*) FROM throughput_pairs WHERE error IS NULL AND received_bps > 0")
[ "$n" = 1 ] || fail "want 1 pair row with a throughput, got: $row"
probes=$(sql "$db" "SELECT count(*) FROM probes")
cpu=$(sql "$db" "SELECT count(*) FROM cpu")
echo "probes $probes, cpu rows $cpu"
[ "$probes" -ge 900 ] || fail "want the probes under load, got $probes"
[ "$cpu" -gt 0 ] || fail "no CPU rows"

note "iperf3 and the counters agree, at the tap and in the VM"
sql "$db" "SELECT point, ifname, direction, bytes, iperf3_bytes, diff_pct, why FROM throughput_counters ORDER BY point" | tee "$WORK/diff"
for point in responder-port responder-nic; do
	d=$(sql "$db" "SELECT diff_pct FROM throughput_counters WHERE point = '$point'")
	[ -n "$d" ] || fail "no figure at $point"
	awk -v d="$d" 'BEGIN { if (d < 0) d = -d; exit !(d <= 2) }' ||
		fail "iperf3 and the counters at $point differ by $d %"
done

"$IOV" testbed down "$WORK/c.yaml" >/dev/null 2>&1 || true
assert_no_leftovers
echo PASS
