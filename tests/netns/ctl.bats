#!/usr/bin/env bats
# The control socket and conlink ctl: status (state, MAC, counters of each
# link), the events stream, a client that never reads, the socket's mode.

load ../lib/netns

ctl() { "$CONLINK" ctl --control "$SOCK" "$@"; }

two_containers() {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24, mac: "02:00:00:00:00:01"}
	  - {container: c2, bridge: s1, ip: 10.0.0.2/24, mac: "02:00:00:00:00:02"}
	Y
}

setup() {
	netns_setup
	SOCK=$BATS_TEST_TMPDIR/run/conlink.sock
}

# jq on the status: one link's field
link_field() {	# LINK FIELD
	ctl status --json | jq -r --arg l "$1" ".links[] | select(.link == \$l) | $2"
}

@test "status: every link's state, MAC, addresses and the outer end's counters, which grow with traffic" {
	two_containers
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	[ "$(link_field c1:eth0 .state)" = made ]
	[ "$(link_field c1:eth0 .mac)" = 02:00:00:00:00:01 ]
	[ "$(link_field c2:eth0 .mac)" = 02:00:00:00:00:02 ]
	[ "$(link_field c1:eth0 .outer_dev)" = c1-eth0 ]
	[ "$(link_field c1:eth0 .bridge)" = s1 ]
	[ "$(link_field c1:eth0 .carrier)" = true ]
	[ "$(link_field c1:eth0 .mtu)" = 65535 ]
	[ "$(link_field c1:eth0 '.addresses[0]')" = 10.0.0.1/24 ]
	local rx0 rx1 pk0 pk1
	rx0=$(link_field c1:eth0 .stats.rx_bytes)
	pk0=$(link_field c1:eth0 .stats.rx_packets)
	in_ns "$NS/c1" ping -c3 -i0.2 -W2 10.0.0.2 >/dev/null
	rx1=$(link_field c1:eth0 .stats.rx_bytes)
	pk1=$(link_field c1:eth0 .stats.rx_packets)
	# three echo requests of 84 bytes (+ ARP) went out of c1: the outer end took them in
	[ $((rx1 - rx0)) -ge 252 ]
	[ $((pk1 - pk0)) -ge 3 ]
	# the same counters as the kernel's for the outer end
	local kernel
	kernel=$(in_ns "$CONLINK_NETNS" ip -s -j link show dev c1-eth0 | jq '.[0].stats64.rx.bytes')
	[ "$kernel" -ge "$rx1" ]
	[ "$(ctl status --json | jq .summary.made)" = 2 ]
	# the text form: one line per link
	run ctl status
	[ "$status" -eq 0 ]
	echo "$output" | grep -E "^c1:eth0 +made +c1-eth0 +s1 +carrier up +mac 02:00:00:00:00:01 +mtu 65535 +ip 10.0.0.1/24 .*rx [0-9]+ B"
	echo "$output" | grep -E "^bridge s1 +mode linux +exists"
	conlink_stop_clean
}

@test "status: a link whose container is not there yet is waiting" {
	two_containers
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "Creating veth link c1:eth0"
	wait_until 5 test -S "$SOCK"
	[ "$(link_field c2:eth0 .state)" = waiting ]
	[ "$(link_field c1:eth0 .state)" = made ]
	conlink_stop_clean
}

@test "events: a container's start and die with its link made and removed, timestamped" {
	two_containers
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	wait_until 5 test -S "$SOCK"
	local ev=$BATS_TEST_TMPDIR/events
	ctl events --json >"$ev" &
	EV_PID=$!
	local txt=$BATS_TEST_TMPDIR/events.txt
	ctl events >"$txt" &
	EV2_PID=$!
	sleep 0.3
	netns_add "$NS" c1
	wait_until 5 grep -q '"action":"made","actor_name":"c1:eth0"' "$ev"
	netns_del "$NS/c1"
	wait_until 5 grep -q '"action":"removed","actor_name":"c1:eth0"' "$ev"
	wait_until 5 grep -q '"type":"container","action":"die","actor_name":"c1"' "$ev"
	grep -q '"type":"container","action":"start","actor_name":"c1"' "$ev"
	# in that order
	grep -oE '"type":"[a-z]+","action":"[a-z]+","actor_name":"c1[:a-z0-9]*"' "$ev" >"$ev.order"
	diff - "$ev.order" <<-'E'
	"type":"container","action":"start","actor_name":"c1"
	"type":"link","action":"made","actor_name":"c1:eth0"
	"type":"container","action":"die","actor_name":"c1"
	"type":"link","action":"removed","actor_name":"c1:eth0"
	E
	# every event has a timestamp (RFC 3339, UTC, ns)
	! grep -vqE '^\{"timestamp":"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}Z"' "$ev" || false
	wait_until 5 grep -qE "^20[^ ]+Z link removed c1:eth0 \(.*bridge=s1" "$txt"
	kill "$EV_PID" "$EV2_PID"
	conlink_stop_clean
}

