#!/bin/bash
# Host hygiene and the observer's own cost, recorded with every run:
# - doctor on fake sysfs trees (tests/data/hygiene) warns on each
#   setting that distorts and on none of a tuned host's, and on a
#   namespace's links, a queueing qdisc and RPS;
# - a campaign with capture: [on, off] on veth-bridge and macvlan stores
#   every server's settings and the pinning per run (host_settings), the
#   report shows them in its header and gives the capture points' cost
#   per data plane (capture_cost_us, text and JSON);
# - UDP runs store the reflector's wake-up they had (wakeup factor);
# - with a distorting tree (IOVBENCH_SYSROOT), run warns, and with
#   prober.refuse_distorting stores the runs failed with the reason.
. "$(dirname "$0")/lib.sh"
require_root
setup_test ithy
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$SRC/tests/data/hygiene

note "doctor on fake trees"
"$IOV" doctor --root "$DATA/distorting" >"$WORK/doc" || fail "doctor failed"
for s in governor turbo cstates smt bridge_nf rps; do
	grep -q "^$s  *warn " "$WORK/doc" || fail "doctor does not warn on $s: $(grep "^$s" "$WORK/doc")"
done
grep -q "^busy_poll  *ok " "$WORK/doc" || fail "busy_poll is not ok"
"$IOV" doctor --root "$DATA/tuned" >"$WORK/doc2" || fail "doctor failed"
! grep -q " warn " "$WORK/doc2" || fail "doctor warns on a tuned host: $(grep ' warn ' "$WORK/doc2")"

note "doctor and iovbench hygiene on this namespace's links: a queueing qdisc and RPS warn"
ip netns add ithy-q
ip -n ithy-q link add ithy-qa type veth peer name ithy-qb
ip -n ithy-q link set ithy-qa up
ip -n ithy-q link set ithy-qb up
tc -n ithy-q qdisc replace dev ithy-qa root pfifo_fast
"$IOV" hygiene -n ithy-q >"$WORK/hyg" || fail "iovbench hygiene failed"
grep -q "^/net/-/ithy-qa/qdisc:pfifo_fast$" "$WORK/hyg" || fail "no qdisc line: $(cat "$WORK/hyg")"
grep -q "^/net/-/ithy-qb/gro:" "$WORK/hyg" || fail "no offload line: $(cat "$WORK/hyg")"
grep -q "^/sys/class/net/ithy-qa/queues/rx-0/rps_cpus:" "$WORK/hyg" ||
	fail "the namespace's own sysfs was not read: $(grep rps_cpus "$WORK/hyg")"
ip netns exec ithy-q sh -c 'echo 1 >/sys/class/net/ithy-qb/queues/rx-0/rps_cpus'
ip netns exec ithy-q "$IOV" doctor >"$WORK/qdoc" || fail "doctor failed"
grep -q "^qdisc  *warn  *noqueue (1 link), pfifo_fast (1 link: ithy-qa)" "$WORK/qdoc" || fail "doctor: $(grep '^qdisc' "$WORK/qdoc")"
grep -q "^rps  *warn  *on (1 of [0-9]* queues, ithy-qb/" "$WORK/qdoc" || fail "doctor: $(grep '^rps' "$WORK/qdoc")"
grep -q "^offloads  *ok  *gro off.*; 2 links" "$WORK/qdoc" || fail "doctor: $(grep '^offloads' "$WORK/qdoc")"
ip netns del ithy-q

campaign "$WORK/c.yaml" hy <<'YAML'
prober:
  warmup: 20
matrix:
  - dataplane: [veth-bridge, macvlan]
    capture: [on, off]
    rate: 2k
    count: 2000
    repetitions: 2
  - dataplane: veth-bridge
    probe: udp
    wakeup: [block, busy-poll]
    rate: 1k
    count: 500
    repetitions: 1
