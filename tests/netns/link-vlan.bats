#!/usr/bin/env bats
# Links made on a parent interface of the "host" (--host-netns): macvlan,
# macvtap, vlan, ipvlan, ipvtap. The host here is a test namespace whose
# parent "up0" is one end of a veth; the other end "up1" lives in a "peer"
# namespace that answers traffic.

load ../lib/netns

setup() {
	netns_setup
	netns_add "$HOSTS" host
	netns_add "$HOSTS" peer
	HOST=$HOSTS/host PEER=$HOSTS/peer
	in_ns "$HOST" ip link add up0 mtu 1400 type veth peer up1 netns "$PEER"
	in_ns "$HOST" ip link set up0 up
	in_ns "$PEER" ip link set up1 up
}

# Probe a kind made on a parent (common's probe has no parent for these).
kernel_has_parent_type() {
	unshare --net sh -c "ip link add p0 type veth peer p1 &&
		ip link add x0 link p0 type $1 ${2:-} 2>/dev/null"
}

# start conlink and expect every link; or, when the kernel lacks TYPE,
# expect its one-line error and skip.
start_or_skip() {
	local type=$1
	conlink_start --netns-dir "$NS" --network-file "$CFG" --host-netns "$HOST"
	local extra=
	[ "$type" = vlan ] && extra="id 5"
	if ! kernel_has_parent_type "$type" "$extra"; then
		conlink_wait_log "links connected"
		grep -q "c1:eth0: kernel has no '$type' link type (Unknown device type)" "$CONLINK_LOG"
		! has_link "$NS/c1" eth0 || false
		skip "kernel lacks link type $type (Unknown device type); its error was checked"
	fi
	conlink_wait_log "All links connected"
}

@test "macvlan on a host parent passes traffic, mtu is the parent's" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, type: macvlan, mode: bridge, outer-dev: up0, ip: 10.99.0.1/24, mac: "c2:00:00:99:00:01"}
	Y
	netns_add "$NS" c1
	in_ns "$PEER" ip addr add 10.99.0.2/24 dev up1
	start_or_skip macvlan
	in_ns "$NS/c1" ip -d link show dev eth0 | grep -q "macvlan mode bridge"
	in_ns "$NS/c1" ip -o link show dev eth0 | grep -q "mtu 1400"
	[ "$(mac_of "$NS/c1" eth0)" = c2:00:00:99:00:01 ]
	ping_ok "$NS/c1" 10.99.0.2
	conlink_stop
	! has_link "$NS/c1" eth0 || false
	has_link "$HOST" up0
}

@test "macvtap on a host parent with its mode and mtu" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, type: macvtap, mode: vepa, outer-dev: up0, mtu: 1300, ip: 10.99.0.1/24}
	Y
	netns_add "$NS" c1
	start_or_skip macvtap
	in_ns "$NS/c1" ip -d link show dev eth0 | grep -q "macvtap mode vepa"
	in_ns "$NS/c1" ip -o link show dev eth0 | grep -q "mtu 1300"
	[ "$(addr_of "$NS/c1" eth0)" = 10.99.0.1/24 ]
	conlink_stop
	! has_link "$NS/c1" eth0 || false
}

@test "a missing parent is a clear error" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, type: macvlan, outer-dev: nosuch0}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG" --host-netns "$HOST"
	conlink_wait_log "links connected"
	grep -q "c1:eth0: no parent interface 'nosuch0' in the host namespace" "$CONLINK_LOG"
}

@test "vlan carries tagged traffic to a vlan on the host side" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, type: vlan, vlanid: 5, outer-dev: up0, ip: 10.99.5.1/24}
	Y
	netns_add "$NS" c1
	if kernel_has_parent_type vlan "id 5"; then
		in_ns "$PEER" ip link add link up1 name up1.5 type vlan id 5
		in_ns "$PEER" ip addr add 10.99.5.2/24 dev up1.5
		in_ns "$PEER" ip link set up1.5 up
	fi
	start_or_skip vlan
	in_ns "$NS/c1" ip -d link show dev eth0 | grep -q "vlan protocol 802.1Q id 5"
	ping_ok "$NS/c1" 10.99.5.2
}

@test "ipvlan on a host parent passes traffic" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, type: ipvlan, mode: l2, outer-dev: up0, ip: 10.99.0.1/24}
	Y
	netns_add "$NS" c1
	in_ns "$PEER" ip addr add 10.99.0.2/24 dev up1
	start_or_skip ipvlan
	in_ns "$NS/c1" ip -d link show dev eth0 | grep -q "ipvlan  *mode l2"
	ping_ok "$NS/c1" 10.99.0.2
}

@test "ipvtap on a host parent with its mode" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, type: ipvtap, mode: l3, outer-dev: up0, ip: 10.99.0.1/24}
	Y
	netns_add "$NS" c1
	start_or_skip ipvtap
	in_ns "$NS/c1" ip -d link show dev eth0 | grep -q "ipvtap  *mode l3"
	[ "$(addr_of "$NS/c1" eth0)" = 10.99.0.1/24 ]
}
