#!/bin/bash
# The ssh channel to a disk-image guest, against a real sshd: a namespace
# stands in for the guest (sshd on its loopback, as QEMU's hostfwd puts
# port 22 on the server's loopback; a NIC with the guest's MAC); the
# channel logs in with a key, configures that NIC, runs the prober (to a
# peer namespace on the other end of the NIC) and starts and stops the
# reflector, and (with iperf3 installed) starts an iperf3 server and
# client and waits for the client's JSON, all through ssh.
. "$(dirname "$0")/lib.sh"
require_root
command -v sshd >/dev/null || skip "needs sshd (openssh-server)"
DRIVER=${CHANNEL_SSH:?}
setup_test itssh
G=$PREFIX-guest
P=$PREFIX-peer
cleanup() {
	[ -f "$WORK/sshd.pid" ] && kill "$(cat "$WORK/sshd.pid")" 2>/dev/null
	ip netns del $G 2>/dev/null
	ip netns del $P 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add $G
ip netns add $P
ip -n $G link set lo up
ip link add eth7 netns $G address 02:69:6f:00:00:01 type veth peer name eth0 netns $P
ip -n $P addr add 198.18.77.2/24 dev eth0
ip -n $P link set eth0 up
ip -n $P link set lo up

start_sshd 2222 $G

"$DRIVER" $G 2222 "$WORK/userkey" "$(dirname "$IOV")/iovbench-guest" \
	198.18.77.1/24 198.18.77.2 "$(command -v iperf3 >/dev/null && echo iperf3 || echo -)" \
	>"$WORK/out" 2>&1 || fail "channel: $(cat "$WORK/out")"
cat "$WORK/out"
grep -q "^open: iovbench-guest" "$WORK/out" || fail "open did not find iovbench-guest"
grep -q "^link: up" "$WORK/out" || fail "link not up"
grep -q "^run: exit 0, records" "$WORK/out" || fail "the probe did not run"
grep -q "^stop: ok" "$WORK/out" || fail "stop failed"
if command -v iperf3 >/dev/null; then
	grep -q "^iperf3: json" "$WORK/out" || fail "iperf3 over ssh gave no JSON"
fi
# the NIC with the guest's MAC got the address and MTU over ssh
ip -n $G addr show eth7 | grep -q "198.18.77.1/24" || fail "no address on the NIC"
ip -n $G link show eth7 | grep -q "mtu 1400" || fail "MTU not set"
echo PASS
