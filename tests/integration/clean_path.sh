#!/bin/bash
# The testbed's path does not depend on the host's netfilter settings:
# with br_netfilter loaded, a new namespace inherits the host's
# bridge-nf-call-iptables (1 on Debian) and every bridged frame went
# through iptables (veth-bridge RTT p50 12.06 vs 5.26 us). The testbed's
# namespaces turn it off; the same probes with the host's setting on and
# off give the same RTT; the runs record both values.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itnf
knob=/proc/sys/net/bridge/bridge-nf-call-iptables
[ -e $knob ] || skip "br_netfilter is not loaded here: nothing to turn off"
saved=$(cat $knob)
trap 'echo "$saved" >$knob; cleanup' EXIT

campaign "$WORK/c.yaml" nf <<'YAML'
prober:
  warmup: 20
matrix:
  - dataplane: veth-bridge
    rate: 2k
    count: 3000
YAML
p50() { # the kernel-stamped RTT p50 (us) of a run with the host's knob at $1
	echo "$1" >$knob
	"$IOV" testbed up --dataplane veth-bridge "$WORK/c.yaml" >/dev/null 2>&1 || fail "up failed"
	[ "$(ip netns exec $PREFIX-sender cat $knob)" = 0 ] || fail "the testbed's bridges go through netfilter (host $1)"
	"$IOV" probe -n $PREFIX-s-main -c 3000 -r 2k 198.18.0.2 >"$WORK/p$1" 2>&1 || fail "probe failed: $(cat "$WORK/p$1")"
	"$IOV" testbed down --prefix $PREFIX >/dev/null
	sed -n 's|^rtt (software) .*p50/p99/max = [0-9.]*/\([0-9.]*\)/.*|\1|p' "$WORK/p$1"
}
on=$(p50 1)
off=$(p50 0)
[ "$(cat $knob)" = 0 ] && echo "$saved" >$knob
note "RTT p50 with the host's bridge-nf-call-iptables on: $on us, off: $off us"
[ -n "$on" ] && [ -n "$off" ] || fail "no RTT: $(cat "$WORK/p1")"
awk -v a="$on" -v b="$off" 'BEGIN { r = a / b; exit !(r > 0.7 && r < 1.4) }' ||
	fail "the RTT depends on the host's setting: $on vs $off us"

note "the runs record it"
echo 1 >$knob
"$IOV" -q run -r "$WORK/r.db" "$WORK/c.yaml" >"$WORK/run" 2>&1 || fail "run: $(cat "$WORK/run")"
nf=$(sql "$WORK/r.db" "SELECT json_extract(setup, '\$.bridge_nf_call_iptables.host') || '/' || json_extract(setup, '\$.bridge_nf_call_iptables.testbed') FROM runs LIMIT 1")
[ "$nf" = "1/0" ] || fail "the run records '$nf', not host 1 / testbed 0"
assert_no_leftovers
echo PASS
