#!/usr/bin/env bats
# engine-events.bats - the daemon follows an engine's event stream, fed by a fake
# engine (tests/files/engine/fake-engine.py) so the test decides how the
# bytes arrive: an event split across two reads, two in one read, the
# API-1.52 form without status/id, the old status/id form, Podman's "died".
# Needs root (namespaces), no real engine.

load ../lib/common

FAKE=$FILES/engine/fake-engine.py
ID=4f1d0c6e8a5b7c9d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9

setup() {
	require_root
	command -v python3 >/dev/null || skip "python3 is not installed"
	D=$BATS_TEST_TMPDIR
	mkdir -p "$D/fake/containers"
	mkfifo "$D/fake/events"
	PIDS=()
	# the "container": a process in a network namespace of its own
	unshare --net sleep 600 3>&- &
	CPID=$!
	PIDS+=("$CPID")
	python3 "$FAKE" "$D/engine.sock" "$D/fake" 3>&- &
	PIDS+=("$!")
	for _ in $(seq 50); do [ -S "$D/engine.sock" ] && break; sleep 0.1; done
	netns_add "$D/ns" conlink
	cat >"$D/net.yaml" <<-'Y'
	links:
	  - {container: evnode, bridge: s1, ip: 10.99.1.1/24}
	Y
}

teardown() {
	local p
	[ -n "${LPID:-}" ] && kill -TERM "$LPID" 2>/dev/null && wait "$LPID" 2>/dev/null
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -z "${BATS_TEST_COMPLETED:-}" ] && [ -f "$D/conlink.log" ] && sed 's/^/# conlink: /' "$D/conlink.log" >&3
	teardown_common
}

# The fake engine's inspect answer for the container.
container_json() {
	printf '{"Id":"%s","Name":"/evnode","State":{"Running":true,"Pid":%d},"Config":{"Labels":{}}}' \
		"$ID" "$CPID" >"$D/fake/containers/$ID.json"
}

start_conlink() {
	nsenter --net="$D/ns/conlink" "$CONLINK" --network-file "$D/net.yaml" \
		--docker-socket "$D/engine.sock" --podman-socket '' \
		>"$D/conlink.log" 2>&1 3>&- &
	LPID=$!
	wait_log "Using docker engine"
	wait_log "GET /events" "$D/fake/requests.log"
}

wait_log() {
	local file=${2:-$D/conlink.log}
	for _ in $(seq 100); do
		grep -q -- "$1" "$file" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "no '$1' in $file:"; cat "$file"; return 1
}

# send BYTES: one write to the stream, so one read at conlink's end.
send() {
	printf '%s' "$1" >"$D/fake/events"
	sleep 0.3
}

linked() {
	nsenter -t "$CPID" -n ip -o -4 addr show dev eth0 2>/dev/null | grep -q 10.99.1.1/24
}

unlinked() {
	! nsenter -t "$CPID" -n ip link show dev eth0 >/dev/null 2>&1 || false
}

# stop_conlink: SIGTERM; it exits 0 and (sanitizer build) reports nothing.
stop_conlink() {
	local status=0
	kill -TERM "$LPID"
	wait "$LPID" || status=$?
	LPID=
	[ "$status" = 0 ] || { echo "conlink exited $status"; cat "$D/conlink.log"; return 1; }
	! grep -E "Sanitizer|runtime error" "$D/conlink.log" || false
}

@test "events: a start split across two reads (API 1.52 form) links; old status/id die unlinks" {
	start_conlink
	unlinked
	container_json
	local ev='{"Type":"container","Action":"start","Actor":{"ID":"'$ID'","Attributes":{"name":"evnode"}},"scope":"local","time":1700000000,"timeNano":1700000000000000000}'
	send "${ev:0:40}"
	send "${ev:40}"
	unlinked	# no newline yet: the event is not complete
	send $'\n'
	wait_until 5 linked
	send '{"status":"die","id":"'$ID'","from":"busybox","time":1700000001}'$'\n'
	wait_until 5 unlinked
	# conlink is still following the stream
	kill -0 "$LPID"
	stop_conlink
}

@test "events: two in one read, non-container ones skipped; Podman's died unlinks" {
	start_conlink
	container_json
	send '{"Type":"network","Action":"connect","Actor":{"ID":"n1"}}'$'\n''{"status":"start","id":"'$ID'","from":"busybox","Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_until 5 linked
	send '{"Type":"container","Action":"exec_start: sh","Actor":{"ID":"'$ID'"}}'$'\n'
	linked
	send '{"Type":"container","Action":"died","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_until 5 unlinked
	kill -0 "$LPID"
	stop_conlink
}

@test "events: a container running before the daemon starts is linked from the list" {
	container_json
	start_conlink
	wait_until 5 linked
	wait_log "All links connected"
	grep -q "GET /containers/json" "$D/fake/requests.log"
	stop_conlink
}

@test "events: a die before the start's inspect answer wins; a restart later links" {
	start_conlink
	container_json
	echo 1 >"$D/fake/inspect-delay"
	# the answer says Running (it was, when asked) but comes after the die
	send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	send '{"Type":"container","Action":"die","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_log "GET /containers/$ID/json" "$D/fake/requests.log"
	sleep 0.5
	unlinked
	! grep -q "Creating veth link" "$D/conlink.log" || false
	# started again (same id): linked, not taken for one already seen
	rm "$D/fake/inspect-delay"
	send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_until 5 linked
	stop_conlink
}
