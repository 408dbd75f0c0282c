#!/bin/bash
# `iovbench run --dry-run` of the paper's campaigns against golden files:
# every operation on each server, in order, and what is waited for and
# measured (the hardware paths of paper-sriov.yaml included: sriov_numvfs,
# VF settings, vfio-pci binding; loadlat-sriov.yaml's testpmd and MoonGen
# command lines; the failover campaigns' events, hotplug and migration).
# Needs neither root nor the servers.
# IOV_UPDATE_GOLDEN=1 rewrites the golden files.
set -u
IOV=${IOVBENCH:?}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cd "$SRC"
fail=0
for c in examples/paper-sriov examples/paper-local examples/loadlat-sriov \
	tests/data/dryrun/disk-image examples/failover-sriov examples/failover \
	tests/data/dryrun/qemu-props; do
	golden=tests/data/dryrun/$(basename $c).golden
	out=$("$IOV" run --dry-run "$c.yaml" 2>&1)
	if [ "${IOV_UPDATE_GOLDEN:-}" ]; then
		printf '%s\n' "$out" >"$golden"
		continue
	fi
	if ! diff -u "$golden" <(printf '%s\n' "$out"); then
		echo "FAIL: $c differs from $golden" >&2
		fail=1
	fi
done
# testbed check of the real-testbed campaign: what each server is asked
golden=tests/data/dryrun/loadlat-sriov-check.golden
out=$("$IOV" testbed check --dry-run examples/loadlat-sriov.yaml 2>&1)
if [ "${IOV_UPDATE_GOLDEN:-}" ]; then
	printf '%s\n' "$out" >"$golden"
elif ! diff -u "$golden" <(printf '%s\n' "$out"); then
	echo "FAIL: testbed check --dry-run differs from $golden" >&2
	fail=1
fi
[ $fail = 0 ] && echo PASS
exit $fail
