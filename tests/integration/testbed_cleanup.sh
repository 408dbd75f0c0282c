#!/bin/bash
# testbed up/status/down by hand; probes across both data planes with
# both probe kinds; and `testbed down` removing what a crash left (a
# namespace with the prefix and a process inside it).
. "$(dirname "$0")/lib.sh"
require_root
setup_test ittb

campaign "$WORK/c.yaml" tb <<'YAML'
matrix:
  - dataplane: [veth-bridge, macvlan]
YAML

for dp in veth-bridge macvlan; do
	note "testbed up --dataplane $dp"
	"$IOV" testbed up --dataplane $dp "$WORK/c.yaml" >"$WORK/up" 2>&1 || fail "up: $(cat "$WORK/up")"
	"$IOV" testbed status --prefix $PREFIX >"$WORK/status"
	for ns in sender responder s-main r-main; do
		grep -q "^namespace $PREFIX-$ns\$" "$WORK/status" || fail "no namespace $ns: $(cat "$WORK/status")"
	done
	grep -q "eth0 .* 198.18.0.1/16" "$WORK/status" || fail "no sender guest address"

	"$IOV" probe -n $PREFIX-s-main -c 200 -r 2k -o "$WORK/icmp.rec" 198.18.0.2 >"$WORK/probe" ||
		fail "icmp probe failed"
	grep -q "^200 sent, 200 received, 0 lost" "$WORK/probe" || fail "icmp: $(cat "$WORK/probe")"
	[ "$(grep -c '^[0-9]' "$WORK/icmp.rec")" = 200 ] || fail "icmp: not 200 records"

	"$IOV" reflect -n $PREFIX-r-main --ready >"$WORK/ready" 2>/dev/null &
	rpid=$!
	for _ in $(seq 1 100); do grep -q ready "$WORK/ready" && break; sleep 0.05; done
	"$IOV" probe -k udp -n $PREFIX-s-main -c 200 -r 2k 198.18.0.2 >"$WORK/probe" || fail "udp probe failed"
	kill $rpid; wait $rpid 2>/dev/null
	grep -q "^200 sent, 200 received, 0 lost" "$WORK/probe" || fail "udp: $(cat "$WORK/probe")"

	"$IOV" testbed down --prefix $PREFIX >/dev/null || fail "down failed"
	assert_no_leftovers
	echo "ok: $dp"
done

note "what a crash leaves: a namespace with a process inside"
ip netns add $PREFIX-sender
ip netns exec $PREFIX-sender sleep 300 &
planted=$!
sleep 0.2
[ -n "$(ip netns pids $PREFIX-sender)" ] || fail "could not plant a process"
"$IOV" testbed down --prefix $PREFIX >"$WORK/down" || fail "down failed"
grep -q "removed 1 namespaces" "$WORK/down" || fail "down: $(cat "$WORK/down")"
assert_no_leftovers
# the planted process only: other work on this machine may sleep too
sleep 0.1
# (a killed child not yet reaped by this shell is a zombie: it is gone)
ps -o stat= -p $planted | grep -qv Z && fail "the planted process survived"

note "a run with nothing to do removes what a kill left"
campaign "$WORK/done.yaml" tbdone <<'YAML'
matrix:
  - dataplane: veth-bridge
    count: 20
    rate: 1k
YAML
"$IOV" run -r "$WORK/done.db" "$WORK/done.yaml" >"$WORK/run1" 2>&1 || fail "run: $(cat "$WORK/run1")"
"$IOV" testbed up --dataplane veth-bridge "$WORK/done.yaml" >/dev/null 2>&1 || fail "up failed"
[ -n "$(leftovers)" ] || fail "testbed up made nothing"
"$IOV" run -r "$WORK/done.db" "$WORK/done.yaml" >"$WORK/run2" 2>&1 || fail "rerun: $(cat "$WORK/run2")"
grep -q "nothing to do" "$WORK/run2" || fail "rerun did something: $(cat "$WORK/run2")"
assert_no_leftovers

note "a runner the lock refuses creates no database"
flock "/run/iovbench/$PREFIX.lock" sleep 3 &
lpid=$!
sleep 0.3
"$IOV" run -r "$WORK/locked.db" "$WORK/done.yaml" >"$WORK/run3" 2>&1 && fail "ran beside the lock holder"
grep -q "another iovbench" "$WORK/run3" || fail "lock: $(cat "$WORK/run3")"
[ ! -e "$WORK/locked.db" ] || fail "the refused runner created its database"
kill $lpid 2>/dev/null
wait $lpid 2>/dev/null

note "a prefix that is not one is refused"
"$IOV" testbed down --prefix "" 2>/dev/null && fail "empty prefix accepted"
"$IOV" testbed down --prefix "a-b" 2>/dev/null && fail "bad prefix accepted"
echo "PASS"
