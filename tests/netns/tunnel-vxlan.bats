#!/usr/bin/env bats
# Tunnels: two "hosts" (namespaces joined by a veth underlay), each with its
# own conlink and containers, joined by a vxlan or geneve tunnel.

load ../lib/netns

setup()    { two_hosts_setup 10.99.200; }
teardown() { two_hosts_teardown; }

# Probe a tunnel kind (it needs an id and a remote to be made).
kernel_has_tunnel() {
	unshare --net sh -c "ip link add t0 type $1 id 1 remote 10.99.200.9 2>/dev/null"
}

# tunnel_test TYPE: a container on each host, one bridge each, the tunnel.
tunnel_test() {
	local type=$1 i
	for i in 1 2; do
		cat >"$BATS_TEST_TMPDIR/h$i.yaml" <<-Y
		tunnels:
		  - {type: $type, bridge: s1, remote: 10.99.200.$((3 - i)), vni: 1001}
		links:
		  - {container: c$i, bridge: s1, ip: 10.99.0.$i/24}
		Y
	done
	netns_add "$NS" c1
	netns_add "$NS2" c2
	conlink_start --netns-dir "$NS" --network-file "$BATS_TEST_TMPDIR/h1.yaml"
	conlink2_start --netns-dir "$NS2" --network-file "$BATS_TEST_TMPDIR/h2.yaml"
	if ! kernel_has_tunnel "$type"; then
		conlink_wait_log "$type"
		grep -q "kernel has no '$type' link type (Unknown device type)" "$CONLINK_LOG"
		skip "kernel lacks link type $type (Unknown device type); its error was checked"
	fi
	conlink_wait_log "All links connected"
	wait_until 10 grep -q "All links connected" "$BATS_TEST_TMPDIR/conlink2.log"
	# named like upstream: TYPE-VNI, on the bridge
	in_ns "$H1" ip -d link show dev $type-1001 | grep -q "master s1"
	in_ns "$H1" ip -d link show dev $type-1001 | grep -q "$type id 1001 remote 10.99.200.2"
	ping_ok "$NS/c1" 10.99.0.2
	ping_ok "$NS2/c2" 10.99.0.1
}

@test "vxlan tunnel passes traffic end to end, on upstream's port 8472" {
	tunnel_test vxlan
	in_ns "$H1" ip -d link show dev vxlan-1001 | grep -q "dstport 8472"
}

@test "geneve tunnel passes traffic end to end, on port 6081" {
	tunnel_test geneve
	in_ns "$H1" ip -d link show dev geneve-1001 | grep -q "dstport 6081"
}
