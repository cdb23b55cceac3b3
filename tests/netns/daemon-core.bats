#!/usr/bin/env bats
# The daemon core with the --netns-dir source: replicas and offsets,
# containers coming and going, cleanup on SIGTERM, the startup summary,
# commands inside namespaces.

load ../lib/netns

@test "replicas S_1..S_3 get IPv4, IPv6 and MAC offset by index - 1" {
	cat >"$CFG" <<-'Y'
	links:
	  - {service: node, bridge: s1, ip: 10.0.0.254/16, mac: "02:00:00:00:00:fe"}
	  - {service: node, dev: eth1, bridge: s1, ip: "fd00::ff/64"}
	Y
	for i in 1 2 3; do netns_add "$NS" node_$i; done
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	[ "$(addr_of "$NS/node_1" eth0)" = 10.0.0.254/16 ]
	[ "$(addr_of "$NS/node_2" eth0)" = 10.0.0.255/16 ]
	[ "$(addr_of "$NS/node_3" eth0)" = 10.0.1.0/16 ]
	[ "$(mac_of "$NS/node_1" eth0)" = 02:00:00:00:00:fe ]
	[ "$(mac_of "$NS/node_2" eth0)" = 02:00:00:00:00:ff ]
	[ "$(mac_of "$NS/node_3" eth0)" = 02:00:00:00:01:00 ]
	[ "$(addr_of "$NS/node_1" eth1 -6)" = fd00::ff/64 ]
	[ "$(addr_of "$NS/node_2" eth1 -6)" = fd00::100/64 ]
	[ "$(addr_of "$NS/node_3" eth1 -6)" = fd00::101/64 ]
	# outer ends are SERVICE_INDEX-DEV, on the bridge
	for i in 1 2 3; do
		in_ns "$CONLINK_NETNS" ip -o link show dev node_$i-eth0 | grep -q "master s1"
		has_link "$CONLINK_NETNS" node_$i-eth1
	done
}

@test "outer-dev is CONTAINER-DEV, or c + 8 of id + - + 5 of dev past 15 chars" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: short, bridge: s1}
	  - {container: longcontainername, dev: eth123456, bridge: s1}
	Y
	netns_add "$NS" short
	netns_add "$NS" longcontainername
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	has_link "$CONLINK_NETNS" short-eth0
	# a netns container's id is its name
	has_link "$CONLINK_NETNS" clongcont-eth12
	has_link "$NS/longcontainername" eth123456
}

@test "a namespace deleted loses its outer interfaces; recreated it is relinked" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24}
	  - {container: c2, bridge: s1, ip: 10.0.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	has_link "$CONLINK_NETNS" c2-eth0
	netns_del "$NS/c2"
	wait_until 5 eval "! has_link \"\$CONLINK_NETNS\" c2-eth0"
	has_link "$CONLINK_NETNS" c1-eth0
	netns_add "$NS" c2
	wait_until 5 has_link "$CONLINK_NETNS" c2-eth0
	wait_until 5 addr_is "$NS/c2" eth0 10.0.0.2/24
	# the relinked container reaches the one that stayed
	ping_ok "$NS/c2" 10.0.0.1
	# "All links connected" is said once, not again on relink
	[ "$(conlink_log_count "All links connected")" -eq 1 ]
}

@test "after SIGTERM every namespace holds exactly what it held before" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24, route: "10.5.0.0/16 via 10.0.0.254"}
	  - {container: c1, dev: eth1, bridge: s2, ip: "fd00::1/64"}
	  - {service: web, bridge: s1, ip: 10.0.0.10/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" web_1
	netns_add "$NS" web_2
	local ns before=() i=0
	for ns in "$CONLINK_NETNS" "$NS/c1" "$NS/web_1" "$NS/web_2"; do
		before[i++]=$(net_snapshot "$ns")
	done
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	# something was really made everywhere
	has_link "$CONLINK_NETNS" s2
	[ "$(addr_of "$NS/web_2" eth0)" = 10.0.0.11/24 ]
	conlink_stop
	[ "$CONLINK_STATUS" -eq 0 ]
	i=0
	for ns in "$CONLINK_NETNS" "$NS/c1" "$NS/web_1" "$NS/web_2"; do
		diff <(echo "${before[i]}") <(net_snapshot "$ns")
		i=$((i + 1))
	done
}

