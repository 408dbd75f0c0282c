#!/bin/bash
# The real-testbed pieces of the load-latency method that this machine
# can run (issue 13): the testpmd reflector (Debian's dpdk-testpmd in
# macswap forwarding, on DPDK's af_packet driver over the container
# guest's eth0: the code path of a vfio-bound VF in a VM but the port),
# a warm-up before each run and a loss threshold of the load limit; and
# the refusal of the external generators (MoonGen, TRex) here. Checks:
#  - plan refuses generator moongen on the local testbed, with the reason;
#  - the dry run starts `macswap testpmd` and a warm-up loadgen run;
#  - testpmd reflects: mode af_packet, its counters stored, loss <= 1 %;
#  - the warm-up's load is not counted but testpmd saw it: it reflected
#    more than the measured run sent;
#  - nothing is left (namespaces, DPDK's runtime directory).
. "$(dirname "$0")/lib.sh"
require_root
command -v dpdk-testpmd >/dev/null ||
	skip "dpdk-testpmd is not installed (Debian's dpdk-dev package)"
command -v stdbuf >/dev/null || skip "stdbuf (coreutils) is not installed"
setup_test iovrt

campaign "$WORK/c.yaml" loadlat-real <<'YAML'
matrix:
  - measure: loadlat
    dataplane: veth-bridge
    reflector: testpmd
    size: 64
    rate: 20k
    runtime: 1
    warmup: 1
    loss_threshold: 0.5%
    repetitions: 2
  - measure: loadlat
    dataplane: veth-bridge
    generator: moongen
    cooldown: 0
YAML
db=$WORK/results.db

note "plan: moongen refused here, with the reason"
"$IOV" plan "$WORK/c.yaml" >"$WORK/plan" 2>&1 || fail "plan: $(cat "$WORK/plan")"
grep -q "not runnable: generator moongen needs MoonGen on a DPDK port" "$WORK/plan" ||
	fail "no refusal of moongen: $(cat "$WORK/plan")"

note "dry run: testpmd, the warm-up and the measured load"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
grep -q "macswap testpmd --ready" "$WORK/dry" || fail "no testpmd in the dry run"
[ "$(grep -c "loadgen --to .* --rate 20000 --size 64 --runtime 1s" "$WORK/dry")" = 4 ] ||
	fail "want a warm-up and a measured loadgen per run: $(grep loadgen "$WORK/dry")"

note "run: 2 repetitions through testpmd"
"$IOV" run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1 || {
	cat "$WORK/out"
	fail "the campaign failed"
}
n=$(sql "$db" "SELECT count(*) FROM runs r JOIN loadlat_runs l ON l.run = r.id WHERE r.status='complete'")
[ "$n" = 2 ] || fail "want 2 load-latency runs, got $n: $(cat "$WORK/out")"
sql "$db" "SELECT reflector_mode, sent_load + sent_latency, received_load + received_latency,
	reflected, loss_pct FROM loadlat_runs" >"$WORK/rows"
while IFS='|' read -r mode sent back refl loss; do
	[ "$mode" = af_packet ] || fail "reflector mode '$mode'"
	awk -v l="$loss" 'BEGIN { exit !(l <= 1) }' || fail "loss $loss % through testpmd"
	# the warm-up's frames went through testpmd too
	[ "$refl" -gt "$sent" ] || fail "testpmd reflected $refl, the run sent $sent: no warm-up?"
	note "testpmd: sent $sent, back $back, reflected $refl (with the warm-up), loss $loss %"
done <"$WORK/rows"

note "the report: a load limit at the 0.5 % threshold"
"$IOV" report --csv "$db" >"$WORK/csv" || fail "report failed"
limit=$(awk -F, '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["reflector"] == "testpmd" { print $c["loadlat_load_limit_pps"] }' "$WORK/csv")
[ "$limit" = 20000 ] || fail "load limit '$limit', want 20000"
grep -q "loss_threshold" "$WORK/csv" || fail "no loss_threshold column in the report"

"$IOV" testbed down "$WORK/c.yaml" >/dev/null 2>&1 || true
ls -d /var/run/dpdk/iovbench-testpmd-* 2>/dev/null && fail "DPDK's runtime directory left"
assert_no_leftovers
