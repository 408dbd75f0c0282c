#!/bin/sh
# Makes tests/data/store/schema2.db and schema2/ (what
# tests/integration/store_schema2.sh compares against) with the build of
# commit 0806675 (schema 2): run as root, once, under the integration
# lock: IOV=/path/to/0806675/build/iovbench tests/data/store/make_schema2.sh
# The outputs checked in since carry the `sender` factor's column (added
# later): re-made from 0806675, they lack it.
set -eu
IOV=${IOV:?the iovbench of commit 0806675}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/iovbench-mk-schema2.XXXXXX)
trap '"$IOV" -q testbed down --prefix iovbs >/dev/null 2>&1; rm -rf "$WORK"' EXIT
cd "$WORK"
"$IOV" -q run -r r.db "$HERE/schema2.yaml"
[ "$(sqlite3 r.db 'PRAGMA user_version')" = 2 ]
sqlite3 r.db "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE" >/dev/null
rm -rf "$HERE/schema2"
mkdir "$HERE/schema2"
cat >commands <<'EOC'
report_txt report r.db
report_csv report --csv r.db
report_json report --json r.db
probes_txt report --table probes r.db
probes_csv report --table probes --csv r.db
probes_json report --table probes --json r.db
captures_csv report --table captures --csv r.db
runs_csv report --table runs --csv r.db
stats_txt stats r.db
stats_dataplane stats --compare dataplane r.db
stats_per_probe stats --compare probe --per probe --csv r.db
compare_self compare r.db r.db
EOC
while read -r name args; do
	# shellcheck disable=SC2086
	rc=0
	"$IOV" $args >"$HERE/schema2/$name" 2>/dev/null || rc=$?
	echo "$name $rc $args" >>"$HERE/schema2/commands"
done <commands
gzip -9n "$HERE"/schema2/probes_*
cp r.db "$HERE/schema2.db"
