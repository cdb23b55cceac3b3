#!/usr/bin/env bats
# Patch "bridges": two links joined by tc ingress + u32 mirred redirects.

load ../lib/netns

@test "patch passes traffic and shows its mirred filters" {
	cat >"$CFG" <<-'Y'
	bridges:
	  - {bridge: p1, mode: patch}
	links:
	  - {container: c1, bridge: p1, ip: 10.99.0.1/24}
	  - {container: c2, bridge: p1, ip: 10.99.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	# no bridge device: the two outer ends are cabled by tc
	! has_link "$CONLINK_NETNS" p1 || false
	in_ns "$CONLINK_NETNS" tc qdisc show dev c1-eth0 | grep -q "qdisc ingress ffff:"
	in_ns "$CONLINK_NETNS" tc filter show dev c1-eth0 ingress |
		grep -q "mirred (Egress Redirect to device c2-eth0)"
	in_ns "$CONLINK_NETNS" tc filter show dev c2-eth0 ingress |
		grep -q "mirred (Egress Redirect to device c1-eth0)"
	ping_ok "$NS/c1" 10.99.0.2
	ping_ok "$NS/c2" 10.99.0.1
}

@test "a third link on a patch bridge (a second replica) is an error" {
	cat >"$CFG" <<-'Y'
	bridges:
	  - {bridge: p1, mode: patch}
	links:
	  - {container: c1, bridge: p1, ip: 10.99.0.1/24}
	  - {service: node, bridge: p1, ip: 10.99.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" node_1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	netns_add "$NS" node_2
	conlink_wait_log "cannot add third peer link"
	grep -q "node_2:eth0: cannot add third peer link node_2-eth0 to patch bridge p1" "$CONLINK_LOG"
	# a config error: failed once, not retried
	! grep -q "retrying" "$CONLINK_LOG" || false
	[ "$(grep -c "ERROR: node_2:eth0: cannot add third" "$CONLINK_LOG")" = 1 ]
	! has_link "$CONLINK_NETNS" node_2-eth0 || false
	! has_link "$NS/node_2" eth0 || false
	# the two go on
	ping_ok "$NS/c1" 10.99.0.2
}

@test "a patch link that goes takes the filters of its peer with it" {
	cat >"$CFG" <<-'Y'
	bridges:
	  - {bridge: p1, mode: patch}
	links:
	  - {container: c1, bridge: p1, ip: 10.99.0.1/24}
	  - {container: c2, bridge: p1, ip: 10.99.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	netns_del "$NS/c2"
	wait_until 5 eval "! has_link \"\$CONLINK_NETNS\" c2-eth0"
	wait_until 5 eval "! in_ns \"\$CONLINK_NETNS\" tc qdisc show dev c1-eth0 | grep -q ingress"
	netns_add "$NS" c2
	wait_until 5 eval "in_ns \"\$CONLINK_NETNS\" tc filter show dev c1-eth0 ingress | grep -q 'to device c2-eth0'"
	wait_until 5 addr_is "$NS/c2" eth0 10.99.0.2/24
	ping_ok "$NS/c2" 10.99.0.1
}
