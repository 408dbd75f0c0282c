#!/bin/bash
# A PDR search on a container data plane (issue 13, item 5): loadgen in
# the sender's main guest, the afpacket reflector in the responder's,
# the rate bisected below 400 kpps (past what this machine's veth path
# carries) down to 5 % of it (20 kpps). Checks:
#  - plan and dry run show the search and its bound on trials;
#  - SIGKILL mid-search and a second run: every trial exactly once,
#    the runs before the kill unchanged, the runs dense (1..N);
#  - each trial's rate is what the trials before it give: the first at
#    the bound, the next halfway between the highest passing and the
#    lowest failing trial rate;
#  - the PDR found lost at most 0.1 %, and the next trial above it,
#    within the resolution, lost more (or was not sent in full);
#  - latency runs at 10, 50, 90 % of PDR, with their histograms;
#  - the report (CSV, JSON) has PDR, its achieved rate, the trials;
#  - the plan has nothing left to do; nothing left behind.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itnd

campaign "$WORK/c.yaml" loadlat-search <<'YAML'
matrix:
  - measure: loadlat
    dataplane: veth-bridge
    reflector: afpacket
    size: 64
    rate: 400k
    search: pdr
    search_resolution: 5%
    runtime: 1
    repetitions: 1
YAML
db=$WORK/results.db
bound=400000
res=20000

note "plan and dry run: a search of up to 6 trials (400k, then 5 halvings to 20k)"
"$IOV" plan "$WORK/c.yaml" >"$WORK/plan" 2>&1 || fail "plan: $(cat "$WORK/plan")"
grep -q "search pdr: up to 6 trials" "$WORK/plan" || fail "plan: $(cat "$WORK/plan")"
grep -q "1 tests, 9 runs" "$WORK/plan" || fail "plan counts: $(cat "$WORK/plan")"
"$IOV" run --dry-run "$WORK/c.yaml" >"$WORK/dry" 2>&1 || fail "dry run: $(cat "$WORK/dry")"
grep -q "^# search pdr: up to 6 trials, a run each: the first at 400k pps" "$WORK/dry" ||
	fail "no search in the dry run: $(cat "$WORK/dry")"
grep -q "loadgen --to .* --rate 400000 " "$WORK/dry" || fail "the first trial is not at the bound"

note "run; kill -9 after the second trial"
kill_after "$db" 2 "$WORK/c.yaml" -q
[ "$KILLED_N" -ge 2 ] && [ "$KILLED_N" -lt 6 ] || fail "expected 2..5 trials before the kill, got $KILLED_N"
# 400k is past what the path carries: 6 trials (the bound, then 5
# halvings of [0, 400k] to 12.5k), then 3 latency runs
resume_once "$db" "$WORK/c.yaml" 9
total=9
maxrep=$(sql "$db" "SELECT max(rep) FROM runs")
[ "$maxrep" = "$total" ] || fail "want runs 1..$total: max rep $maxrep"
twice=$(sql "$db" "SELECT rate FROM loadlat_runs WHERE search_role = 'trial' GROUP BY rate HAVING count(*) > 1")
[ -z "$twice" ] || fail "trial rates measured twice: $twice"

# rep|rate|sent_pps|loss_pct of the trials, in order
sql "$db" "SELECT r.rep, l.rate, l.sent_pps, l.loss_pct FROM runs r JOIN loadlat_runs l ON l.run = r.id
	WHERE l.search_role = 'trial' ORDER BY r.rep" >"$WORK/trials"
sed 's/^/    /' "$WORK/trials"
ntrials=$(grep -c . "$WORK/trials")
[ "$ntrials" = 6 ] || fail "$ntrials trials, want 6"

