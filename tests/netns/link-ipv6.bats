#!/usr/bin/env bats
# IPv6 links in namespaces where IPv6 is off, as Docker leaves a
# network_mode: none container (net.ipv6.conf.all and default
# disable_ipv6 = 1): a link with an IPv6 address or route turns it on for
# its own interface only; a link without IPv6 leaves the setting alone.

load ../lib/netns

# netns_add_v6off DIR NAME: a namespace with IPv6 off, as Docker makes it.
netns_add_v6off() {
	netns_add "$1" "$2"
	in_ns "$1/$2" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
}

v6off() { in_ns "$1" cat "/proc/sys/net/ipv6/conf/$2/disable_ipv6"; }

@test "IPv6 off in the namespace: a link with an IPv6 address gets it, ping6 crosses the bridge" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: "fd00:99::1/64"}
	  - {container: c2, bridge: s1, ip: "fd00:99::2/64", route: "fd00:98::/64 via fd00:99::1"}
	  - {container: c1, dev: eth1, bridge: s2, ip: 10.99.0.1/24}
	  - {container: c3, bridge: s1, ip: 10.99.1.3/24, route: "fd00:99::/64 dev eth0"}
	Y
	netns_add_v6off "$NS" c1
	netns_add_v6off "$NS" c2
	netns_add_v6off "$NS" c3
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	[ "$(addr_of "$NS/c1" eth0 -6)" = fd00:99::1/64 ]
	[ "$(addr_of "$NS/c2" eth0 -6)" = fd00:99::2/64 ]
	in_ns "$NS/c2" ip -6 route show | grep -q "^fd00:98::/64 via fd00:99::1 dev eth0"
	# a route alone is IPv6 on its interface too
	in_ns "$NS/c3" ip -6 route show | grep -q "^fd00:99::/64 dev eth0"
	[ "$(v6off "$NS/c3" eth0)" = 0 ]
	wait_until 5 ping_ok "$NS/c1" fd00:99::2
	wait_until 5 ping_ok "$NS/c2" fd00:99::1
	# only the IPv6 links' interfaces: the namespace's setting and the
	# IPv4 link's interface stay off
	[ "$(v6off "$NS/c1" eth0)" = 0 ]
	[ "$(v6off "$NS/c1" eth1)" = 1 ]
	[ "$(v6off "$NS/c1" all)" = 1 ]
	[ "$(v6off "$NS/c1" default)" = 1 ]
	[ -z "$(in_ns "$NS/c1" ip -6 -o addr show dev eth1)" ]
	ping_ok "$NS/c1" 10.99.0.1
}

@test "a link without IPv6 leaves the namespace's IPv6 setting as it was" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.99.0.1/24}
	  - {container: c2, bridge: s1, ip: 10.99.0.2/24}
	Y
	netns_add_v6off "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	[ "$(v6off "$NS/c1" eth0)" = 1 ]
	[ "$(v6off "$NS/c2" eth0)" = 0 ]
	ping_ok "$NS/c1" 10.99.0.2
}

@test "the outer end has no IPv6 link-local address; the container end keeps its own" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.99.0.1/24}
	  - {container: c2, bridge: s1, ip: "fd00:99::2/64"}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	# outer ends: bridge ports only conlink uses, made without one
	for o in c1-eth0 c2-eth0; do
		in_ns "$CONLINK_NETNS" ip -d link show dev "$o" | grep -q "addrgenmode none"
		in_ns "$CONLINK_NETNS" ip -o link show dev "$o" | grep -q "master s1.*state UP"
		[ -z "$(in_ns "$CONLINK_NETNS" ip -6 -o addr show dev "$o")" ]
	done
	# container ends: the kernel's link-local address, as on any interface
	wait_until 5 eval 'in_ns "$NS/c1" ip -6 -o addr show dev eth0 scope link | grep -q "inet6 fe80::"'
	in_ns "$NS/c2" ip -6 -o addr show dev eth0 scope link | grep -q "inet6 fe80::"
	wait_until 5 ping_ok "$NS/c1" "fe80::$(in_ns "$NS/c2" ip -6 -o addr show dev eth0 scope link | sed -n 's/.*fe80::\([^/]*\).*/\1/p')%eth0"
	ping_ok "$NS/c1" 10.99.0.1
}
