#!/bin/sh
# report --html DIR on tests/data/store/26b89a8.db: the page's path is
# printed, index.html is well-formed (xmllint, as XML), has no script
# and no remote reference, inlines every figure's SVG, holds the
# statistics with their readings; every figure has its script and data
# beside it, and a script renders again from the directory. A browser
# renders it in html_chromium.sh.
set -u
IOV=${IOVBENCH:?}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/iovbench-html.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
command -v gnuplot >/dev/null || { echo "SKIP: needs gnuplot (gnuplot-nox)"; exit 77; }
command -v xmllint >/dev/null || { echo "SKIP: needs xmllint (libxml2-utils)"; exit 77; }

db=$WORK/r.db
cp "$SRC/tests/data/store/26b89a8.db" "$db"
out=$WORK/out
"$IOV" report --html "$out" "$db" >"$WORK/stdout" || fail "report --html: exit $?"
grep -qx "report: $out/index.html" "$WORK/stdout" ||
	fail "path not printed: $(cat "$WORK/stdout")"
page=$out/index.html
xmllint --noout "$page" || fail "index.html is not well-formed"
grep -qi "<script" "$page" && fail "the page has a script"
grep -Eq "(src|href)=\"(https?:)?//" "$page" && fail "the page reaches the network"
nsvg=$(ls "$out"/fig-*.svg | wc -l)
[ "$nsvg" -ge 3 ] || fail "only $nsvg figures"
[ "$(grep -c "<svg" "$page")" = "$nsvg" ] || fail "not every SVG is inline"
for f in "$out"/fig-*.gp; do
	stem=${f%.gp}
	[ -s "$stem.dat" ] || fail "$stem: no data"
	[ -s "$stem.svg" ] || [ -s "$stem.png" ] || fail "$stem: not rendered"
done
ls "$out"/fig-rtt-box-*.svg >/dev/null 2>&1 || fail "no box plot"
ls "$out"/fig-rtt-cdf-*.svg >/dev/null 2>&1 || fail "no CDF"
ls "$out"/fig-cpu-*.svg >/dev/null 2>&1 || fail "no CPU figure"
ls "$out"/fig-rtt-scatter-*.svg >/dev/null 2>&1 || fail "no scatter"
[ -s "$out/fig-kendall-0.svg" ] || fail "no Kendall figure"
for want in "Wilcoxon signed-rank" "Kendall" "Mann-Whitney" "load_location" \
	"macvlan lower than veth-bridge" "software" "test medians"; do
	grep -q "$want" "$page" || fail "the page lacks '$want'"
done
rm "$out/fig-rtt-box-0.svg"
(cd "$out" && gnuplot fig-rtt-box-0.gp) || fail "the script does not render again"
[ -s "$out/fig-rtt-box-0.svg" ] || fail "no SVG from the script"
echo "ok"
