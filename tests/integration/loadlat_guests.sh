#!/bin/bash
# Several guests under test in a load-latency test (issue 13, item 6):
# `guests: 2` on veth-bridge starts the reflector in the responder's main
# guest and in PREFIX-r-p2; the builtin generator spreads its load and
# latency frames over both, frame by frame. Checks:
#  - plan: guests refused in an rtt matrix, with the reason;
#  - the dry run starts a reflector in each guest and loadgen --to A,B;
#  - per run, a loadlat_guests row per guest: both received load, their
#    counts sum to the run's, loss and latency percentiles stored;
#  - each guest's histogram holds every latency frame it got back;
#  - the report: guests 2, Jain's index in [0.5, 1], per-guest loss
#    and p99 lists;
#  - a run with size: imix (issue 13, item 1): the test stores the mix,
#    the bits sent per second are the mix's mean size (353.8 B) x 8 x
#    the frames per second, the frames come back; nothing left.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itmg

campaign "$WORK/c.yaml" loadlat-guests <<'YAML'
matrix:
  - measure: loadlat
    dataplane: veth-bridge
    guests: 2
    rate: 20k
    runtime: 1
    repetitions: 2
  - measure: loadlat
    dataplane: veth-bridge
    size: imix
    rate: 10k
    runtime: 1
    repetitions: 1
YAML
db=$WORK/results.db

note "plan: guests belongs to loadlat matrices"
campaign "$WORK/bad.yaml" loadlat-guests-bad <<'YAML'
matrix:
  - dataplane: veth-bridge
    guests: 2
YAML
"$IOV" plan "$WORK/bad.yaml" >"$WORK/plan" 2>&1 || true
grep -q "not runnable: guests does not apply to rtt matrices" "$WORK/plan" ||
	fail "guests in an rtt matrix not refused: $(cat "$WORK/plan")"

note "dry run: a reflector in each guest, loadgen to both"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
grep -q "start in $PREFIX-r-main: macswap afpacket --ready" "$WORK/dry" ||
	fail "no reflector in the main guest"
grep -q "start in $PREFIX-r-p2: macswap afpacket --ready" "$WORK/dry" ||
	fail "no reflector in the second guest"
grep -q "loadgen --to 198.18.0.2,198.18.0.21 --rate 20000" "$WORK/dry" ||
	fail "the generator does not go to both guests: $(grep loadgen "$WORK/dry")"
grep -q "loadgen --to 198.18.0.2 --rate 10000 --size imix" "$WORK/dry" ||
	fail "the generator is not given the mix: $(grep loadgen "$WORK/dry")"

note "run: 2 guests, 2 repetitions at 20 kpps; imix, 1 run at 10 kpps"
"$IOV" run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1 || {
	cat "$WORK/out"
	fail "the campaign failed"
}
n=$(sql "$db" "SELECT count(*) FROM loadlat_guests")
[ "$n" = 4 ] || fail "want 4 guest rows (2 runs x 2 guests), got $n"
low=$(sql "$db" "SELECT min(received_load) FROM loadlat_guests")
[ "$low" -gt 1000 ] || fail "a guest received only $low load frames"
names=$(sql "$db" "SELECT group_concat(DISTINCT guest) FROM loadlat_guests")
case $names in *"$PREFIX-r-main"*"$PREFIX-r-p2"* | *"$PREFIX-r-p2"*"$PREFIX-r-main"*) ;;
*) fail "guest rows of '$names'" ;; esac
bad=$(sql "$db" "SELECT count(*) FROM loadlat_runs l WHERE
	received_load != (SELECT sum(received_load) FROM loadlat_guests g WHERE g.run = l.run) OR
	sent_load != (SELECT sum(sent_load) FROM loadlat_guests g WHERE g.run = l.run) OR
	received_latency != (SELECT sum(received_latency) FROM loadlat_guests g WHERE g.run = l.run)")
[ "$bad" = 0 ] || fail "$bad runs whose counts are not the sums of their guests'"
bad=$(sql "$db" "SELECT count(*) FROM loadlat_guests WHERE loss_pct IS NULL OR
	latency_p50_ns IS NULL OR latency_p99_ns < latency_p50_ns OR reflected < received_load")
[ "$bad" = 0 ] || fail "$bad guest rows without loss, percentiles or reflector counts"
bad=$(sql "$db" "SELECT count(*) FROM loadlat_guests g WHERE received_latency !=
	(SELECT coalesce(sum(frames), 0) FROM loadlat_guest_histograms h
	 WHERE h.run = g.run AND h.guest_index = g.guest_index)")
[ "$bad" = 0 ] || fail "$bad guests' histograms miss frames"
sql "$db" "SELECT guest || ' recv_load=' || received_load || ' loss=' || round(loss_pct, 3) ||
	' p50=' || latency_p50_ns || ' p99=' || latency_p99_ns FROM loadlat_guests" |
	while read -r l; do note "  $l"; done

note "the report: Jain's index, per-guest loss and p99"
"$IOV" report --csv "$db" >"$WORK/csv" || fail "report failed"
col() { # NAME: its value in the guests test (the one at 20k)
	awk -F, -v name="$1" '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["rate"] == 20000 { print $c[name] }' "$WORK/csv"
}
[ "$(col loadlat_guests)" = 2 ] || fail "report: guests '$(col loadlat_guests)'"
jain=$(col loadlat_jain_index)
awk -v j="$jain" 'BEGIN { exit !(j >= 0.5 && j <= 1) }' || fail "Jain's index '$jain'"
"$IOV" report --json "$db" >"$WORK/json" || fail "report --json failed"
grep -q '"loadlat_guest_loss_pct"' "$WORK/json" || fail "no per-guest loss in the JSON report"
"$IOV" report "$db" >"$WORK/text" || fail "report failed"
grep -q "jain" "$WORK/text" || fail "no jain column in the text report"
note "jain $jain; guests' loss $(col loadlat_guest_loss_pct), p99 $(col loadlat_guest_p99_us) us"
note "imix: the mix stored, its bit rate, its frames back"
row=$(sql "$db" "SELECT t.size || ' ' || l.sent_pps || ' ' || l.sent_bps || ' ' || l.received_load || ' ' || l.sent_load
	FROM loadlat_runs l JOIN runs r ON l.run = r.id JOIN tests t ON r.test_id = t.id WHERE t.size = 'imix'")
read -r size pps bps recv sent <<<"$row"
[ "$size" = imix ] || fail "the imix run's test has size '$size'"
mean=$(awk -v p="$pps" -v b="$bps" 'BEGIN { if (p > 0) printf "%.1f", b / 8 / p }')
awk -v m="$mean" 'BEGIN { exit !(m > 350 && m < 358) }' ||
	fail "imix: $bps bps at $pps pps is a mean frame of $mean B, not 353.8"
awk -v r="$recv" -v s="$sent" 'BEGIN { exit !(s > 5000 && r >= 0.99 * s) }' ||
	fail "imix: $recv of $sent load frames came back"
no=$(sql "$db" "SELECT count(*) FROM loadlat_guests g JOIN runs r ON g.run = r.id JOIN tests t ON r.test_id = t.id
	WHERE t.size = 'imix'")
[ "$no" = 0 ] || fail "a one-guest run has $no guest rows"
note "imix: $sent sent, $recv back, $pps pps, $bps bps: mean frame $mean B"
"$IOV" testbed down "$WORK/c.yaml" >/dev/null 2>&1 || true
assert_no_leftovers
