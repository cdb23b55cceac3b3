#!/usr/bin/env bats
# Self-healing: an outer end deleted or taken off its bridge by hand is
# restored (within 100 ms), one set down is drift, reported and left; a
# bridge deleted is made again with its ports; --no-heal restores nothing.

load ../lib/netns

ctl() { "$CONLINK" ctl --control "$SOCK" "$@"; }

setup() {
	netns_setup
	SOCK=$BATS_TEST_TMPDIR/conlink.sock
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24, mac: "02:00:00:00:00:01"}
	  - {container: c2, bridge: s1, ip: 10.0.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
}

link_field() {	# LINK FIELD
	ctl status --json | jq -r --arg l "$1" ".links[] | select(.link == \$l) | $2"
}

# c1-eth0 on s1 again, c1's end with its address
restored() {
	in_ns "$CONLINK_NETNS" ip -o link show dev c1-eth0 2>/dev/null | grep -q "master s1" &&
		addr_is "$NS/c1" eth0 10.0.0.1/24
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ev_ns TEXT: the timestamp (ns since the epoch) of the first event with TEXT
ev_ns() {
	date -d "$(grep -F -- "$1" "$BATS_TEST_TMPDIR/ev" | head -1 | jq -r .timestamp)" +%s%N
}

@test "an outer veth deleted by hand is restored within 100 ms, reported and counted" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	"$CONLINK" ctl --control "$SOCK" events --json >"$BATS_TEST_TMPDIR/ev" &
	EV_PID=$!
	sleep 0.2
	local t0 t1 bound=100
	[[ $CONLINK == *build-san* ]] && bound=500	# sanitizers slow every step
	t0=$(now_ms)
	in_ns "$CONLINK_NETNS" ip link del c1-eth0
	until restored; do
		[ $(( $(now_ms) - t0 )) -lt 2000 ] || { echo "not restored in 2 s"; false; }
	done
	t1=$(now_ms)
	# the bound on conlink's own events (see the bridge's test below): from
	# the deletion it saw to the link made again; the wall clock gets 2 s
	echo "ip link del to restored seen: $((t1 - t0)) ms"
	wait_until 2 grep -q '"action":"restored","actor_name":"c1:eth0"' "$BATS_TEST_TMPDIR/ev"
	local e0 e1
	e0=$(ev_ns '"action":"deleted","actor_name":"c1-eth0"')
	e1=$(ev_ns '"action":"restored","actor_name":"c1:eth0"')
	echo "deleted to restored: $(( (e1 - e0) / 1000 )) us (bound $bound ms)"
	[ $(( (e1 - e0) / 1000000 )) -lt "$bound" ]
	[ "$(mac_of "$NS/c1" eth0)" = 02:00:00:00:00:01 ]
	ping_ok "$NS/c1" 10.0.0.2
	[ "$(link_field c1:eth0 .state)" = made ]
	[ "$(link_field c1:eth0 .heals)" = 1 ]
	[ "$(ctl status --json | jq .summary.heals)" = 1 ]
	wait_until 2 grep -q '"action":"restored","actor_name":"c1:eth0"' "$BATS_TEST_TMPDIR/ev"
	grep -q '"type":"interface","action":"deleted","actor_name":"c1-eth0"' "$BATS_TEST_TMPDIR/ev"
	grep -q "c1-eth0 was deleted by hand: restoring its link" "$CONLINK_LOG"
	kill "$EV_PID"
	conlink_stop_clean
	! has_link "$CONLINK_NETNS" c1-eth0 || false
}

@test "an outer veth taken off its bridge is put back within 100 ms, counted" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	"$CONLINK" ctl --control "$SOCK" events --json >"$BATS_TEST_TMPDIR/ev" &
	EV_PID=$!
	sleep 0.2
	local bound=100 e0 e1
	[[ $CONLINK == *build-san* ]] && bound=500
	in_ns "$CONLINK_NETNS" ip link set c1-eth0 nomaster
	wait_until 2 restored
	conlink_wait_log "c1-eth0 left its bridge: put back"
	wait_until 2 grep -q '"actor_name":"c1-eth0","attributes":{"what":"reattached"}' "$BATS_TEST_TMPDIR/ev"
	e0=$(ev_ns '"action":"detached","actor_name":"c1-eth0"')
	e1=$(ev_ns '"actor_name":"c1-eth0","attributes":{"what":"reattached"}')
	echo "detached to put back: $(( (e1 - e0) / 1000 )) us (bound $bound ms)"
	[ $(( (e1 - e0) / 1000000 )) -lt "$bound" ]
	kill "$EV_PID"
	ping_ok "$NS/c1" 10.0.0.2
	[ "$(link_field c1:eth0 .state)" = made ]
	[ "$(link_field c1:eth0 .heals)" = 1 ]
	[ "$(ctl status --json | jq .summary.heals)" = 1 ]
	conlink_stop_clean
	# the bridge's own RTM_DELLINK (AF_BRIDGE) for the port is not a deletion
	! grep -q "deleted by hand" "$CONLINK_LOG" || false
}