@test "a failed link gives 'N of M links connected' and why; the others work" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: good, bridge: s1, ip: 10.0.0.1/24}
	  - {container: bad, bridge: s1, ip: 10.0.0.2/24, route: "10.7.0.0/16 via 10.99.0.1"}
	  - {container: bad, dev: eth1, bridge: s1, ip: 10.0.1.2/24}
	Y
	netns_add "$NS" good
	netns_add "$NS" bad
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "links connected"
	grep -q "^2 of 3 links connected" "$CONLINK_LOG"
	grep -qiE "not connected: bad:eth0: .*route.*unreachable" "$CONLINK_LOG"
	[ "$(conlink_log_count "All links connected")" -eq 0 ]
	[ "$(conlink_log_count "not connected")" -eq 1 ]
	# the failed link was undone whole; the others are there
	! has_link "$NS/bad" eth0 || false
	! has_link "$CONLINK_NETNS" bad-eth0 || false
	[ "$(addr_of "$NS/bad" eth1)" = 10.0.1.2/24 ]
	[ "$(addr_of "$NS/good" eth0)" = 10.0.0.1/24 ]
	# the daemon goes on
	kill -0 "$CONLINK_PID"
}

@test "commands run inside the container's namespace, output logged with its name" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24}
	  - {service: node, bridge: s1, ip: 10.0.0.11/24}
	commands:
	  - {container: c1, command: "ip -o -4 addr show dev eth0 | awk '{print \"got\", $4}'"}
	  - {service: node, command: [echo, "one;two", "*"]}
	Y
	netns_add "$NS" c1
	netns_add "$NS" node_2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "^c1: got 10.0.0.1/24$"
	# a list is exec'd as is: no shell splits ';' or expands '*'
	conlink_wait_log '^node_2: one;two \*$'
}

@test "commands start only after every link of their container exists" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1}
	  - {container: c1, dev: eth1, bridge: s1}
	  - {container: c1, dev: eth2, bridge: s1}
	commands:
	  - {container: c1, command: "ip -o link show | grep -c ': eth' | sed 's/^/links=/'"}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "^c1: links=3$"
}

@test "'All links connected' waits for every configured container, then comes once" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1}
	  - {container: c2, bridge: s1}
	  - {service: node, bridge: s1}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	wait_until 5 has_link "$CONLINK_NETNS" c1-eth0
	netns_add "$NS" node_1
	wait_until 5 has_link "$CONLINK_NETNS" node_1-eth0
	sleep 0.3
	[ "$(conlink_log_count "links connected")" -eq 0 ]
	netns_add "$NS" c2
	conlink_wait_log "All links connected"
	netns_add "$NS" node_2
	wait_until 5 has_link "$CONLINK_NETNS" node_2-eth0
	netns_del "$NS/c2"
	netns_add "$NS" c2
	wait_until 5 has_link "$CONLINK_NETNS" c2-eth0
	[ "$(conlink_log_count "All links connected")" -eq 1 ]
}

@test "a file in --netns-dir that is not a namespace is ignored" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1}
	  - {container: plain, bridge: s1}
	Y
	netns_add "$NS" c1
	touch "$NS/plain"
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	wait_until 5 has_link "$CONLINK_NETNS" c1-eth0
	sleep 0.3
	! has_link "$CONLINK_NETNS" plain-eth0 || false
	[ "$(conlink_log_count "links connected")" -eq 0 ]
	kill -0 "$CONLINK_PID"
}
