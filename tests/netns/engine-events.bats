#!/usr/bin/env bats
# engine-events.bats - the daemon follows an engine's event stream, fed by a fake
# engine (tests/files/engine/fake-engine.py) so the test decides how the
# bytes arrive: an event split across two reads, two in one read, the
# API-1.52 form without status/id, the old status/id form, Podman's "died".
# Needs root (namespaces), no real engine.

load ../lib/netns
load ../lib/fake_engine

ID=4f1d0c6e8a5b7c9d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9

setup() {
	netns_setup
	fake_engine_start
	# the "container": a process in a network namespace of its own
	fake_container_proc
	cat >"$CFG" <<-'Y'
	links:
	  - {container: evnode, bridge: s1, ip: 10.99.1.1/24}
	Y
}

# conlink on the fake engine, following its event stream.
follow_events() {
	conlink_start --network-file "$CFG"
	conlink_wait_log "Using docker engine"
	fake_wait_request "GET /events"
}

linked() {
	nsenter -t "$FAKE_CPID" -n ip -o -4 addr show dev eth0 2>/dev/null | grep -q 10.99.1.1/24
}

unlinked() {
	! nsenter -t "$FAKE_CPID" -n ip link show dev eth0 >/dev/null 2>&1 || false
}

@test "events: a start split across two reads (API 1.52 form) links; old status/id die unlinks" {
	follow_events
	unlinked
	fake_container "$ID" evnode
	local ev='{"Type":"container","Action":"start","Actor":{"ID":"'$ID'","Attributes":{"name":"evnode"}},"scope":"local","time":1700000000,"timeNano":1700000000000000000}'
	fake_send "${ev:0:40}"
	fake_send "${ev:40}"
	unlinked	# no newline yet: the event is not complete
	fake_send $'\n'
	wait_until 5 linked
	fake_send '{"status":"die","id":"'$ID'","from":"busybox","time":1700000001}'$'\n'
	wait_until 5 unlinked
	# conlink is still following the stream
	kill -0 "$CONLINK_PID"
	conlink_stop_clean
}

@test "events: two in one read, non-container ones skipped; Podman's died unlinks" {
	follow_events
	fake_container "$ID" evnode
	fake_send '{"Type":"network","Action":"connect","Actor":{"ID":"n1"}}'$'\n''{"status":"start","id":"'$ID'","from":"busybox","Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_until 5 linked
	fake_send '{"Type":"container","Action":"exec_start: sh","Actor":{"ID":"'$ID'"}}'$'\n'
	linked
	fake_send '{"Type":"container","Action":"died","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_until 5 unlinked
	kill -0 "$CONLINK_PID"
	conlink_stop_clean
}

@test "events: a container running before the daemon starts is linked from the list" {
	fake_container "$ID" evnode
	follow_events
	wait_until 5 linked
	conlink_wait_log "All links connected"
	grep -q "GET /containers/json" "$FAKE_DIR/requests.log"
	conlink_stop_clean
}

@test "events: a die before the start's inspect answer wins; a restart later links" {
	follow_events
	fake_container "$ID" evnode
	echo 1 >"$FAKE_DIR/inspect-delay"
	# the answer says Running (it was, when asked) but comes after the die
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	fake_send '{"Type":"container","Action":"die","Actor":{"ID":"'$ID'"}}'$'\n'
	fake_wait_request "GET /containers/$ID/json"
	sleep 0.5
	unlinked
	! grep -q "Creating veth link" "$CONLINK_LOG" || false
	# started again (same id): linked, not taken for one already seen
	rm "$FAKE_DIR/inspect-delay"
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_until 5 linked
	conlink_stop_clean
}