@test "an outer veth set down by hand is drift: reported, left down" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" ip link set c1-eth0 down
	wait_until 2 eval '[ "$(link_field c1:eth0 .state)" = drifted ]'
	[ "$(link_field c1:eth0 .drift)" = down ]
	[ "$(ctl status --json | jq .summary.drifted)" = 1 ]
	ctl status | grep -E "^c1:eth0 +drifted\(down\)"
	conlink_wait_log "c1-eth0 was set down by hand: drift, left as it is"
	sleep 0.3
	! in_ns "$CONLINK_NETNS" ip -o link show dev c1-eth0 | grep -q "[<,]UP[,>]" || false
	# set up again by hand: no longer drift
	in_ns "$CONLINK_NETNS" ip link set c1-eth0 up
	wait_until 2 eval '[ "$(link_field c1:eth0 .state)" = made ]'
	conlink_stop_clean
}

@test "--no-heal: a deleted outer veth stays deleted, reported as drift" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK" --no-heal
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" ip link del c1-eth0
	conlink_wait_log "c1-eth0 was deleted by hand \(not restored: --no-heal\)"
	sleep 0.5
	! has_link "$CONLINK_NETNS" c1-eth0 || false
	! has_link "$NS/c1" eth0 || false
	[ "$(link_field c1:eth0 .state)" = drifted ]
	[ "$(link_field c1:eth0 .drift)" = deleted ]
	in_ns "$CONLINK_NETNS" ip link set c2-eth0 nomaster
	conlink_wait_log "c2-eth0 left its bridge \(not restored: --no-heal\)"
	! in_ns "$CONLINK_NETNS" ip -o link show dev c2-eth0 | grep -q "master s1" || false
	conlink_stop_clean
}

# both outer ends on s1 again, both containers with their addresses
both_restored() {
	restored && in_ns "$CONLINK_NETNS" ip -o link show dev c2-eth0 2>/dev/null | grep -q "master s1" &&
		addr_is "$NS/c2" eth0 10.0.0.2/24
}

