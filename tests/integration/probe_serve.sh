#!/bin/bash
# The prober of a setup (probe --serve): one process in the sender's
# container guest serves every run of the setup; its records have the
# shape a prober per run gives (prober.serve: false, the same campaign);
# it dies with a runner killed with SIGKILL, and the campaign resumes
# without redoing or changing a finished run.
. "$(dirname "$0")/lib.sh"
require_root
setup_test itps

count=200
reps=4
write() { # write FILE SERVE
	campaign "$1" probe-serve <<YAML
prober:
  warmup: 5
  timeout: 1s
  serve: $2
matrix:
  - dataplane: veth-bridge
    probe: [icmp, udp]
    count: $count
    rate: 1k
    repetitions: $reps
YAML
}

# "pid kind" of every prober process in the prefix's namespaces: "serve"
# for a setup's, "run" for a run's
probers() {
	local ns pid cmd
	for ns in $(ip netns list | awk '{print $1}' | grep "^$PREFIX-"); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
			case $cmd in
			*"iovbench probe --serve"*) echo "$pid serve" ;;
			*"iovbench probe "*) echo "$pid run" ;;
			esac
		done
	done
}

# run_sampled DB YAML: the campaign, the probers sampled while it runs
run_sampled() {
	local runner
	"$IOV" -q run --results "$1" "$2" >"$WORK/out" 2>&1 &
	runner=$!
	: >"$WORK/probers"
	while kill -0 $runner 2>/dev/null; do
		probers >>"$WORK/probers"
		sleep 0.02
	done
	wait $runner || fail "run failed: $(tail -20 "$WORK/out")"
	n=$(sql "$1" "SELECT count(*) FROM runs WHERE status='complete'")
	[ "$n" = $((2 * reps)) ] || fail "want $((2 * reps)) complete runs, got $n"
}

note "one prober for the setup's $((2 * reps)) runs"
write "$WORK/serve.yaml" true
# --results relative to the working directory, as the quickstart gives
# it: the prober of the setup takes only absolute paths for its records
cd "$WORK" || fail "cd $WORK"
run_sampled serve.db "$WORK/serve.yaml"
serve=$(awk '$2 == "serve" { print $1 }' "$WORK/probers" | sort -u | wc -l)
perrun=$(awk '$2 == "run" { print $1 }' "$WORK/probers" | sort -u | wc -l)
[ "$serve" = 1 ] || fail "$serve setup probers seen, want 1"
[ "$perrun" = 0 ] || fail "$perrun per-run probers seen beside the setup's"
[ -z "$(probers)" ] || fail "probers left: $(probers)"
n=$(sql "$WORK/serve.db" "SELECT count(*) FROM probes")
[ "$n" = $((2 * reps * count)) ] || fail "$n probes stored, want $((2 * reps * count))"
ls "$WORK"/serve.logs/.probes-* >/dev/null 2>&1 &&
	fail "records' spills left: $(ls "$WORK"/serve.logs/.probes-*)"

note "the same campaign with a prober per run"
write "$WORK/perrun.yaml" false
run_sampled "$WORK/perrun.db" "$WORK/perrun.yaml"
perrun=$(awk '$2 == "run" { print $1 }' "$WORK/probers" | sort -u | wc -l)
serve=$(awk '$2 == "serve" { print $1 }' "$WORK/probers" | sort -u | wc -l)
[ "$serve" = 0 ] || fail "prober.serve false: $serve setup probers seen"
[ "$perrun" -ge 2 ] || fail "prober.serve false: $perrun per-run probers seen"

note "records of the same shape: every column of probes and probe_runs filled alike"
# per table and kind: the rows, and each column's non-NULL count
shape() { # shape DB TABLE
	local cols q
	# overload is set by the host's noise (3 probes of 200 late by a
	# stall over 1 ms flag a run; seen once in CI-like runs), not by the
	# way the prober runs: overload.sh checks it
	cols=$(sql "$1" "SELECT name FROM pragma_table_info('$2') WHERE name != 'overload'")
	q="SELECT t.probe, count(*)"
	for c in $cols; do q="$q, count(x.\"$c\")"; done
	sql "$1" "$q FROM $2 x JOIN runs r ON r.id = x.run JOIN tests t ON t.id = r.test_id GROUP BY t.probe ORDER BY t.probe"
}
for table in probes probe_runs; do
	a=$(shape "$WORK/serve.db" $table)
	b=$(shape "$WORK/perrun.db" $table)
	[ -n "$a" ] || fail "no $table rows"
	[ "$a" = "$b" ] || fail "$table differs: serve '$a', per run '$b'"
done
# every probe of either answered and stamped at both ends
for db in serve perrun; do
	n=$(sql "$WORK/$db.db" "SELECT count(*) FROM probes WHERE t_tx IS NULL OR t_rx IS NULL")
	[ "$n" = 0 ] || fail "$db: $n probes without both stamps"
done

note "a runner killed with SIGKILL takes its setup's prober along; the campaign resumes"
campaign "$WORK/kill.yaml" probe-serve-kill <<YAML
prober:
  warmup: 5
  timeout: 1s
matrix:
  - dataplane: veth-bridge
    probe: icmp
    count: 1500
    rate: 1k
    repetitions: 4
YAML
kill_after "$WORK/kill.db" 1 "$WORK/kill.yaml"
for _ in $(seq 1 40); do
	[ -z "$(probers)" ] && break
	sleep 0.05
done
[ -z "$(probers)" ] || fail "probers outlived their runner: $(probers)"
resume_once "$WORK/kill.db" "$WORK/kill.yaml" 4
"$IOV" -q testbed down --prefix "$PREFIX" >/dev/null 2>&1
assert_no_leftovers
