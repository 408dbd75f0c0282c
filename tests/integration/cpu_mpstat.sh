#!/bin/bash
# CPU usage from src/core/cpustat.c agrees with sysstat's mpstat run
# beside it over the same intervals within 2 percentage points, for every
# column of "all" and of each CPU: bench/cpu over 5 one-second intervals
# with a busy loop on one CPU (see bench/cpu for how the intervals are
# aligned). Needs no root; skips without mpstat or a C compiler.
. "$(dirname "$0")/lib.sh"
command -v mpstat >/dev/null || skip "needs mpstat (sysstat)"
command -v cc >/dev/null || skip "needs cc (to build bench/cpu_sampler.c)"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/iovbench-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

"$ROOT/bench/cpu" --intervals 5 --load busy --out "$WORK" >"$WORK/out" 2>&1
rc=$?
cat "$WORK/out"
[ $rc = 0 ] || fail "CPU usage differs from mpstat's by more than 2 points (bench/cpu exit $rc)"
grep -q "^PASS: all [0-9]* values within 2 points" "$WORK/out" || fail "no PASS line"
# 5 intervals, each with "all" and at least one CPU
[ "$(grep -c '^| [0-9]* | all |' "$WORK/out")" = 5 ] || fail "not 5 intervals compared"
