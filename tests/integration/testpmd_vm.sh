#!/bin/bash
# The testpmd reflector in a VM guest (issue 13: "the guest image
# carries what its reflectors need"): dpdk-testpmd from the image, with
# its libraries and the DPDK drivers EAL loads as plugins
# (guest/image_progs.c), in macswap forwarding on DPDK's af_packet
# driver over the guest's emulated NIC, the code path a vfio-vf guest
# takes on real hardware but for the driver. One microvm pair on
# virtio-bridge (TCG here), 5k load frames for 1 s. Checks:
#  - the dry run starts `macswap testpmd` in the responder VM, without
#    --native (the NIC is not passed through);
#  - the run is complete: every load and latency frame came back,
#    testpmd's own count covers them, its mode is af_packet;
#  - nothing left.
# About 25 s here: two microvm boots under TCG and testpmd's start.
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
    reflector: testpmd
    size: 64
    rate: 5k
    runtime: 1
    repetitions: 1
YAML
db=$WORK/r.db

note "dry run: testpmd in the responder VM, on its kernel NIC"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
grep -q "start in $PREFIX-r-main: macswap testpmd --ready$" "$WORK/dry" ||
	fail "no testpmd in the responder VM: $(grep macswap "$WORK/dry")"

note "run"
"$IOV" -v run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1 ||
	fail "the run failed: $(tail -20 "$WORK/out"; tail -20 "$WORK/c.yaml.logs/"*r-main*.console 2>/dev/null)"
row=$(sql "$db" "SELECT sent_load, received_load, sent_latency, received_latency, reflected, reflector_mode
	FROM loadlat_runs l JOIN runs r ON r.id = l.run WHERE r.status = 'complete'")
echo "sent_load received_load sent_latency received_latency reflected mode: $row"
read -r sl rl slat rlat refl mode <<<"${row//|/ }"
[ -n "$sl" ] || fail "no complete run: $(sql "$db" "SELECT status, error FROM runs")"
[ "$sl" -ge 4900 ] || fail "only $sl load frames sent"
[ "$rl" = "$sl" ] && [ "$rlat" = "$slat" ] ||
	fail "frames lost in the VM's testpmd: load $rl of $sl, latency $rlat of $slat"
[ "$refl" -ge $((rl + rlat)) ] || fail "testpmd says it sent $refl, fewer than came back"
[ "$mode" = af_packet ] || fail "reflector mode '$mode', not af_packet"

cleanup
assert_no_leftovers
echo PASS
