# bench-engine-lib.sh - what the engine benchmarks share (bench-engine,
# bench-engine-start, bench-event-latency, bench-storm), sourced after TOP
# and CONLINK are set:
#
#   . "$TOP/scripts/bench-engine-lib.sh" NAME SUBNET
#
# gives $work (/tmp/conlink-bench-NAME.XXXXXX), the test harness's engine
# code (tests/lib/engine.bash: engines started only when none answers;
# the script appends each one it acquired to acquired[]), a network
# namespace $ns for conlink, and $work/compose.yaml in COMPOSE_FILE: one
# service, node, a busybox sleeping with one veth onto bridge s1 at
# SUBNET (10.50.0.1/16 style). At exit, whatever happens: the processes in
# procs[] (newest first), $pid and $ev_pid stopped by PID, the project
# down, the engines released, the namespace and $work removed.
#   stop_procs   SIGTERM procs[], newest first, each waited for
#   stamp        every stdin line prefixed with the time it was read
#                (EPOCHREALTIME)
#   bench_engine_use NAME   engine NAME, if ENGINE= selects it, answering
#                (started when none does, released at exit): ENGINE_SOCK
#                and DOCKER_HOST set, ENGINE_SOCKS conlink's options for
#                that engine's socket alone (the other one's a path with
#                nothing there); 1, said on stderr, when not selected or
#                not available
work=$(mktemp -d "/tmp/conlink-bench-$1.XXXXXX")
BATS_TEST_TMPDIR=$work
# shellcheck source=../tests/lib/engine.bash
source "$TOP/tests/lib/engine.bash"
ns=$work/netns
pid= ev_pid=
procs=()
acquired=()

stop_procs() {
	local i p
	for ((i = ${#procs[@]} - 1; i >= 0; i--)); do
		p=${procs[i]}
		kill -TERM "$p" 2>/dev/null && { wait "$p" 2>/dev/null || true; }
	done
	procs=()
	return 0
}
stamp() { local l; while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }

bench_engine_use() {
	engine_selected "$1" || return 1
	if ! engine_acquire "$1" >"$work/acquire.log" 2>&1; then
		echo "${0##*/}: $1 not available:" >&2
		cat "$work/acquire.log" >&2
		return 1
	fi
	acquired+=("$1")
	ENGINE_SOCK=$(engine_sock_of "$1")
	export DOCKER_HOST=unix://$ENGINE_SOCK
	case $1 in
	docker) ENGINE_SOCKS=(--docker-socket "$ENGINE_SOCK" --podman-socket "$work/none.sock") ;;
	podman) ENGINE_SOCKS=(--podman-socket "$ENGINE_SOCK" --docker-socket "$work/none.sock") ;;
	esac
}

bench_engine_cleanup() {
	set +e
	stop_procs
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"
	[ -n "$ev_pid" ] && kill "$ev_pid" 2>/dev/null
	[ -z "${ENGINE_NAME:-}" ] || docker-compose --ansi never down -t 0 >/dev/null 2>&1
	for e in "${acquired[@]}"; do engine_release "$e"; done
	umount "$ns" 2>/dev/null
	rm -rf "$work"
}
trap bench_engine_cleanup EXIT
trap 'exit 130' INT TERM

touch "$ns"
unshare --net="$ns" true
nsenter --net="$ns" ip link set lo up

cat >"$work/compose.yaml" <<YAML
version: "2.4"
services:
  node:
    image: conlink-test-busybox
    network_mode: none
    command: sleep 864000
    x-network:
      links:
        - {bridge: s1, ip: $2}
YAML
export COMPOSE_FILE=$work/compose.yaml
