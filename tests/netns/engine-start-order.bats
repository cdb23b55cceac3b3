#!/usr/bin/env bats
# engine-start-order.bats - containers already running when the daemon
# starts, on a fake engine (tests/files/engine/fake-engine.py) that answers
# inspects slowly: each container is linked as its own inspect answers, not
# after the last one; the engine is asked a few inspects at a time, in the
# listing's order, never all at once. Needs root (namespaces), no real
# engine.

load ../lib/netns
load ../lib/fake_engine

N=6
PIDS=()

setup() {
	netns_setup
	fake_engine_start
	mkdir -p "$FAKE_DIR/inspect-delay.d"
	: >"$CFG"
	echo "links:" >"$CFG"
	for ((i = 1; i <= N; i++)); do
		# one "container" each: a process in a network namespace of its own
		fake_container_proc
		PIDS[i]=$FAKE_CPID
		fake_container "$(cid "$i")" "onode$i"
		echo "  - {container: onode$i, bridge: s1, ip: 10.99.2.$i/24}" >>"$CFG"
	done
}

# The id of container I: the fake engine lists them in this (sorted) order.
cid() {
	printf '%02d0000000000000000000000000000000000000000000000000000000000000a' "$1"
}

linked() {
	nsenter -t "${PIDS[$1]}" -n ip -o -4 addr show dev eth0 2>/dev/null |
		grep -q "10.99.2.$1/24"
}

n_linked() {
	local i n=0
	for ((i = 1; i <= N; i++)); do linked "$i" && n=$((n + 1)); done
	echo "$n"
}

# n_linked_is N: exactly N linked (for wait_until, which runs it anew)
n_linked_is() {
	[ "$(n_linked)" = "$1" ]
}

@test "start: each container linked as its inspect answers; a slow one holds only itself and the summary" {
	# the last one listed answers 5 s late; the others at once
	echo 5 >"$FAKE_DIR/inspect-delay.d/$(cid "$N")"
	conlink_start --network-file "$CFG"
	# tolerance: 3 s for five answered at once (a loaded 2-core machine),
	# before the slow answer at 5 s
	wait_until 3 n_linked_is $((N - 1))
	! linked "$N" || false
	! grep -q "All links connected" "$CONLINK_LOG" || false
	wait_until 10 linked "$N"
	conlink_wait_log "All links connected"
	# the summary came after the slow container's link, not before
	[ "$(grep -n "Creating veth link onode$N:" "$CONLINK_LOG" | cut -d: -f1)" -lt \
		"$(grep -n "All links connected" "$CONLINK_LOG" | cut -d: -f1)" ]
	conlink_stop_clean
}

@test "start: the engine is asked a few inspects at a time, in the listing's order; all linked" {
	# every inspect takes 0.5 s: asked all at once, all N would be in flight
	echo 0.5 >"$FAKE_DIR/inspect-delay"
	conlink_start --network-file "$CFG"
	wait_until 10 n_linked_is "$N"
	conlink_wait_log "All links connected"
	# at most 4 (INSPECT_WINDOW in core/daemon/source_engine.c) at once
	[ "$(cat "$FAKE_DIR/inspects-peak")" -le 4 ]
	# the listing's first four asked first (among them, in any order:
	# they go out together), then the rest
	grep -o "GET /containers/[0-9a-f]*/json" "$FAKE_DIR/requests.log" >"$BATS_TEST_TMPDIR/asked"
	for ((i = 1; i <= N; i++)); do echo "GET /containers/$(cid "$i")/json"; done >"$BATS_TEST_TMPDIR/listed"
	diff <(head -4 "$BATS_TEST_TMPDIR/listed") <(head -4 "$BATS_TEST_TMPDIR/asked" | sort)
	diff <(tail -n +5 "$BATS_TEST_TMPDIR/listed") <(tail -n +5 "$BATS_TEST_TMPDIR/asked" | sort)
	conlink_stop_clean
}
