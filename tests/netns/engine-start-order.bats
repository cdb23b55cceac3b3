#!/usr/bin/env bats
# engine-start-order.bats - containers already running when the daemon
# starts, on a fake engine (tests/files/engine/fake-engine.py) that answers
# inspects slowly: each container is linked as its own inspect answers, not
# after the last one; the listing's first few are asked alone, so the
# first answers soon, the rest once one has answered. Behind the podman
# socket, a libpod listing entry that tells all an inspect would is linked
# without one; an incomplete entry is inspected. Needs root (namespaces),
# no real engine.

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

@test "start: the listing's first four inspects asked alone, the rest once one answered; all linked" {
	# every inspect takes 0.5 s: all asked at once, the engine would answer
	# them together
	echo 0.5 >"$FAKE_DIR/inspect-delay"
	conlink_start --network-file "$CFG"
	wait_until 10 n_linked_is "$N"
	conlink_wait_log "All links connected"
	# INSPECT_FIRST (core/daemon/source_engine.c): the first four listed,
	# asked before any answer (among them in any order: they go out
	# together), then the rest, asked after an answer
	for ((i = 1; i <= N; i++)); do echo "$(cid "$i")"; done >"$BATS_TEST_TMPDIR/listed"
	diff <(head -4 "$BATS_TEST_TMPDIR/listed") \
		<(awk '$2 == 0 {print $1}' "$FAKE_DIR/inspects.log" | sort)
	diff <(tail -n +5 "$BATS_TEST_TMPDIR/listed") \
		<(awk '$2 > 0 {print $1}' "$FAKE_DIR/inspects.log" | sort)
	conlink_stop_clean
}

# The fake engine behind the podman socket: it has no libpod API.
conlink_source_fake_podman() {
	src=(--podman-socket "$FAKE_SOCK" --docker-socket '')
	env=()
}

@test "start: the podman socket is listed through libpod first; an engine without it (404) the compatible way, all linked" {
	CONLINK_SOURCE=fake_podman
	conlink_start --network-file "$CFG"
	wait_until 10 n_linked_is "$N"
	conlink_wait_log "All links connected"
	# asked in this order: Podman's own listing, then Docker's
	grep -o "^GET /[a-z0-9.]*/*[a-z]*/*containers/json" "$FAKE_DIR/requests.log" >"$BATS_TEST_TMPDIR/lists"
	printf '%s\n' "GET /v4.0.0/libpod/containers/json" "GET /containers/json" |
		diff - "$BATS_TEST_TMPDIR/lists"
	conlink_stop_clean
}

@test "start: a complete libpod listing links every container with no inspect" {
	CONLINK_SOURCE=fake_podman
	: >"$FAKE_DIR/libpod"
	conlink_start --network-file "$CFG"
	wait_until 10 n_linked_is "$N"
	conlink_wait_log "All links connected"
	# Podman's own listing told Pid, Names, Labels and StartedAt: nothing
	# inspected, nor listed the compatible way
	[ ! -s "$FAKE_DIR/inspects.log" ]
	! grep -q "^GET /containers/json" "$FAKE_DIR/requests.log" || false
	conlink_stop_clean
}

@test "start: a libpod entry without its Pid, or its Names, is inspected, that one alone; all linked" {
	CONLINK_SOURCE=fake_podman
	: >"$FAKE_DIR/libpod"
	printf '%s Pid\n%s Names\n' "$(cid 3)" "$(cid 5)" >"$FAKE_DIR/libpod-omit"
	conlink_start --network-file "$CFG"
	wait_until 10 n_linked_is "$N"
	conlink_wait_log "All links connected"
	printf '%s\n' "$(cid 3)" "$(cid 5)" | diff - <(cut -d' ' -f1 "$FAKE_DIR/inspects.log" | sort)
	conlink_stop_clean
}

@test "start: a libpod entry's compose labels place it as its inspect would (service, replica number), no inspect" {
	CONLINK_SOURCE=fake_podman
	: >"$FAKE_DIR/libpod"
	# containers 1 and 2: replicas 1 and 2 of compose service node, linked
	# by service (replica 2 at ip + 1); the others by name as before
	for i in 1 2; do
		python3 - "$FAKE_DIR/containers/$(cid "$i").json" "$i" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["Config"]["Labels"] = {"com.docker.compose.project": "plist",
                         "com.docker.compose.service": "node",
                         "com.docker.compose.container-number": sys.argv[2]}
json.dump(c, open(sys.argv[1], "w"))
PY
	done
	grep -v "onode[12]," "$CFG" >"$CFG.tmp"
	echo "  - {service: node, bridge: s1, ip: 10.99.2.1/24}" >>"$CFG.tmp"
	conlink_start --compose-project plist --network-file "$CFG.tmp"
	wait_until 10 n_linked_is "$N"
	conlink_wait_log "All links connected"
	[ ! -s "$FAKE_DIR/inspects.log" ]
	conlink_stop_clean
}
