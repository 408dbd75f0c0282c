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

ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/userkey"
cp "$WORK/userkey.pub" "$WORK/authorized_keys"
chmod 700 "$WORK"
cat >"$WORK/sshd_config" <<CONF
ListenAddress 127.0.0.1:$PORT
HostKey $WORK/hostkey
AuthorizedKeysFile $WORK/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
StrictModes no
PidFile $WORK/sshd.pid
UsePAM no
CONF
echo "[127.0.0.1]:$PORT $(cat "$WORK/hostkey.pub")" >"$WORK/known_hosts"
cat >"$WORK/ssh_config" <<CONF
Host iovbench-test-server
	HostName 127.0.0.1
	Port $PORT
	User root
	IdentityFile $WORK/userkey
	IdentitiesOnly yes
	UserKnownHostsFile $WORK/known_hosts
	StrictHostKeyChecking yes
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -f "$WORK/sshd_config" -E "$WORK/sshd.log" ||
	fail "sshd did not start: $(cat "$WORK/sshd.log")"
for _ in $(seq 1 50); do [ -s "$WORK/sshd.pid" ] && break; sleep 0.1; done

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
