#!/bin/bash
# The reflectors in a VM guest (issue 13: "the guest image carries what
# its reflectors need"), one microvm pair on virtio-bridge (TCG here),
# 5k load frames for 1 s each:
#  - testpmd: dpdk-testpmd from the image, with its libraries and the
#    DPDK drivers EAL loads as plugins (guest/image_progs.c), in macswap
#    forwarding on DPDK's af_packet driver over the guest's emulated NIC,
#    the code path a vfio-vf guest takes on real hardware but for the
#    driver;
#  - xdp: the BPF program loaded by iovbench-guest's static libbpf,
#    generic mode on the guest's eth0.
# Checks:
#  - the dry run starts `macswap testpmd` and `macswap xdp` in the
#    responder VM, without --native (the NIC is not passed through);
#  - each run is complete: every load and latency frame came back, the
#    reflector's own count covers them, its mode is af_packet / generic;
#  - nothing left.
# About 25 s here: two microvm boots under TCG and two runs.
. "$(dirname "$0")/lib.sh"
require_root
command -v qemu-system-x86_64 >/dev/null || skip "needs qemu-system-x86_64"
command -v dpdk-testpmd >/dev/null ||
	skip "needs dpdk-testpmd on the host, for the guest image (scripts/deps: dpdk-dev)"
setup_test ittp

campaign "$WORK/c.yaml" testpmdvm <<'YAML'
matrix:
  - measure: loadlat
    dataplane: virtio-bridge
    machine: microvm
    reflector: [testpmd, xdp]
    size: 64
    rate: 5k
    runtime: 1
    repetitions: 1
YAML
db=$WORK/r.db

note "dry run: both reflectors in the responder VM, on its kernel NIC"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
for r in testpmd xdp; do
	grep -q "start in $PREFIX-r-main: macswap $r --ready$" "$WORK/dry" ||
		fail "no $r in the responder VM: $(grep macswap "$WORK/dry")"
done

note "run"
"$IOV" -v run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1 ||
	fail "the run failed: $(tail -20 "$WORK/out"; tail -20 "$WORK/c.yaml.logs/"*r-main*.console 2>/dev/null)"
[ "$(sql "$db" "SELECT count(*) FROM runs WHERE status = 'complete'")" = 2 ] ||
	fail "want 2 complete runs: $(sql "$db" "SELECT status, error FROM runs")"
for r in testpmd:af_packet xdp:generic; do
	row=$(sql "$db" "SELECT sent_load, received_load, sent_latency, received_latency, reflected, reflector_mode
		FROM loadlat_runs l JOIN runs r ON r.id = l.run JOIN tests t ON t.id = r.test_id
		WHERE r.status = 'complete' AND t.reflector = '${r%:*}'")
	echo "${r%:*}: sent_load received_load sent_latency received_latency reflected mode: $row"
	read -r sl rl slat rlat refl mode <<<"${row//|/ }"
	[ -n "$sl" ] || fail "${r%:*}: no complete run"
	[ "$sl" -ge 4900 ] || fail "${r%:*}: only $sl load frames sent"
	[ "$rl" = "$sl" ] && [ "$rlat" = "$slat" ] ||
		fail "${r%:*}: frames lost in the VM: load $rl of $sl, latency $rlat of $slat"
	[ "$refl" -ge $((rl + rlat)) ] || fail "${r%:*} says it sent $refl, fewer than came back"
	[ "$mode" = "${r#*:}" ] || fail "${r%:*}: reflector mode '$mode', not ${r#*:}"
done

cleanup
assert_no_leftovers
echo PASS
