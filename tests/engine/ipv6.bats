#!/usr/bin/env bats
# ipv6.bats - IPv6 links in network_mode: none containers on Docker (which
# turns IPv6 off there: net.ipv6.conf.all and default disable_ipv6 = 1) and
# on Podman (which leaves it on): IPv6 addresses and routes from a compose
# service's x-network, ping6 across a bridge and across a router container;
# a link without IPv6 keeps the container's setting.

load ../lib/examples

# v6conf SERVICE DEV: the container's net.ipv6.conf.DEV.disable_ipv6
v6conf() { ex_in "$1" 1 cat "/proc/sys/net/ipv6/conf/$2/disable_ipv6"; }

ipv6_links() {
	require_image conlink-test-busybox
	local f=$BATS_TEST_TMPDIR/compose.yaml
	cat >"$f" <<-'YAML'
	version: "2.4"
	services:
	  h1:
	    image: conlink-test-busybox
	    network_mode: none
	    command: sleep 864000
	    x-network:
	      links:
	        - {bridge: s1, ip: "fd00:1::1/64", route: "fd00:2::/64 via fd00:1::100"}
	  h2:
	    image: conlink-test-busybox
	    network_mode: none
	    command: sleep 864000
	    x-network:
	      links:
	        - {bridge: s1, ip: "fd00:1::2/64"}
	  h3:
	    image: conlink-test-busybox
	    network_mode: none
	    command: sleep 864000
	    x-network:
	      links:
	        - {bridge: s2, ip: "fd00:2::3/64", route: "default via fd00:2::100"}
	        - {bridge: s3, dev: eth1, ip: "10.0.3.3/24"}
	  router:
	    image: conlink-test-busybox
	    network_mode: none
	    sysctls: {net.ipv6.conf.all.forwarding: 1}
	    command: sleep 864000
	    x-network:
	      links:
	        - {bridge: s1, dev: e1, ip: "fd00:1::100/64"}
	        - {bridge: s2, dev: e2, ip: "fd00:2::100/64"}
	YAML
	ex_compose "$f"
	compose up -d
	conlink_start --compose-file "$f"
	conlink_wait_log "All links connected"
	run ex_in h1 1 ip -6 -o addr show dev eth0 scope global
	[[ "$output" == *"fd00:1::1/64"* ]]
	run ex_in router 1 ip -6 -o addr show dev e2 scope global
	[[ "$output" == *"fd00:2::100/64"* ]]
	run ex_in h1 1 ip -6 route show
	[[ "$output" == *"fd00:2::/64 via fd00:1::100 dev eth0"* ]]
	run ex_in h3 1 ip -6 route show default
	[[ "$output" == *"via fd00:2::100 dev eth0"* ]]
	# across the bridge, then across the router (both ways)
	ex_ping h1 1 fd00:1::2
	ex_ping h2 1 fd00:1::1
	ex_ping h1 1 fd00:2::3
	ex_ping h3 1 fd00:1::1
	# IPv6 on for the links that carry it, and only for them
	[ "$(v6conf h1 eth0)" = 0 ]
	[ "$(v6conf router e2)" = 0 ]
	local dflt
	dflt=$(v6conf h3 default)
	if [ "$ENGINE_NAME" = docker ]; then
		# the case this covers: Docker turned IPv6 off in the container
		[ "$(v6conf h3 all)" = 1 ]
		[ "$dflt" = 1 ]
	fi
	[ "$(v6conf h3 eth1)" = "$dflt" ]
	[ "$(v6conf h3 all)" = "$dflt" ]
	ex_wait_addr h3 1 eth1 10.0.3.3/24
}

@test "ipv6 [docker]: addresses, routes, ping6 across a bridge and a router; IPv4 link untouched" { on_engine docker ipv6_links; }
@test "ipv6 [podman]: addresses, routes, ping6 across a bridge and a router; IPv4 link untouched" { on_engine podman ipv6_links; }
