#!/usr/bin/env bats
# netem: tc netem's option grammar on a link; delay visible in ping times.

load ../lib/netns

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
		! has_link "$NS/c1" eth0 || false
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
	# refused when the config loads, nothing made
	run nsenter --net="$CONLINK_NETNS" "$CONLINK" --no-engine --default-bridge-mode linux \
		--netns-dir "$NS" --network-file "$CFG"
	[ "$status" -eq 1 ]
	grep -q "links\[0\].netem: found \"delay 10ms wobble 3\": unknown option 'wobble'" <<<"$output"
	! has_link "$NS/c1" eth0 || false
}

# qdisc_of NS: "tc qdisc show dev eth0" inside NS, echoed for the log
qdisc_of() {
	local q
	q=$(in_ns "$1" tc qdisc show dev eth0)
	echo "$1: $q" >&2
	echo "$q"
}

@test "netem loss models: state and gemodel with tc's defaults, bare percentages" {
	kernel_has_qdisc netem || skip "kernel lacks qdisc netem (Specified qdisc kind is unknown)"
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, netem: "loss state 1% 30% 2% 40% 0.5%"}
	  - {container: c2, bridge: s1, netem: "loss state 5"}
	  - {container: c3, bridge: s1, netem: "loss gemodel 2% 20% 90% 5%"}
	  - {container: c4, bridge: s1, netem: "delay 1ms loss gemodel 3% ecn"}
	  - {container: c5, bridge: s1, netem: "loss random 5 25 delay 20ms reorder 10"}
	Y
	for c in c1 c2 c3 c4 c5; do netns_add "$NS" $c; done
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	qdisc_of "$NS/c1" | grep -q "loss state p13 1% p31 30% p32 2% p23 40% p14 0.5%"
	# tc's defaults: p31 = 1 - p13, p32 0, p23 100%, p14 0
	qdisc_of "$NS/c2" | grep -q "loss state p13 5% p31 95% p32 0% p23 100% p14 0%"
	qdisc_of "$NS/c3" | grep -q "loss gemodel p 2% r 20% 1-h 90% 1-k 5%"
	# r = 1 - p, 1-h 0, 1-k 0
	qdisc_of "$NS/c4" | grep -q "loss gemodel p 3% r 97% 1-h 0% 1-k 0%"
	qdisc_of "$NS/c4" | grep -q "ecn"
	# a bare number is a percentage, as in tc; reorder without gap gets gap 1
	qdisc_of "$NS/c5" | grep -q "loss 5% 25%"
	qdisc_of "$NS/c5" | grep -q "reorder 10%"
	qdisc_of "$NS/c5" | grep -q "gap 1"
}

@test "netem slot distribution with a delay distribution, packets and bytes" {
	kernel_has_qdisc netem || skip "kernel lacks qdisc netem (Specified qdisc kind is unknown)"
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, netem: "delay 10ms 2ms distribution normal slot distribution pareto 2ms 1ms packets 5 bytes 64k"}
	  - {container: c2, bridge: s1, netem: ["slot 800us 1ms", "bytes 1500"]}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	qdisc_of "$NS/c1" | grep -q "delay 10ms  2ms"
	qdisc_of "$NS/c1" | grep -q "slot distribution 2ms 1ms packets 5 bytes 65536"
	qdisc_of "$NS/c2" | grep -q "slot 800us 1ms bytes 1500"
}

@test "netem option errors name the option and the word, all in one run when the config loads" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, netem: "loss state"}
	  - {container: c2, bridge: s1, netem: "loss gemodel 150%"}
	  - {container: c3, bridge: s1, netem: "loss bursty 5%"}
	  - {container: c4, bridge: s1, netem: "slot distribution normal 1ms"}
	  - {container: c5, bridge: s1, netem: "slot distribution normal 1ms 0ms"}
	  - {container: c7, bridge: s1, netem: "delay 1ms reorder 5% gap"}
	  - {container: c8, bridge: s1, netem: "gap 5"}
	  - {container: c9, bridge: s1, netem: "delay 1ms ecn"}
	  - {container: c10, bridge: s1, netem: "loss 1% loss 2%"}
	  - {container: c11, bridge: s1, netem: "delay 1e30s"}
	  - {container: c12, bridge: s1, netem: "slot 2ms 1ms"}
	  - {container: c13, bridge: s1, netem: "loss state 1% 2% 3% 4% 5% 6%"}
	Y
	for i in 1 2 3 4 5 7 8 9 10 11 12 13; do netns_add "$NS" c$i; done
	run nsenter --net="$CONLINK_NETNS" "$CONLINK" --no-engine --default-bridge-mode linux \
		--netns-dir "$NS" --network-file "$CFG"
	[ "$status" -eq 1 ]
	[ "$(grep -c "^conlink: .*\.netem: found" <<<"$output")" -eq 12 ]
	err() { grep -qF "links[$1].netem: found \"$2\": $3" <<<"$output" || { echo "no: $3"; false; }; }
	err 0 "loss state" "bad value for 'loss state': nothing after it"
	err 1 "loss gemodel 150%" "bad value for 'loss gemodel': '150%'"
	err 2 "loss bursty 5%" "bad value for 'loss': 'bursty'"
	err 3 "slot distribution normal 1ms" "bad value for 'slot distribution': nothing after it"
	err 4 "slot distribution normal 1ms 0ms" "bad value for 'slot distribution': '0ms'"
	err 5 "delay 1ms reorder 5% gap" "bad value for 'gap': nothing after it"
	err 6 "gap 5" "gap needs a reorder probability"
	err 7 "delay 1ms ecn" "ecn needs a loss model"
	err 8 "loss 1% loss 2%" "'loss' given twice"
	err 9 "delay 1e30s" "bad value for 'delay': '1e30s'"
	err 10 "slot 2ms 1ms" "bad value for 'slot': '1ms'"
	# the sixth number is no option
	err 11 "loss state 1% 2% 3% 4% 5% 6%" "unknown option '6%'"
	for i in 1 2 3 4 5 7 8 9 10 11 12 13; do ! has_link "$NS/c$i" eth0; done
}

@test "a netem distribution table that is not installed is an error when the link is made" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c6, bridge: s1, netem: "delay 1ms slot distribution nosuch 1ms 1ms"}
	Y
	netns_add "$NS" c6
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "links connected"
	grep -q "^0 of 1 links connected" "$CONLINK_LOG"
	grep -q "c6:eth0: netem: no distribution table 'nosuch.dist'" "$CONLINK_LOG"
	! has_link "$NS/c6" eth0 || false
}
