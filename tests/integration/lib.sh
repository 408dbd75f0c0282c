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

# wait_complete DB N [PID [SECONDS]]: until DB has N complete runs (60 s
# at most, or SECONDS), or PID, when given, has exited.
wait_complete() {
	local n
	for _ in $(seq 1 $((${4:-60} * 20))); do
		n=$(sql "$1" "SELECT count(*) FROM runs WHERE status='complete'" 2>/dev/null || echo 0)
		[ "${n:-0}" -ge "$2" ] && return 0
		[ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
		sleep 0.05
	done
	return 1
}

# kill_after DB N YAML [RUN-OPTIONS...]: run the campaign in the
# background and SIGKILL it once DB has N complete runs (within
# KILL_WAIT seconds, 60 by default). Sets KILLED_RUNS (the complete runs'
# "run_id started_ns" lines) and KILLED_N; the campaign's output is in
# $WORK/killed.out. A campaign that could not build the guest image
# (no Debian mirror) skips the test.
kill_after() {
	local db=$1 n=$2 yaml=$3 pid
	shift 3
	"$IOV" "$@" run --results "$db" "$yaml" >"$WORK/killed.out" 2>&1 &
	pid=$!
	wait_complete "$db" "$n" $pid "${KILL_WAIT:-60}"
	if ! kill -0 $pid 2>/dev/null &&
		grep -q "no guest image: .*\(download\|reachable\)" "$WORK/killed.out"; then
		skip "the guest image cannot be built here (no Debian mirror)"
	fi
	kill -9 $pid 2>/dev/null ||
		fail "the campaign ended before it could be killed: $(tail -20 "$WORK/killed.out")"
	wait $pid 2>/dev/null
	KILLED_RUNS=$(sql "$db" "SELECT run_id || ' ' || started_ns FROM runs WHERE status='complete' ORDER BY run_id")
	KILLED_N=$(echo "$KILLED_RUNS" | grep -c .)
	note "killed with $KILLED_N complete runs"
}

# resume_once DB YAML TOTAL [RUN-OPTIONS...]: run the killed campaign
# again (output in $WORK/resumed.out): it says it resumes KILLED_N runs,
# ends with TOTAL runs, all complete, each once, and the runs finished
# before the kill are unchanged (not redone).
resume_once() {
	local db=$1 yaml=$2 total=$3 rows complete distinct after
	shift 3
	"$IOV" "$@" run --results "$db" "$yaml" >"$WORK/resumed.out" 2>&1 ||
		fail "the resumed campaign failed: $(tail -30 "$WORK/resumed.out")"
	grep -q "resuming: $KILLED_N runs already complete" "$WORK/resumed.out" ||
		fail "the second run did not resume: $(tail -20 "$WORK/resumed.out")"
	rows=$(sql "$db" "SELECT count(*) FROM runs")
	complete=$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")
	distinct=$(sql "$db" "SELECT count(DISTINCT run_id) FROM runs WHERE status='complete'")
	[ "$rows" = "$total" ] && [ "$complete" = "$total" ] && [ "$distinct" = "$total" ] ||
		fail "want $total complete runs once each, got $rows rows, $complete complete ($distinct distinct): $(sql "$db" "SELECT run_id, status, error FROM runs")"
	after=$(sql "$db" "SELECT run_id || ' ' || started_ns FROM runs WHERE status='complete' ORDER BY run_id")
	echo "$KILLED_RUNS" | while read -r line; do
		echo "$after" | grep -qx "$line" || fail "run redone or changed: $line"
	done || exit 1
}

# start_sshd PORT [NETNS [EXTRA-SSHD-CONFIG]]: a real sshd on
# 127.0.0.1:PORT (inside NETNS when given), root by key only, its keys in
# $WORK (the client's is $WORK/userkey); $WORK/ssh_config names it
# iovbench-test-server, with its host key in $WORK/known_hosts. The
# caller's cleanup kills $(cat $WORK/sshd.pid).
start_sshd() {
	local port=$1 ns=${2:-} extra=${3:-}
	ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey"
	ssh-keygen -q -t ed25519 -N '' -f "$WORK/userkey"
	cp "$WORK/userkey.pub" "$WORK/authorized_keys"
	chmod 700 "$WORK"
	{
		cat <<CONF
ListenAddress 127.0.0.1:$port
HostKey $WORK/hostkey
AuthorizedKeysFile $WORK/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
StrictModes no
PidFile $WORK/sshd.pid
UsePAM no
CONF
		[ -z "$extra" ] || echo "$extra"
	} >"$WORK/sshd_config"
	echo "[127.0.0.1]:$port $(cat "$WORK/hostkey.pub")" >"$WORK/known_hosts"
	cat >"$WORK/ssh_config" <<CONF
Host iovbench-test-server
	HostName 127.0.0.1
	Port $port
	User root
	IdentityFile $WORK/userkey
	IdentitiesOnly yes
	UserKnownHostsFile $WORK/known_hosts
	StrictHostKeyChecking yes
CONF
	mkdir -p /run/sshd
	${ns:+ip netns exec "$ns"} /usr/sbin/sshd -f "$WORK/sshd_config" -E "$WORK/sshd.log" ||
		fail "sshd did not start: $(cat "$WORK/sshd.log")"
	# it writes its pid file once it listens
	for _ in $(seq 1 50); do [ -s "$WORK/sshd.pid" ] && break; sleep 0.1; done
}
