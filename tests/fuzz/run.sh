#!/bin/sh
# Build the libFuzzer targets into build-fuzz/ and run each for N seconds
# (first argument, default 30) over its seed corpus in corpus/<target>/.
# Fails if any fuzzer finds a crash, a leak, a timeout or a sanitizer
# report; the input is left in build-fuzz/fuzz/<target>-crash-*.
#
# New inputs go to build-fuzz/fuzz/<target>/, not into the seeds: copy one
# to corpus/<target>/ by hand when it is worth keeping.
set -eu
cd "$(dirname "$0")/../.."

secs=${1:-30}
dir=build-fuzz
targets="config records packet frame agent qmp cpustat load_report capture_report loadgen_report iperf_report generator elf hygiene sizemix probe_serve qdisc_reply"

if [ ! -f "$dir/build.ninja" ]; then
	CC=clang meson setup "$dir" -Dfuzz=true -Db_lundef=false >/dev/null
fi
# only the fuzz targets: the rest of the tree need not build with clang
ninja -C "$dir" $(for t in $targets; do echo "tests/fuzz/fuzz_$t"; done) \
	>/dev/null

failed=
for t in $targets; do
	out=$dir/fuzz/$t
	mkdir -p "$out"
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict=-dict=tests/fuzz/$t.dict
	echo "fuzz_$t: ${secs}s"
	if ! "$dir/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 \
		-artifact_prefix="$dir/fuzz/$t-" $dict "$out" \
		"tests/fuzz/corpus/$t" >"$dir/fuzz/$t.log" 2>&1; then
		echo "fuzz_$t FAILED: see $dir/fuzz/$t.log" >&2
		tail -n 30 "$dir/fuzz/$t.log" >&2
		failed="$failed $t"
	else
		grep -E '^#[0-9]+.*DONE' "$dir/fuzz/$t.log" || true
	fi
done
if [ -n "$failed" ]; then
	echo "fuzzers that found a problem:$failed" >&2
	exit 1
fi
