#!/bin/bash
# The analysis on a database made now (not a fixture of an older
# schema): a campaign of 2 data planes x 2 rates x 2 repetitions on
# containers, then stats (Wilcoxon over test medians, Mann-Whitney over
# probes, intervals), compare (itself: exit 0; macvlan's RTT 30 % worse:
# exit 1, only macvlan's tests named), and report --html.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itan

campaign "$WORK/c.yaml" analysis <<'YAML'
prober:
  warmup: 5
  timeout: 200ms
matrix:
  - dataplane: [veth-bridge, macvlan]
    probe: icmp
    rate: [1k, 2k]
    count: 300
    repetitions: 2
YAML
db=$WORK/results.db
"$IOV" -q run --results "$db" "$WORK/c.yaml" >"$WORK/run.out" 2>&1 ||
	fail "run: $(tail -5 "$WORK/run.out")"
[ "$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")" = 8 ] ||
	fail "expected 8 complete runs"
assert_no_leftovers

note "stats"
"$IOV" stats --compare dataplane -m rtt_p50_us "$db" >"$WORK/w.txt" ||
	fail "stats --compare"
grep -q "veth-bridge  macvlan  test medians      2" "$WORK/w.txt" ||
	fail "stats --compare: $(cat "$WORK/w.txt")"
"$IOV" stats --compare dataplane --per probe --csv "$db" >"$WORK/p.csv" ||
	fail "stats --per probe"
[ "$(grep -c ",probes,600,600," "$WORK/p.csv")" = 2 ] ||
	fail "stats --per probe: $(cat "$WORK/p.csv")"
"$IOV" stats --json "$db" >"$WORK/i.json" || fail "stats"
python3 -c 'import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 4 and all(r["probes"] == 600 for r in rows), rows
assert all(r["p50_lo"] <= r["p50"] <= r["p50_hi"] for r in rows), rows' \
	"$WORK/i.json" || fail "stats intervals"

note "compare"
"$IOV" compare "$db" "$db" >/dev/null 2>"$WORK/same.err" ||
	fail "compare with itself: $(cat "$WORK/same.err")"
cp "$db" "$WORK/worse.db"
# probes is a view (schema 3): its rtt_ns is d_rx - d_tx of probes_data
sql "$WORK/worse.db" "UPDATE probes_data SET d_rx = d_tx + CAST((d_rx - d_tx) * 1.3 AS INTEGER)
	WHERE run IN (SELECT r.id FROM runs r JOIN tests t ON
	t.id = r.test_id WHERE t.dataplane = 'macvlan')"
"$IOV" compare "$db" "$WORK/worse.db" >/dev/null 2>"$WORK/worse.err"
[ $? = 1 ] || fail "30 % worse: want exit 1: $(cat "$WORK/worse.err")"
grep "^regressed:" "$WORK/worse.err" | grep -v "dataplane=macvlan" &&
	fail "a test other than macvlan's regressed"
[ "$(grep -c "^regressed: dataplane=macvlan .*: p50" "$WORK/worse.err")" = 2 ] ||
	fail "both macvlan tests' p50 should regress: $(cat "$WORK/worse.err")"

note "report --html"
"$IOV" report --html "$WORK/html" "$db" >"$WORK/html.out" ||
	fail "report --html"
[ -s "$WORK/html/index.html" ] || fail "no index.html"
if command -v xmllint >/dev/null; then
	xmllint --noout "$WORK/html/index.html" || fail "index.html not well-formed"
fi
if command -v gnuplot >/dev/null; then
	[ -s "$WORK/html/fig-rtt-rate-0.svg" ] || fail "no RTT against the rate"
	[ -s "$WORK/html/fig-rtt-box-0.svg" ] || fail "no box plot"
fi
echo "ok"
