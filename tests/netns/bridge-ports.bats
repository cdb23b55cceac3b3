#!/usr/bin/env bats
# A linux bridge takes at most 1,023 ports (the kernel's BR_MAX_PORTS, 1,024
# port numbers, 0 unused): the link past it fails once with a message naming
# the bridge and the limit.

load ../lib/netns

@test "the 1,024th port of a linux bridge is an error naming the bridge and its limit" {
	printf 'links:\n  - {service: n, bridge: s1, ip: 10.99.0.1/16}\n' >"$CFG"
	for ((i = 1; i <= 1024; i++)); do
		netns_add "$NS" "n_$i"
		# IPv6 off: 1,024 hosts starting IPv6 on one bridge flood it for
		# minutes (docs/performance.md), which is not this test's subject
		in_ns "$NS/n_$i" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "1023 of 1024 links connected" 60
	[ "$(conlink_log_count "ERROR: n_[0-9]+:eth0: bridge s1 is full: a linux bridge takes at most 1023 ports")" = 1 ]
	[ "$(in_ns "$CONLINK_NETNS" ip -o link show master s1 | wc -l)" = 1023 ]
}
