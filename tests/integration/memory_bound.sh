#!/bin/bash
# Memory stays bounded however many probes a run has: the prober's
# records, the capture points' events and the split stream through files
# (issue 12). The same campaign with 200k and 1M probes (the default
# capture points on): the peak RSS of the largest process of the run
# (runner, prober, captures: /usr/bin/time reports the largest of a
# process tree), of `report` and of `report --table probes` grows by less
# than 8 MB from 200k to 1M probes, and stays under 100 MB. Before, it
# grew with the probes: 642 B per probe in the runner alone.
. "$(dirname "$0")/lib.sh"
require_root
[ -x /usr/bin/time ] || skip "needs GNU time (/usr/bin/time) for peak RSS"
[ -z "${IOV_SANITIZED:-}" ] ||
	skip "built with -fsanitize=$IOV_SANITIZED: its shadow memory is not the product's RSS"
setup_test iovmm

peak() { # peak KB of the process tree of "$@" (its output: $WORK/out)
	/usr/bin/time -f %M -o "$WORK/kb" "$@" >"$WORK/out" 2>"$WORK/err" ||
		fail "$*: $(tail -3 "$WORK/err")"
	cat "$WORK/kb"
}

declare -A run rep tab
for n in 200k 1M; do
	campaign "$WORK/$n.yaml" mm$n <<YAML
prober:
  warmup: 10
  capture: true
matrix:
  - dataplane: veth-bridge
    probe: icmp
    rate: 100k
    count: $n
    repetitions: 1
YAML
	run[$n]=$(peak "$IOV" -q run -r "$WORK/$n.db" "$WORK/$n.yaml")
	[ "$(sql "$WORK/$n.db" "SELECT count(*) FROM runs WHERE status='complete'")" = 1 ] ||
		fail "$n: the run did not complete"
	[ "$(sql "$WORK/$n.db" "SELECT count(*) FROM probes")" = "$(sql "$WORK/$n.db" "SELECT sent FROM probe_runs")" ] ||
		fail "$n: probes stored are not the probes sent"
	[ "$(sql "$WORK/$n.db" "SELECT count(rtt_nic_ns) > 0 FROM probe_splits")" = 1 ] ||
		fail "$n: no probe was split at the capture points"
	rep[$n]=$(peak "$IOV" report "$WORK/$n.db")
	tab[$n]=$(peak "$IOV" report --table probes "$WORK/$n.db")
	rows=$(grep -c . "$WORK/out")
	note "$n probes: run $((run[$n] / 1024)) MB, report $((rep[$n] / 1024)) MB, report --table probes $((tab[$n] / 1024)) MB ($rows lines)"
done
for what in run rep tab; do
	declare -n v=$what
	grow=$((v[1M] - v[200k]))
	[ "$grow" -lt 8192 ] || fail "$what: peak RSS grew by $grow KB from 200k to 1M probes"
	[ "${v[1M]}" -lt 102400 ] || fail "$what: peak RSS ${v[1M]} KB at 1M probes"
done
assert_no_leftovers
echo PASS
