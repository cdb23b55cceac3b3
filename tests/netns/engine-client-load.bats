#!/usr/bin/env bats
# engine-client-load.bats - libcurl, the engine client, is loaded only when
# an engine socket is there (core/engine/curl_load.c): a daemon without an
# engine never maps it; one with an engine (the fake engine,
# tests/files/engine/fake-engine.py) does and links through it; a libcurl
# that cannot be loaded is named, not a crash. Needs root, no real engine.

load ../lib/netns
load ../lib/fake_engine

setup() {
	netns_setup
	cat >"$CFG" <<-'Y'
	links:
	  - {service: c, bridge: s1, ip: 10.98.1.1/24}
	  - {container: evnode, bridge: s1, ip: 10.98.2.1/24}
	Y
	netns_add "$NS" c_1
}

# maps_has PATTERN: conlink's memory maps name a file matching PATTERN
maps_has() {
	grep -qE -- "$1" "/proc/$CONLINK_PID/maps"
}

# engine sockets given, none of them there: the netns source only
conlink_source_absent() {
	src=(--docker-socket "$BATS_TEST_TMPDIR/none.sock" --podman-socket '')
	env=(CONLINK_BRIDGE_MODE=linux)
}

# start_without_libcurl ARGS: conlink_start where libcurl.so.4 cannot be
# loaded: in a mount namespace of its own, the library file (the one the
# loader finds for curl(1), which links it) bind-mounted over by an empty one.
start_without_libcurl() {
	local lib
	lib=$(ldd "$(command -v curl)" 2>/dev/null | awk '$1 == "libcurl.so.4" {print $3}')
	[ -n "$lib" ] || skip "no curl(1) linked to libcurl.so.4 to find the library by"
	: >"$BATS_TEST_TMPDIR/empty.so"
	# shellcheck disable=SC2016  # expanded by the inner shell
	local CONLINK_WRAP=(unshare --mount sh -c 'mount --bind "$0" "$1" && shift && exec "$@"'
		"$BATS_TEST_TMPDIR/empty.so" "$(readlink -f "$lib")")
	conlink_start "$@"
}

@test "--no-engine, or engine sockets that are not there: libcurl never loaded, links made" {
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "c_1:eth0"
	wait_until 5 has_link "$NS/c_1" eth0
	maps_has '/libc\.so'	# the maps are read: libc is there
	! maps_has libcurl || false
	conlink_stop_clean

	CONLINK_SOURCE=absent conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "using --netns-dir only"
	wait_until 5 has_link "$NS/c_1" eth0
	! maps_has libcurl || false
	conlink_stop_clean
}

@test "an engine that answers: libcurl loaded, its container linked" {
	fake_engine_start
	fake_container_proc
	fake_container 4f1d0c6e8a5b7c9d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9 evnode
	conlink_start --network-file "$CFG"
	conlink_wait_log "Using docker engine"
	wait_until 10 eval 'nsenter -t "$FAKE_CPID" -n ip -o -4 addr show dev eth0 | grep -q 10.98.2.1/24'
	maps_has '/libcurl\.so\.4'
	conlink_stop_clean
}

@test "libcurl that cannot be loaded: the engine client names it; --netns-dir still links" {
	fake_engine_start
	start_without_libcurl --network-file "$CFG"
	conlink_wait_exit
	[ "$CONLINK_STATUS" = 1 ]
	grep -E "the engine client needs libcurl\.so\.4 \(Debian: libcurl4\): .*libcurl" "$CONLINK_LOG"
	! grep -E "Sanitizer|runtime error|Segmentation" "$CONLINK_LOG" || false

	start_without_libcurl --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "libcurl\.so\.4.*; using --netns-dir only"
	wait_until 5 has_link "$NS/c_1" eth0
	! maps_has libcurl || false
	conlink_stop_clean
}
