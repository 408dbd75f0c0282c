#!/usr/bin/env python3
"""Compare the CSV exports of a database written by commit 26b89a8
(OLD/t_NAME.csv) with today's (NEW/NAME.csv): every column the old one
had is there with the same values, row for row (rows matched by run and
key). Today's exports may add columns. A run that is not complete held
zeros (and ts_source none) for the probe summary then, which it never
measured: they are empty
now. Usage: compare_exports.py OLD NEW"""
import csv
import json
import os
import sys

old_dir, new_dir = sys.argv[1], sys.argv[2]
KEYS = {
    "summary": ["test_id"],
    "tests": ["test_id"],
    "runs": ["run_id"],
    "probes": ["run_id", "seq"],
    "captures": ["run_id", "point"],
    "loads": ["run_id", "guest", "role"],
    "cpu": ["run_id", "server", "cpu"],
}


def rows(path):
    """Rows as lists of (name, value), names numbered when repeated."""
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r, [])
        names, seen = [], {}
        for h in header:
            seen[h] = seen.get(h, 0) + 1
            names.append(h if seen[h] == 1 else "%s#%d" % (h, seen[h]))
        return [dict(zip(names, row)) for row in r]


bad = 0
for table, key in KEYS.items():
    old_path = os.path.join(old_dir, "t_%s.csv" % table)
    if table == "summary":
        old_path = os.path.join(old_dir, "r.csv")
    if table == "probes":
        old_path = os.path.join(new_dir, "old_probes.csv")
    old = rows(old_path)
    new = {tuple(r[k] for k in key): r for r in rows(os.path.join(new_dir, table + ".csv"))}
    if len(new) != len(old):
        print("%s: %d rows, were %d" % (table, len(new), len(old)))
        bad += 1
    for o in old:
        k = tuple(o[c] for c in key)
        n = new.get(k)
        if n is None:
            print("%s: row %s is gone" % (table, k))
            bad += 1
            continue
        for col, v in o.items():
            if col == "run":
                continue  # the database's own row id, not exported now
            if (table == "runs" and o["status"] == "refused" and
                    col in ("started_ns", "ended_ns", "host")):
                # each run of the campaign records them anew, with the
                # facts of the host it ran on (another kernel here)
                continue
            if col not in n:
                print("%s: column %s is gone" % (table, col))
                bad += 1
                break
            if n[col] != v and not (table == "runs" and
                                    o["status"] != "complete" and
                                    n[col] == "" and v in ("0", "none")):
                print("%s %s: %s = %r, was %r" % (table, k, col, n[col], v))
                bad += 1
# the summary as JSON: the same objects, values of the same type
with open(os.path.join(old_dir, "r.json")) as f:
    old = {o["test_id"]: o for o in json.load(f)}
with open(os.path.join(new_dir, "summary.json")) as f:
    new = {o["test_id"]: o for o in json.load(f)}
if old.keys() != new.keys():
    print("summary.json: other tests")
    bad += 1
for k, o in old.items():
    for col, v in o.items():
        if new.get(k, {}).get(col, "gone") != v:
            print("summary.json %s: %s = %r, was %r" %
                  (k, col, new.get(k, {}).get(col, "gone"), v))
            bad += 1
sys.exit(1 if bad else 0)
