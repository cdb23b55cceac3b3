#!/usr/bin/env bats
# engine-faults.bats - an engine that misbehaves, played by the fake engine
# (tests/files/engine/fake-engine.py): one that accepts and never answers
# (each endpoint), list and inspect answers of the wrong JSON type,
# truncated or huge, an endless event line, a stream cut mid-event, a
# container restarted under the same id while the stream was down, a PID
# that is not the container's any more. Each asserts what is linked (or
# kept) and the log. Needs root (namespaces), no real engine.

load ../lib/netns
load ../lib/fake_engine

ID=4f1d0c6e8a5b7c9d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9

setup() {
	netns_setup
	fake_engine_start
	fake_container_proc
	cat >"$CFG" <<-'Y'
	links:
	  - {container: evnode, bridge: s1, ip: 10.99.1.1/24}
	  - {container: nc1, bridge: s1, ip: 10.99.1.11/24}
	  - {container: nc2, bridge: s1, ip: 10.99.1.12/24}
	Y
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

linked() {
	nsenter -t "$FAKE_CPID" -n ip -o -4 addr show dev eth0 2>/dev/null | grep -q 10.99.1.1/24
}

ns_linked() {	# NAME ADDR
	addr_is "$NS/$1" eth0 "$2"
}

# conlink on the fake engine and --netns-dir, the engine's container linked.
start_linked() {
	fake_container "$ID" evnode
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	wait_until 10 linked
}

# SIGTERM: conlink exits 0 within 1 s, and leaves no link behind.
sigterm_prompt() {
	local t0 ms
	t0=$(now_ms)
	kill -TERM "$CONLINK_PID"
	wait "$CONLINK_PID"
	CONLINK_STATUS=$?
	ms=$(($(now_ms) - t0))
	CONLINK_PID=
	echo "SIGTERM to exit: $ms ms"
	[ "$CONLINK_STATUS" = 0 ]
	[ "$ms" -lt 1000 ]
	! has_link "$NS/nc1" eth0 || false
	! grep -E "Sanitizer|runtime error" "$CONLINK_LOG" || false
}

# The engine accepts ENDPOINT's requests and never answers them: the
# netns-dir containers, one there at start and one added while conlink
# waits on the engine, are linked within 1 s; SIGTERM ends it within 1 s.
hung_engine() {
	local endpoint=$1 request=$2 t0 ms
	fake_hang "$endpoint"
	fake_container "$ID" evnode
	netns_add "$NS" nc1
	t0=$(now_ms)
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	wait_until 5 ns_linked nc1 10.99.1.11/24
	ms=$(($(now_ms) - t0))
	echo "netns container linked at start after $ms ms"
	[ "$ms" -lt 1000 ]
	fake_wait_request "$request"
	sleep 0.2	# the request is in flight, unanswered
	t0=$(now_ms)
	netns_add "$NS" nc2
	wait_until 5 ns_linked nc2 10.99.1.12/24
	ms=$(($(now_ms) - t0))
	echo "netns container added later linked after $ms ms"
	[ "$ms" -lt 1000 ]
	! linked || false
	sigterm_prompt
}

@test "hung engine: _ping never answered: netns links prompt, SIGTERM under 1 s" {
	hung_engine _ping "GET /_ping"
}

@test "hung engine: the container list never answered: netns links prompt, SIGTERM under 1 s" {
	hung_engine list "GET /containers/json"
}

@test "hung engine: an inspect never answered: netns links prompt, SIGTERM under 1 s" {
	hung_engine inspect "GET /containers/$ID/json"
}

@test "hung engine: the event stream never answered: netns links prompt, SIGTERM under 1 s" {
	hung_engine events "GET /events"
}

@test "hung engine: a _ping that times out is said and retried; the engine answering later is used" {
	fake_hang _ping
	fake_container "$ID" evnode
	conlink_start --network-file "$CFG"
	conlink_wait_log "engine at $FAKE_SOCK does not answer \(/_ping: no answer in 5000 ms\); retrying" 10
	kill -0 "$CONLINK_PID"
	fake_hang
	conlink_wait_log "Using docker engine at $FAKE_SOCK" 15
	wait_until 10 linked
	conlink_stop_clean
}

@test "no engine at all (no socket) and no --netns-dir: exits at once with the error" {
	rm -f "$FAKE_SOCK.none"
	conlink_start --docker-socket "$FAKE_SOCK.none" --network-file "$CFG"
	conlink_wait_exit
	[ "$CONLINK_STATUS" = 1 ]
	grep -q "no container engine answers on '$FAKE_SOCK.none'" "$CONLINK_LOG"
}

# The list after a stream drop answers BODY: logged (PATTERN), nothing
# unlinked; once it is a good list again, resynchronised.
bad_list() {
	start_linked
	printf '%s' "$1" >"$FAKE_DIR/list-body"
	fake_engine_restart
	conlink_wait_log "$2" 15
	sleep 0.5
	linked
	has_link "$CONLINK_NETNS" evnode-eth0
	rm "$FAKE_DIR/list-body"
	conlink_wait_log "reconnected to $FAKE_SOCK" 15
	linked
	[ "$(conlink_log_count "Deleting veth link")" = 0 ]
	conlink_stop_clean
}

@test "container list: 200 with a JSON object, not an array: logged, nothing unlinked" {
	bad_list '{"message":"upstream proxy error"}' \
		"container list not understood \(not a JSON array: '\{\"message\":\"upstream proxy error\"\}'\): known containers kept"
}

@test "container list: 200 with an HTML page: logged, nothing unlinked" {
	bad_list '<html><body><h1>502 Bad Gateway</h1></body></html>' \
		"container list not understood \(not JSON: .*'<html><body><h1>502 Bad Gateway.*known containers kept"
}

@test "container list: truncated JSON: logged, nothing unlinked" {
	bad_list '[{"Id":"4f1d0c6e8a5b7c9d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6071' \
		"container list not understood \(not JSON: .*known containers kept"
}

@test "container list: entries of the wrong type (Id a number): logged, nothing unlinked" {
	bad_list '[{"Id":42,"Names":["/evnode"]}]' \
		"container list not understood \(an entry without a string Id.*known containers kept"
}

@test "container list: a huge body (40 MiB) is refused over the cap, nothing unlinked" {
	start_linked
	{ printf '['; head -c $((40 << 20)) /dev/zero | tr '\0' ' '; printf ']'; } \
		>"$FAKE_DIR/list-body"
	fake_engine_restart
	conlink_wait_log "container list: .*answer over 32 MiB: not read; known containers kept" 20
	linked
	rm "$FAKE_DIR/list-body"
	conlink_wait_log "reconnected to $FAKE_SOCK" 15
	linked
	[ "$(conlink_log_count "Deleting veth link")" = 0 ]
	conlink_stop_clean
}

@test "inspect: truncated, then of the wrong type: logged, not linked; a good answer then links" {
	conlink_start --network-file "$CFG"
	fake_wait_request "GET /events"
	fake_container "$ID" evnode
	printf '{"Id":"%s","Name":"/evnode","State":{"Runn' "$ID" >"$FAKE_DIR/inspect-body"
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	conlink_wait_log "inspect ${ID:0:12}: not JSON .*; not linked"
	printf '{"Id":"%s","Name":"/evnode","State":{"Running":true,"Pid":"%s"}}' \
		"$ID" "$FAKE_CPID" >"$FAKE_DIR/inspect-body"
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	conlink_wait_log "inspect ${ID:0:12}: container inspect answer: State.Pid is not a number; not linked"
	printf '[1,2]' >"$FAKE_DIR/inspect-body"
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	conlink_wait_log "inspect ${ID:0:12}: container inspect answer: not a JSON object; not linked"
	! linked || false
	rm "$FAKE_DIR/inspect-body"
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_until 5 linked
	conlink_stop_clean
}

@test "events: an endless line (8 MiB, no newline, in 4 KiB reads) is dropped past 1 MiB; the next event links, in bounded time" {
	echo 4096 >"$FAKE_DIR/events-chunk"
	conlink_start --network-file "$CFG"
	fake_wait_request "GET /events"
	fake_container "$ID" evnode
	local t0 ms
	t0=$(now_ms)
	{ printf '{"Type":"container","Action":"start","Actor":{"ID":"%s","Attributes":{"x":"' "$ID"
	  head -c $((8 << 20)) /dev/zero | tr '\0' 'x'
	  printf '"}}}\n{"Type":"container","Action":"start","Actor":{"ID":"%s"}}\n' "$ID"
	} >"$FAKE_DIR/events"
	wait_until 10 linked
	ms=$(($(now_ms) - t0))
	echo "8 MiB endless line fed, next event linked after $ms ms"
	[ "$ms" -lt 3000 ]
	conlink_wait_log "event line over 1024 KiB without a newline: dropped \(1 so far\)"
	[ "$(conlink_log_count "Creating veth link evnode:eth0")" = 1 ]
	conlink_stop_clean
}

@test "events: a stream cut mid-event: the partial line is dropped, the resync links" {
	conlink_start --network-file "$CFG"
	fake_wait_request "GET /events"
	fake_container "$ID" evnode
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'${ID:0:20}
	! linked || false
	fake_engine_restart
	conlink_wait_log "event stream on $FAKE_SOCK ended"
	conlink_wait_log "reconnected to $FAKE_SOCK" 15
	wait_until 5 linked
	conlink_stop_clean
}

# The container's process replaced (new PID, new namespace) under the same
# id while the stream is down: relinked into the new namespace.
@test "same-id restart while the stream is down: relinked into the new namespace, summary correct" {
	netns_add "$NS" nc1
	netns_add "$NS" nc2
	start_linked
	conlink_wait_log "All links connected"
	local old=$FAKE_CPID
	fake_engine_stop
	conlink_wait_log "event stream on $FAKE_SOCK ended"
	kill "$old"
	fake_container_proc
	fake_container "$ID" evnode
	fake_engine_restart
	conlink_wait_log "reconnected to $FAKE_SOCK" 15
	wait_until 5 linked
	grep -q "docker: container evnode (${ID:0:12}) runs again under the same id (pid $FAKE_CPID, was $old)" "$CONLINK_LOG"
	conlink_wait_log "evnode appeared again: relinking"
	# one outer end, on the bridge, its peer in the new namespace
	[ "$(in_ns "$CONLINK_NETNS" ip -o link show master s1 | grep -c 'evnode-eth0')" = 1 ]
	[ "$(conlink_log_count "All links connected")" = 1 ]
	[ "$(conlink_log_count "not connected")" = 0 ]
	ping_ok "$NS/nc1" 10.99.1.1
	# a start event for the instance already linked changes nothing
	: >"$FAKE_DIR/requests.log"
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	fake_wait_request "GET /containers/$ID/json"
	sleep 0.5
	[ "$(conlink_log_count "evnode appeared again")" = 1 ]
	[ "$(conlink_log_count "Creating veth link evnode:eth0")" = 2 ]
	conlink_stop_clean
}

@test "a PID the engine names that started after the container (reused): never linked" {
	fake_container "$ID" evnode 2020-01-01T00:00:00.000000000Z
	conlink_start --network-file "$CFG"
	conlink_wait_log "container evnode \(${ID:0:12}\): pid $FAKE_CPID started [0-9]+ s after the container: the PID was reused; not linked"
	! linked || false
	# the engine then tells the truth: linked
	fake_container "$ID" evnode
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_until 5 linked
	conlink_stop_clean
}

@test "a PID that started after its inspect was asked (reused between inspect and namespace open): never linked" {
	conlink_start --network-file "$CFG"
	fake_wait_request "GET /events"
	fake_container "$ID" evnode
	echo 1 >"$FAKE_DIR/inspect-delay"
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	fake_wait_request "GET /containers/$ID/json"
	# while the answer is on its way, the PID it names is a new process's
	fake_container_proc
	fake_container "$ID" evnode
	conlink_wait_log "container evnode \(${ID:0:12}\): pid $FAKE_CPID started after its inspect was asked: not the process the answer meant; not linked"
	! linked || false
	rm "$FAKE_DIR/inspect-delay"
	fake_send '{"Type":"container","Action":"start","Actor":{"ID":"'$ID'"}}'$'\n'
	wait_until 5 linked
	conlink_stop_clean
}

@test "exec output cut mid-frame: what came is logged, the cut said, conlink goes on" {
	cat >>"$CFG" <<-'Y'
	commands:
	  - {container: evnode, command: "echo hi"}
	Y
	# one whole stdout frame, then a stderr frame announcing 100 bytes that
	# brings 12
	printf '\001\000\000\000\000\000\000\012whole-one\n\002\000\000\000\000\000\000\144cut-mid-fram' \
		>"$FAKE_DIR/exec-output"
	start_linked
	conlink_wait_log "^evnode: whole-one$"
	conlink_wait_log "evnode: command output cut mid-frame \(88 bytes of it missing\)"
	conlink_wait_log "^evnode: cut-mid-fram$"
	linked
	conlink_stop_clean
}

@test "ns-exec SERVICE:N: a container list that is not an array is named as such" {
	printf '%s' '{"message":"upstream proxy error"}' >"$FAKE_DIR/list-body"
	run "$CONLINK" ns-exec --docker-socket "$FAKE_SOCK" --podman-socket '' node:1 true
	echo "$output"
	[ "$status" = 1 ]
	[[ "$output" == *"container list is not a JSON array"* ]]
}
