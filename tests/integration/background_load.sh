#!/bin/bash
# The paper's full factor set on container guests: background 0 and 2 per
# server (on VFs and on the PF's bridge), load_type cpu and net,
# load_location sender and responder. Checks what issue 4 asks:
#  - CPU busy% of the host rises with cpu load;
#  - the net load achieved is stored for every generator, and was real;
#  - RTT overhead and response time exist for the bridge data plane and
#    every probe satisfies RTT >= RTT at the sender NIC >= response time;
#  - at 100 kpps the capture points account for every probe frame;
#  - the report shows it, and nothing is left behind.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itbg

campaign "$WORK/c.yaml" background <<'YAML'
prober:
  warmup: 10
  timeout: 500ms
  pcap: true
load:
  net_rate: 5k
  settle: 100ms
matrix:
  - name: quiet
    dataplane: veth-bridge
    probe: [icmp, udp]
    rate: 1k
    count: 300
    repetitions: 2
  - name: loaded
    background: 2
    background_dataplane: [bridge, vf]
    dataplane: veth-bridge
    load_type: [cpu, net]
    load_location: [sender, responder]
    probe: icmp
    rate: 1k
    count: 300
    repetitions: 2
  - name: fast
    dataplane: veth-bridge
    probe: icmp
    rate: 100k
    count: 20000
    repetitions: 1
YAML
db=$WORK/results.db

note "run: 2 quiet + 8 loaded tests x 2 repetitions + 1 at 100 kpps"
"$IOV" run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1 || {
	cat "$WORK/out"
	fail "the campaign failed"
}
n=$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")
[ "$n" = 21 ] || fail "want 21 complete runs, got $n"

note "CPU busy% rises with cpu load"
busy() { # load_type
	sql "$db" "SELECT CAST(round(avg(100 - c.idle)) AS INTEGER) FROM cpu c JOIN runs r ON c.run = r.id
		JOIN tests t ON r.test_id = t.id WHERE c.cpu = 'all' AND t.rate = 1000 AND t.load_type = '$1'"
}
quiet=$(busy none) loaded=$(busy cpu)
note "busy: $quiet% without load, $loaded% with cpu load"
# the prober busy-waits on one of this machine's two CPUs: quiet is ~50%
[ "$loaded" -ge $((quiet + 20)) ] || [ "$loaded" -ge 97 ] ||
	fail "cpu load did not raise CPU busy% ($quiet -> $loaded)"
sql "$db" "SELECT l.guest, round(l.cpu_seconds, 3), round(l.seconds, 3) FROM loads l
	WHERE l.role = 'cpu'" >"$WORK/cpu"
cpus=$(grep -c . "$WORK/cpu")
[ "$cpus" = 16 ] || fail "want 16 busy loops (8 runs x 2 guests), got $cpus"
# each loop spins 100%, sharing 2 CPUs with the prober and the other loop
idle=$(awk -F'|' '$2 < 0.3 * $3' "$WORK/cpu")
[ -z "$idle" ] || fail "busy loops that hardly ran (guest|cpu s|s): $idle"

note "net load achieved is stored, per generator"
rows=$(sql "$db" "SELECT count(*) FROM loads l JOIN runs r ON l.run = r.id JOIN tests t ON r.test_id = t.id
	WHERE t.load_type = 'net'")
[ "$rows" = 32 ] || fail "want 32 net load rows (8 runs x 2 senders + 2 sinks), got $rows"
low=$(sql "$db" "SELECT count(*) FROM loads WHERE role IN ('net', 'sink') AND (pps < 2500 OR bps <= 0)")
[ "$low" = 0 ] || fail "$low net generators achieved less than half of 5 kpps"
# bursts arrive at the loaded server: its background guests are the sinks
wrong=$(sql "$db" "SELECT count(*) FROM loads l JOIN runs r ON l.run = r.id JOIN tests t ON r.test_id = t.id
	WHERE l.role = 'sink' AND l.server != t.load_location")
[ "$wrong" = 0 ] || fail "$wrong sinks are not on the loaded server"

note "the RTT split: RTT >= RTT at the sender NIC >= response time"
sql "$db" "SELECT count(*), sum(rtt_nic_ns IS NULL), sum(response_ns IS NULL),
	sum(rtt_ns < rtt_nic_ns), sum(rtt_nic_ns < response_ns) FROM probes LEFT JOIN probe_splits USING (run, seq) WHERE rtt_ns IS NOT NULL" >"$WORK/split"
IFS='|' read -r total nonic noresp bad1 bad2 <"$WORK/split"
note "$total answered probes; without NIC RTT $nonic, without response $noresp; violations $bad1, $bad2"
[ "$nonic" = 0 ] && [ "$noresp" = 0 ] || fail "probes without the split"
[ "$bad1" = 0 ] && [ "$bad2" = 0 ] || fail "probes violate RTT >= RTT at NIC >= response time"

note "at 100 kpps the capture points account for every probe frame"
sql "$db" "SELECT c.point, c.requests, c.expected_requests, c.replies, c.expected_replies, c.drops
	FROM captures c JOIN runs r ON c.run = r.id JOIN tests t ON r.test_id = t.id
	WHERE t.rate = 100000" >"$WORK/fast"
cat "$WORK/fast"
[ "$(grep -c . "$WORK/fast")" = 2 ] || fail "want 2 capture points for the 100 kpps run"
while IFS='|' read -r point req ereq rep erep drops; do
	[ "$req" = "$ereq" ] && [ "$rep" = "$erep" ] && [ "$drops" = 0 ] ||
		fail "$point saw $req/$ereq requests, $rep/$erep replies, $drops drops"
	[ "$ereq" -ge 19000 ] || fail "$point: only $ereq probes sent of 20000"
done <"$WORK/fast"

note "pcap files are readable"
pcap=$(sql "$db" "SELECT pcap FROM captures WHERE pcap IS NOT NULL LIMIT 1")
[ -s "$pcap" ] || fail "no pcap file ($pcap)"
[ "$(head -c 4 "$pcap" | od -An -tx1 | tr -d ' ')" = "4d3cb2a1" ] || fail "$pcap is not a nanosecond pcap"

note "report and exports"
"$IOV" report "$db" >"$WORK/report" || fail "report failed"
grep -q "ovh_p50" "$WORK/report" && grep -q "busy%_s" "$WORK/report" || fail "the report lacks the split or CPU"
"$IOV" report --csv "$db" >"$WORK/report.csv" || fail "csv report failed"
head -1 "$WORK/report.csv" | grep -q "interference_p50_us" || fail "the CSV lacks interference"
for t in captures loads cpu; do
	"$IOV" report --table $t --csv "$db" >"$WORK/$t.csv" || fail "export of $t failed"
	[ "$(grep -c . "$WORK/$t.csv")" -gt 1 ] || fail "export of $t is empty"
done
# QEMU processes only: container guests have none
"$IOV" report --table processes --csv "$db" >/dev/null || fail "export of processes failed"

[ -z "$(leftovers)" ] || fail "left behind: $(leftovers)"
echo PASS
