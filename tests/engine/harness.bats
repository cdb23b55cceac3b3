#!/usr/bin/env bats
# harness.bats - the engine test harness on each engine: compose smoke test,
# the static binary in images without libc, upstream's utils scenario.

load ../lib/common
load ../lib/engine

setup_file()    { engine_setup_file; }
teardown_file() { engine_teardown_file; }
teardown()      { engine_teardown; }

# Two network_mode: none containers; their PIDs read through the engine API
# are live processes in namespaces of their own holding only lo.
smoke() {
	cat >"$BATS_TEST_TMPDIR/compose.yaml" <<-'YAML'
	version: "2.4"
	services:
	  a:
	    image: conlink-test-busybox
	    network_mode: none
	    command: sleep 3600
	  b:
	    image: conlink-test-busybox
	    network_mode: none
	    command: sleep 3600
	YAML
	compose_init "$BATS_TEST_TMPDIR/compose.yaml"
	compose up -d
	local svc pid
	for svc in a b; do
		pid=$(compose_pid "$svc")
		echo "$svc: pid $pid"
		[ "$pid" -gt 1 ]
		[ -d "/proc/$pid" ]
		[ "$(cat "/proc/$pid/comm")" = sleep ]
		[ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]
		run nsenter -t "$pid" -n ip -o link show
		[ "$status" = 0 ]
		[ "${#lines[@]}" = 1 ]
		[[ "$output" == *": lo: "* ]]
	done
	[ "$(compose_pid a)" != "$(compose_pid b)" ]
}

@test "smoke [docker]: compose brings up two network_mode none containers, PIDs via the API" { on_engine docker smoke; }
@test "smoke [podman]: compose brings up two network_mode none containers, PIDs via the API" { on_engine podman smoke; }
