#!/usr/bin/env bats
# same-id-restart.bats - a container restarted under the same id while
# conlink's event stream was down (the engine's API service not serving):
# it has a new process and a new network namespace, and conlink, once the
# stream is back, relinks it there (its interfaces and addresses, ping
# across). On Podman the API service is stopped and the container
# restarted with `podman restart`; on Docker (--live-restore) the
# container has `--restart always`, its process is killed while dockerd is
# down, and dockerd restarts it when it comes back. The service is a
# private one of this test (engine.bash: engine_private_start).

load ../lib/engine

pid_of() {
	ecli_priv inspect --format '{{.State.Pid}}' "$1"
}

# linked NAME ADDR: container NAME's (current) eth0 has ADDR.
linked() {
	local pid
	pid=$(pid_of "$1") && [ "$pid" -gt 0 ] &&
		nsenter -t "$pid" -n ip -o -4 addr show dev eth0 | grep -q "$2"
}

same_id_restart() {
	require_image conlink-test-busybox
	local a=sia$RANDOM b=sib$RANDOM id old new
	cat >"$BATS_TEST_TMPDIR/net.yaml" <<-YAML
	links:
	  - {container: $a, bridge: s1, ip: 10.96.0.1/24}
	  - {container: $b, bridge: s1, ip: 10.96.0.2/24}
	YAML
	engine_private_start
	for n in "$a" "$b"; do
		ecli_priv run -d --label "$ENGINE_LABEL" --name "$n" --network none \
			--restart always conlink-test-busybox sleep 600 >/dev/null
	done
	id=$(ecli_priv inspect --format '{{.Id}}' "$a")
	old=$(pid_of "$a")
	CONLINK_ENGINE_SOCK=$ENGINE_PRIV_SOCK conlink_start \
		--network-file "$BATS_TEST_TMPDIR/net.yaml"
	conlink_wait_log "All links connected" 30
	linked "$a" 10.96.0.1/24

	engine_private_stop
	conlink_wait_log "event stream on $ENGINE_PRIV_SOCK ended"
	case $ENGINE_NAME in
	podman)
		ecli_priv restart -t 0 "$a" >/dev/null
		engine_private_start ;;
	docker)
		# live-restore kept it running; dead now, dockerd restarts it
		kill -KILL "$old"
		engine_private_start
		wait_until 30 test "$(pid_of "$a")" -gt 0 ;;
	esac
	new=$(pid_of "$a")
	[ "$(ecli_priv inspect --format '{{.Id}}' "$a")" = "$id" ]
	[ "$new" != "$old" ]
	conlink_wait_log "reconnected to $ENGINE_PRIV_SOCK" 30
	wait_until 20 linked "$a" 10.96.0.1/24
	grep -q "container $a (${id:0:12}) runs again under the same id (pid $new, was $old)" "$CONLINK_LOG"
	# one outer end on the bridge, its peer in the new namespace: ping across
	[ "$(nsenter --net="$CONLINK_NETNS" ip -o link show master s1 | grep -c "$a-eth0")" = 1 ]
	nsenter -t "$(pid_of "$b")" -n ping -c1 -W2 10.96.0.1
	nsenter -t "$new" -n ping -c1 -W2 10.96.0.2
	[ "$(conlink_log_count "not connected")" = 0 ]
	conlink_stop
	[ "$CONLINK_STATUS" = 0 ]
	[ -z "$(nsenter --net="$CONLINK_NETNS" ip -o link show type veth)" ]
}

@test "same-id restart [docker]: restart always after dockerd came back: relinked in the new namespace" { on_engine docker same_id_restart; }
@test "same-id restart [podman]: podman restart while the API service is down: relinked in the new namespace" { on_engine podman same_id_restart; }
