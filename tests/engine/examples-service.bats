#!/usr/bin/env bats
# examples-service.bats - conlink as a compose service of its project, from
# the image the Dockerfile builds (pid: host, the engine socket mounted,
# network_mode: none), with the project's command line and with upstream's
# /app/build/conlink.js; a container killed with SIGKILL loses its links;
# conlink stopped with SIGTERM leaves nothing behind. Docker and Podman.

load ../lib/examples

# service_test1 [OVERRIDE]: test1 with its "network" service, every service
# up at once; conlink finds its compose project from its own labels.
service_test1() {
	local files=$TOP/examples/test1-compose.yaml net log
	[ -n "${1:-}" ] && files+=":$1"
	ex_build_image
	ex_compose "$files"
	export CONLINK_IMAGE=$EX_IMAGE DOCKER_SOCK=$ENGINE_SOCK
	compose up -d
	net=$(ex_cid network 1)
	EX_NET_CID=$net
	[ -n "$net" ]
	log=$BATS_TEST_TMPDIR/network.log
	wait_until 30 eval 'ecli logs "$net" >"$log" 2>&1; grep -q "All links connected" "$log"' ||
		{ cat "$log"; return 1; }
	cat "$log"
	grep -q "conlink runs in compose project $COMPOSE_PROJECT_NAME" "$log"
	! grep -q "not connected" "$log" || false
	ex_ping h1 1 10.0.0.100
	ex_ping h2 1 192.168.1.100
	ex_ping h3 1 172.16.0.100
	# the bridges live in conlink's own container namespace
	run ex_in network 1 ip -o link show type bridge
	[ "$(echo "$output" | grep -cE ': s[123]:')" = 3 ]
}

service_own_cmdline() {
	service_test1
	ecli inspect -f '{{json .Config.Cmd}}' "$(ex_cid network 1)" | grep -q '"conlink","--compose-file"'
}

service_upstream_cmdline() {
	local over=$BATS_TEST_TMPDIR/upstream-cmd.yaml
	cat >"$over" <<-'YAML'
	services:
	  network:
	    command: /app/build/conlink.js --compose-file /test/test1-compose.yaml
	YAML
	service_test1 "$over"
	ecli inspect -f '{{json .Config.Cmd}}' "$(ex_cid network 1)" | grep -q '/app/build/conlink.js'
}

@test "conlink service [docker]: test1 with the project's command line" { on_engine docker service_own_cmdline; }
@test "conlink service [podman]: test1 with the project's command line" { on_engine podman service_own_cmdline; }
@test "conlink service [docker]: test1 with upstream's /app/build/conlink.js command" { on_engine docker service_upstream_cmdline; }
@test "conlink service [podman]: test1 with upstream's /app/build/conlink.js command" { on_engine podman service_upstream_cmdline; }

# SIGKILL to h1: conlink sees it die (Docker's die, Podman's died) and
# removes exactly h1's links; started again, h1 is relinked and reachable.
sigkill_container() {
	local before after
	ex_compose examples/test1-compose.yaml
	compose up -d r0 h1 h2 h3
	conlink_start --compose-file examples/test1-compose.yaml
	conlink_wait_log "All links connected"
	before=$(ex_links_in_ns | sort)
	echo "$before" | grep -qx h1_1-eth0
	ecli kill -s KILL "$(ex_cid h1 1)" >/dev/null
	wait_until 20 eval '! ex_links_in_ns | grep -qx h1_1-eth0' || { cat "$CONLINK_LOG"; false; }
	conlink_wait_log "Deleting veth link ${COMPOSE_PROJECT_NAME}_h1_1:eth0"
	after=$(ex_links_in_ns | sort)
	[ "$after" = "$(echo "$before" | grep -vx h1_1-eth0)" ]
	ex_ping h2 1 10.0.0.100		# the others keep their network
	compose start h1
	ex_wait_addr h1 1 eth0 192.168.1.100/24
	ex_ping h1 1 10.0.0.100
	[ "$(ex_links_in_ns | sort)" = "$before" ]
}

@test "SIGKILL [docker]: a killed container loses its links, nothing leaks, relinked on start" { on_engine docker sigkill_container; }
@test "SIGKILL [podman]: a killed container loses its links, nothing leaks, relinked on start" { on_engine podman sigkill_container; }

# SIGTERM to conlink with a patch bridge (ingress qdiscs), a linux bridge, a
# forward (nft table, host route) on an external interface: afterwards
# conlink's namespace is exactly as before it started, and the containers
# hold only lo.
sigterm_cleanup() {
	local file=$BATS_TEST_TMPDIR/cleanup-compose.yaml before pid
	cat >"$file" <<-'YAML'
	x-node: &node
	  image: conlink-test-busybox
	  network_mode: none
	  command: sleep 864000
	services:
	  a:
	    <<: *node
	    x-network:
	      links: [{bridge: p1, ip: 10.90.0.1/24}]
	  b:
	    <<: *node
	    x-network:
	      links: [{bridge: p1, ip: 10.90.0.2/24}]
	  c:
	    <<: *node
	    x-network:
	      links:
	        - {bridge: s1, ip: 10.91.0.1/24, forward: "8080:80/tcp"}
	        - {bridge: s2, dev: eth1, ip: 10.92.0.1/24, mac: "00:0a:0b:0c:0d:0e", mtu: 1400}
	x-network:
	  bridges:
	    - {bridge: p1, mode: patch}
	    - {bridge: s1, mode: linux}
	YAML
	conlink_netns
	ip link add ext0 netns "$CONLINK_NETNS" type veth peer name ext0p netns "$CONLINK_NETNS"
	nsenter --net="$CONLINK_NETNS" ip addr add 192.168.251.1/24 dev ext0
	nsenter --net="$CONLINK_NETNS" ip link set ext0 up
	before=$(net_snapshot "$CONLINK_NETNS")
	ex_compose "$file"
	compose up -d a b c
	conlink_start --external-intf ext0 --default-bridge-mode linux --compose-file "$file"
	conlink_wait_log "All links connected"
	ex_ping a 1 10.90.0.2
	# what is to be undone is there
	nsenter --net="$CONLINK_NETNS" tc qdisc show | grep -q ingress
	nsenter --net="$CONLINK_NETNS" nft list ruleset | grep -q "dnat to 10.91.0.1:80"
	nsenter --net="$CONLINK_NETNS" ip route | grep -q "^10.91.0.1 dev s1"
	[ "$(net_snapshot "$CONLINK_NETNS")" != "$before" ]

	conlink_stop
	[ "$CONLINK_STATUS" = 0 ]
	diff <(echo "$before") <(net_snapshot "$CONLINK_NETNS")
	for s in a b c; do
		pid=$(ex_pid "$s" 1)
		run nsenter -t "$pid" -n ip -o link show
		[ "${#lines[@]}" = 1 ] || { echo "$s: $output"; false; }
	done
}

@test "SIGTERM [docker]: conlink leaves no interface, bridge, qdisc, route or nft rule" { on_engine docker sigterm_cleanup; }
@test "SIGTERM [podman]: conlink leaves no interface, bridge, qdisc, route or nft rule" { on_engine podman sigterm_cleanup; }