@test "a bridge deleted by hand is made again with its ports put back; traffic crosses again" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	ping_ok "$NS/c1" 10.0.0.2
	"$CONLINK" ctl --control "$SOCK" events --json >"$BATS_TEST_TMPDIR/ev" &
	EV_PID=$!
	sleep 0.2
	local old t0 t1 bound=100 c1if
	[[ $CONLINK == *build-san* ]] && bound=500
	c1if=$(in_ns "$NS/c1" ip -j link show dev eth0 | jq .[0].ifindex)
	old=$(in_ns "$CONLINK_NETNS" ip -j link show dev s1 | jq .[0].ifindex)
	t0=$(now_ms)
	in_ns "$CONLINK_NETNS" ip link del s1
	until both_restored; do
		[ $(( $(now_ms) - t0 )) -lt 2000 ] || { echo "not restored in 2 s"; false; }
	done
	t1=$(now_ms)
	# `ip link del` of a bridge with ports waits for the kernel's RCU grace
	# periods (tens of ms, more under load), and conlink has restored it
	# before that returns: the bound is on conlink's own events, from the
	# bridge's deletion to the last port put back; the wall clock (the
	# command and the polling) gets 2 s
	echo "ip link del to restored seen: $((t1 - t0)) ms"
	wait_until 2 eval '[ "$(grep -c '"'"'"what":"reattached"'"'"' "$BATS_TEST_TMPDIR/ev")" = 2 ]'
	local e0 e1
	e0=$(ev_ns '"action":"deleted","actor_name":"s1"')
	e1=$(ev_ns '"actor_name":"c1-eth0","attributes":{"what":"reattached"}')
	[ "$(ev_ns '"actor_name":"c2-eth0","attributes":{"what":"reattached"}')" -le "$e1" ] ||
		e1=$(ev_ns '"actor_name":"c2-eth0","attributes":{"what":"reattached"}')
	echo "bridge deleted to both ports put back: $(( (e1 - e0) / 1000 )) us (bound $bound ms)"
	[ $(( (e1 - e0) / 1000000 )) -lt "$bound" ]
	# another interface, ours (the owner mark), up
	[ "$(in_ns "$CONLINK_NETNS" ip -j link show dev s1 | jq .[0].ifindex)" != "$old" ]
	in_ns "$CONLINK_NETNS" ip -d -o link show dev s1 | grep -q "bridge "
	in_ns "$CONLINK_NETNS" ip -o link show dev s1 | grep -q "[<,]UP[,>]"
	[ "$(in_ns "$NS/c1" ip -j link show dev eth0 | jq .[0].ifindex)" = "$c1if" ]
	ping_ok "$NS/c1" 10.0.0.2
	[ "$(link_field c1:eth0 .state)" = made ]
	[ "$(link_field c2:eth0 .state)" = made ]
	[ "$(ctl status --json | jq .summary.heals)" = 2 ]
	[ "$(ctl status --json | jq '.bridges[] | select(.name == "s1") | .exists')" = true ]
	grep -q "bridge s1 was deleted by hand: making it again, with its ports" "$CONLINK_LOG"
	! grep -q "cannot be put back" "$CONLINK_LOG" || false
	# put back: the containers' ends were left as they were
	wait_until 2 grep -q '"type":"interface","action":"restored","actor_name":"c2-eth0","attributes":{"what":"reattached"}' "$BATS_TEST_TMPDIR/ev"
	grep -q '"type":"interface","action":"restored","actor_name":"c1-eth0","attributes":{"what":"reattached"}' "$BATS_TEST_TMPDIR/ev"
	! grep -q '"type":"link"' "$BATS_TEST_TMPDIR/ev" || false
	[ "$(grep -c '"action":"detached","actor_name":"c1-eth0"' "$BATS_TEST_TMPDIR/ev")" = 1 ]
	grep -q '"type":"interface","action":"deleted","actor_name":"s1","attributes":{"what":"bridge"}' "$BATS_TEST_TMPDIR/ev"
	grep -q '"type":"interface","action":"restored","actor_name":"s1","attributes":{"what":"bridge"}' "$BATS_TEST_TMPDIR/ev"
	kill "$EV_PID"
	conlink_stop_clean
	! has_link "$CONLINK_NETNS" s1 || false
}

@test "--no-heal: a bridge deleted by hand stays deleted, its links reported as drift" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK" --no-heal
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" ip link del s1
	conlink_wait_log "bridge s1 was deleted by hand \(not restored: --no-heal\)"
	sleep 0.3
	! has_link "$CONLINK_NETNS" s1 || false
	[ "$(link_field c1:eth0 .drift)" = detached ]
	conlink_stop_clean
}

@test "a bridge deleted by hand: a link with a forward (its route went with the bridge) is made again" {
	in_ns "$CONLINK_NETNS" ip link add ext0 type dummy 2>/dev/null ||
		in_ns "$CONLINK_NETNS" ip link add ext0 type veth peer ext1
	in_ns "$CONLINK_NETNS" ip addr add 10.99.100.1/24 dev ext0
	in_ns "$CONLINK_NETNS" ip link set ext0 up
	cat >>"$CFG" <<-'Y'
	  - {container: c3, bridge: s1, ip: 10.0.0.3/24, forward: ["8080:80/tcp"]}
	Y
	netns_add "$NS" c3
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK" --external-intf ext0
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" ip route show | grep -q "^10.0.0.3 dev s1"
	"$CONLINK" ctl --control "$SOCK" events --json >"$BATS_TEST_TMPDIR/ev" &
	EV_PID=$!
	sleep 0.2
	in_ns "$CONLINK_NETNS" ip link del s1
	wait_until 2 grep -q '"action":"restored","actor_name":"c3:eth0"' "$BATS_TEST_TMPDIR/ev"
	wait_until 2 eval 'in_ns "$CONLINK_NETNS" ip route show | grep -q "^10.0.0.3 dev s1"'
	[ "$(link_field c3:eth0 .heals)" = 1 ]
	# the others were only put back
	grep -q '"actor_name":"c1-eth0","attributes":{"what":"reattached"}' "$BATS_TEST_TMPDIR/ev"
	! grep -q '"action":"restored","actor_name":"c1:eth0"' "$BATS_TEST_TMPDIR/ev" || false
	[ "$(link_field c1:eth0 .heals)" = 1 ]
	[ "$(ctl status --json | jq .summary.heals)" = 3 ]
	wait_until 5 addr_is "$NS/c3" eth0 10.0.0.3/24
	ping_ok "$NS/c1" 10.0.0.3
	kill "$EV_PID"
	conlink_stop_clean
}

