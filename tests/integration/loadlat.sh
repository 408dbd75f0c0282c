#!/bin/bash
# A load-latency sweep on a container data plane (issue 13): loadgen in
# the sender's main guest, the afpacket reflector in the responder's. At
# 20 kpps the path carries everything; at 1 Mpps (past what this 2-core
# machine's veth path carries) the generator falls short or frames are
# lost, so the load limit of the series is 20k. Checks:
#  - SIGKILL during the campaign and a second run: every run once;
#  - every run stored with its summary and histogram rows;
#  - a run's histogram counts every latency frame that came back;
#  - the test's accumulated histogram (iovbench hist, latency_ns,count)
#    is the sum of its runs';
#  - the report shows rates, loss, percentiles and the load limit;
#  - the xdp reflector reflects (generic mode, recorded);
#  - veth refuses hardware stamps: every run records the software
#    sources (tx_stamp user, rx_stamp kernel at 20k);
#  - the dry run lists the reflector and the generator; nothing left.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itll

campaign "$WORK/c.yaml" loadlat <<'YAML'
matrix:
  - measure: loadlat
    dataplane: veth-bridge
    size: 64
    rate: [20k, 1M]
    runtime: 1
    repetitions: 2
  - measure: loadlat
    dataplane: veth-bridge
    reflector: xdp
    rate: 20k
    runtime: 1
    repetitions: 1
YAML
db=$WORK/results.db

note "dry run: the reflector and the generator"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
grep -q "macswap afpacket --ready" "$WORK/dry" || fail "no reflector in the dry run"
grep -q "loadgen --to .* --rate 1000000 --size 64 --runtime 1s" "$WORK/dry" ||
	fail "no generator in the dry run"

note "run: 2 tests x 2 repetitions (afpacket), 1 run (xdp); kill -9 after the first"
kill_after "$db" 1 "$WORK/c.yaml" -q
[ "$KILLED_N" -ge 1 ] && [ "$KILLED_N" -lt 5 ] || fail "expected 1..4 runs before the kill, got $KILLED_N"
resume_once "$db" "$WORK/c.yaml" 5
n=$(sql "$db" "SELECT count(*) FROM runs r JOIN loadlat_runs l ON l.run = r.id WHERE r.status='complete'")
[ "$n" = 5 ] || fail "want 5 load-latency runs, got $n"
mode=$(sql "$db" "SELECT reflector_mode || ' ' || reflected FROM loadlat_runs l JOIN runs r ON l.run = r.id
	JOIN tests t ON r.test_id = t.id WHERE t.reflector = 'xdp'")
case $mode in "generic "[1-9]*) ;; *) fail "the xdp reflector's run: '$mode'" ;; esac

note "veth stamps nothing in hardware: the runs record the software sources"
stamps=$(sql "$db" "SELECT group_concat(DISTINCT tx_stamp) FROM loadlat_runs")
[ "$stamps" = user ] || fail "tx_stamp: '$stamps', want user (the fallback)"
hw=$(sql "$db" "SELECT count(*) FROM loadlat_runs WHERE rx_stamp IS NULL OR rx_stamp = 'hardware'")
[ "$hw" = 0 ] || fail "$hw runs say hardware (or nothing) for rx_stamp on veth"
stamps=$(sql "$db" "SELECT group_concat(DISTINCT l.rx_stamp) FROM loadlat_runs l JOIN runs r ON l.run = r.id
	JOIN tests t ON r.test_id = t.id WHERE t.rate = 20000")
[ "$stamps" = kernel ] || fail "rx_stamp at 20k: '$stamps', want kernel"

note "a run's histogram holds every latency frame that came back"
bad=$(sql "$db" "SELECT count(*) FROM loadlat_runs l WHERE received_latency !=
	(SELECT coalesce(sum(frames), 0) FROM loadlat_histograms h WHERE h.run = l.run)")
[ "$bad" = 0 ] || fail "$bad runs' histograms miss frames"
low=$(sql "$db" "SELECT min(received_latency) FROM loadlat_runs l JOIN runs r ON l.run = r.id
	JOIN tests t ON r.test_id = t.id WHERE t.rate = 20000")
[ "$low" -ge 1000 ] || fail "at 20k only $low latency frames came back"

note "the report: rates, loss, percentiles, load limit"
"$IOV" report --csv "$db" >"$WORK/csv" || fail "report failed"
col() { # NAME RATE [REFLECTOR]
	awk -F, -v name="$1" -v rate="$2" -v refl="${3:-afpacket}" '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["rate"] == rate && $c["reflector"] == refl { print $c[name] }' "$WORK/csv"
}
loss20=$(col loadlat_loss_pct 20000)
awk -v l="$loss20" 'BEGIN { exit !(l <= 1) }' || fail "loss $loss20 % at 20k"
sent1m=$(col loadlat_sent_pps 1000000)
loss1m=$(col loadlat_loss_pct 1000000)
awk -v s="$sent1m" -v l="$loss1m" 'BEGIN { exit !(s < 990000 || l > 1) }' ||
	fail "1 Mpps carried in full ($sent1m pps sent, $loss1m % lost): no limit passed"
limit=$(col loadlat_load_limit_pps 1000000)
[ "$limit" = 20000 ] || fail "load limit $limit, want 20000"
p50=$(col loadlat_p50_us 20000)
p99=$(col loadlat_p99_us 20000)
awk -v a="$p50" -v b="$p99" 'BEGIN { exit !(a > 0 && b >= a) }' ||
	fail "percentiles p50 $p50 p99 $p99"
lossx=$(col loadlat_loss_pct 20000 xdp)
awk -v l="$lossx" 'BEGIN { exit !(l <= 1) }' || fail "xdp: loss $lossx % at 20k"
note "20k: loss $loss20 %, p50 $p50 us, p99 $p99 us; 1M: sent $sent1m pps, loss $loss1m %; limit $limit"

note "the accumulated histogram is the sum of the runs' (by bucket)"
tid=$(sql "$db" "SELECT t.id FROM tests t WHERE t.rate = 20000 AND t.reflector IS NOT 'xdp'")
"$IOV" hist "$db" "$tid" >"$WORK/hist" || fail "iovbench hist failed"
[ "$(head -1 "$WORK/hist")" = "latency_ns,count" ] || fail "not a latency_ns,count CSV"
sql "$db" "SELECT h.value_ns || ',' || sum(h.frames) FROM loadlat_histograms h
	JOIN runs r ON h.run = r.id WHERE r.test_id = '$tid' AND h.frames > 0
	GROUP BY h.value_ns ORDER BY h.value_ns" >"$WORK/want"
tail -n +2 "$WORK/hist" | diff - "$WORK/want" >/dev/null ||
	fail "the test's histogram is not the sum of its runs'"
"$IOV" testbed down "$WORK/c.yaml" >/dev/null 2>&1 || true
assert_no_leftovers
