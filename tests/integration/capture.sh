#!/bin/bash
# Capture points on the servers' NICs of a veth-bridge testbed: every
# probe a prober run sends, and every reply, is seen at both NICs in the
# right direction, once, with no ring drops, at 100 kpps (asked: the
# prober reaches what this host allows) and at 1 kpps, ICMP and UDP; the
# NIC timestamps of each probe are in causal order; the pcap file of a
# capture is written and, where tcpdump or tshark is installed, readable.
# First, the ring's BPF filter and the parser on injected frames.
. "$(dirname "$0")/lib.sh"
require_root
DRIVE=${CAPTURE_DRIVE:-$(dirname "$IOV")/tests/integration/capture_drive}
[ -x "$DRIVE" ] || skip "no capture_drive program (CAPTURE_DRIVE)"
setup_test itcap

# testbed down (on exit) removes it with the rest if the test fails
note "filter and parser on frames written by hand (802.1Q, options, fragments)"
ip netns add $PREFIX-inj &&
	ip -n $PREFIX-inj link add $PREFIX-a type veth peer name $PREFIX-b &&
	ip -n $PREFIX-inj link set $PREFIX-a up &&
	ip -n $PREFIX-inj link set $PREFIX-b up ||
	fail "cannot build a veth pair in $PREFIX-inj"
"$DRIVE" -p 7777 -i $PREFIX-inj:$PREFIX-a >"$WORK/inj" 2>&1 ||
	fail "inject: $(cat "$WORK/inj")"
cat "$WORK/inj"
"$DRIVE" -i $PREFIX-inj:nosuch >"$WORK/inj" 2>&1 && fail "capture on a missing interface"
grep -q "no interface 'nosuch'" "$WORK/inj" || fail "missing interface: $(cat "$WORK/inj")"
ip netns del $PREFIX-inj
"$DRIVE" -i $PREFIX-inj:$PREFIX-a >"$WORK/inj" 2>&1 && fail "capture in a missing namespace"
grep -q "$PREFIX-inj" "$WORK/inj" || fail "missing namespace: $(cat "$WORK/inj")"

campaign "$WORK/c.yaml" cap <<'YAML'
matrix:
  - dataplane: [veth-bridge]
YAML
note "testbed up --dataplane veth-bridge"
"$IOV" testbed up --dataplane veth-bridge "$WORK/c.yaml" >"$WORK/up" 2>&1 ||
	fail "up: $(cat "$WORK/up")"

# field NAME KEY FILE: KEY's value on the line "point NAME ..."
field() {
	sed -n "s/^point $1 \(.* \)\{0,1\}$2=\([0-9]*\).*/\2/p" "$3"
}

# The value of KEY on the first line starting with WORD.
value() {
	sed -n "s/^$1 \(.* \)\{0,1\}$2=\([0-9]*\).*/\2/p" "$3" | head -n 1
}

# capture NAME RATE COUNT [probe options...]: run the prober between
# captures on both NICs and check what they saw.
capture() {
	local name=$1 rate=$2 count=$3 out=$WORK/$1.out sent recv p k n
	shift 3
	note "$name: $count probes at $rate pps $*"
	"$DRIVE" -p 7777 -w "$WORK/$name.pcap" "$WORK/$name.rec" \
		sender=$PREFIX-sender:$PREFIX-nic \
		responder=$PREFIX-responder:$PREFIX-nic -- \
		"$IOV" probe -n $PREFIX-s-main -w 0 -c "$count" -r "$rate" \
		-o "$WORK/$name.rec" "$@" 198.18.0.2 >"$out" 2>&1 ||
		fail "$name: capture_drive failed: $(cat "$out")"
	cat "$out"
	sent=$(sed -n 's/^\([0-9]*\) sent, \([0-9]*\) received.*/\1/p' "$out")
	recv=$(sed -n 's/^\([0-9]*\) sent, \([0-9]*\) received.*/\2/p' "$out")
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "$name: no probe summary"
	for p in sender responder; do
		[ "$(field $p drops "$out")" = 0 ] || fail "$name: $p dropped frames"
	done
	# each probe once, in its direction, at each NIC
	for k in sender:req_out:$sent responder:req_in:$sent \
		responder:rep_out:$recv sender:rep_in:$recv \
		sender:req_in:0 sender:rep_out:0 \
		responder:req_out:0 responder:rep_in:0; do
		p=${k%%:*}
		k=${k#*:}
		n=$(field $p "${k%:*}" "$out")
		[ "$n" = "${k#*:}" ] || fail "$name: $p ${k%:*} = $n, want ${k#*:}"
		n=$(field $p "seqs_${k%:*}" "$out")
		[ "$n" = "${k#*:}" ] || fail "$name: $p seqs_${k%:*} = $n, want ${k#*:}"
	done
	[ "$(value order checked "$out")" = "$recv" ] ||
		fail "$name: not every answered probe has its four NIC stamps"
	[ "$(value order violations "$out")" = 0 ] ||
		fail "$name: NIC timestamps out of causal order"
	# the guest's kernel stamps enclose its NIC's: the transmit stamp
	# is the guest NIC's own (the first), not a later device's
	[ "$(value guest tx_after_nic "$out")" = 0 ] ||
		fail "$name: guest transmit stamps after the NIC's"
	[ "$(value guest rx_before_nic "$out")" = 0 ] ||
		fail "$name: guest receive stamps before the NIC's"
	echo "ok: $name"
}

capture icmp-100k 100k 100000
capture icmp-1k 1k 1000

"$IOV" reflect -n $PREFIX-r-main --port 7777 --ready >"$WORK/ready" 2>/dev/null &
rpid=$!
for _ in $(seq 1 100); do grep -q ready "$WORK/ready" && break; sleep 0.05; done
capture udp-1k 1k 1000 -k udp -p 7777
kill $rpid
wait $rpid 2>/dev/null

note "pcap file of the sender's NIC"
f=$WORK/icmp-1k.pcap
[ -s "$f" ] || fail "no pcap file"
[ "$(od -An -tx1 -N4 "$f" | tr -d ' ')" = 4d3cb2a1 ] || fail "not a nanosecond pcap file"
frames=$(field sender frames "$WORK/icmp-1k.out")
if command -v tshark >/dev/null; then
	n=$(tshark -r "$f" 2>/dev/null | wc -l)
elif command -v tcpdump >/dev/null; then
	n=$(tcpdump -nn -r "$f" 2>/dev/null | wc -l)
else
	n=
	echo "no tshark or tcpdump: pcap read-back skipped"
fi
[ -z "$n" ] || [ "$n" = "$frames" ] || fail "pcap: $n frames read back, $frames captured"

"$IOV" testbed down --prefix $PREFIX >/dev/null || fail "down failed"
assert_no_leftovers
echo "PASS"
