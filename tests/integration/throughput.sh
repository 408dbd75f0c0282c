#!/bin/bash
# The throughput meter (issue 11) on the container data planes, a small
# version of examples/sriov-vs-virtio.yaml (plus macvlan): iperf3
# from each measured pair's sender guest to its responder guest, probes
# and CPU sampling under the load, 1 and 4 pairs. Checks:
#  - the dry run lists an iperf3 server and client per pair;
#  - SIGKILL during the campaign and a second run: every run once;
#  - every run has a row per pair, and probes and CPU rows (latency
#    under load);
#  - TCP: iperf3's received bytes and the interface counters' payload at
#    the receiver's NIC (and its port on the host) agree within 2 %;
#    UDP below the path's limit: with what was sent too;
#  - the report: Jain's index over 4 pairs in (0.25, 1], and the
#    interference of pair 1 as pairs are added;
#  - nothing left.
. "$(dirname "$0")/lib.sh"
require_root
command -v iperf3 >/dev/null || skip "needs iperf3 (scripts/deps)"
setup_test iovtq

campaign "$WORK/c.yaml" throughput <<'YAML'
matrix:
  - measure: throughput
    dataplane: [veth-bridge, macvlan, vf-netns]
    protocol: tcp
    pairs: [1, 4]
    runtime: 2
    count: 500
    rate: 1k
    repetitions: 1
  - measure: throughput
    dataplane: vf-netns
    protocol: udp
    message: 1400
    bitrate: 50M
    runtime: 2
    count: 200
    rate: 1k
    repetitions: 1
YAML
db=$WORK/results.db

note "dry run: an iperf3 server and client per pair"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
for p in main p2 p3 p4; do
	grep -q "start in $PREFIX-r-$p: iperf3 --server" "$WORK/dry" ||
		fail "no iperf3 server in $PREFIX-r-$p"
	grep -q "start in $PREFIX-s-$p: iperf3 --client" "$WORK/dry" ||
		fail "no iperf3 client in $PREFIX-s-$p"
done
grep -q "iperf3 --client .* --udp --length 1400 --bitrate 50000000" "$WORK/dry" ||
	fail "no UDP client in the dry run"

note "run: 7 tests, 1 run each; kill -9 after the first"
kill_after "$db" 1 "$WORK/c.yaml" -q
resume_once "$db" "$WORK/c.yaml" 7

note "a row per pair, probes and CPU under the load"
n=$(sql "$db" "SELECT count(*) FROM throughput_pairs WHERE error IS NULL AND received_bps > 0")
[ "$n" = 16 ] || fail "want 16 pair rows (3 x (1+4) + 1), got $n"
bad=$(sql "$db" "SELECT count(*) FROM runs r WHERE
	(SELECT count(*) FROM probes p WHERE p.run = r.id) < 200 OR
	(SELECT count(*) FROM cpu c WHERE c.run = r.id) = 0")
[ "$bad" = 0 ] || fail "$bad runs without probes or CPU rows"

note "iperf3 and the interface counters agree"
sql "$db" "SELECT t.dataplane, t.protocol, k.pair, k.point, k.diff_pct, k.sent_diff_pct
	FROM throughput_counters k JOIN runs r ON k.run = r.id JOIN tests t ON r.test_id = t.id
	WHERE k.diff_pct IS NOT NULL ORDER BY 1, 2, 3, 4" >"$WORK/diff"
cat "$WORK/diff"
# veth-bridge, vf-netns: 2 points per pair (NIC, port), macvlan: 1
# (NIC): 10 + 5 + 10 + 2
[ "$(grep -c . "$WORK/diff")" = 27 ] || fail "want 27 counter points with figures"
awk -F'|' '{ d = $5 < 0 ? -$5 : $5; s = $6 < 0 ? -$6 : $6 }
	d > 2 || ($2 == "udp" && s > 2) { print; bad = 1 } END { exit bad }' "$WORK/diff" ||
	fail "counters and iperf3 differ by more than 2 %"
why=$(sql "$db" "SELECT DISTINCT why FROM throughput_counters WHERE diff_pct IS NULL")
[ "$why" = "a macvlan guest has no link of its own on the host" ] ||
	fail "a point without figures says: '$why'"

note "the report: Jain's index over 4 pairs, interference"
"$IOV" report --csv "$db" >"$WORK/csv" || fail "report failed"
col() { # NAME DATAPLANE PROTOCOL PAIRS
	awk -F, -v name="$1" -v dp="$2" -v proto="$3" -v pairs="$4" '{ sub(/\r$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["dataplane"] == dp && ($c["protocol"] == proto || $c["protocol"] == "") &&
		($c["pairs"] == pairs || ($c["pairs"] == "" && pairs == 1)) { print $c[name] }' "$WORK/csv"
}
for dp in veth-bridge macvlan vf-netns; do
	jain=$(col tput_jain $dp tcp 4)
	intf=$(col tput_interference_pct $dp tcp 4)
	one=$(col tput_mbps $dp tcp 1)
	four=$(col tput_mbps $dp tcp 4)
	note "$dp: 1 pair $one Mbit/s; 4 pairs $four Mbit/s, Jain $jain, pair 1 changed $intf %"
	awk -v j="$jain" 'BEGIN { exit !(j > 0.25 && j <= 1) }' || fail "$dp: Jain's index '$jain'"
	awk -v i="$intf" 'BEGIN { exit !(i != "" && i > -100 && i < 100) }' || fail "$dp: interference '$intf'"
	awk -v x="$one" 'BEGIN { exit !(x > 0) }' || fail "$dp: no throughput"
done
"$IOV" report "$db" >"$WORK/text" || fail "text report failed"
grep -q "pair_jain" "$WORK/text" || fail "the text report has no Jain column"
"$IOV" report --table throughput_pairs "$db" >/dev/null || fail "no throughput_pairs export"
"$IOV" report --table throughput_counters "$db" >/dev/null || fail "no throughput_counters export"

"$IOV" testbed down "$WORK/c.yaml" >/dev/null 2>&1 || true
assert_no_leftovers
echo PASS
