#!/bin/sh
# A results database of schema 2, made by main's build at commit 0806675
# (tests/data/store/schema2.yaml: veth-bridge and macvlan, ICMP and UDP,
# capture points with their ports), reads the same through this build's
# schema 3 (probes and probe_splits views over what was measured): every
# output below byte for byte as 0806675's build printed it
# (tests/data/store/schema2/, made by make_schema2.sh; since then the
# tables and exports have one column more, the `sender` factor: checked
# to be the only change when it was added), read through the
# migrated copy in memory and again after a migration in place (the
# store's own: a campaign writing to it, as root).
set -u
IOV=${IOVBENCH:?}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WANT=$SRC/tests/data/store/schema2
WORK=$(mktemp -d /tmp/iovbench-schema2.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
command -v sqlite3 >/dev/null || { echo "SKIP: needs sqlite3"; exit 77; }

cd "$WORK" || exit 1
cp "$SRC/tests/data/store/schema2.db" r.db
sum=$(md5sum <r.db)
for pass in read written; do
	mkdir "$pass"
	# NAME EXIT ARGS: iovbench ARGS printed WANT/NAME, exited EXIT
	while read -r name want args; do
		# shellcheck disable=SC2086
		"$IOV" $args >"$pass/$name" 2>"$pass/$name.err"
		rc=$?
		[ $rc = "$want" ] ||
			fail "$pass: iovbench $args: exit $rc, 0806675's $want: $(cat "$pass/$name.err")"
		want=$WANT/$name
		if [ -f "$want.gz" ]; then
			gunzip -c "$want.gz" >"$pass/$name.want"
			want=$pass/$name.want
		fi
		cmp -s "$want" "$pass/$name" || {
			diff -u "$want" "$pass/$name" | head -20
			fail "$pass: iovbench $args differs from 0806675's"
		}
	done <"$WANT/commands"
	if [ $pass = read ]; then
		[ "$(md5sum <r.db)" = "$sum" ] || fail "reading changed the file"
		[ "$(sqlite3 r.db 'PRAGMA user_version')" = 2 ] ||
			fail "reading migrated the file"
		# a campaign writing to it migrates it in place: its runs
		# are all done, so it stores nothing
		[ "$(id -u)" = 0 ] || { echo "SKIP: in place needs root"; exit 77; }
		"$IOV" -q run -r r.db "$SRC/tests/data/store/schema2.yaml" \
			>run.out 2>&1 || fail "run on the old database: $(cat run.out)"
		[ "$(sqlite3 r.db 'PRAGMA user_version')" = 3 ] ||
			fail "not migrated: schema $(sqlite3 r.db 'PRAGMA user_version')"
		[ "$(sqlite3 r.db "SELECT count(*) FROM runs WHERE status = 'complete'")" = 8 ] ||
			fail "runs lost in the migration"
		[ "$(sqlite3 r.db "SELECT type FROM sqlite_master WHERE name = 'probes'")" = view ] ||
			fail "probes is not a view after the migration"
	fi
done
echo PASS
