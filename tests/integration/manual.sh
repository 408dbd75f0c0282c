#!/bin/bash
# The manual page made by the build holds a section per command of
# 'iovbench --help' and renders; the bash completion completes commands,
# options and verbs from the binary's --help.
set -u
IOV=${IOVBENCH:?}
MANPAGE=${MANPAGE:?}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
[ -s "$MANPAGE" ] || fail "no manual page at $MANPAGE"
for cmd in $("$IOV" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
	grep -qx ".SS $cmd" "$MANPAGE" || fail "the manual lacks '$cmd'"
done
if command -v man >/dev/null; then
	man -l "$MANPAGE" 2>/dev/null | grep -q "iovbench stats" ||
		fail "the manual does not render"
fi

. "$SRC/scripts/iovbench-completion.bash"
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_iovbench
	echo "${COMPREPLY[*]}"
}
[ "$(complete_words "$IOV" sta)" = stats ] || fail "command: $(complete_words "$IOV" sta)"
[ "$(complete_words "$IOV" stats --com)" = --compare ] || fail "option"
[ "$(complete_words "$IOV" testbed "")" = "check down status up" ] ||
	fail "verbs: $(complete_words "$IOV" testbed "")"
echo "ok"
