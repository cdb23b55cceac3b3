# fake_engine.bash - the fake engine (tests/files/engine/fake-engine.py: a
# tiny Docker Engine API on a unix socket) for netns tests that need an
# engine's answers and event stream, and decide how its bytes arrive,
# without a real engine. Load after netns.bash:
#
#   load ../lib/netns
#   load ../lib/fake_engine
#   setup() { netns_setup; fake_engine_start; fake_container_proc; ... }
#
#   fake_engine_start     serve $FAKE_DIR ($BATS_TEST_TMPDIR/fake: containers/,
#                         the FIFO events, requests.log, inspect-delay) on
#                         $FAKE_SOCK; conlink_start then uses it
#                         (CONLINK_SOURCE=fake: --docker-socket $FAKE_SOCK
#                         --podman-socket ''). Skips without python3.
#   fake_container_proc   the "container": a sleep in a network namespace of
#                         its own; its PID in FAKE_CPID
#   fake_container ID NAME [STARTED]   its inspect answer (Running, Pid
#                         $FAKE_CPID, StartedAt STARTED (default: now), no
#                         labels): from now on the engine lists it
#   fake_hang ENDPOINT... those (_ping list inspect events) accept the
#                         request and never answer; fake_hang with none:
#                         every endpoint answers again
#   fake_engine_stop / fake_engine_restart   the engine process only (the
#                         event stream drops; containers stay)
#   fake_send BYTES       one write to the event stream, so one read at
#                         conlink's end (then 0.3 s for conlink to take it)
#   fake_wait_request TEXT   until requests.log has a line with TEXT
#   fake_engine_teardown  stops the engine and the container, by PID
#                         (netns_teardown calls it)

FAKE_ENGINE=$FILES/engine/fake-engine.py
FAKE_PIDS=()

fake_engine_start() {
	command -v python3 >/dev/null || skip "python3 is not installed"
	FAKE_DIR=$BATS_TEST_TMPDIR/fake
	FAKE_SOCK=$BATS_TEST_TMPDIR/engine.sock
	mkdir -p "$FAKE_DIR/containers"
	mkfifo "$FAKE_DIR/events"
	CONLINK_SOURCE=fake
	_fake_engine_run
}

_fake_engine_run() {
	rm -f "$FAKE_SOCK"
	python3 "$FAKE_ENGINE" "$FAKE_SOCK" "$FAKE_DIR" 3>&- &
	FAKE_ENGINE_PID=$!
	FAKE_PIDS+=("$!")
	wait_until 5 test -S "$FAKE_SOCK" || { echo "the fake engine did not start"; return 1; }
}

fake_engine_stop() {
	kill "$FAKE_ENGINE_PID" 2>/dev/null || true
	wait "$FAKE_ENGINE_PID" 2>/dev/null || true
	rm -f "$FAKE_SOCK"
}

fake_engine_restart() {
	fake_engine_stop
	_fake_engine_run
}

fake_hang() {
	printf '%s\n' "$@" >"$FAKE_DIR/hang"
	[ $# -gt 0 ] || rm -f "$FAKE_DIR/hang"
}

# The fake source: the fake engine as Docker, no Podman.
conlink_source_fake() {
	src=(--docker-socket "$FAKE_SOCK" --podman-socket '')
	env=()
}

fake_container_proc() {
	unshare --net sleep 600 3>&- &
	FAKE_CPID=$!
	FAKE_PIDS+=("$FAKE_CPID")
}

fake_container() {
	local started=${3:-$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)}
	printf '{"Id":"%s","Name":"/%s","State":{"Running":true,"Pid":%d,"StartedAt":"%s"},"Config":{"Labels":{}}}' \
		"$1" "$2" "$FAKE_CPID" "$started" >"$FAKE_DIR/containers/$1.json.tmp"
	mv "$FAKE_DIR/containers/$1.json.tmp" "$FAKE_DIR/containers/$1.json"
}

fake_send() {
	printf '%s' "$1" >"$FAKE_DIR/events"
	sleep 0.3
}

_fake_requested() {
	grep -qF -- "$1" "$FAKE_DIR/requests.log" 2>/dev/null
}

fake_wait_request() {
	wait_until -q 10 _fake_requested "$1" && return 0
	echo "no '$1' in $FAKE_DIR/requests.log:"; cat "$FAKE_DIR/requests.log"
	return 1
}

fake_engine_teardown() {
	local p
	for p in "${FAKE_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${FAKE_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	FAKE_PIDS=()
}
