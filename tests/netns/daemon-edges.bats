#!/usr/bin/env bats
# The daemon at its edges: replica offsets past the last address, and
# other cases found in review where a wrong answer would be silent.

load ../lib/common
load ../lib/daemon

setup() {
	daemon_setup
	CFG=$BATS_TEST_TMPDIR/net.yaml
}

teardown() {
	conlink_teardown
	teardown_common
}

@test "a replica offset past 255.255.255.255 is an error, not a wrap to 0.0.0.0" {
	cat >"$CFG" <<-'Y'
	links:
	  - {service: v4, bridge: s1, ip: 255.255.255.254/32}
	Y
	for i in 1 2 3; do netns_add "$NS" v4_$i; done
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "links connected"
	grep -q "^2 of 3 links connected" "$CONLINK_LOG"
	# replica 2 is the last address: still fine
	[ "$(addr_of "$NS/v4_2" eth0)" = 255.255.255.255/32 ]
	# replica 3 would wrap to 0.0.0.0/32 (the kernel takes that)
	grep -qE "not connected: v4_3:eth0: .*255\.255\.255\.254/32.*past the last" "$CONLINK_LOG"
	! has_link "$NS/v4_3" eth0
	! has_link "$CONLINK_NETNS" v4_3-eth0
}
