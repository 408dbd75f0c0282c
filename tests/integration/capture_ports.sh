#!/bin/bash
# Capture points at the main guests' ports (prober.capture_ports): a
# container's veth port and a VM's macvtap (whose frames go the other
# way round from a tap's) see every probe once; each server's part
# splits into host and guest with rsp_host + rsp_guest = response for
# every probe; a macvlan guest's ports are recorded as unavailable with
# the reason; every point writes its pcap.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itcp

vm=yes
command -v qemu-system-x86_64 >/dev/null || vm=no
campaign "$WORK/c.yaml" ports <<YAML
prober:
  warmup: 5
  timeout: 1s
  capture_ports: true
  pcap: true
matrix:
  - dataplane: [veth-bridge, macvlan]
    probe: [icmp, udp]
    count: 300
    rate: 1k
    repetitions: 1
$([ $vm = yes ] && printf '%s\n' "  - dataplane: virtio-macvtap" \
	"    machine: microvm" "    probe: [icmp, udp]" "    count: 100" \
	"    rate: 1k" "    repetitions: 1")
YAML
db=$WORK/r.db
"$IOV" run --results "$db" "$WORK/c.yaml" >"$WORK/out" 2>&1
status=$?
if grep -q "no guest image: .*\(download\|reachable\)" "$WORK/out"; then
	skip "the guest image cannot be built here (no Debian mirror)"
fi
[ $status = 0 ] || fail "run failed ($status): $(tail -20 "$WORK/out")"
want_runs=4
[ $vm = yes ] && want_runs=6
runs=$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")
[ "$runs" = $want_runs ] || fail "want $want_runs complete runs, got $runs"

note "every port saw every probe once, both ways"
bad=$(sql "$db" "SELECT t.dataplane, c.point, c.requests, c.replies, c.expected_requests, c.repeats, c.wrong_way FROM captures c JOIN runs r ON c.run = r.id JOIN tests t ON r.test_id = t.id WHERE c.available = 1 AND (c.requests != c.expected_requests OR c.replies != c.expected_replies OR c.repeats != 0 OR c.wrong_way != 0)")
[ -z "$bad" ] || fail "points that missed or repeated probes: $bad"
ports=$(sql "$db" "SELECT count(*) FROM captures WHERE point LIKE '%-port' AND available = 1 AND pcap IS NOT NULL")
[ "$ports" = $((2 * (want_runs - 2))) ] || fail "want $((2 * (want_runs - 2))) available ports with a pcap, got $ports"

note "macvlan: no port on the host, said so"
reason=$(sql "$db" "SELECT DISTINCT c.reason FROM captures c JOIN runs r ON c.run = r.id JOIN tests t ON r.test_id = t.id WHERE t.dataplane = 'macvlan' AND c.point LIKE '%-port'")
[ "$reason" = "a macvlan guest has no link of its own on the host" ] ||
	fail "macvlan ports: '$reason'"
n=$(sql "$db" "SELECT count(*) FROM probes q LEFT JOIN probe_splits p USING (run, seq) JOIN runs r ON q.run = r.id JOIN tests t ON r.test_id = t.id WHERE t.dataplane = 'macvlan' AND (p.snd_host_ns IS NOT NULL OR p.rsp_guest_ns IS NOT NULL)")
[ "$n" = 0 ] || fail "macvlan probes with port durations: $n"

note "each server's part splits into host and guest, for every probe"
sql "$db" "SELECT t.dataplane, t.probe, count(*), sum(p.rsp_host_ns + p.rsp_guest_ns = p.response_ns), sum(p.snd_host_ns >= 0 AND p.rsp_host_ns >= 0 AND p.rsp_guest_ns >= 0), sum(p.snd_host_ns <= p.overhead_ns) FROM probes q LEFT JOIN probe_splits p USING (run, seq) JOIN runs r ON q.run = r.id JOIN tests t ON r.test_id = t.id WHERE t.dataplane != 'macvlan' GROUP BY 1, 2" >"$WORK/split"
cat "$WORK/split"
[ "$(grep -c . "$WORK/split")" = $((want_runs - 2)) ] || fail "want $((want_runs - 2)) tests with ports"
while IFS='|' read -r dp probe n sum nonneg within; do
	[ "$sum" = "$n" ] || fail "$dp/$probe: rsp_host + rsp_guest != response for $((n - sum)) of $n probes"
	[ "$nonneg" = "$n" ] || fail "$dp/$probe: negative port durations in $((n - nonneg)) of $n probes"
	[ "$within" = "$n" ] || fail "$dp/$probe: snd_host > overhead in $((n - within)) of $n probes"
done <"$WORK/split"

"$IOV" report "$db" | grep -q "rguest_p50" || fail "the report lacks the port columns"
assert_no_leftovers
echo PASS
