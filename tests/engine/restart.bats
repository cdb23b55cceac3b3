#!/usr/bin/env bats
# restart.bats - the engine's API service restarted under a running conlink:
# the event stream drops, conlink reconnects with backoff and resyncs: a
# container started while it was not listening is linked, one that died
# meanwhile is unlinked, and events are followed again afterwards.
# The service restarted is a private one of this test (engine.bash:
# engine_private_start), never the engine other test files share.

load ../lib/engine

# linked NAME ADDR: container NAME's eth0 has ADDR.
linked() {
	local pid
	pid=$(ecli_priv inspect --format '{{.State.Pid}}' "$1") && [ "$pid" -gt 0 ] &&
		nsenter -t "$pid" -n ip -o -4 addr show dev eth0 | grep -q "$2"
}

run_node() {
	ecli_priv run -d --label "$ENGINE_LABEL" --name "$1" --network none \
		conlink-test-busybox sleep 600 >/dev/null
}

restart() {
	require_image conlink-test-busybox
	local a=rsa$RANDOM b=rsb$RANDOM c=rsc$RANDOM apid
	cat >"$BATS_TEST_TMPDIR/net.yaml" <<-YAML
	links:
	  - {container: $a, bridge: s1, ip: 10.97.0.1/24}
	  - {container: $b, bridge: s1, ip: 10.97.0.2/24}
	  - {container: $c, bridge: s1, ip: 10.97.0.3/24}
	YAML
	engine_private_start
	run_node "$a"
	apid=$(ecli_priv inspect --format '{{.State.Pid}}' "$a")
	CONLINK_ENGINE_SOCK=$ENGINE_PRIV_SOCK conlink_start \
		--network-file "$BATS_TEST_TMPDIR/net.yaml"
	wait_until 20 linked "$a" 10.97.0.1/24

	engine_private_stop
	conlink_wait_log "event stream on $ENGINE_PRIV_SOCK ended"
	# while nothing serves the API: one container goes, and on Podman
	# (no daemon) another one starts
	case $ENGINE_NAME in
	podman)
		run_node "$b"
		ecli_priv kill "$a" >/dev/null ;;
	docker)
		kill -KILL "$apid" ;;	# live-restore: dockerd finds it dead
	esac
	engine_private_start
	# on Docker the new container can only start now; conlink is still
	# waiting out its backoff
	[ "$ENGINE_NAME" = docker ] && run_node "$b"
	conlink_wait_log "reconnected to $ENGINE_PRIV_SOCK" 30
	wait_until 20 linked "$b" 10.97.0.2/24
	conlink_wait_log "Deleting veth link $a:eth0"
	! nsenter --net="$CONLINK_NETNS" ip link show dev "$a-eth0" 2>/dev/null || false
	[ "$(conlink_log_count "Deleting veth link $b:eth0")" = 0 ]

	# the new stream is followed: a start now is linked
	run_node "$c"
	wait_until 20 linked "$c" 10.97.0.3/24
	conlink_stop
	[ "$CONLINK_STATUS" = 0 ]
	[ -z "$(nsenter --net="$CONLINK_NETNS" ip -o link show type veth)" ]
}

@test "restart [docker]: dockerd restarted under conlink: relinks what started, unlinks what died" { on_engine docker restart; }
@test "restart [podman]: API service restarted under conlink: relinks what started, unlinks what died" { on_engine podman restart; }