YAML
note "a campaign stores the settings with every run"
"$IOV" run -r "$WORK/r.db" "$WORK/c.yaml" >"$WORK/run" 2>&1 || fail "run: $(cat "$WORK/run")"
runs=$(sql "$WORK/r.db" "SELECT count(*) FROM runs WHERE status = 'complete'")
[ "$runs" = 10 ] || fail "$runs complete runs, not 10: $(cat "$WORK/run")"
bad=$(sql "$WORK/r.db" "SELECT count(*) FROM runs WHERE (SELECT count(*) FROM host_settings h WHERE h.run = runs.id) != 23")
[ "$bad" = 0 ] || fail "$bad runs without their 23 settings rows"
nf=$(sql "$WORK/r.db" "SELECT DISTINCT value FROM host_settings WHERE setting = 'bridge_nf'")
case $nf in off*) ;; *) fail "the testbed's namespaces have bridge_nf '$nf'" ;; esac
# the links of the path: the testbed makes them noqueue, and reads the
# offloads of the servers' links and of the guests' NICs
qd=$(sql "$WORK/r.db" "SELECT DISTINCT value || ' ' || distorts FROM host_settings WHERE setting = 'qdisc'")
case $qd in "noqueue ("*" links) 0") ;; *) fail "the testbed's qdiscs: '$qd'" ;; esac
off=$(sql "$WORK/r.db" "SELECT value FROM host_settings WHERE setting = 'offloads' LIMIT 1")
case $off in *"gro "*"tx-csum "*"links") ;; *) fail "offloads: '$off'" ;; esac
[ "$(sql "$WORK/r.db" "SELECT count(*) FROM host_settings WHERE setting IN ('offloads', 'queues', 'rps') AND value LIKE 'absent%'")" = 0 ] ||
	fail "link settings absent: $(sql "$WORK/r.db" "SELECT DISTINCT setting, value FROM host_settings WHERE value LIKE 'absent%'")"
sql "$WORK/r.db" "SELECT DISTINCT server, setting, value, distorts FROM host_settings ORDER BY 1, 2"

note "the report: settings in its header, the capture points' cost per data plane"
"$IOV" report "$WORK/r.db" >"$WORK/rep" || fail "report failed"
cat "$WORK/rep"
grep -q "^host settings of the runs" "$WORK/rep" || fail "no settings header"
grep -q "^  governor " "$WORK/rep" || fail "no governor in the header"
grep -q "cap_cost" "$WORK/rep" || fail "no cap_cost column"
"$IOV" report --json "$WORK/r.db" >"$WORK/rep.json" || fail "report --json failed"
for dp in veth-bridge macvlan; do
	cost=$(python3 -c '
import json, sys
rows = [t for t in json.load(open(sys.argv[1]))
        if t.get("dataplane") == sys.argv[2] and t.get("capture", "on") == "on"
        and t.get("probe", "icmp") == "icmp"]
print(rows[0].get("capture_cost_us") if rows else "MISSING")' "$WORK/rep.json" $dp)
	note "$dp: capture points add $cost us to the RTT p50"
	python3 -c 'import sys; float(sys.argv[1])' "$cost" 2>/dev/null ||
		fail "$dp: no capture_cost_us ($cost)"
done

"$IOV" report --html "$WORK/html" "$WORK/r.db" >/dev/null 2>&1 || fail "report --html failed"
grep -q "Host settings of the runs: bridge_nf" "$WORK/html/index.html" ||
	fail "the HTML report does not give the host settings"

note "UDP runs say how the reflector woke"
w=$(sql "$WORK/r.db" "SELECT group_concat(wakeup, ',') FROM (SELECT DISTINCT wakeup FROM probe_runs WHERE wakeup IS NOT NULL ORDER BY wakeup)")
[ "$w" = "block,busy-poll" ] || fail "stored wake-ups '$w', not block,busy-poll"

note "a distorting host: warned, or refused when asked"
campaign "$WORK/d.yaml" hyd <<'YAML'
matrix:
  - dataplane: veth-bridge
    count: 100
    repetitions: 1
YAML
IOVBENCH_SYSROOT=$DATA/distorting "$IOV" run -r "$WORK/d.db" "$WORK/d.yaml" >"$WORK/drun" 2>&1 ||
	fail "run: $(cat "$WORK/drun")"
grep -q "turbo on (intel_pstate) distorts the latency" "$WORK/drun" || fail "no warning: $(cat "$WORK/drun")"
[ "$(sql "$WORK/d.db" "SELECT count(*) FROM host_settings WHERE distorts = 1")" = 12 ] ||
	fail "not 6 distorting settings per server stored"
"$IOV" report "$WORK/d.db" | grep -q "turbo .*DISTORTS" || fail "the report header does not say turbo distorts"
sed 's/^matrix:/prober:\n  refuse_distorting: true\nmatrix:/' "$WORK/d.yaml" >"$WORK/e.yaml"
IOVBENCH_SYSROOT=$DATA/distorting "$IOV" run -r "$WORK/e.db" "$WORK/e.yaml" >"$WORK/erun" 2>&1
why=$(sql "$WORK/e.db" "SELECT error FROM runs WHERE status = 'failed' LIMIT 1")
case $why in *refuse_distorting*turbo*) ;; *) fail "not refused: '$why' $(cat "$WORK/erun")" ;; esac
assert_no_leftovers
echo PASS
