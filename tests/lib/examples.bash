# examples.bash - run upstream's examples end to end on an engine. It loads
# engine.bash (the engine level's prologue) and replaces its teardown:
#
#   load ../lib/examples
#
#   body() {
#       ex_compose examples/test1-compose.yaml   # compose_init + cd $TOP
#       compose up -d r0 h1 h2 h3
#       conlink_start --compose-file examples/test1-compose.yaml
#       conlink_wait_log "All links connected"
#       ex_ping h1 1 10.0.0.100
#   }
#
# The daemon runs from build/conlink on the host, inside a namespace of the
# test's own ($CONLINK_NETNS), so the bridges and forward rules it makes never
# land in the host's namespace; it sees the containers' PIDs (host PID
# namespace) and talks to the engine under test only, for the test's compose
# project only. Pings and probes run from the host's tools inside a
# container's network namespace (nsenter -t PID -n): the network under test
# is the container's, and no engine exec round trip slows them down.

# shellcheck source=engine.bash
source "$(dirname "${BASH_SOURCE[0]}")/engine.bash"

# ex_compose FILE: a compose project for FILE (relative to $TOP, where the
# examples' relative paths resolve, or absolute); the test runs in $TOP.
ex_compose() {
	cd "$TOP"
	case $1 in
	/*) compose_init "$1" ;;
	*) compose_init "$TOP/$1" ;;
	esac
}

# conlink_start (daemon.bash, engine source) gives the other engine's socket
# option a path that does not exist: conlink tries it and goes on with the
# engine under test only, even when both run.
CONLINK_OTHER_SOCK=${BATS_TEST_TMPDIR:-/nonexistent}/no-such-engine.sock

# ex_cid SERVICE [INDEX]: full id of replica INDEX (default 1) of SERVICE in
# this test's compose project, from the engine API (no compose round trip).
ex_cid() {
	local filters
	filters=$(printf '{"label":["com.docker.compose.project=%s","com.docker.compose.service=%s","com.docker.compose.container-number=%s"]}' \
		"$COMPOSE_PROJECT_NAME" "$1" "${2:-1}")
	engine_api /containers/json -G --data-urlencode "filters=$filters" | jq -er '.[0].Id // empty'
}

# ex_pid SERVICE [INDEX]: State.Pid of a running compose replica;
# ex_pid NAME -: of the container named NAME.
ex_pid() {
	local id=$1
	[ "${2:-}" = - ] || id=$(ex_cid "$1" "${2:-1}") || return 1
	engine_api "/containers/$id/json" | jq -e '.State.Pid | select(. > 0)'
}

# ex_in SERVICE INDEX CMD...: run a host command in the container's netns
# (INDEX - : SERVICE is a container name; the same for the helpers below).
ex_in() {
	local pid
	pid=$(ex_pid "$1" "$2") || { echo "no running $1 #$2"; return 1; }
	shift 2
	nsenter -t "$pid" -n "$@"
}

# ping on the host: iputils when installed, else busybox's
EX_PING=(ping)
command -v ping >/dev/null || EX_PING=(busybox ping)

# ex_ping SERVICE INDEX ADDR: ADDR answers a ping from that container within
# 10 s (the first one may wait for ARP or a route just made).
ex_ping() {
	local pid
	pid=$(ex_pid "$1" "$2") || { echo "no running $1 #$2"; return 1; }
	wait_until 10 nsenter -t "$pid" -n "${EX_PING[@]}" -c1 -W1 "$3" ||
		{ echo "ping $1 #$2 -> $3 failed"; return 1; }
}

# ex_has_addr SERVICE INDEX DEV ADDR/PREFIX: DEV in the container has it.
ex_has_addr() {
	ex_in "$1" "$2" ip -o -4 addr show dev "$3" 2>/dev/null | awk '{print $4}' |
		grep -qxF -- "$4"
}

# ex_wait_addr SERVICE INDEX DEV ADDR/PREFIX [SECONDS]
ex_wait_addr() {
	wait_until "${5:-20}" ex_has_addr "$1" "$2" "$3" "$4" ||
		{ echo "$1 #$2 has no $3 $4"; return 1; }
}

# ex_links_in_ns: the interfaces in conlink's namespace besides lo.
ex_links_in_ns() {
	nsenter --net="$CONLINK_NETNS" ip -o link show | awk -F': ' '{print $2}' |
		sed 's/@.*//' | grep -vx lo || true
}

# ex_teardown: daemon first (it removes its links while the containers
# still exist; or the log of conlink's compose service, EX_NET_CID, when a
# test ran it that way), then engine_teardown: the engine's containers, then
# the namespaces.
ex_teardown() {
	conlink_teardown
	if [ -n "${EX_NET_CID:-}" ]; then
		echo "--- conlink service log (tail)"
		ecli logs "$EX_NET_CID" 2>&1 | tail -40
	fi
	engine_teardown
}

teardown() { ex_teardown; }

# ---- the project's image ------------------------------------------------

EX_IMAGE=conlink-test-image

# ex_build_image: the project's Dockerfile built offline as $EX_IMAGE
# (engine.bash: image_build_local). The image it replaces is removed; the
# bases are kept for the next test.
ex_build_image() {
	image_build_local "$EX_IMAGE" 2>"$BATS_TEST_TMPDIR/build.err" ||
		{ cat "$BATS_TEST_TMPDIR/build.err"; return 1; }
}
