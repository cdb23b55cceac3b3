#!/usr/bin/env bats
# The daemon at its edges: replica offsets past the last address, and
# other cases found in review where a wrong answer would be silent.

load ../lib/netns

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
	! has_link "$NS/v4_3" eth0 || false
	! has_link "$CONLINK_NETNS" v4_3-eth0 || false
}

@test "a replica mac offset into a multicast address is an error naming it" {
	# found by tests/fuzz/fuzz_offsets.c (seeds/offsets/regress-mac-multicast)
	cat >"$CFG" <<-'Y'
	links:
	  - {service: m, bridge: s1, mac: "02:ff:ff:ff:ff:ff"}
	Y
	for i in 1 2; do netns_add "$NS" m_$i; done
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "links connected"
	grep -q "^1 of 2 links connected" "$CONLINK_LOG"
	grep -qE "not connected: m_2:eth0: .*02:ff:ff:ff:ff:ff.*03:00:00:00:00:00, a multicast address" "$CONLINK_LOG"
	! has_link "$NS/m_2" eth0 || false
}

@test "a namespace name renamed over by a non-namespace loses its links" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24}
	Y
	# c1 in the watched directory is a symlink to a namespace kept elsewhere
	netns_add "$HOSTS" c1ns
	ln -s "$HOSTS/c1ns" "$NS/c1"
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	has_link "$CONLINK_NETNS" c1-eth0
	# renamed over (one IN_MOVED_TO, no delete): c1 is now a plain file
	touch "$BATS_TEST_TMPDIR/plain"
	ln -s "$BATS_TEST_TMPDIR/plain" "$NS/.c1.new"
	mv -T "$NS/.c1.new" "$NS/c1"
	wait_until 5 eval "! has_link \"\$CONLINK_NETNS\" c1-eth0"
	! has_link "$HOSTS/c1ns" eth0 || false
}

@test "an ethtool setting with more words than are taken is an error, not cut short" {
	local pairs="" i
	for i in $(seq 40); do pairs+=" tx on"; done
	cat >"$CFG" <<-Y
	links:
	  - {container: c1, bridge: s1, ethtool: ["--offload$pairs rx off"]}
	Y
	netns_add "$NS" c1
	# refused when the config loads: never "rx off" dropped silently
	run nsenter --net="$CONLINK_NETNS" "$CONLINK" --no-engine --default-bridge-mode linux \
		--netns-dir "$NS" --network-file "$CFG"
	[ "$status" -eq 1 ]
	grep -qE "links\[0\]\.ethtool\[0\]: found .*(too many|too long)" <<<"$output"
	! has_link "$NS/c1" eth0 || false
}

@test "replicas of a service with a long name get outer-devs of their own" {
	cat >"$CFG" <<-'Y'
	links:
	  - {service: webserver, bridge: s1, ip: 10.0.0.1/24}
	Y
	netns_add "$NS" webserver_1
	netns_add "$NS" webserver_2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "links connected"
	grep -q "All links connected" "$CONLINK_LOG"
	# webserver_N-eth0 is 16 characters: c + the name's last 8 + - + dev
	has_link "$CONLINK_NETNS" cserver_1-eth0
	has_link "$CONLINK_NETNS" cserver_2-eth0
	ping_ok "$NS/webserver_2" 10.0.0.1
}
