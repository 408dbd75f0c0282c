#!/bin/sh
# report --html rendered by a real browser: headless Chromium (Debian
# chromium) takes a screenshot of the page made from
# tests/data/store/26b89a8.db, which must not be blank, and its console
# must stay silent (no error, no message: the page has no script and
# loads nothing). Skipped without chromium. Chromium runs as root here,
# hence --no-sandbox.
set -u
IOV=${IOVBENCH:?}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/iovbench-chromium.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
browser=$(command -v chromium || command -v chromium-browser) ||
	{ echo "SKIP: needs chromium"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }

db=$WORK/r.db
cp "${DB:-$SRC/tests/data/store/26b89a8.db}" "$db"
"$IOV" report --html "$WORK/out" "$db" >/dev/null || fail "report --html"
# its own profile: nothing of a user's, nothing left behind
HOME=$WORK timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
	--hide-scrollbars --user-data-dir="$WORK/profile" \
	--enable-logging=stderr --v=0 --window-size=1280,4000 \
	--screenshot="$WORK/shot.png" "file://$WORK/out/index.html" \
	>"$WORK/stdout" 2>"$WORK/stderr" || fail "chromium: exit $?"
[ -s "$WORK/shot.png" ] || fail "no screenshot: $(tail -3 "$WORK/stderr")"
if grep ":CONSOLE" "$WORK/stderr"; then
	fail "the console is not silent"
fi
# not blank: decode the PNG (zlib is in the standard library)
python3 - "$WORK/shot.png" <<'PY' || fail "the screenshot is blank"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
ink = sum(1 for b in raw[::7] if b not in (0, 255))
share = ink / (len(raw) / 7)
print("non-white share: %.3f" % share)
sys.exit(0 if share > 0.01 and len(set(raw)) > 16 else 1)
PY
echo "ok"
