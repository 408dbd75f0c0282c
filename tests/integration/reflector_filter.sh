#!/bin/bash
# The UDP reflector answers probes only: a datagram that is not a probe,
# one sent to the subnet's broadcast address, one from the reflector's
# own address (198.18.0.2:7 -> 198.18.0.2:7 looped forever once) and one
# from a reflector's port (two reflectors ping-ponged forever) get no
# answer and are counted by why; a probe beside them is answered.
. "$(dirname "$0")/lib.sh"
require_root
command -v python3 >/dev/null || skip "needs python3"
setup_test itrf

campaign "$WORK/c.yaml" rf <<'YAML'
matrix:
  - dataplane: veth-bridge
YAML
"$IOV" testbed up --dataplane veth-bridge "$WORK/c.yaml" >"$WORK/up" 2>&1 || fail "up: $(cat "$WORK/up")"
"$IOV" reflect -n $PREFIX-r-main --ready >"$WORK/ready" 2>"$WORK/reflect" &
rpid=$!
for _ in $(seq 1 100); do grep -q ready "$WORK/ready" && break; sleep 0.05; done

# send NAME SRCPORT DST PAYLOAD-KIND in namespace NS; prints "answered"
# or "silent"
cat >"$WORK/send.py" <<'PY'
import socket, struct, sys
sport, dst, kind = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.bind(("0.0.0.0", sport))
probe = struct.pack("!IIII", 0x494f5642, 1234, 0, 0) + bytes(48)
s.sendto(probe if kind == "probe" else b"not a probe", (dst, 7))
s.settimeout(0.5)
try:
    s.recvfrom(2048)
    print("answered")
except socket.timeout:
    print("silent")
PY
send() {
	ip netns exec "$1" python3 "$WORK/send.py" "$2" "$3" "$4"
}
S=$PREFIX-s-main
R=$PREFIX-r-main
# the prober's own probes first: its preflight waits until the path is up
"$IOV" probe -k udp -n $S -c 20 -r 1k 198.18.0.2 >"$WORK/probe" || fail "udp probe failed"
grep -q "^20 sent, 20 received, 0 lost" "$WORK/probe" || fail "udp: $(cat "$WORK/probe")"
[ "$(send $S 40001 198.18.0.2 probe)" = answered ] || fail "a probe was not answered"
[ "$(send $S 40002 198.18.0.2 junk)" = silent ] || fail "a non-probe was answered"
[ "$(send $S 40003 198.18.255.255 probe)" = silent ] || fail "a broadcast was answered"
[ "$(send $S 7 198.18.0.2 probe)" = silent ] || fail "a reflector's echo was answered"
[ "$(send $R 40004 198.18.0.2 probe)" = silent ] || fail "a datagram from itself was answered"
# the self loop once seen: 198.18.0.2:7 -> 198.18.0.2:7, given by the
# reflector's own socket would be port 7 to port 7; sent from another
# socket bound to :7 in its namespace, it must die at once
ip netns exec $R python3 -c '
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.sendto(struct.pack("!IIII", 0x494f5642, 1, 0, 0) + bytes(48), ("198.18.0.2", 7))
' 2>/dev/null
sleep 0.3
kill $rpid
wait $rpid 2>/dev/null
cat "$WORK/reflect"
grep -q "dropped 1 not probes" "$WORK/reflect" || fail "non-probe not counted"
grep -q "dropped 1 broadcast or multicast" "$WORK/reflect" || fail "broadcast not counted"
grep -q "dropped 1 from a reflector's port" "$WORK/reflect" || fail "reflector echo not counted"
grep -Eq "dropped [12] from its own address" "$WORK/reflect" || fail "self not counted"
# everything else was a probe (the prober's preflight sends more than 20)
sent=$(sed -n 's/^reflected \([0-9]*\) of \([0-9]*\) .*/\1/p' "$WORK/reflect")
got=$(sed -n 's/^reflected \([0-9]*\) of \([0-9]*\) .*/\2/p' "$WORK/reflect")
[ -n "$sent" ] && [ $((got - sent)) -le 6 ] && [ $((got - sent)) -ge 5 ] ||
	fail "answered what it should not: $(cat "$WORK/reflect")"
"$IOV" testbed down --prefix $PREFIX >/dev/null || fail "down failed"
assert_no_leftovers
echo PASS
