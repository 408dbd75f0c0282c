#!/bin/bash
# The guest agent's run streams a prober's records (core/agent_proto.h's
# parts): the host's agent client and the real agent, joined by a unix
# socket as QEMU's virtio-serial chardev joins them, in a namespace that
# stands in for a VM guest, probing a peer namespace. 300000 probes make
# ~25 MB of records; before the parts, the agent held them whole in the
# guest and the host again in a buffer: both peaks now stay far below.
# Then the same through the agent's prober of the guest's life (the
# probe request, its records through a FIFO), which is killed after:
# the next request finds a new one.
. "$(dirname "$0")/lib.sh"
require_root
DRIVER=${AGENT_STREAM:?}
setup_test itast
G=$PREFIX-guest
P=$PREFIX-peer
cleanup() {
	ip netns del $G 2>/dev/null
	ip netns del $P 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add $G
ip netns add $P
ip -n $G link set lo up
ip link add eth0 netns $G type veth peer name eth0 netns $P
ip -n $G addr add 198.18.79.1/24 dev eth0
ip -n $P addr add 198.18.79.2/24 dev eth0
ip -n $G link set eth0 up
ip -n $P link set eth0 up

count=300000
ip netns exec $G "$DRIVER" "$(dirname "$IOV")/iovbench-guest" "$WORK/agent.sock" \
	198.18.79.2 $count 100000 "$WORK/records" >"$WORK/out" 2>&1 ||
	fail "the run through the agent: $(cat "$WORK/out")"
cat "$WORK/out"
grep -q "^run: ok, exit 0" "$WORK/out" || fail "the prober did not run"
grep -q "^agent exit: 0" "$WORK/out" || fail "the agent did not end cleanly"
# every probe's record came through, none torn at a part's edge: the
# runner's reader takes them all
grep -q "^records: $count\$" "$WORK/out" || fail "not $count readable records"
bytes=$(awk '/^bytes:/ { print $2 }' "$WORK/out")
agent=$(awk '/^agent peak RSS:/ { print $4 }' "$WORK/out")
client=$(awk '/^client peak RSS:/ { print $4 }' "$WORK/out")
echo "records $((bytes / 1024)) KiB; peak RSS: agent $agent KiB, client $client KiB"
if [ -n "${IOV_SANITIZED:-}" ]; then
	echo "RSS not checked: a sanitizer's shadow memory is not the product's RSS"
else
	[ "$agent" -lt $((bytes / 1024 / 4)) ] ||
		fail "the agent's peak RSS, $agent KiB, is not far below the records' $((bytes / 1024)) KiB"
	[ "$client" -lt $((bytes / 1024 / 4)) ] ||
		fail "the client's peak RSS, $client KiB, is not far below the records' $((bytes / 1024)) KiB"
fi
note "the same through the agent's prober of the guest's life (the probe request), killed after"
ip netns exec $G "$DRIVER" "$(dirname "$IOV")/iovbench-guest" "$WORK/agent2.sock" \
	198.18.79.2 $count 100000 "$WORK/served" serve >"$WORK/out2" 2>&1 ||
	fail "the served run through the agent: $(cat "$WORK/out2")"
cat "$WORK/out2"
grep -q "^run: ok, exit 0" "$WORK/out2" || fail "the served prober did not run"
grep -q "^records: $count\$" "$WORK/out2" || fail "not $count readable records from the served prober"
grep -q "^served prober: found" "$WORK/out2" || fail "no prober serving in the agent"
grep -q "^after its death: ok, exit 0, records 100, a new one: yes" "$WORK/out2" ||
	fail "the agent did not replace a dead prober: $(cat "$WORK/out2")"
grep -q "^agent exit: 0" "$WORK/out2" || fail "the agent did not end cleanly"
# nothing of the served prober left behind it: no process, no FIFO
pid=$(awk '/^agent pid:/ { print $3 }' "$WORK/out2")
[ -e "/run/iovbench-agent-probes.$pid" ] && fail "FIFO left in /run"
pgrep -f "iovbench-guest probe --serve" >/dev/null && fail "a served prober left running"
# a killed agent's FIFO goes when the next agent starts
mkfifo /run/iovbench-agent-probes.999999999
ip netns exec $G "$DRIVER" "$(dirname "$IOV")/iovbench-guest" "$WORK/agent3.sock" \
	198.18.79.2 10 1000 "$WORK/again" >/dev/null 2>&1 || fail "a third agent's run"
[ -e /run/iovbench-agent-probes.999999999 ] && fail "a gone agent's FIFO was not removed"
bytes=$(awk '/^bytes:/ { print $2 }' "$WORK/out2")
agent=$(awk '/^agent peak RSS:/ { print $4 }' "$WORK/out2")
client=$(awk '/^client peak RSS:/ { print $4 }' "$WORK/out2")
echo "served: records $((bytes / 1024)) KiB; peak RSS: agent $agent KiB, client $client KiB"
if [ -z "${IOV_SANITIZED:-}" ]; then
	[ "$agent" -lt $((bytes / 1024 / 4)) ] ||
		fail "the agent's peak RSS, $agent KiB, is not far below the served records' $((bytes / 1024)) KiB"
	[ "$client" -lt $((bytes / 1024 / 4)) ] ||
		fail "the client's peak RSS, $client KiB, is not far below the served records' $((bytes / 1024)) KiB"
fi
echo PASS
