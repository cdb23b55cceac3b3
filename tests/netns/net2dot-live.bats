#!/usr/bin/env bats
# net2dot --live against a running daemon (--netns-dir): each edge says
# what `conlink ctl status` says of its link, in DOT and Mermaid; an outer
# end set down by hand shows as drifted, one taken down with ctl link as
# down, a failed link as failed, a service's replicas each with their
# state, netem on the edge.

load ../lib/netns

setup() {
	netns_setup
	SOCK=$BATS_TEST_TMPDIR/conlink.sock
}

# the --show-config JSON of $CFG, as net2dot reads it
show_config() {
	"$CONLINK" --show-config --network-file "$CFG" 2>/dev/null >"$BATS_TEST_TMPDIR/cfg.json"
}

# every link's state, sorted, as one JSON line, is $1
states_are() {
	[ "$("$CONLINK" ctl --control "$SOCK" status --json 2>/dev/null |
		jq -c '[.links[] | .state] | sort')" = "$1" ]
}

live() {	# [--mermaid]
	"$CONLINK" net2dot --live --control "$SOCK" "$@" "$BATS_TEST_TMPDIR/cfg.json"
}

@test "--live: made, failed, drifted by hand, down on purpose, replicas and a link still waiting, in both outputs" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: good, bridge: s1, ip: 10.0.0.1/24}
	  - {container: bad, bridge: s1, ip: 10.0.0.2/24, route: "10.7.0.0/16 via 10.99.0.1"}
	  - {service: web, bridge: s1, ip: 10.0.0.10/24}
	  - {container: late, bridge: s1, ip: 10.0.0.3/24}
	Y
	show_config
	netns_add "$NS" good
	netns_add "$NS" bad
	netns_add "$NS" web_1
	netns_add "$NS" web_2
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	# "late" never comes: no summary line; wait for the states instead
	wait_until 5 states_are '["failed","made","made","made","waiting"]'
	# good's outer end set down by hand: drift
	in_ns "$CONLINK_NETNS" ip link set good-eth0 down
	wait_until 3 states_are '["drifted","failed","made","made","waiting"]'
	run live
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *'"good:eth0" -> "good-eth0" [label="drifted (down)" color="#ef6c00" fontcolor="#ef6c00" penwidth=2 style=dashed];'* ]]
	[[ $output == *'"bad:eth0" -> "bad-eth0" [label="failed" color="#c62828" fontcolor="#c62828" penwidth=2];'* ]]
	[[ $output == *'"S_web:eth0" -> "web_1-eth0" [label="1 made, 2 made" color="#2e7d32" fontcolor="#2e7d32" penwidth=2];'* ]]
	[[ $output == *'"late:eth0" -> "late-eth0" [label="waiting" color="#757575"'* ]]
	if command -v dot >/dev/null; then dot -Tsvg <<<"$output" | grep -q '<svg'; fi
	run live --mermaid
	echo "$output"
	[ "$status" -eq 0 ]
	# edges in order of the bridge's links: bad, good, late (containers by
	# name), then the service web
	local edges
	edges=$(grep -- '-->' <<<"$output")
	diff - <(echo "$edges") <<-'E'
	  i0 -->|"failed"| o0
	  i1 -->|"drifted (down)"| o1
	  i2 -->|"waiting"| o2
	  i3 -->|"1 made, 2 made"| o3
	E
	grep -qxF '  linkStyle 0 stroke:#c62828,stroke-width:2px,color:#c62828' <<<"$output"
	grep -qxF '  linkStyle 1 stroke:#ef6c00,stroke-width:2px,color:#ef6c00,stroke-dasharray:5 5' <<<"$output"
	# set up again by hand: made again, and so drawn
	in_ns "$CONLINK_NETNS" ip link set good-eth0 up
	wait_until 3 bash -c "\"$CONLINK\" net2dot --live --control $SOCK --mermaid $BATS_TEST_TMPDIR/cfg.json |
		grep -qxF '  i1 -->|\"made\"| o1'"
	# taken down on purpose (ctl link down): down, not drift
	"$CONLINK" ctl --control "$SOCK" link good:eth0 down
	run live --mermaid
	grep -qxF '  i1 -->|"down"| o1' <<<"$output"
	grep -qxF '  linkStyle 1 stroke:#6a1b9a,stroke-width:2px,color:#6a1b9a,stroke-dasharray:5 5' <<<"$output"
	conlink_stop_clean
}

@test "--live: netem on the edge, from the daemon's status" {
	kernel_has_qdisc netem || skip "kernel lacks qdisc netem (Specified qdisc kind is unknown)"
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24, netem: "delay 20ms loss 1%"}
	  - {container: c2, bridge: s1, ip: 10.0.0.2/24}
	tunnels:
	  - {type: vxlan, bridge: s1, vni: 42, remote: 192.168.200.9}
	Y
	show_config
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	in_ns "$NS/c1" tc qdisc show dev eth0 | grep -q "netem .*delay 20ms"
	run live --mermaid
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qxF '  i0 -->|"made<br>netem delay 20ms loss 1%"| o0' <<<"$output"
	grep -qxF '  i1 -->|"made"| o1' <<<"$output"
	grep -qxF '  t0 -->|"made"| r0' <<<"$output"
	run live
	[[ $output == *'"c1:eth0" -> "c1-eth0" [label="made\nnetem delay 20ms loss 1%" color="#2e7d32"'* ]]
	[[ $output == *'"vxlan-42" -> "remote_192.168.200.9" [label="made" color="#2e7d32"'* ]]
	conlink_stop_clean
}
