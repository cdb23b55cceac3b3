#!/usr/bin/env bats
# NAT (link "nat": nftables in the container) and port forwards (DNAT from
# conlink's external interface, masquerade toward the bridge).

load ../lib/netns

setup() {
	netns_setup
	WWW=$BATS_TEST_TMPDIR/www
	mkdir -p "$WWW"
	echo hello-conlink >"$WWW/x"
	HTTPD_PID=
}

teardown() {
	[ -n "$HTTPD_PID" ] && kill "$HTTPD_PID" 2>/dev/null
	netns_teardown
}

# httpd NS ADDR:PORT: serve $WWW in namespace NS (busybox httpd, foreground).
httpd() {
	nsenter --net="$1" busybox httpd -f -p "$2" -h "$WWW" &
	HTTPD_PID=$!
}

fetch() {
	in_ns "$1" curl -s -m 3 "${@:2}"
}

@test "nat reaches a service on an internal address through the external one" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.99.0.1/24, nat: 10.99.1.1}
	  - {container: c2, bridge: s1, ip: 10.99.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	in_ns "$NS/c1" ip addr add 10.99.1.1/32 dev lo
	httpd "$NS/c1" 10.99.1.1:8080
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	in_ns "$NS/c1" nft list table ip conlink | grep -q 'iifname "eth0" dnat to 10.99.1.1'
	in_ns "$NS/c1" nft list table ip conlink | grep -q 'oifname "eth0" snat to 10.99.0.1'
	wait_until 5 fetch "$NS/c2" http://10.99.0.1:8080/x
	[ "$(fetch "$NS/c2" http://10.99.0.1:8080/x)" = hello-conlink ]
	conlink_stop
	# the table is dropped whole
	! in_ns "$NS/c1" nft list table ip conlink 2>/dev/null || false
}

@test "nat with IPv6 addresses: table ip6 conlink, dropped whole on stop" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: "fd00:99::1/64", nat: "fd00:98::1"}
	  - {container: c2, bridge: s1, ip: "fd00:99::2/64"}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	in_ns "$NS/c1" ip addr add fd00:98::1/128 dev lo
	httpd "$NS/c1" "[fd00:98::1]:8080"
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	in_ns "$NS/c1" nft list table ip6 conlink | grep -q 'iifname "eth0" dnat to fd00:98::1'
	in_ns "$NS/c1" nft list table ip6 conlink | grep -q 'oifname "eth0" snat to fd00:99::1'
	! in_ns "$NS/c1" nft list table ip conlink 2>/dev/null || false
	wait_until 5 fetch "$NS/c2" -g "http://[fd00:99::1]:8080/x"
	[ "$(fetch "$NS/c2" -g "http://[fd00:99::1]:8080/x")" = hello-conlink ]
	conlink_stop
	! in_ns "$NS/c1" nft list table ip6 conlink 2>/dev/null || false
}

@test "forward reaches a container port from the external interface" {
	netns_add "$HOSTS" outside
	in_ns "$CONLINK_NETNS" ip link add ext0 type veth peer ext1 netns "$HOSTS/outside"
	in_ns "$CONLINK_NETNS" ip addr add 10.99.100.1/24 dev ext0
	in_ns "$CONLINK_NETNS" ip link set ext0 up
	in_ns "$HOSTS/outside" ip addr add 10.99.100.2/24 dev ext1
	in_ns "$HOSTS/outside" ip link set ext1 up
	cat >"$CFG" <<-'Y'
	links:
	  - container: c1
	    bridge: s1
	    ip: 10.99.0.1/24
	    forward: ["8080:80/tcp"]
	    route: "10.99.100.1/32 dev eth0"
	Y
	netns_add "$NS" c1
	httpd "$NS/c1" 80
	local before
	before=$(net_snapshot "$CONLINK_NETNS")
	conlink_start --netns-dir "$NS" --network-file "$CFG" --external-intf ext0
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" nft list table ip conlink | grep -q 'dnat to 10.99.0.1:80'
	in_ns "$CONLINK_NETNS" ip route show | grep -q "^10.99.0.1 dev s1"
	wait_until 5 fetch "$HOSTS/outside" http://10.99.100.1:8080/x
	[ "$(fetch "$HOSTS/outside" http://10.99.100.1:8080/x)" = hello-conlink ]
	conlink_stop
	diff <(echo "$before") <(net_snapshot "$CONLINK_NETNS")
}