@test "notifications lost while conlink was stopped (its monitor overran): the deleted bridge and veth are found and restored" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	kill -STOP "$CONLINK_PID"
	in_ns "$CONLINK_NETNS" ip link del s1
	in_ns "$CONLINK_NETNS" ip link del c2-eth0
	# 1,000 MTU changes of another interface: a notification each, more
	# than the monitor's socket holds
	in_ns "$CONLINK_NETNS" ip link add ovr0 type veth peer ovp0
	for i in $(seq 1000); do echo "link set ovr0 mtu $((1400 + i % 2))"; done >"$BATS_TEST_TMPDIR/batch"
	in_ns "$CONLINK_NETNS" ip -batch "$BATS_TEST_TMPDIR/batch"
	kill -CONT "$CONLINK_PID"
	conlink_wait_log "interface monitor: notifications lost \(its socket overran\)" 5
	wait_until 5 both_restored
	ping_ok "$NS/c1" 10.0.0.2
	[ "$(link_field c1:eth0 .state)" = made ]
	[ "$(link_field c2:eth0 .state)" = made ]
	[ "$(link_field c2:eth0 .heals)" = 1 ]
	! grep -q "cannot be put back" "$CONLINK_LOG" || false
	conlink_stop_clean
}

@test "--no-heal: a bridge deleted while notifications were lost is found by the resync and reported as the notification would have been" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK" --no-heal
	conlink_wait_log "All links connected"
	"$CONLINK" ctl --control "$SOCK" events --json >"$BATS_TEST_TMPDIR/ev" &
	EV_PID=$!
	sleep 0.2
	kill -STOP "$CONLINK_PID"
	# the monitor's socket overrun first (1,000 MTU changes), so the
	# bridge's RTM_DELLINK and its ports' changes are lost: only the
	# resync can find them
	in_ns "$CONLINK_NETNS" ip link add ovr0 type veth peer ovp0
	for i in $(seq 1000); do echo "link set ovr0 mtu $((1400 + i % 2))"; done >"$BATS_TEST_TMPDIR/batch"
	in_ns "$CONLINK_NETNS" ip -batch "$BATS_TEST_TMPDIR/batch"
	in_ns "$CONLINK_NETNS" ip link del s1
	kill -CONT "$CONLINK_PID"
	conlink_wait_log "interface monitor: notifications lost \(its socket overran\)" 5
	conlink_wait_log "bridge s1 was deleted by hand \(not restored: --no-heal\)" 2
	wait_until 2 grep -q '"action":"deleted","actor_name":"s1","attributes":{"what":"bridge"}' \
		"$BATS_TEST_TMPDIR/ev"
	# its ports as drift, as the notifications would have said
	wait_until 2 grep -q '"action":"detached","actor_name":"c1-eth0"' "$BATS_TEST_TMPDIR/ev"
	[ "$(link_field c1:eth0 .drift)" = detached ]
	[ "$(link_field c2:eth0 .drift)" = detached ]
	! has_link "$CONLINK_NETNS" s1 || false
	# reported once: the next changes (a port set down) do not repeat it
	in_ns "$CONLINK_NETNS" ip link set c1-eth0 down
	conlink_wait_log "c1-eth0 was set down by hand" 2
	[ "$(conlink_log_count "bridge s1 was deleted by hand")" -eq 1 ]
	[ "$(conlink_log_count "c1-eth0 left its bridge")" -eq 1 ]
	kill "$EV_PID"
	conlink_stop_clean
}
