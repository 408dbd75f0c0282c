#!/bin/bash
# report --html of a load-latency sweep draws autotest's plots: latency,
# carried load, loss and CPU against the offered load per series, and the
# load limits as bars; the RTT figures (box, CDF, scatter, Kendall) are
# not drawn for tests that sent no probes. The bars hold the load limit
# that `report --json` gives. A 20 kpps run is carried here; 1 Mpps is
# past what this machine's veth path carries.
. "$(dirname "$0")/lib.sh"
require_root
command -v gnuplot >/dev/null || skip "needs gnuplot (gnuplot-nox)"
command -v jq >/dev/null || skip "needs jq"
setup_test ithl

campaign "$WORK/c.yaml" html-loadlat <<'YAML'
matrix:
  - measure: loadlat
    dataplane: [veth-bridge, macvlan]
    size: 64
    rate: [20k, 1M]
    runtime: 1
    repetitions: 1
YAML
db=$WORK/r.db
"$IOV" -q run --results "$db" "$WORK/c.yaml" >"$WORK/run" 2>&1 ||
	fail "run: $(tail -5 "$WORK/run")"
out=$WORK/out
"$IOV" report --html "$out" "$db" >"$WORK/stdout" 2>"$WORK/stderr" ||
	fail "report --html: exit $? $(cat "$WORK/stderr")"
grep -q "undefined" "$WORK/stderr" && fail "gnuplot drew an empty figure: $(cat "$WORK/stderr")"
for fig in fig-ll-latency-0 fig-ll-rates-0 fig-ll-loss-0 fig-cpu-rate-0 fig-ll-limit-0; do
	[ -s "$out/$fig.svg" ] || fail "no $fig.svg ($(ls "$out"))"
	grep -q "<svg" "$out/$fig.svg" || fail "$fig.svg is no SVG"
done
for fig in fig-rtt-box fig-rtt-cdf fig-rtt-scatter fig-kendall; do
	ls "$out/$fig"-* >/dev/null 2>&1 && fail "$fig drawn for tests without probes"
done
# a row per data plane in the data of the latency figure: two blocks
[ "$(grep -c '^[0-9]' "$out/fig-ll-latency-0.dat")" = 4 ] ||
	fail "latency data: $(cat "$out/fig-ll-latency-0.dat")"

note "the bars hold report --json's load limits"
"$IOV" report --json "$db" >"$WORK/json" || fail "report --json"
for dp in veth-bridge macvlan; do
	want=$(jq -r --arg dp "$dp" '[.[] | select(.dataplane == $dp and .rate == 20000)][0].loadlat_load_limit_pps // 0' "$WORK/json")
	got=$(awk -v dp="\"$dp\"" '$3 == dp {print $2 * 1000}' "$out/fig-ll-limit-0.dat")
	[ -n "$got" ] || fail "no bar for $dp: $(cat "$out/fig-ll-limit-0.dat")"
	awk -v a="$want" -v b="$got" 'BEGIN {exit !(a == b)}' ||
		fail "$dp: bar $got pps, report says $want"
	note "$dp: load limit $got pps"
done
grep -q "fig-ll-limit-0" "$out/index.html" || fail "the page lacks the load-limit figure"
"$IOV" -q testbed down --prefix "$PREFIX" >/dev/null 2>&1
assert_no_leftovers
echo "ok"
