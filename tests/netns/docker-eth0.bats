#!/usr/bin/env bats
# docker-eth0.bats - conlink in "a container with a docker network eth0":
# its eth0 becomes DOCKER-ETH0 with addresses and routes kept, forwards
# arrive on it, and a forward without it is an error at startup.
# The container is simulated: a namespace with an eth0 (address, default
# route) and, in a mount namespace of conlink's own, a file under
# .../containers/ID/ bind-mounted on /etc/hosts, as the engines do (that is
# how conlink, like upstream, knows it runs in a container). The engine is
# the fake one (tests/files/engine/fake-engine.py). Needs root, no engine.

load ../lib/netns
load ../lib/fake_engine

OWN=0c0ffee0000000000000000000000000000000000000000000000000000000c1
CID=4f1d0c6e8a5b7c9d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9

setup() {
	netns_setup
	fake_engine_start
	D=$BATS_TEST_TMPDIR
	PIDS=()
	mkdir -p "$D/www" "$D/containers/$OWN"
	cp /etc/hosts "$D/containers/$OWN/hosts"
	echo hello-docker-eth0 >"$D/www/x"
	# the "container" conlink links: a process in a namespace of its own
	fake_container_proc
	fake_container "$CID" evnode
	# conlink's own "container" namespace ($CONLINK_NETNS) gets a
	# docker-like eth0 to the docker network beyond it
	netns_add "$HOSTS" outside
	OUT=$HOSTS/outside
}

teardown() {
	local p
	conlink_teardown
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	netns_teardown
}

# up with carrier and its link-local address: a settled state to compare
eth0_settled() {
	in_ns "$CONLINK_NETNS" ip -o link show dev eth0 | grep -q "state UP" &&
		in_ns "$CONLINK_NETNS" ip -o -6 addr show dev eth0 scope link | grep -v -q tentative
}

docker_network() {
	# no DAD: addresses usable (and listed the same) at once
	in_ns "$CONLINK_NETNS" sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip link add eth0 netns "$CONLINK_NETNS" type veth peer name dnet0 netns "$OUT"
	in_ns "$OUT" ip addr add 192.168.77.1/24 dev dnet0
	in_ns "$OUT" ip link set dnet0 up
	in_ns "$CONLINK_NETNS" ip addr add 192.168.77.2/24 dev eth0
	in_ns "$CONLINK_NETNS" ip addr add fd77::2/64 dev eth0 nodad
	in_ns "$CONLINK_NETNS" ip link set eth0 up
	in_ns "$CONLINK_NETNS" ip route add default via 192.168.77.1
	in_ns "$CONLINK_NETNS" ip route add 10.55.0.0/16 via 192.168.77.3
	in_ns "$CONLINK_NETNS" ip -6 route add fd55::/64 via fd77::1
	wait_until 5 eth0_settled
}

# start_in_container ARGS: conlink_start on the fake engine in a mount
# namespace of its own where /etc/hosts is bind-mounted from a file under
# .../containers/ID/, as the engines do.
start_in_container() {
	# shellcheck disable=SC2016  # expanded by the inner shell
	local CONLINK_WRAP=(unshare --mount sh -c 'mount --bind "$0" /etc/hosts && exec "$@"'
		"$D/containers/$OWN/hosts")
	conlink_start --network-file "$D/net.yaml" "$@"
}

forward_config() {
	cat >"$D/net.yaml" <<-'Y'
	links:
	  - container: evnode
	    bridge: s1
	    ip: 10.99.1.1/24
	    forward: ["8080:80/tcp"]
	    route: "192.168.77.2/32 dev eth0"
	Y
}

routes() {
	in_ns "$CONLINK_NETNS" ip route show dev "$1"
	in_ns "$CONLINK_NETNS" ip -6 route show dev "$1"
}

