#!/bin/sh
# report --json --table probes: every nanosecond timestamp survives jq
# and Python's json exactly (they exceed 2^53, so they are strings of
# their digits), compared with the CSV export of the same rows; the
# NDJSON export holds the same objects, one a line. plan --json names
# the same tests as report --json.
set -u
IOV=${IOVBENCH:?}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/iovbench-json.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
db=$WORK/r.db
cp "$SRC/tests/data/store/26b89a8.db" "$db"
"$IOV" report --table probes --json "$db" >"$WORK/p.json" || fail "json"
"$IOV" report --table probes --csv "$db" >"$WORK/p.csv" || fail "csv"
python3 - "$WORK/p.json" "$WORK/p.csv" <<'PY' || fail "python: timestamps differ"
import csv, json, sys
rows = json.load(open(sys.argv[1]))
want = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(rows) == len(want) and rows, (len(rows), len(want))
n = 0
for r, w in zip(rows, want):
    for k in ("t_sched", "t_tx_user", "t_tx", "t_rx", "t_rx_user"):
        if w[k] == "":
            assert r[k] is None, (k, r[k])
            continue
        assert str(r[k]) == w[k], (k, r[k], w[k])
        n += 1
assert n > 0
PY
if command -v jq >/dev/null; then
	jq -r '.[] | [.t_tx, .t_rx] | map(. // "") | @csv' "$WORK/p.json" |
		tr -d '"' >"$WORK/jq.txt"
	python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print("%s,%s" % (r["t_tx"], r["t_rx"]))' "$WORK/p.csv" >"$WORK/want.txt"
	cmp -s "$WORK/jq.txt" "$WORK/want.txt" || fail "jq: timestamps differ"
	# NDJSON: the same objects, one a line
	"$IOV" report --table probes --ndjson "$db" >"$WORK/p.ndjson" ||
		fail "ndjson"
	jq -r '[.t_tx, .t_rx] | map(. // "") | @csv' "$WORK/p.ndjson" |
		tr -d '"' | cmp -s - "$WORK/want.txt" || fail "ndjson differs"
fi

# plan --json: the same style, and the same test ids as report --json
"$IOV" plan --json -r "$db" "$SRC/tests/data/store/26b89a8.yaml" >"$WORK/plan.json" ||
	fail "plan --json"
"$IOV" report --json "$db" >"$WORK/summary.json" || fail "report --json"
python3 - "$WORK/plan.json" "$WORK/summary.json" <<'PY' || fail "plan --json and report --json disagree"
import json, sys
plan = json.load(open(sys.argv[1]))
summary = json.load(open(sys.argv[2]))
done = {t["test_id"]: t["done"] for t in plan}
for t in summary:
    assert done[t["test_id"]] == t["runs"], (t["test_id"], done.get(t["test_id"]))
assert all(isinstance(t["rate"], int) for t in plan)
PY
echo "ok"