note "each trial's rate from the ones before it"
awk -F'|' -v bound=$bound -v res=$res '
	function passes(i) { return loss[i] != "" && loss[i] <= 0.1 && sent[i] >= rate[i] * 0.99 }
	{ n++; rate[n] = $2; sent[n] = $3; loss[n] = $4 }
	END {
		if (rate[1] != bound) { print "first trial at " rate[1]; exit 1 }
		for (k = 2; k <= n + 1; k++) {
			lo = 0; hi = 0
			for (i = 1; i < k; i++) if (passes(i) && rate[i] > lo) lo = rate[i]
			for (i = 1; i < k; i++) if (!passes(i) && rate[i] > lo && (!hi || rate[i] < hi)) hi = rate[i]
			if (k == n + 1) {
				if (hi && hi - lo > res) { print "stopped at " lo ".." hi; exit 1 }
				exit 0
			}
			want = hi ? lo + int((hi - lo) / 2) : bound
			if (rate[k] != want) { print "trial " k " at " rate[k] ", want " want; exit 1 }
		}
	}' "$WORK/trials" || fail "the trials are not the bisection"

note "the report: PDR, its achieved rate, the trials"
"$IOV" report --csv "$db" >"$WORK/csv" || fail "report failed"
col() { # NAME
	awk -F, -v name="$1" '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ print $c[name] }' "$WORK/csv"
}
pdr=$(col loadlat_pdr_pps)
pdr_sent=$(col loadlat_pdr_achieved_pps)
[ "$(col loadlat_search_trials)" = "$ntrials" ] || fail "report: $(col loadlat_search_trials) trials, stored $ntrials"
[ -z "$(col loadlat_ndr_pps)" ] || fail "an NDR from a PDR-only search"
[ -n "$pdr" ] && [ "$pdr" -gt 0 ] || fail "no PDR found: $(cat "$WORK/csv")"
"$IOV" report --json "$db" | grep -q "\"loadlat_pdr_pps\":$pdr" || fail "report --json lacks PDR $pdr"
at=$(awk -F'|' -v p="$pdr" '$2 == p { print $4 }' "$WORK/trials")
awk -v l="$at" 'BEGIN { exit !(l != "" && l <= 0.1) }' || fail "PDR $pdr lost $at %"
above=$(awk -F'|' -v p="$pdr" '$2 > p && (!m || $2 < m) { m = $2; l = $4; s = $3 } END { if (m) print m, l, s }' "$WORK/trials")
[ -n "$above" ] || fail "no trial above PDR $pdr (the bound $bound passed?)"
set -- $above
[ $(($1 - pdr)) -le $res ] || fail "the next trial above PDR $pdr is $1: more than $res away"
awk -v l="$2" -v s="$3" -v r="$1" 'BEGIN { exit !(l > 0.1 || s < r * 0.99) }' ||
	fail "the trial above PDR, $1 pps, lost $2 % and sent $3 pps: it passed"
note "PDR $pdr pps (sent $pdr_sent pps, loss $at %); above it $1 pps: loss $2 %, sent $3 pps"

note "latency runs at 10, 50, 90 % of PDR, with histograms"
for pct in 10 50 90; do
	want=$(( (pdr * pct + 50) / 100 ))
	got=$(sql "$db" "SELECT l.rate || ' ' || l.received_latency || ' ' ||
		(SELECT coalesce(sum(frames), 0) FROM loadlat_histograms h WHERE h.run = l.run)
		FROM loadlat_runs l WHERE l.search_role = 'latency' AND l.search_point_pct = $pct")
	set -- $got
	[ "${1:-}" = "$want" ] || fail "latency at $pct %: rate '${1:-}', want $want"
	[ "${2:-0}" -ge 500 ] && [ "$2" = "$3" ] ||
		fail "latency at $pct %: $2 latency frames back, $3 in the histogram"
	for m in p50 p99; do
		v=$(col loadlat_at${pct}_${m}_us)
		awk -v v="$v" 'BEGIN { exit !(v > 0) }' || fail "no $m at $pct %: '$v'"
	done
done
"$IOV" plan --results "$db" "$WORK/c.yaml" >"$WORK/plan2" 2>&1 || fail "plan: $(cat "$WORK/plan2")"
grep -q "$total runs: $total done, 0 to do" "$WORK/plan2" || fail "plan after: $(cat "$WORK/plan2")"
"$IOV" testbed down "$WORK/c.yaml" >/dev/null 2>&1 || true
assert_no_leftovers