@test "docker eth0 in conlink's container becomes DOCKER-ETH0: addresses, routes kept; forwards arrive on it" {
	docker_network
	forward_config
	local before
	before=$(net_snapshot "$CONLINK_NETNS")
	nsenter -t "$FAKE_CPID" -n busybox httpd -f -p 80 -h "$D/www" 3>&- &
	PIDS+=("$!")
	start_in_container
	conlink_wait_log "All links connected"
	conlink_wait_log "Renaming eth0 to DOCKER-ETH0"
	! in_ns "$CONLINK_NETNS" ip link show dev eth0 2>/dev/null || false
	in_ns "$CONLINK_NETNS" ip -o link show dev DOCKER-ETH0 | grep -q "state UP"
	[ "$(addr_of "$CONLINK_NETNS" DOCKER-ETH0 -4)" = 192.168.77.2/24 ]
	[ "$(addr_of "$CONLINK_NETNS" DOCKER-ETH0 -6)" = fd77::2/64 ]
	run routes DOCKER-ETH0
	echo "$output"
	[[ "$output" == *"default via 192.168.77.1"* ]]
	[[ "$output" == *"10.55.0.0/16 via 192.168.77.3"* ]]
	[[ "$output" == *"192.168.77.0/24 proto kernel"* ]]
	[[ "$output" == *"fd55::/64 via fd77::1"* ]]
	# the forward is on DOCKER-ETH0, and works from the docker network
	in_ns "$CONLINK_NETNS" nft list ruleset | grep -q '"DOCKER-ETH0"'
	wait_until 5 in_ns "$OUT" curl -s -m 3 http://192.168.77.2:8080/x
	[ "$(in_ns "$OUT" curl -s -m 3 http://192.168.77.2:8080/x)" = hello-docker-eth0 ]
	conlink_stop
	[ "$CONLINK_STATUS" = 0 ]
	# eth0 is back as it was, routes and all; nothing else is left
	wait_until 5 eth0_settled
	diff <(echo "$before") <(net_snapshot "$CONLINK_NETNS")
}

@test "a DOCKER-ETH0 already there (conlink restarted in its container) is used as is" {
	docker_network
	in_ns "$CONLINK_NETNS" ip link set eth0 down
	in_ns "$CONLINK_NETNS" ip link set eth0 name DOCKER-ETH0
	in_ns "$CONLINK_NETNS" ip link set DOCKER-ETH0 up
	forward_config
	start_in_container
	conlink_wait_log "All links connected"
	conlink_wait_log "DOCKER-ETH0 is present already"
	in_ns "$CONLINK_NETNS" nft list ruleset | grep -q '"DOCKER-ETH0"'
	conlink_stop
	[ "$CONLINK_STATUS" = 0 ]
	# not renamed by this conlink: not renamed back either
	in_ns "$CONLINK_NETNS" ip link show dev DOCKER-ETH0 >/dev/null
}

@test "not in a container: eth0 is left alone" {
	docker_network
	cat >"$D/net.yaml" <<-'Y'
	links:
	  - {container: evnode, bridge: s1, ip: 10.99.1.1/24}
	Y
	conlink_start --network-file "$D/net.yaml"
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" ip link show dev eth0 >/dev/null
	! in_ns "$CONLINK_NETNS" ip link show dev DOCKER-ETH0 2>/dev/null || false
	[ "$(conlink_log_count "Renaming")" = 0 ]
	conlink_stop
	[ "$CONLINK_STATUS" = 0 ]
}

@test "forward without a docker eth0 is an error at startup, nothing left behind" {
	forward_config
	local before
	before=$(net_snapshot "$CONLINK_NETNS")
	start_in_container
	conlink_wait_exit
	cat "$CONLINK_LOG"
	[ "$CONLINK_STATUS" = 1 ]
	grep -q "ERROR: link 'evnode:eth0' has forward setting but no docker eth0 is present" "$CONLINK_LOG"
	diff <(echo "$before") <(net_snapshot "$CONLINK_NETNS")
	# a --external-intf that does not exist is named
	conlink_start --network-file "$D/net.yaml" --external-intf ext9
	conlink_wait_exit
	[ "$CONLINK_STATUS" = 1 ]
	grep -q "link 'evnode:eth0' has forward setting but the external interface 'ext9' does not exist" "$CONLINK_LOG"
}
