# Shared by the integration tests. Each test builds real testbeds in
# network namespaces with its own prefix, so tests never touch each
# other's (or a user's) namespaces, and removes them on exit.
#
# Environment (set by meson): IOVBENCH = the binary under test.
set -u

IOV=${IOVBENCH:?IOVBENCH must name the iovbench binary}

skip() {
	echo "SKIP: $*"
	exit 77
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

note() {
	echo "--- $*"
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, raw sockets)"
	ip netns list >/dev/null 2>&1 || skip "network namespaces unavailable"
	command -v sqlite3 >/dev/null || skip "needs the sqlite3 command"
}

# A scratch directory and a prefix for this test; both cleaned on exit.
setup_test() {
	PREFIX=$1
	WORK=$(mktemp -d /tmp/iovbench-test.XXXXXX)
	trap cleanup EXIT
}

cleanup() {
	"$IOV" -q testbed down --prefix "$PREFIX" >/dev/null 2>&1
	rm -rf "$WORK"
}

# Namespaces and processes left with the test's prefix (none = "").
leftovers() {
	ip netns list | awk '{print $1}' | grep "^$PREFIX-" | tr '\n' ' '
}

assert_no_leftovers() {
	local left
	left=$(leftovers)
	[ -z "$left" ] || fail "leftover namespaces: $left"
	! pgrep -f "iovbench.*$PREFIX" >/dev/null ||
		fail "leftover processes: $(pgrep -af "iovbench.*$PREFIX")"
	[ ! -e "/run/iovbench/$PREFIX" ] || fail "leftover /run/iovbench/$PREFIX"
}

sql() {
	sqlite3 -batch -noheader "$1" "$2"
}

# Write a campaign file: campaign NAME, prefix, then the rest from stdin.
campaign() {
	local file=$1 name=$2
	{
		echo "campaign: $name"
		echo "prefix: $PREFIX"
		cat
	} >"$file"
}

# wait_complete DB N [PID]: until DB has N complete runs (60 s at most),
# or PID, when given, has exited.
wait_complete() {
	local n
	for _ in $(seq 1 1200); do
		n=$(sql "$1" "SELECT count(*) FROM runs WHERE status='complete'" 2>/dev/null || echo 0)
		[ "${n:-0}" -ge "$2" ] && return 0
		[ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
		sleep 0.05
	done
	return 1
}
