#!/bin/bash
# A main guest that dies mid-campaign never yields a complete run: the
# run it died in is stored failed with the reason, the setup's guests are
# restarted and the campaign goes on; the exit status and the summary say
# a run failed; the next `run` redoes it. Once for a container guest (its
# namespace deleted) and once for a VM (its QEMU killed with SIGKILL).
. "$(dirname "$0")/lib.sh"
require_root
setup_test itdie

# kill_when DB N WHAT: once N runs are complete, run WHAT (in a subshell)
kill_when() {
	wait_complete "$1" "$2"
	sleep 0.5 # into the next run
	eval "$3"
}

# check DB LOG: one run failed because a guest died, the others complete
# with every probe answered, the guests restarted
check() {
	local db=$1 log=$2 failed why lossy
	failed=$(sql "$db" "SELECT count(*) FROM runs WHERE status='failed'")
	[ "$failed" -ge 1 ] || fail "no failed run: $(tail -5 "$log")"
	sql "$db" "SELECT error FROM runs WHERE status='failed'" >"$WORK/why"
	while read -r why; do
		case $why in
		"a guest died during the run: "*"is gone"*) ;;
		*) fail "failed for another reason: $why" ;;
		esac
	done <"$WORK/why"
	lossy=$(sql "$db" "SELECT count(*) FROM runs r JOIN probe_runs p ON p.run = r.id WHERE r.status='complete' AND p.received != p.sent")
	[ "$lossy" = 0 ] || fail "$lossy complete runs lost probes: measured after the death?"
	grep -q "restarting the guests" "$log" || fail "the guests were not restarted: $(tail -5 "$log")"
	grep -q "; $failed failed" "$log" || fail "the summary does not say $failed failed"
}

note "a container guest: its namespace deleted"
campaign "$WORK/c.yaml" die <<'YAML'
prober:
  warmup: 5
  timeout: 300ms
matrix:
  - dataplane: veth-bridge
    rate: 200
    count: 400
    repetitions: 4
YAML
db=$WORK/c.db
"$IOV" run -r "$db" "$WORK/c.yaml" >"$WORK/log" 2>&1 &
pid=$!
kill_when "$db" 1 "ip netns del $PREFIX-r-main"
wait $pid
status=$?
[ $status = 1 ] || fail "exit status $status, not 1: $(tail -5 "$WORK/log")"
check "$db" "$WORK/log"
note "the next run redoes the failed one"
"$IOV" run -r "$db" "$WORK/c.yaml" >"$WORK/log2" 2>&1 || fail "rerun: $(tail -5 "$WORK/log2")"
[ "$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")" = 4 ] ||
	fail "not 4 complete runs after the rerun"
assert_no_leftovers

note "the reflector killed mid-run (its guest lives on)"
campaign "$WORK/r.yaml" dierefl <<'YAML'
prober:
  warmup: 5
  timeout: 300ms
matrix:
  - dataplane: veth-bridge
    probe: udp
    rate: 200
    count: 400
    repetitions: 3
YAML
db=$WORK/r.db
"$IOV" run -r "$db" "$WORK/r.yaml" >"$WORK/rlog" 2>&1 &
pid=$!
kill_when "$db" 1 'kill -9 $(ip netns pids $PREFIX-r-main)'
wait $pid
[ $? = 1 ] || fail "reflector: exit status not 1: $(tail -5 "$WORK/rlog")"
why=$(sql "$db" "SELECT error FROM runs WHERE status='failed'")
[ "$why" = "the reflector in '$PREFIX-r-main' died during the run" ] ||
	fail "reflector: failed for another reason: '$why'"
[ "$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")" = 2 ] ||
	fail "reflector: the runs after its death did not complete"
assert_no_leftovers

note "the sender's namespace deleted"
db=$WORK/s.db
"$IOV" run -r "$db" "$WORK/c.yaml" >"$WORK/slog" 2>&1 &
pid=$!
kill_when "$db" 2 "ip netns del $PREFIX-s-main"
wait $pid
[ $? = 1 ] || fail "sender: exit status not 1: $(tail -5 "$WORK/slog")"
check "$db" "$WORK/slog"
assert_no_leftovers

command -v qemu-system-x86_64 >/dev/null || skip "needs qemu-system-x86_64 (the container case passed)"
note "VM guests: the responder's QEMU killed, then the sender's"
campaign "$WORK/v.yaml" dievm <<'YAML'
prober:
  warmup: 5
  timeout: 300ms
matrix:
  - dataplane: virtio-bridge
    machine: microvm
    probe: [icmp, udp]
    rate: 200
    count: 400
    repetitions: 3
YAML
db=$WORK/v.db
"$IOV" run -r "$db" "$WORK/v.yaml" >"$WORK/vlog" 2>&1 &
pid=$!
kill_when "$db" 1 'kill -9 $(cat /run/iovbench/$PREFIX/$PREFIX-r-main.pid)'
kill_when "$db" 3 'kill -9 $(cat /run/iovbench/$PREFIX/$PREFIX-s-main.pid)'
wait $pid
status=$?
if grep -q "no guest image: .*\(download\|reachable\)" "$WORK/vlog"; then
	skip "the guest image cannot be built here (the container case passed)"
fi
[ $status = 1 ] || fail "exit status $status, not 1: $(tail -5 "$WORK/vlog")"
check "$db" "$WORK/vlog"
"$IOV" run -r "$db" "$WORK/v.yaml" >"$WORK/vlog2" 2>&1 || fail "rerun: $(tail -5 "$WORK/vlog2")"
[ "$(sql "$db" "SELECT count(*) FROM runs WHERE status='failed'")" = 0 ] ||
	fail "failed runs after the rerun"
[ "$(sql "$db" "SELECT count(*) FROM runs WHERE status='complete'")" = 6 ] ||
	fail "not 6 complete runs after the rerun"
assert_no_leftovers
echo PASS