@test "a client that connects and never reads, or never asks, does not delay linking" {
	two_containers
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	wait_until 5 test -S "$SOCK"
	# subscribes and never reads; another connects and says nothing
	python3 - "$SOCK" <<-'P' &
	import socket, sys, time
	a = socket.socket(socket.AF_UNIX); a.connect(sys.argv[1])
	a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
	a.sendall(b'{"cmd": "events"}\n')
	b = socket.socket(socket.AF_UNIX); b.connect(sys.argv[1])
	time.sleep(30)
	P
	STUCK_PID=$!
	sleep 0.3
	local t0 t1
	t0=$(date +%s%N)
	for i in $(seq 1 20); do
		netns_add "$NS" c1
		wait_until 5 addr_is "$NS/c1" eth0 10.0.0.1/24
		netns_del "$NS/c1"
		wait_until 5 bash -c "! nsenter --net=$CONLINK_NETNS ip link show c1-eth0 2>/dev/null"
	done
	t1=$(date +%s%N)
	echo "20 container lives: $(( (t1 - t0) / 1000000 )) ms"
	[ $(( (t1 - t0) / 1000000 )) -lt 10000 ]
	# the daemon answers others meanwhile
	[ "$(ctl status --json | jq -r '.links[] | select(.link == "c1:eth0") | .state')" = waiting ]
	kill "$STUCK_PID"
	conlink_stop_clean
}

@test "the socket is mode 0600, root's; a second conlink on it is refused, a stale one replaced" {
	two_containers
	mkdir -p "$(dirname "$SOCK")"
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK"
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	wait_until 5 ctl status --json
	[ "$(stat -c '%a %U %F' "$SOCK")" = "600 root socket" ]
	# someone answering there: a second daemon given that path refuses to start
	run "$CONLINK" --no-engine --network-file "$CFG" --control "$SOCK" --instance other
	[ "$status" -eq 1 ]
	[[ $output == *"control socket $SOCK: another process answers there"* ]]
	conlink_stop_clean
	# gone with the daemon
	[ ! -e "$SOCK" ]
}

@test "ctl: usage errors and no daemon" {
	run "$CONLINK" ctl --control /nonexistent/x.sock status
	[ "$status" -eq 1 ]
	[[ $output == *"cannot reach conlink at /nonexistent/x.sock"* ]]
	run "$CONLINK" ctl frobnicate
	[ "$status" -eq 2 ]
	run "$CONLINK" ctl status --bogus
	[ "$status" -eq 2 ]
}

@test "a subscriber that stops reading is dropped (5 s without taking a byte); linking goes on" {
	two_containers
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	wait_until 5 test -S "$SOCK"
	python3 - "$SOCK" <<-'P' &
	import socket, sys, time
	a = socket.socket(socket.AF_UNIX); a.connect(sys.argv[1])
	a.sendall(b'{"cmd": "events"}\n')
	time.sleep(30)
	P
	STUCK_PID=$!
	sleep 0.3
	# ~1.2 KB of events per life: more than the socket takes (16 KiB share)
	for i in $(seq 1 60); do
		netns_add "$NS" c1
		wait_until 5 addr_is "$NS/c1" eth0 10.0.0.1/24
		netns_del "$NS/c1"
		wait_until 5 bash -c "! nsenter --net=$CONLINK_NETNS ip link show c1-eth0 2>/dev/null"
	done
	conlink_wait_log "WARNING: control: dropping a client that does not read \([0-9]+ bytes unread for 5000 ms\)" 8
	# still linking, still answering
	netns_add "$NS" c1
	wait_until 5 addr_is "$NS/c1" eth0 10.0.0.1/24
	ctl status --json | jq -e '.links[] | select(.link == "c1:eth0") | .state == "made"'
	kill "$STUCK_PID"
	conlink_stop_clean
}
