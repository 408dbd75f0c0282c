#!/bin/bash
# iovbench testbed check on an ssh testbed whose two servers are a real
# sshd on this machine's loopback (as host_ssh.sh): iovbench is missing
# there (its configured path is empty), check says so and fails;
# --install copies this iovbench there; check then finds it, of this
# version, and passes. A login banner or an unreachable server is no
# answer.
. "$(dirname "$0")/lib.sh"
require_root
command -v sshd >/dev/null || skip "needs sshd (openssh-server)"
setup_test iovru
PORT=$((20000 + ($$ + 7) % 20000))
cleanup() {
	for s in sender responder; do
		ssh -F "$WORK/ssh_config" -o ControlPath=/run/iovbench/$PREFIX/ssh-$s \
			-O exit iovbench-test-server >/dev/null 2>&1
	done
	[ -f "$WORK/sshd.pid" ] && kill "$(cat "$WORK/sshd.pid")" 2>/dev/null
	rm -rf "$WORK" /run/iovbench/$PREFIX
}
trap cleanup EXIT

start_sshd $PORT

mkdir -p "$WORK/bin"
campaign "$WORK/c.yaml" check <<YAML
testbed:
  kind: ssh
  servers:
    sender:
      ssh: iovbench-test-server
      nic: lo
      iovbench: $WORK/bin/iovbench
      ssh_config: $WORK/ssh_config
    responder:
      ssh: iovbench-test-server
      nic: lo
      iovbench: $WORK/bin/iovbench
      ssh_config: $WORK/ssh_config
matrix:
  - dataplane: veth-bridge
YAML

note "iovbench missing on the servers: check fails and says so"
"$IOV" testbed check "$WORK/c.yaml" >"$WORK/out1" 2>&1 && fail "check passed: $(cat "$WORK/out1")"
grep -q "^sender: missing iovbench" "$WORK/out1" || fail "no 'missing iovbench': $(cat "$WORK/out1")"

note "--install copies it there"
"$IOV" testbed check --install "$WORK/c.yaml" >"$WORK/out2" 2>&1 ||
	fail "check --install failed: $(cat "$WORK/out2")"
grep -q "^sender: installed iovbench" "$WORK/out2" || fail "not installed: $(cat "$WORK/out2")"
cmp -s "$WORK/bin/iovbench" "$(readlink -f "$IOV")" || fail "the copy differs from this iovbench"

note "then it is there, of this version"
"$IOV" testbed check "$WORK/c.yaml" >"$WORK/out3" 2>&1 || fail "check failed: $(cat "$WORK/out3")"
grep -q "^responder: have iovbench" "$WORK/out3" || fail "not found: $(cat "$WORK/out3")"
grep -q "every server has what its tests need" "$WORK/out3" || fail "$(cat "$WORK/out3")"
cat "$WORK/out2"
