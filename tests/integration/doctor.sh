#!/bin/bash
# iovbench doctor: on this host, the text and the JSON report hold every
# item, the JSON parses, and what the host lacks is said (no
# /dev/vhost-net: vhost-net says no). Then on a fake sysfs with an SR-IOV
# NIC, two VFs (one with a netdev, one on vfio-pci) and IOMMU groups, the
# NIC, its VFs and the groups are reported. The stalls of each CPU are
# measured and said. Needs no root, changes nothing.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "needs python3 (to parse the JSON)"
WORK=$(mktemp -d /tmp/iovbench-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

"$IOV" doctor >"$WORK/out" 2>"$WORK/err" || fail "doctor failed: $(cat "$WORK/err")"
"$IOV" doctor --json >"$WORK/json" 2>>"$WORK/err" || fail "doctor --json failed"
cat "$WORK/out"
python3 -c 'import json,sys; json.load(sys.stdin)' <"$WORK/json" ||
	fail "doctor --json is not JSON: $(head -5 "$WORK/json")"

# the state of an item, from the JSON (the first row of it)
state() {
	python3 -c '
import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if r["item"] == sys.argv[2]]
print(rows[0]["state"] if rows else "MISSING")' "$1" "$2"
}

for item in kvm vhost-net qemu iommu "sr-iov nics" timestamping \
	"guest image" namespaces sshd; do
	grep -q "^$item " "$WORK/out" || fail "no '$item' line"
	[ "$(state "$WORK/json" "$item")" != MISSING ] ||
		fail "no '$item' in the JSON"
done
# the stalls: measured on each CPU (up to 8), a share and a rate limit
# each; none with --stalls 0
ncpu=$(nproc); [ "$ncpu" -gt 8 ] && ncpu=8
[ "$(grep -c '^stalls ' "$WORK/out")" = "$ncpu" ] ||
	fail "not one stalls line per CPU ($ncpu): $(grep '^stalls ' "$WORK/out")"
grep '^stalls ' "$WORK/out" | grep -vqE '^stalls +(ok|warn) +CPU [0-9]+: [0-9.]+ % of its time lost in [0-9]+ stalls a second .* f = [0-9.]+ % .* up to [0-9]+ % of its capacity' &&
	fail "a stalls line without its figures: $(grep '^stalls ' "$WORK/out")"
"$IOV" doctor --stalls 0 >"$WORK/nostalls" 2>>"$WORK/err" || fail "doctor --stalls 0 failed"
! grep -q '^stalls ' "$WORK/nostalls" || fail "--stalls 0 still watched the CPUs"
"$IOV" doctor --stalls 10x >/dev/null 2>"$WORK/bad" && fail "doctor took --stalls 10x"
grep -q "10x" "$WORK/bad" || fail "a bad --stalls without the value: $(cat "$WORK/bad")"
# one line per row, in both forms
[ "$(wc -l <"$WORK/out")" = \
	"$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <"$WORK/json")" ] ||
	fail "the text and the JSON do not have the same rows"

# sshd -T, as root with openssh-server: its two settings that matter
# (it fails, and doctor says so, where /run/sshd was never made)
if [ "$(id -u)" = 0 ] && command -v sshd >/dev/null; then
	want=$(sshd -T 2>/dev/null | awk '$1 == "maxsessions" {print $2}')
	if [ -n "$want" ]; then
		grep -q "^sshd .*MaxSessions $want per connection" "$WORK/out" ||
			fail "sshd does not give MaxSessions $want: $(grep ^sshd "$WORK/out")"
	else
		grep -q "^sshd .*'sshd -T' failed" "$WORK/out" ||
			fail "sshd -T fails but doctor does not say so: $(grep ^sshd "$WORK/out")"
	fi
fi

if [ ! -e /dev/vhost-net ]; then
	[ "$(state "$WORK/json" vhost-net)" = no ] || fail "vhost-net is not 'no'"
	grep -q "^vhost-net .*vhost=on are refused" "$WORK/out" ||
		fail "vhost-net does not say vhost=on is refused"
fi
if ! command -v qemu-system-x86_64 >/dev/null; then
	[ "$(state "$WORK/json" qemu)" = no ] || fail "qemu is not 'no'"
fi
if [ ! -d /sys/kernel/iommu_groups ] || [ -z "$(ls /sys/kernel/iommu_groups)" ]; then
	grep -q "^iommu .*vfio-vf is ruled out" "$WORK/out" ||
		fail "no IOMMU, yet vfio-vf is not ruled out"
fi

# A fake sysfs: a root port, PF ens1f0 (ixgbe) with 2 of 8 VFs enabled,
# VF 0 on iavf with netdev ens1f0v0, VF 1 on vfio-pci alone in its group.
note "fake sysfs"
S=$WORK/sys
port=devices/pci0000:00/0000:00:02.0
pci_dev() { # BDF DRIVER GROUP
	local d=$S/$port/$1
	mkdir -p "$d" "$S/bus/pci/devices" "$S/kernel/iommu_groups/$3/devices"
	echo 0x020000 >"$d/class"
	if [ -n "$2" ]; then
		mkdir -p "$S/bus/pci/drivers/$2"
		ln -s "../../../../bus/pci/drivers/$2" "$d/driver"
	fi
	ln -s "../../../../kernel/iommu_groups/$3" "$d/iommu_group"
	ln -s "../../../../$port/$1" "$S/kernel/iommu_groups/$3/devices/$1"
	ln -s "../../../$port/$1" "$S/bus/pci/devices/$1"
}
netdev() { # BDF NAME
	mkdir -p "$S/$port/$1/net/$2" "$S/class/net"
	ln -s "../../../$1" "$S/$port/$1/net/$2/device"
	ln -s "../../$port/$1/net/$2" "$S/class/net/$2"
}
pci_dev 0000:3b:00.0 ixgbe 40
pci_dev 0000:3b:02.0 iavf 41
pci_dev 0000:3b:02.1 vfio-pci 42
echo 8 >"$S/$port/0000:3b:00.0/sriov_totalvfs"
echo 2 >"$S/$port/0000:3b:00.0/sriov_numvfs"
ln -s ../0000:3b:02.0 "$S/$port/0000:3b:00.0/virtfn0"
ln -s ../0000:3b:02.1 "$S/$port/0000:3b:00.0/virtfn1"
netdev 0000:3b:00.0 ens1f0
netdev 0000:3b:02.0 ens1f0v0

"$IOV" doctor --sysfs "$S" >"$WORK/fake" 2>"$WORK/err" ||
	fail "doctor --sysfs failed: $(cat "$WORK/err")"
cat "$WORK/fake"
grep -q "^sr-iov nics    ens1f0 0000:3b:00.0 ixgbe, 2 of 8 VFs enabled: 1 with a netdev (virtio-macvtap), 1 on vfio-pci in a viable group (vfio-vf)$" "$WORK/fake" ||
	fail "the fake SR-IOV NIC is not reported as it is"
[ "$(grep -c "^sr-iov nics" "$WORK/fake")" = 1 ] ||
	fail "a VF or a plain netdev was taken for an SR-IOV NIC"
grep -q "^iommu          yes    3 IOMMU groups" "$WORK/fake" ||
	fail "the fake IOMMU groups are not counted"
grep -q "^vfio-pci       \(yes\|no     driver loaded\)" "$WORK/fake" ||
	fail "the fake vfio-pci driver is not seen"
grep -q "^timestamping   ens1f0v0 " "$WORK/fake" ||
	fail "no timestamping line for the fake VF netdev"
echo "PASS"
