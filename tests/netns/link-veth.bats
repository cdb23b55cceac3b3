#!/usr/bin/env bats
# veth links on a linux bridge and the link options applied to them:
# traffic, MAC, MTU, routes, IPv6, ethtool offloads; dummy links.

load ../lib/netns

@test "veth links on a linux bridge pass traffic" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.99.0.1/24}
	  - {container: c2, bridge: s1, ip: 10.99.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" ip -d link show dev s1 | grep -q "bridge "
	in_ns "$CONLINK_NETNS" ip -o link show dev c1-eth0 | grep -q "master s1"
	in_ns "$CONLINK_NETNS" ip -o link show dev c2-eth0 | grep -q "master s1"
	ping_ok "$NS/c1" 10.99.0.2
	ping_ok "$NS/c2" 10.99.0.1
}

@test "MAC, MTU, several routes, IPv6 address and route" {
	cat >"$CFG" <<-'Y'
	links:
	  - container: c1
	    bridge: s1
	    ip: 10.99.0.1/24
	    mac: "c2:00:00:99:00:01"
	    mtu: 9000
	    route:
	      - "10.99.5.0/24 via 10.99.0.2 metric 7"
	      - "default via 10.99.0.2"
	      - "10.99.6.0/24 via 10.99.0.2 table 100 proto static"
	  - container: c1
	    dev: eth1
	    bridge: s2
	    ip: "fd00:99::1/64"
	    route: "fd00:98::/64 via fd00:99::2"
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	[ "$(mac_of "$NS/c1" eth0)" = c2:00:00:99:00:01 ]
	in_ns "$NS/c1" ip -o link show dev eth0 | grep -q "mtu 9000"
	# the outer end has the same MTU, or the bridge would drop big frames
	in_ns "$CONLINK_NETNS" ip -o link show dev c1-eth0 | grep -q "mtu 9000"
	in_ns "$NS/c1" ip route show | grep -qx "10.99.5.0/24 via 10.99.0.2 dev eth0 metric 7 "
	in_ns "$NS/c1" ip route show | grep -qx "default via 10.99.0.2 dev eth0 "
	in_ns "$NS/c1" ip route show table 100 | grep -q "10.99.6.0/24 via 10.99.0.2 dev eth0 proto static"
	[ "$(addr_of "$NS/c1" eth1 -6)" = fd00:99::1/64 ]
	in_ns "$NS/c1" ip -6 route show | grep -q "^fd00:98::/64 via fd00:99::2 dev eth1"
}

@test "a route with an unknown word is an error naming the word" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.99.0.1/24, route: "10.99.5.0/24 via 10.99.0.2 bogus 3"}
	Y
	netns_add "$NS" c1
	# refused when the config loads, nothing made
	run nsenter --net="$CONLINK_NETNS" "$CONLINK" --no-engine --default-bridge-mode linux \
		--netns-dir "$NS" --network-file "$CFG"
	[ "$status" -eq 1 ]
	grep -q "links\[0\].route: found \"10.99.5.0/24 via 10.99.0.2 bogus 3\": unknown word 'bogus'" <<<"$output"
	! has_link "$NS/c1" eth0 || false
}

@test "ethtool offload settings are visible with ethtool -k" {
	command -v ethtool >/dev/null || skip "ethtool not installed (needed to check)"
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ethtool: ["--offload rx off", "-K gso off"]}
	  - {container: c1, dev: eth1, bridge: s1}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	# upstream's default for veth: tx checksumming off first
	in_ns "$NS/c1" ethtool -k eth0 | grep -qx "tx-checksumming: off"
	in_ns "$NS/c1" ethtool -k eth0 | grep -qx "rx-checksumming: off"
	in_ns "$NS/c1" ethtool -k eth0 | grep -qx "generic-segmentation-offload: off"
	in_ns "$NS/c1" ethtool -k eth1 | grep -qx "tx-checksumming: off"
	in_ns "$NS/c1" ethtool -k eth1 | grep -qx "rx-checksumming: on"
}

@test "--keep-veth-offload leaves tx checksumming on" {
	command -v ethtool >/dev/null || skip "ethtool not installed (needed to check)"
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG" --keep-veth-offload
	conlink_wait_log "All links connected"
	in_ns "$NS/c1" ethtool -k eth0 | grep -qx "tx-checksumming: on"
}

@test "dummy link made in the container with mac, mtu and ip" {
	if ! kernel_has_link_type dummy; then
		cat >"$CFG" <<-'Y'
		links:
		  - {container: c1, type: dummy, dev: dum0}
		Y
		netns_add "$NS" c1
		conlink_start --netns-dir "$NS" --network-file "$CFG"
		conlink_wait_log "links connected"
		grep -q "c1:dum0: kernel has no 'dummy' link type (Unknown device type)" "$CONLINK_LOG"
		skip "kernel lacks link type dummy (Unknown device type); its error was checked"
	fi
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, type: dummy, dev: dum0, ip: 10.99.7.1/24, mac: "c2:00:00:99:07:01", mtu: 1400}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	in_ns "$NS/c1" ip -d link show dev dum0 | grep -q "dummy"
	in_ns "$NS/c1" ip -o link show dev dum0 | grep -q "mtu 1400"
	[ "$(mac_of "$NS/c1" dum0)" = c2:00:00:99:07:01 ]
	[ "$(addr_of "$NS/c1" dum0)" = 10.99.7.1/24 ]
	conlink_stop
	! has_link "$NS/c1" dum0 || false
}

# group_of NS DEV: the interface group ip shows for DEV ("default" for 0)
group_of() {
	in_ns "$1" ip -o link show dev "$2" | sed -nE 's/.* group ([^ ]+) .*/\1/p'
}

@test "SIGTERM removes what conlink made in its namespace and leaves the rest, whatever group it is in" {
	cat >"$CFG" <<-'Y'
	links:
	  - {service: n, bridge: s1, ip: 10.99.0.1/24}
	Y
	# the test's own interfaces in conlink's namespace: one in the default
	# group, one in a group of its own
	in_ns "$CONLINK_NETNS" ip link add keep0 type veth peer name keep0p
	in_ns "$CONLINK_NETNS" ip link add keep5 group 5 type veth peer name keep5p
	netns_add "$NS" n_1
	netns_add "$NS" n_2
	netns_add "$NS" n_3
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	# what conlink made shares one group that nothing of the test is in
	local g
	g=$(group_of "$CONLINK_NETNS" n_1-eth0)
	[ -n "$g" ] && [ "$g" != default ] && [ "$g" != 5 ]
	[ "$(group_of "$CONLINK_NETNS" n_3-eth0)" = "$g" ]
	[ "$(group_of "$CONLINK_NETNS" s1)" = "$g" ]
	conlink_stop
	[ "$CONLINK_STATUS" -eq 0 ]
	for dev in s1 n_1-eth0 n_2-eth0 n_3-eth0; do
		! has_link "$CONLINK_NETNS" "$dev" || false
	done
	for i in 1 2 3; do ! has_link "$NS/n_$i" eth0; done
	for dev in keep0 keep0p keep5 keep5p; do has_link "$CONLINK_NETNS" "$dev"; done
	[ "$(group_of "$CONLINK_NETNS" keep5)" = 5 ]
}
