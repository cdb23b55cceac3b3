#!/usr/bin/env bats
# Self-healing: an outer end deleted or taken off its bridge by hand is
# restored (within 100 ms), one set down is drift, reported and left;
# --no-heal restores nothing.

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
	echo "restored in $((t1 - t0)) ms (bound $bound ms; each poll costs a few ms)"
	[ $((t1 - t0)) -lt "$bound" ]
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

@test "an outer veth taken off its bridge is put back" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" ip link set c1-eth0 nomaster
	wait_until 2 restored
	conlink_wait_log "c1-eth0 left its bridge: put back"
	ping_ok "$NS/c1" 10.0.0.2
	[ "$(link_field c1:eth0 .state)" = made ]
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
