#!/usr/bin/env bats
# routes in iproute2 `ip route add` syntax: every form the parser takes, on
# one link in one daemon run, checked with `ip route show`; every error it
# gives, one container each, in one more run.

load ../lib/netns

# has_route NS "ip route show ARGS" LINE: LINE (a whole line, trailing
# blanks aside) is in the output of ip route show ARGS inside NS.
has_route() {
	local out
	out=$(in_ns "$1" ip $2 | sed 's/ *$//')
	grep -qxF -- "$3" <<<"$out" || { echo "no '$3' in ip $2:"; echo "$out"; return 1; }
}

@test "every route form: via, metric/priority/preference, src, table, onlink, scope, proto, host, IPv6" {
	cat >"$CFG" <<-'Y'
	links:
	  - container: c1
	    bridge: s1
	    ip: 10.99.0.1/24
	    route:
	      - "default via 10.99.0.254 metric 5"
	      - "10.1.0.0/16 via 10.99.0.2"
	      - "10.2.0.0/16 via inet 10.99.0.3 priority 20"
	      - "10.3.0.0/16 via 10.99.0.4 src 10.99.0.1"
	      - "10.4.0.0/16 via 10.99.0.5 table 200"
	      - "10.5.0.0/16 via 10.99.0.6 table 70000"
	      - "10.6.0.0/16 via 10.200.0.1 onlink"
	      - "10.7.0.0/16 scope link"
	      - "10.8.0.0/16 via 10.99.0.7 proto static"
	      - "10.9.0.0/16 via 10.99.0.8 proto 150"
	      - "10.10.0.1 via 10.99.0.9"
	      - "10.11.0.0/16 via 10.99.0.10 table main preference 9"
	  - container: c1
	    dev: eth1
	    bridge: s1
	    ip: "fd00:99::1/64"
	    route: ["fd00:1::/64 via fd00:99::2 metric 300", "default via fd00:99::fe"]
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	local c=$NS/c1
	has_route "$c" "route show" "default via 10.99.0.254 dev eth0 metric 5"
	has_route "$c" "route show" "10.1.0.0/16 via 10.99.0.2 dev eth0"
	has_route "$c" "route show" "10.2.0.0/16 via 10.99.0.3 dev eth0 metric 20"
	has_route "$c" "route show" "10.3.0.0/16 via 10.99.0.4 dev eth0 src 10.99.0.1"
	has_route "$c" "route show table 200" "10.4.0.0/16 via 10.99.0.5 dev eth0"
	has_route "$c" "route show table 70000" "10.5.0.0/16 via 10.99.0.6 dev eth0"
	has_route "$c" "route show" "10.6.0.0/16 via 10.200.0.1 dev eth0 onlink"
	has_route "$c" "route show" "10.7.0.0/16 dev eth0 scope link"
	has_route "$c" "route show" "10.8.0.0/16 via 10.99.0.7 dev eth0 proto static"
	has_route "$c" "route show" "10.9.0.0/16 via 10.99.0.8 dev eth0 proto 150"
	has_route "$c" "route show" "10.10.0.1 via 10.99.0.9 dev eth0"
	has_route "$c" "route show" "10.11.0.0/16 via 10.99.0.10 dev eth0 metric 9"
	has_route "$c" "-6 route show" "fd00:1::/64 via fd00:99::2 dev eth1 metric 300 pref medium"
	has_route "$c" "-6 route show" "default via fd00:99::fe dev eth1 metric 1024 pref medium"
	# nothing else went to the main table or 200 (the kernel's own routes aside)
	[ "$(in_ns "$c" ip route show | grep -vc 'proto kernel')" -eq 10 ]
	[ "$(in_ns "$c" ip route show table 200 | wc -l)" -eq 1 ]
}

@test "route errors name what is wrong, all in one run when the config loads; nothing is made" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.99.0.1/24, route: "10.1.0.0/16 via 10.99.0.2"}
	  - {container: c2, bridge: s1, ip: 10.99.0.2/24, route: "10.1.0.0/16 via"}
	  - {container: c3, bridge: s1, ip: 10.99.0.3/24, route: "10.1.0.0/16 via 10.99.0.300"}
	  - {container: c4, bridge: s1, ip: 10.99.0.4/24, route: "10.1.0.0/16 via 10.99.0.2 table nosuch"}
	  - {container: c5, bridge: s1, ip: 10.99.0.5/24, route: "10.1.0.0/16 scope galaxy"}
	  - {container: c6, bridge: s1, ip: 10.99.0.6/24, route: "fd00:1::/64 via 10.99.0.2"}
	  - {container: c7, bridge: s1, ip: 10.99.0.7/24, route: "via 10.99.0.2"}
	  - {container: c8, bridge: s1, ip: 10.99.0.8/24, route: "10.1.0.0/16 via 10.99.0.2 metric lots"}
	  - {container: c9, bridge: s1, ip: 10.99.0.9/24, route: "10.1.0.0/33"}
	  - {container: c10, bridge: s1, ip: 10.99.0.10/24, route: "10.1.0.0/16 proto nosuch"}
	  - {container: c11, bridge: s1, ip: 10.99.0.11/24, route: "10.1.0.0/16 via 10.99.0.2 nexthop"}
	  - {container: c12, bridge: s1, ip: 10.99.0.12/24, route: "10.1.0.0/16 via 10.99.0.2/24"}
	Y
	for i in $(seq 1 12); do netns_add "$NS" c$i; done
	run nsenter --net="$CONLINK_NETNS" "$CONLINK" --no-engine --default-bridge-mode linux \
		--netns-dir "$NS" --network-file "$CFG"
	[ "$status" -eq 1 ]
	[ "$(grep -c "^conlink: .*\.route: found" <<<"$output")" -eq 11 ]
	err() { grep -qF "links[$(($1 - 1))].route: found \"$2\": $3" <<<"$output" || { echo "no error for c$1"; false; }; }
	err 2 "10.1.0.0/16 via" "'via' needs an argument"
	err 3 "10.1.0.0/16 via 10.99.0.300" "bad gateway '10.99.0.300'"
	err 4 "10.1.0.0/16 via 10.99.0.2 table nosuch" "bad table 'nosuch'"
	err 5 "10.1.0.0/16 scope galaxy" "bad scope 'galaxy'"
	err 6 "fd00:1::/64 via 10.99.0.2" "gateway and destination are different families"
	err 7 "via 10.99.0.2" "no destination (a prefix or 'default')"
	err 8 "10.1.0.0/16 via 10.99.0.2 metric lots" "bad metric 'lots'"
	err 9 "10.1.0.0/33" "bad destination: '10.1.0.0/33' has a bad prefix length"
	err 10 "10.1.0.0/16 proto nosuch" "bad proto 'nosuch'"
	err 11 "10.1.0.0/16 via 10.99.0.2 nexthop" "unknown word 'nexthop'"
	err 12 "10.1.0.0/16 via 10.99.0.2/24" "bad gateway '10.99.0.2/24'"
	for i in $(seq 1 12); do ! has_link "$NS/c$i" eth0; done
}
