#!/bin/sh
# A results database written by commit 26b89a8 (schema 1, before the
# meters owned their tables) opens, is migrated (in memory for reading,
# in place for writing) and reports the same numbers: the summary as
# text byte for byte; as CSV and JSON, and every export, with every
# column it had, value for value (tests/data/store/compare_exports.py;
# columns added since, such as suspect_runs, are allowed). The
# in-place part needs root (iovbench run).
set -u
IOV=${IOVBENCH:?}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OLD=$SRC/tests/data/store/26b89a8
WORK=$(mktemp -d /tmp/iovbench-store.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }

db=$WORK/old.db
cp "$SRC/tests/data/store/26b89a8.db" "$db"
sum=$(md5sum <"$db")
for pass in read written; do
	"$IOV" report "$db" >"$WORK/r.txt" || fail "$pass: report failed"
	"$IOV" report --csv "$db" >"$WORK/summary.csv" || fail "$pass: csv failed"
	"$IOV" report --json "$db" >"$WORK/summary.json" || fail "$pass: json failed"
	diff -u "$OLD/r.txt" "$WORK/r.txt" || fail "$pass: r.txt differs"
	for t in tests runs probes captures loads cpu; do
		"$IOV" report --table $t --csv "$db" >"$WORK/$t.csv" ||
			fail "$pass: export of $t failed"
	done
	gunzip -c "$OLD/t_probes.csv.gz" >"$WORK/old_probes.csv"
	python3 "$SRC/tests/data/store/compare_exports.py" "$OLD" "$WORK" ||
		fail "$pass: exports differ"
	if [ $pass = read ]; then
		[ "$(md5sum <"$db")" = "$sum" ] || fail "reading changed the file"
		[ "$(sqlite3 "$db" 'PRAGMA user_version')" = 0 ] ||
			fail "reading migrated the file"
		# a campaign writing to it migrates it in place: all its
		# runnable runs are done, so it only records the refusals
		[ "$(id -u)" = 0 ] || { echo "SKIP: in place needs root"; exit 77; }
		"$IOV" -q run -r "$db" "$SRC/tests/data/store/26b89a8.yaml" \
			>"$WORK/run" 2>&1 || fail "run on the old database: $(cat "$WORK/run")"
		[ "$(sqlite3 "$db" 'PRAGMA user_version')" = 3 ] ||
			fail "not migrated: schema $(sqlite3 "$db" 'PRAGMA user_version')"
		[ "$(sqlite3 "$db" "SELECT count(*) FROM runs WHERE status = 'complete'")" = 16 ] ||
			fail "runs lost in the migration"
	fi
done

# on read-only media (a WAL database needs its -shm file): read immutable
mkdir "$WORK/ro"
cp "$db" "$WORK/ro/"
if mount --bind "$WORK/ro" "$WORK/ro" 2>/dev/null; then
	mount -o remount,bind,ro "$WORK/ro" || { umount "$WORK/ro"; fail "cannot remount read-only"; }
	"$IOV" report "$WORK/ro/old.db" >"$WORK/ro.txt" 2>"$WORK/ro.err"
	rc=$?
	umount "$WORK/ro"
	[ $rc = 0 ] || fail "report on read-only media: $(cat "$WORK/ro.err")"
	diff -u "$OLD/r.txt" "$WORK/ro.txt" || fail "read-only media: another report"
else
	echo "read-only media: not tested (cannot bind-mount here)"
fi

# a disk that is full before the schema exists: a clear error, no file
mkdir "$WORK/full"
if mount -t tmpfs -o size=64k tmpfs "$WORK/full" 2>/dev/null; then
	dd if=/dev/zero of="$WORK/full/fill" bs=4k 2>/dev/null
	"$IOV" run -r "$WORK/full/r.db" "$SRC/tests/data/store/26b89a8.yaml" >"$WORK/full.out" 2>&1
	rc=$?
	left=$(ls "$WORK/full")
	umount "$WORK/full"
	[ $rc = 1 ] || fail "full disk: exit $rc: $(cat "$WORK/full.out")"
	grep -q "disk is full" "$WORK/full.out" || fail "full disk: $(cat "$WORK/full.out")"
	[ "$left" = fill ] || fail "full disk: left $left"
else
	echo "full disk: not tested (cannot mount a tmpfs here)"
fi
echo PASS
