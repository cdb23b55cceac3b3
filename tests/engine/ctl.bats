#!/usr/bin/env bats
# ctl.bats - conlink ctl status and events against a compose deployment,
# from the host through `docker-compose exec network conlink ctl ...` (and
# the engine's own exec), on Docker and on Podman: conlink runs as the
# project's "network" service from the image the Dockerfile builds. Each
# link's state, the outer end's counters growing with the traffic that
# crosses, and the events of a container started and stopped, in order.

load ../lib/examples

# ctl ARGS: conlink ctl in the network service, through compose exec
ctl() {
	compose exec -T network conlink ctl "$@"
}

# link_field LINK FIELD: one link's field from ctl status --json
link_field() {
	ctl status --json | jq -r --arg l "$1" ".links[] | select(.link == \$l) | $2"
}

ctl_compose() {
	local dir=$BATS_TEST_TMPDIR/project
	mkdir -p "$dir"
	cat >"$dir/compose.yaml" <<-'YAML'
	x-node: &node
	  image: conlink-test-busybox
	  network_mode: none
	  command: sleep 864000
	services:
	  h1:
	    <<: *node
	    x-network:
	      links: [{bridge: s1, ip: 10.93.0.1/24}]
	  h2:
	    <<: *node
	    x-network:
	      links: [{bridge: s1, ip: 10.93.0.2/24}]
	  network:
	    image: ${CONLINK_IMAGE:-conlink}
	    pid: host
	    network_mode: none
	    cap_add: [SYS_ADMIN, NET_ADMIN, SYS_NICE, NET_BROADCAST, IPC_LOCK]
	    security_opt: [ "apparmor:unconfined" ]
	    volumes:
	      - ${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock
	      - ./:/test
	    command: conlink --compose-file /test/compose.yaml
	YAML
	echo "$dir/compose.yaml"
}

ctl_status_events() {
	local file p net ev=$BATS_TEST_TMPDIR/events rx0 rx1 pk0 pk1
	ex_build_image
	file=$(ctl_compose)
	ex_compose "$file"
	export CONLINK_IMAGE=$EX_IMAGE DOCKER_SOCK=$ENGINE_SOCK
	p=$COMPOSE_PROJECT_NAME
	compose up -d network h1
	net=$(ex_cid network 1)
	EX_NET_CID=$net
	wait_until 30 eval '[ "$(link_field "${p}_h1_1:eth0" .state 2>/dev/null)" = made ]' ||
		{ ecli logs "$net"; return 1; }
	# h2 has no container yet: waiting
	[ "$(link_field "h2:eth0" .state)" = waiting ]
	# the events from here on, from the host through compose exec
	ctl events --json >"$ev" 2>&1 &
	EV_PID=$!
	sleep 1
	compose up -d h2
	wait_until 20 grep -q "\"action\":\"made\",\"actor_name\":\"${p}_h2_1:eth0\"" "$ev" ||
		{ cat "$ev"; return 1; }
	# state, addresses, outer end, bridge, carrier
	[ "$(link_field "${p}_h2_1:eth0" .state)" = made ]
	[ "$(link_field "${p}_h2_1:eth0" .service)" = h2 ]
	[ "$(link_field "${p}_h2_1:eth0" .outer_dev)" = h2_1-eth0 ]
	[ "$(link_field "${p}_h2_1:eth0" .bridge)" = s1 ]
	[ "$(link_field "${p}_h2_1:eth0" '.addresses[0]')" = 10.93.0.2/24 ]
	[ "$(link_field "${p}_h2_1:eth0" .carrier)" = true ]
	[ "$(ctl status --json | jq -r .project)" = "$p" ]
	[ "$(ctl status --json | jq .summary.made)" = 2 ]
	# counters that grow when traffic crosses: h1's pings leave it through
	# its outer end (rx there)
	rx0=$(link_field "${p}_h1_1:eth0" .stats.rx_bytes)
	pk0=$(link_field "${p}_h1_1:eth0" .stats.rx_packets)
	ex_ping h1 1 10.93.0.2
	ex_in h1 1 "${EX_PING[@]}" -c4 -i0.2 -W2 10.93.0.2 >/dev/null
	rx1=$(link_field "${p}_h1_1:eth0" .stats.rx_bytes)
	pk1=$(link_field "${p}_h1_1:eth0" .stats.rx_packets)
	echo "h1's outer end: rx $rx0 -> $rx1 bytes, $pk0 -> $pk1 packets"
	[ $((rx1 - rx0)) -ge $((5 * 84)) ]
	[ $((pk1 - pk0)) -ge 5 ]
	# the text form, and the engine's own exec gives the same
	run ctl status
	echo "$output"
	echo "$output" | grep -E "^${p}_h1_1:eth0 +made +h1_1-eth0 +s1 +carrier up .*ip 10.93.0.1/24 .*rx [0-9]+ B"
	echo "$output" | grep -E "^bridge s1 +mode linux +exists"
	ecli exec "$net" conlink ctl status | grep -qE "^${p}_h2_1:eth0 +made"
	# a container stopped: its die, then its link removed
	compose stop -t 1 h2
	wait_until 20 grep -q "\"action\":\"removed\",\"actor_name\":\"${p}_h2_1:eth0\"" "$ev" ||
		{ cat "$ev"; return 1; }
	grep -oE "\"type\":\"[a-z]+\",\"action\":\"[a-z]+\",\"actor_name\":\"${p}_h2_1[:a-z0-9]*\"" "$ev" >"$ev.order"
	diff - "$ev.order" <<-E
	"type":"container","action":"start","actor_name":"${p}_h2_1"
	"type":"link","action":"made","actor_name":"${p}_h2_1:eth0"
	"type":"container","action":"die","actor_name":"${p}_h2_1"
	"type":"link","action":"removed","actor_name":"${p}_h2_1:eth0"
	E
	# each with its timestamp
	! grep -vqE '^\{"timestamp":"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}Z"' "$ev" || false
	[ "$(link_field "h2:eth0" .state)" = waiting ]
	kill "$EV_PID" 2>/dev/null || true
}

@test "ctl [docker]: status and events from the host through compose exec" { on_engine docker ctl_status_events; }
@test "ctl [podman]: status and events from the host through compose exec" { on_engine podman ctl_status_events; }
