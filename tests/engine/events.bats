#!/usr/bin/env bats
# events.bats - the daemon follows the real engines' event streams: a
# container started is linked, killed it is unlinked (Podman says "died").
# How the parser takes split, merged and old/new-style events is tested
# against a fake engine in tests/netns/engine-events.bats.

load ../lib/engine

# has_addr PID ADDR: the namespace of PID has ADDR on eth0.
has_addr() {
	nsenter -t "$1" -n ip -o -4 addr show dev eth0 2>/dev/null | grep -q "$2"
}

no_eth0() {
	! nsenter -t "$1" -n ip link show dev eth0 >/dev/null 2>&1 || false
}

real_start_die() {
	require_image conlink-test-busybox
	local name=evreal$RANDOM pid
	cat >"$BATS_TEST_TMPDIR/net.yaml" <<-YAML
	links:
	  - {container: $name, bridge: s1, ip: 10.99.1.1/24}
	YAML
	conlink_start --network-file "$BATS_TEST_TMPDIR/net.yaml"
	conlink_wait_log "Using $ENGINE_NAME engine"
	ecli_run --name "$name" --network none conlink-test-busybox sleep 600
	pid=$(engine_api "/containers/$name/json" | jq -e .State.Pid)
	wait_until 10 has_addr "$pid" 10.99.1.1/24
	ecli kill "$name"
	wait_until 10 no_eth0 "$pid"
	conlink_wait_log "Deleting veth link $name:eth0"
	! nsenter --net="$CONLINK_NETNS" ip link show dev "$name-eth0" 2>/dev/null || false
	kill -0 "$CONLINK_PID"
}

@test "events [docker]: the daemon links a started container and unlinks it when killed" { on_engine docker real_start_die; }
@test "events [podman]: the daemon links a started container and unlinks it when killed (died)" { on_engine podman real_start_die; }

# Both sockets on one engine (podman-docker's /var/run/docker.sock is
# Podman's own): each container is one container, linked once.
one_engine_two_sockets() {
	require_image conlink-test-busybox
	local name=evtwo$RANDOM pid
	cat >"$BATS_TEST_TMPDIR/net.yaml" <<-YAML
	links:
	  - {container: $name, bridge: s1, ip: 10.99.2.1/24}
	YAML
	conlink_start --network-file "$BATS_TEST_TMPDIR/net.yaml" \
		--docker-socket "$ENGINE_SOCK" --podman-socket "$ENGINE_SOCK"
	conlink_wait_log "Using podman engine"
	ecli_run --name "$name" --network none conlink-test-busybox sleep 600
	pid=$(engine_api "/containers/$name/json" | jq -e .State.Pid)
	wait_until 10 has_addr "$pid" 10.99.2.1/24
	conlink_wait_log "links connected"
	sleep 1		# a second report would come within the same events
	[ "$(conlink_log_count "Creating veth link $name:eth0")" -eq 1 ]
	[ "$(conlink_log_count "All links connected")" -eq 1 ]
	[ "$(conlink_log_count "ERROR")" -eq 0 ]
	ecli kill "$name"
	wait_until 10 no_eth0 "$pid"
	conlink_wait_log "Deleting veth link $name:eth0"
	[ "$(conlink_log_count "Deleting veth link $name:eth0")" -eq 1 ]
	kill -0 "$CONLINK_PID"
}

@test "events [docker]: two sockets on one engine link each container once" { on_engine docker one_engine_two_sockets; }
@test "events [podman]: two sockets on one engine link each container once" { on_engine podman one_engine_two_sockets; }
