#!/bin/bash
# Honest overload: a rate this host cannot sustain (1 Mpps, the rate
# factor's ceiling; the prober reaches well under that here) is stored
# with its achieved rate and flagged in probe_runs, the text report and
# report --json; with prober.refuse_overload the run is stored failed
# with the reason and the campaign goes on to the next run, which a
# sustainable rate passes unflagged. A run whose rate kept up but whose
# probes left late (the prober stopped for a while) is flagged too.
. "$(dirname "$0")/lib.sh"
require_root
setup_test iovpr

campaign "$WORK/c.yaml" overload <<'YAML'
matrix:
  - dataplane: veth-bridge
    rate: 1M
    count: 100000
    repetitions: 1
  - dataplane: veth-bridge
    rate: 1k
    count: 300
    repetitions: 3
YAML
"$IOV" run -r "$WORK/r.db" "$WORK/c.yaml" >"$WORK/run" 2>&1 || fail "run: $(cat "$WORK/run")"
grep -q "an overloaded run: achieved" "$WORK/run" || fail "run did not warn: $(cat "$WORK/run")"
row=$(sql "$WORK/r.db" "SELECT p.sched_pps, p.achieved_pps, p.late, p.sent, p.overload IS NOT NULL FROM probe_runs p WHERE p.sched_pps > 100000")
note "1 Mpps: schedule, achieved pps, late, sent, flagged: $row"
IFS='|' read -r sched achieved late sent flagged <<<"$row"
[ "$flagged" = 1 ] || fail "the 1 Mpps run is not flagged: $row"
awk -v a="$achieved" -v s="$sched" 'BEGIN { exit !(s > 999000 && a > 0 && a < 0.9 * s) }' ||
	fail "achieved rate $achieved of a $sched schedule"
[ "$late" -gt $((sent / 2)) ] || fail "only $late of $sent probes late"
why=$(sql "$WORK/r.db" "SELECT overload FROM probe_runs WHERE overload IS NOT NULL")
note "reason: $why"
case $why in "achieved "*" pps of a 1000000 pps schedule"*) ;; *) fail "reason: $why" ;; esac
# The late rule (1 % of 300 probes later than 1 ms) also flags a run
# that met one host stall over 3 ms (seen once in ./scripts/check, right
# after memory_bound: 44 probes late in a row): the rate rule never
# flags 1 kpps, and two of its three runs at least keep their schedule.
row=$(sql "$WORK/r.db" "SELECT p.achieved_pps || ':' || (p.overload IS NULL) || ':' || coalesce(p.overload, '') FROM probe_runs p WHERE p.sched_pps < 2000" | tr '\n' ' ')
note "1 kpps: achieved pps, unflagged, why: $row"
case $row in *"achieved "*) fail "the 1 kpps rate is flagged: $row" ;; esac
n=$(sql "$WORK/r.db" "SELECT count(*) FROM probe_runs WHERE sched_pps < 2000 AND overload IS NULL")
[ "$n" -ge 2 ] || fail "$n of 3 runs at 1 kpps kept their schedule: $row"

note "the report flags it"
"$IOV" report "$WORK/r.db" >"$WORK/report" 2>&1 || fail "report: $(cat "$WORK/report")"
grep -q "overload" "$WORK/report" || fail "no overload column: $(cat "$WORK/report")"
"$IOV" report --json "$WORK/r.db" >"$WORK/json" 2>&1 || fail "report --json: $(cat "$WORK/json")"
n=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
tests = d["tests"] if isinstance(d, dict) else d
print(sum(1 for t in tests if t.get("overloaded_runs") == 1 and t.get("achieved_ratio", 1) < 0.9))' "$WORK/json") ||
	fail "report --json: $(head -c 2000 "$WORK/json")"
[ "$n" = 1 ] || fail "report --json flags $n tests: $(head -c 2000 "$WORK/json")"

note "refuse_overload: stored failed with the reason, the campaign goes on"
sed -i 's/^matrix:/prober:\n  refuse_overload: true\nmatrix:/' "$WORK/c.yaml"
st=0
"$IOV" run -r "$WORK/f.db" "$WORK/c.yaml" >"$WORK/run2" 2>&1 || st=$?
[ $st = 1 ] || fail "run exits $st, not 1 (a run failed): $(cat "$WORK/run2")"
row=$(sql "$WORK/f.db" "SELECT status || ':' || coalesce(error, '') FROM runs ORDER BY id" | tr '\n' ' ')
note "runs: $row"
case $row in *"failed:overloaded (prober.refuse_overload): achieved "*) ;; *) fail "runs: $row" ;; esac
case $row in *"complete:"*) ;; *) fail "the campaign did not go on: $row" ;; esac
note "the rate kept, the schedule not: a prober stopped for 60 ms of a 2 s run at 10 kpps"
"$IOV" -q testbed up --dataplane veth-bridge "$WORK/c.yaml" >"$WORK/up" 2>&1 ||
	fail "up: $(cat "$WORK/up")"
"$IOV" probe -n $PREFIX-s-main -r 10k -c 20000 -o /dev/null 198.18.0.2 >"$WORK/late" 2>&1 &
prober=$!
sleep 0.5
kill -STOP $prober; sleep 0.06; kill -CONT $prober
wait $prober || fail "probe: $(cat "$WORK/late")"
grep '^overloaded:' "$WORK/late" >"$WORK/why" || fail "not flagged: $(cat "$WORK/late")"
note "$(cat "$WORK/why")"
# ~600 of 20000 late (3 %), the achieved rate the schedule's
grep -Eq '^overloaded: [0-9]+ of 20000 probes \([0-9.]+%\) left later than one interval, more than prober.late_tolerance, 1% \(achieved (99[0-9][0-9]|10[0-9][0-9][0-9]) pps of a 10000 pps schedule\)$' "$WORK/why" ||
	fail "reason: $(cat "$WORK/why")"
"$IOV" -q testbed down --prefix $PREFIX >/dev/null 2>&1 || fail "testbed down"
assert_no_leftovers
echo PASS
