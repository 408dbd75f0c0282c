#!/bin/bash
# `iovbench image build` makes a guest image (the first run downloads
# Debian's kernel package, ~70 MB, into the default cache so that later
# runs are fast), a second build finds it cached, and the image boots
# with TCG to "iovbench-init: ready" on machine pc (bzImage, virtio-net
# and e1000) and on microvm (vmlinux, PVH), with eth0 configured.
#
# Environment: IOVBENCH, and IOVBENCH_GUEST (the static guest binary;
# default: the one next to iovbench).
. "$(dirname "$0")/lib.sh"

BOOT_TIMEOUT=60 # s; TCG boots take 6-9 s (pc), 2-3 s (microvm)
ADDR=198.18.99.1/24

[ "$(id -u)" = 0 ] || skip "needs root (the image cache is in /var/cache/iovbench)"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"

WORK=$(mktemp -d /tmp/iovbench-test.XXXXXX)
QEMU_PID=
cleanup() {
	[ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null && wait "$QEMU_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

guest_opt=()
[ -n "${IOVBENCH_GUEST:-}" ] && guest_opt=(--guest-bin "$IOVBENCH_GUEST")

note "image build"
start=$(date +%s%N)
if ! "$IOV" image build "${guest_opt[@]}" >"$WORK/build" 2>"$WORK/build.err"; then
	cat "$WORK/build.err" >&2
	# no mirror, no apt: the environment, not the code
	grep -qE "cannot download|no apt lists|apt knows no file|cannot tell which kernel" "$WORK/build.err" &&
		skip "cannot build the image: $(grep error "$WORK/build.err" | head -1)"
	fail "image build failed"
fi
echo "built in $(( ($(date +%s%N) - start) / 1000000 )) ms: $(grep ^status "$WORK/build")"
field() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/build"; }
BZIMAGE=$(field bzimage)
VMLINUX=$(field vmlinux)
INITRD=$(field initrd)
for f in "$BZIMAGE" "$VMLINUX" "$INITRD"; do
	[ -s "$f" ] || fail "image file '$f' missing: $(cat "$WORK/build")"
done

note "a second build is cached"
start=$(date +%s%N)
"$IOV" image build "${guest_opt[@]}" >"$WORK/build2" 2>/dev/null || fail "second build failed"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q "^status cached$" "$WORK/build2" || fail "second build not cached: $(cat "$WORK/build2")"
[ "$(grep ^id "$WORK/build")" = "$(grep ^id "$WORK/build2")" ] || fail "the id changed"
"$IOV" image path "${guest_opt[@]}" | grep -qx "initrd $INITRD" || fail "image path disagrees"
echo "ok: cached in $ms ms"

# boot NAME QEMU-ARGS...: wait for ready, check eth0, stop QEMU
boot() {
	local name=$1 log=$WORK/$1.log start i ms
	shift
	start=$(date +%s%N)
	qemu-system-x86_64 -accel tcg -m 128 -nodefaults -no-reboot -display none \
		-serial "file:$log" -netdev user,id=n0 "$@" 2>"$WORK/$name.qemu" &
	QEMU_PID=$!
	for ((i = 0; i < BOOT_TIMEOUT * 10; i++)); do
		grep -q "iovbench-init: ready" "$log" 2>/dev/null && break
		grep -q "iovbench-init: error" "$log" 2>/dev/null && break
		kill -0 $QEMU_PID 2>/dev/null || break
		sleep 0.1
	done
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	kill $QEMU_PID 2>/dev/null
	wait $QEMU_PID 2>/dev/null
	QEMU_PID=
	if ! grep -q "iovbench-init: ready" "$log"; then
		cat "$WORK/$name.qemu" >&2
		tail -30 "$log" >&2
		fail "$name: no 'iovbench-init: ready' in ${BOOT_TIMEOUT} s"
	fi
	grep -q "^iovbench-init: eth0 .* $ADDR mtu" "$log" ||
		fail "$name: eth0 lacks $ADDR: $(grep iovbench-init "$log")"
	echo "ok: $name ready in $ms ms: $(grep "iovbench-init: eth0" "$log")"
}

cmdline="console=ttyS0 iovbench.ip=$ADDR panic=-1"
note "boot machine pc, virtio-net-pci"
boot pc-virtio -M pc -kernel "$BZIMAGE" -initrd "$INITRD" -append "$cmdline" \
	-device virtio-net-pci,netdev=n0
note "boot machine pc, e1000"
boot pc-e1000 -M pc -kernel "$BZIMAGE" -initrd "$INITRD" -append "$cmdline" \
	-device e1000,netdev=n0

# The image's programs (guest/image_progs.c) run in the guest: the agent
# starts iperf3 --version and hands its output back (start, wait).
note "boot machine pc with the agent: iperf3 in the guest"
rm -f "$WORK/agent.sock"
qemu-system-x86_64 -accel tcg -m 128 -nodefaults -no-reboot -display none \
	-serial "file:$WORK/agent.log" -M pc -kernel "$BZIMAGE" -initrd "$INITRD" \
	-append "$cmdline" -netdev user,id=n0 -device virtio-net-pci,netdev=n0 \
	-chardev "socket,id=agent,path=$WORK/agent.sock,server=on,wait=off" \
	-device virtio-serial-pci,id=vser0 \
	-device virtserialport,bus=vser0.0,chardev=agent,name=iovbench.agent \
	2>"$WORK/agent.qemu" &
QEMU_PID=$!
python3 "$(dirname "$0")/agent_talk.py" "$WORK/agent.sock" $BOOT_TIMEOUT \
	"start 1 iperf3 --version" "wait 2 0 10000" >"$WORK/agent.out" 2>&1
kill $QEMU_PID 2>/dev/null
wait $QEMU_PID 2>/dev/null
QEMU_PID=
if command -v iperf3 >/dev/null; then
	grep -q "^data 2 0 " "$WORK/agent.out" && grep -q "^iperf 3" "$WORK/agent.out" ||
		fail "iperf3 --version in the guest: $(cat "$WORK/agent.out"; tail -5 "$WORK/agent.log")"
	echo "ok: $(grep "^iperf 3" "$WORK/agent.out")"
else
	# built without it: the agent says so, and how to get it
	grep -q "no /usr/bin/iperf3 in this guest" "$WORK/agent.out" ||
		fail "no iperf3 in the image, but the agent says: $(cat "$WORK/agent.out")"
	echo "ok: no iperf3 on this host, and the guest says so"
fi

# microvm's TSC calibration hangs 1 boot in 4 without tsc_early_khz
mhz=$(awk '/^cpu MHz/ { print int($4); exit }' /proc/cpuinfo)
[ -n "$mhz" ] && cmdline="$cmdline tsc_early_khz=$((mhz * 1000))"
note "boot machine microvm, virtio-net-device"
boot microvm -M microvm -kernel "$VMLINUX" -initrd "$INITRD" -append "$cmdline" \
	-device virtio-net-device,netdev=n0
echo "PASS"
