#!/usr/bin/env bats
# docker-eth0.bats - conlink as a compose service on a real bridge network
# (not network_mode: none): its eth0 becomes DOCKER-ETH0 with its address and
# default route, a port forward on it reaches a network_mode: none service
# from another container of that network, and conlink found its compose
# project from its own labels.

load ../lib/engine

# the network service's log
logs() { compose logs --no-color network; }

docker_eth0() {
	require_image conlink-test-busybox
	require_daemon_image
	local net=10.213.7 dir=$BATS_TEST_TMPDIR
	[ "$ENGINE_NAME" = podman ] && net=10.213.8
	cat >"$dir/compose.yaml" <<-YAML
	version: "2.4"
	services:
	  node:
	    image: conlink-test-busybox
	    network_mode: none
	    command: sh -c 'mkdir -p /www && echo hello-docker-eth0 > /www/x && httpd -f -p 80 -h /www'
	  client:
	    image: conlink-test-busybox
	    networks: {default: {ipv4_address: $net.20}}
	    command: sleep 3600
	  network:
	    image: conlink-test-daemon
	    pid: host
	    cap_add: [SYS_ADMIN, NET_ADMIN]
	    security_opt: ["apparmor:unconfined"]
	    networks: {default: {ipv4_address: $net.10}}
	    volumes:
	      - $ENGINE_SOCK:/var/run/docker.sock
	      - ./net.yaml:/net.yaml:ro
	    command: conlink --network-file /net.yaml --podman-socket ''
	networks:
	  default:
	    ipam:
	      config:
	        - subnet: $net.0/24
	YAML
	# the route back to conlink's own address: upstream's enrich adds it to
	# every forward link (see the report: not done by our enrich yet)
	cat >"$dir/net.yaml" <<-YAML
	links:
	  - service: node
	    bridge: s1
	    ip: 10.98.5.1/24
	    forward: ["8080:80/tcp"]
	    route: "$net.10/32 dev eth0"
	YAML
	compose_init "$dir/compose.yaml"
	compose up -d
	wait_until 30 eval 'logs | grep -q "All links connected"' || { logs; return 1; }
	logs | grep -q "Renaming eth0 to DOCKER-ETH0"
	logs | grep -q "conlink runs in compose project $COMPOSE_PROJECT_NAME"
	run ecli exec "${COMPOSE_PROJECT_NAME}_network_1" ip -o -4 addr show dev DOCKER-ETH0
	echo "$output"
	[[ "$output" == *" $net.10/24 "* ]]
	run ecli exec "${COMPOSE_PROJECT_NAME}_network_1" ip route show
	echo "$output"
	[[ "$output" == *"default via $net.1 dev DOCKER-ETH0"* ]]
	! ecli exec "${COMPOSE_PROJECT_NAME}_network_1" ip link show dev eth0 || false
	# from the docker network through DOCKER-ETH0 to node:80 (nc: this
	# static busybox's wget crashes in its libc's resolver)
	run ecli exec "${COMPOSE_PROJECT_NAME}_client_1" sh -c \
		"printf 'GET /x HTTP/1.0\r\n\r\n' | nc -w 5 $net.10 8080"
	echo "$output"
	[ "${lines[${#lines[@]}-1]}" = hello-docker-eth0 ]
	# SIGTERM: links removed, eth0 named back
	compose stop -t 10 network
	logs | grep -q "Renaming DOCKER-ETH0 back to eth0"
	! logs | grep -E "ERROR|Sanitizer" || false
}

@test "docker-eth0 [docker]: conlink on a bridge network renames eth0, forwards arrive on DOCKER-ETH0" { on_engine docker docker_eth0; }
@test "docker-eth0 [podman]: conlink on a bridge network renames eth0, forwards arrive on DOCKER-ETH0" { on_engine podman docker_eth0; }
