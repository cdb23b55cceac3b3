#!/usr/bin/env bats
# netem: tc netem's option grammar on a link; delay visible in ping times.

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

@test "netem parameters in tc qdisc show, delay in ping times" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.99.0.1/24, netem: "delay 200ms 10ms 25% loss 0.5% duplicate 1% corrupt 0.1% reorder 2% gap 5 limit 2000"}
	  - {container: c2, bridge: s1, ip: 10.99.0.2/24, netem: ["rate 100mbit", "slot 1ms 2ms packets 10"]}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	if ! kernel_has_qdisc netem; then
		conlink_wait_log "links connected"
		grep -q "c1:eth0: kernel has no 'netem' qdisc (Specified qdisc kind is unknown)" "$CONLINK_LOG"
		! has_link "$NS/c1" eth0
		skip "kernel lacks qdisc netem (Specified qdisc kind is unknown); its error was checked"
	fi
	conlink_wait_log "All links connected"
	local q
	q=$(in_ns "$NS/c1" tc qdisc show dev eth0)
	echo "$q"
	echo "$q" | grep -q "netem .*limit 2000"
	echo "$q" | grep -q "delay 200ms  10ms 25%"
	echo "$q" | grep -q "loss 0.5%"
	echo "$q" | grep -q "duplicate 1%"
	echo "$q" | grep -q "reorder 2%"
	echo "$q" | grep -q "corrupt 0.1%"
	echo "$q" | grep -q "gap 5"
	q=$(in_ns "$NS/c2" tc qdisc show dev eth0)
	echo "$q"
	echo "$q" | grep -q "rate 100Mbit"
	echo "$q" | grep -q "slot 1ms 2ms packets 10"
	# the delay shows in the round trip: at least 150 ms
	local t ping=(ping)
	command -v ping >/dev/null || ping=(busybox ping)
	t=$(in_ns "$NS/c2" "${ping[@]}" -c1 -W3 10.99.0.1 | grep -o 'time=[0-9.]*' | cut -d= -f2)
	echo "rtt $t ms"
	[ "${t%.*}" -ge 150 ]
}

@test "a netem option it does not know is an error naming it" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, netem: "delay 10ms wobble 3"}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "links connected"
	grep -q "c1:eth0: netem '.*delay 10ms wobble 3': unknown option 'wobble'" "$CONLINK_LOG"
	! has_link "$NS/c1" eth0
}
