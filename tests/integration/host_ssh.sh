#!/bin/bash
# A server reached over ssh, as `testbed.kind: ssh` reaches one: a real
# sshd on this machine's loopback stands in for it, reached through
# `testbed.servers.*.ssh_config` (no change to ~/.ssh). The driver runs
# ops there, a capture point there around 20 probes (its report back over
# ssh), spawns a process there, stops a load process there and
# gets its report (ssh passes EOF, not signals), forwards six unix sockets (QMP and
# agent of three VMs) through the one master connection, drops them,
# fetches a file and closes the master.
. "$(dirname "$0")/lib.sh"
require_root
command -v sshd >/dev/null || skip "needs sshd (openssh-server)"
DRIVER=${HOST_SSH:?}
setup_test iths
PORT=$((20000 + $$ % 20000))
cleanup() {
	[ -f "$WORK/sshd.pid" ] && kill "$(cat "$WORK/sshd.pid")" 2>/dev/null
	pkill -f "ControlPath=$WORK/run" 2>/dev/null
	pkill -f "ControlPath=/run/iovbench/$PREFIX/" 2>/dev/null
	ip netns del $PREFIX-x 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/run"
start_sshd $PORT "" "AllowStreamLocalForwarding yes"
"$DRIVER" iovbench-test-server "$WORK/ssh_config" "$IOV" "$WORK/run" "$WORK" \
	$PREFIX-x >"$WORK/out" 2>&1 || fail "host: $(cat "$WORK/out")"
cat "$WORK/out"
grep -q "^op: netns made" "$WORK/out" || fail "the op did not run there"
grep -q "^capture: 20 requests out, 20 replies in" "$WORK/out" ||
	fail "the capture over ssh missed probes"
grep -q "^capture --runs: 2 of 2 runs with their own events, exit 0" "$WORK/out" ||
	fail "a capture of many runs over ssh"
grep -q "^spawn: iovbench " "$WORK/out" || fail "spawn did not run iovbench"
grep -q "^stop: exit 0, load cpu packets=0 .* cpu_seconds=" "$WORK/out" ||
	fail "the load process did not report on its way out"
grep -q "^forward: 6 of 6 sockets carry" "$WORK/out" || fail "forwards"
grep -q "^drop: 6 of 6 forwards gone" "$WORK/out" || fail "drop"
grep -q "^get_file: ok" "$WORK/out" || fail "get_file"
grep -q "^read_file: /proc/stat with $(nproc) cpus, missing file refused" "$WORK/out" ||
	fail "read_file"
cmp -s "$WORK/ssh_config" "$WORK/ssh_config.copy" || fail "fetched file differs"
grep -q "^release: master gone" "$WORK/out" || fail "master not closed"

note "a master connection a crashed runner left goes with testbed down"
mkdir -p /run/iovbench/$PREFIX
ssh -F "$WORK/ssh_config" -o ControlMaster=yes -o ControlPersist=yes \
	-o ControlPath=/run/iovbench/$PREFIX/ssh-sender -o BatchMode=yes -fN \
	iovbench-test-server || fail "could not plant a master"
pgrep -f "ControlPath=/run/iovbench/$PREFIX/ssh-sender" >/dev/null ||
	fail "no master planted"
"$IOV" testbed down --prefix $PREFIX >/dev/null || fail "down failed"
sleep 0.3
pgrep -f "ControlPath=/run/iovbench/$PREFIX/ssh-sender" >/dev/null &&
	fail "testbed down left the master running"

assert_no_leftovers
sleep 0.5
pgrep -f "iovbench load cpu --duty 5" >/dev/null &&
	fail "a load process outlived its ssh session"
pgrep -f "ControlPath=$WORK/run" >/dev/null && fail "an ssh process outlived the host"
echo PASS
