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

# conlink itself killed with SIGKILL (OOM, a crash): as a
# compose service with restart: always the engine starts it again, in a
# fresh namespace, while its old links are still in the nodes; it converges
# with no "exists" error and no duplicate.
restart_kill() {
	require_image conlink-test-busybox
	require_daemon_image
	local dir=$BATS_TEST_TMPDIR n1 n2
	cat >"$dir/compose.yaml" <<-YAML
	version: "2.4"
	services:
	  node:
	    image: conlink-test-busybox
	    network_mode: none
	    scale: 2
	    command: sleep 3600
	  network:
	    image: conlink-test-daemon
	    restart: always
	    pid: host
	    network_mode: none
	    cap_add: [SYS_ADMIN, NET_ADMIN]
	    security_opt: ["apparmor:unconfined"]
	    volumes:
	      - $ENGINE_SOCK:/var/run/docker.sock
	      - ./net.yaml:/net.yaml:ro
	    command: conlink --network-file /net.yaml --podman-socket ''
	YAML
	cat >"$dir/net.yaml" <<-YAML
	links:
	  - {service: node, bridge: s1, ip: 10.98.6.1/24, mac: "02:00:00:98:06:01"}
	YAML
	compose_init "$dir/compose.yaml"
	compose up -d
	n1=${COMPOSE_PROJECT_NAME}_node_1 n2=${COMPOSE_PROJECT_NAME}_node_2
	wait_until 30 eval 'compose logs --no-color network | grep -q "All links connected"' ||
		{ compose logs --no-color network; return 1; }
	# SIGKILL from outside, as the OOM killer would: `docker kill` counts
	# as a manual stop, after which no restart policy applies
	kill -KILL "$(ecli inspect --format '{{.State.Pid}}' "${COMPOSE_PROJECT_NAME}_network_1")"
	# the engine starts it again (its log keeps the first life's lines)
	wait_until 60 eval '[ "$(compose logs --no-color network | grep -c "All links connected")" -ge 2 ]' ||
		{ compose logs --no-color network; return 1; }
	run compose logs --no-color network
	echo "$output"
	! grep -Ei "exists|ERROR" <<<"$output" || false
	# each node: one eth0, its MAC and address; they reach each other
	local node i=1
	for node in "$n1" "$n2"; do
		run ecli exec "$node" ip -o link show
		echo "$output"
		[ "$(grep -c ': eth0@' <<<"$output")" = 1 ]
		[[ "$output" == *"link/ether 02:00:00:98:06:0$i "* ]]
		run ecli exec "$node" ip -o -4 addr show dev eth0
		[[ "$output" == *" 10.98.6.$i/24 "* ]]
		i=$((i + 1))
	done
	ecli exec "$n1" ping -c1 -W2 10.98.6.2
	ecli exec "$n2" ping -c1 -W2 10.98.6.1
	# SIGTERM: its links go, nothing of ours stays in the nodes
	compose stop -t 10 network
	for node in "$n1" "$n2"; do
		run ecli exec "$node" ip -o link show
		[[ "$output" != *eth0* ]]
	done
}

@test "restart [docker]: conlink killed with SIGKILL under restart: always comes back and converges" { on_engine docker restart_kill; }
@test "restart [podman]: conlink killed with SIGKILL under restart: always comes back and converges" { on_engine podman restart_kill; }
