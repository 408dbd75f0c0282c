#!/bin/sh
# iovbench compare and stats on tests/data/store/26b89a8.db: the
# database against itself is no regression (exit 0); with macvlan's RTT
# made 20 % worse (every probe's t_rx moved so that its rtt_ns, derived
# from the stamps since schema 3, is * 1.2, by sqlite3 on a copy) it
# exits 1 with a line per regressed test, all of them macvlan's, and
# with --tolerance 25% the same change is within tolerance (exit 0).
# Also stats on the same fixture, and report's --where and --group-by.
# No root needed.
set -u
IOV=${IOVBENCH:?}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/iovbench-compare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
command -v sqlite3 >/dev/null || { echo "SKIP: needs sqlite3"; exit 77; }

base=$WORK/base.db
worse=$WORK/worse.db
cp "$SRC/tests/data/store/26b89a8.db" "$base"
cp "$base" "$worse"
sqlite3 "$worse" "UPDATE probes SET t_rx = t_tx + CAST((t_rx - t_tx) * 1.2 AS INTEGER)
	WHERE run IN (SELECT r.id FROM runs r JOIN tests t ON
	t.id = r.test_id WHERE t.dataplane = 'macvlan')" ||
	fail "cannot make the worse fixture"

"$IOV" compare "$base" "$base" >"$WORK/same.txt" 2>"$WORK/same.err" ||
	fail "compare with itself: exit $?: $(cat "$WORK/same.err")"
grep -q "0 regressions" "$WORK/same.err" || fail "self: $(cat "$WORK/same.err")"

"$IOV" compare "$base" "$worse" >"$WORK/worse.txt" 2>"$WORK/worse.err"
rc=$?
[ $rc = 1 ] || fail "20 % worse: exit $rc, want 1"
grep "^regressed: " "$WORK/worse.err" >"$WORK/lines" ||
	fail "no regressed line: $(cat "$WORK/worse.err")"
grep -v "dataplane=macvlan" "$WORK/lines" &&
	fail "a test other than macvlan's regressed"
# both macvlan tests regressed on p50 (the icmp one has the probes for it)
grep -q "dataplane=macvlan .*probe=icmp: p50 +" "$WORK/lines" ||
	fail "macvlan icmp p50 not regressed: $(cat "$WORK/lines")"

"$IOV" compare --tolerance 25% "$base" "$worse" >/dev/null 2>"$WORK/tol.err" ||
	fail "--tolerance 25%: exit $?: $(cat "$WORK/tol.err")"
# a baseline without a test in common fails, rather than pass CI
cp "$base" "$WORK/none.db"
sqlite3 "$WORK/none.db" "UPDATE runs SET status = 'failed'"
"$IOV" compare "$base" "$WORK/none.db" >/dev/null 2>"$WORK/none.err"
[ $? = 1 ] && grep -q "no test is in both" "$WORK/none.err" ||
	fail "no common test: want exit 1: $(cat "$WORK/none.err")"
"$IOV" compare --json "$base" "$worse" >"$WORK/c.json" 2>/dev/null
if command -v python3 >/dev/null; then
	python3 -c 'import json, sys; rows = json.load(open(sys.argv[1]));
assert any(r["verdict"] == "regressed" for r in rows)' "$WORK/c.json" ||
		fail "--json is not JSON with a regressed row"
fi

# stats: the paper's table 3 on this database, and the exit statuses
"$IOV" stats --compare dataplane "$base" >"$WORK/st.txt" ||
	fail "stats --compare failed"
grep -q "veth-bridge  macvlan  test medians" "$WORK/st.txt" ||
	fail "stats --compare: $(cat "$WORK/st.txt")"
"$IOV" stats --compare dataplane --per probe --where probe=icmp "$base" \
	>"$WORK/pp.txt" || fail "stats --per probe failed"
grep -q "macvlan lower than veth-bridge" "$WORK/pp.txt" ||
	fail "stats --per probe: $(cat "$WORK/pp.txt")"
"$IOV" stats --compare nosuch "$base" 2>/dev/null
[ $? = 2 ] || fail "stats --compare nosuch: want exit 2"

# report --where and --group-by
"$IOV" report --where dataplane=macvlan --csv "$base" >"$WORK/w.csv" ||
	fail "report --where"
[ "$(grep -c ",macvlan," "$WORK/w.csv")" = 2 ] && ! grep -q veth-bridge "$WORK/w.csv" ||
	fail "report --where: $(cat "$WORK/w.csv")"
"$IOV" report --group-by probe "$base" >"$WORK/g.txt" || fail "report --group-by"
[ "$(grep -c "^== probe=" "$WORK/g.txt")" = 2 ] || fail "report --group-by: $(cat "$WORK/g.txt")"
"$IOV" report --group-by probe --csv "$base" 2>/dev/null
[ $? = 2 ] || fail "report --group-by --csv: want exit 2"
echo "ok"
