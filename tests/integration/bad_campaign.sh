#!/bin/bash
# A campaign with a misspelt key or an out-of-range value fails naming
# file:line:column and the key, and creates nothing: no namespace, no
# database.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itbad

check_bad() {
	local what=$1 want=$2
	"$IOV" run --results "$WORK/r.db" "$WORK/c.yaml" >"$WORK/out" 2>&1
	status=$?
	[ $status = 2 ] || fail "$what: exit status $status, want 2"
	grep -qF "$want" "$WORK/out" || fail "$what: message lacks '$want': $(cat "$WORK/out")"
	[ ! -e "$WORK/r.db" ] || fail "$what: a database was created"
	[ -z "$(leftovers)" ] || fail "$what: namespaces were created"
	"$IOV" plan "$WORK/c.yaml" >/dev/null 2>&1 && fail "$what: plan accepted it"
	echo "ok: $what: $(head -1 "$WORK/out")"
}

campaign "$WORK/c.yaml" bad <<'YAML'
matrix:
  - dataplane: [veth-bridge]
    rate: [1k]
    cuont: 100
YAML
check_bad "misspelt key" "c.yaml:6:5: error: unknown key 'cuont' in matrix[0] (did you mean 'count'?)"

campaign "$WORK/c.yaml" bad <<'YAML'
matrix:
  - dataplane: veth-bridge
    rate: [1k, 300M]
YAML
check_bad "out-of-range rate" "c.yaml:5:16: error: matrix[0].rate: '300M' is out of range 1..200M pps"

campaign "$WORK/c.yaml" bad <<'YAML'
testbed:
  subnet: 192.168.1.0/24
matrix:
  - dataplane: veth-bridge
YAML
check_bad "subnet outside 198.18.0.0/15" "c.yaml:4:11: error: testbed.subnet: '192.168.1.0/24' is invalid: must lie inside 198.18.0.0/15"

campaign "$WORK/c.yaml" bad <<'YAML'
testbed:
  kind: ssh
  servers:
    sender: {ssh: "-oProxyCommand=touch /tmp/owned", nic: eth0}
    responder: {ssh: root@192.0.2.1, nic: eth0}
matrix:
  - dataplane: veth-bridge
YAML
check_bad "ssh destination that is an option" "c.yaml:6:19: error: testbed.servers.sender.ssh: '-oProxyCommand=touch /tmp/owned' is invalid: expected an ssh destination"

printf 'campaign: bad\nprefix: %s\nmatrix:\n  - dataplane: veth-bridge\n    rate: 1k\n    count: 10\n    probe: ic\377mp\n' \
	"$PREFIX" >"$WORK/c.yaml"
check_bad "invalid UTF-8 on line 7" "c.yaml:7:14: error: YAML syntax: invalid leading UTF-8 octet"

{ printf 'campaign: bad\nprefix: %s\nmatrix:\n  - dataplane: ' "$PREFIX"
  head -c 200000 /dev/zero | tr '\0' v; echo; } >"$WORK/c.yaml"
check_bad "a 200 kB value" "'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv...' (200000 bytes) is invalid"
[ "$(wc -c <"$WORK/out")" -lt 1000 ] || fail "a 200 kB value: the error echoes it ($(wc -c <"$WORK/out") bytes)"

{ printf 'campaign: bad\nprefix: %s\n# ' "$PREFIX"; head -c 1100000 /dev/zero | tr '\0' x; echo; } >"$WORK/c.yaml"
check_bad "a campaign over 1 MiB" "c.yaml: file is larger than 1048576 bytes"
timeout 10 "$IOV" plan /dev/zero >"$WORK/out" 2>&1
[ $? = 2 ] || fail "plan /dev/zero: not refused in time"
grep -qF "/dev/zero: file is larger than 1048576 bytes" "$WORK/out" || fail "plan /dev/zero: $(cat "$WORK/out")"

echo "PASS"
