#!/usr/bin/env bats
# ethtool options without a netlink form run the ethtool program inside the
# container's namespace, watched on the daemon's loop: never waited for. A
# fake `ethtool` first on the daemon's PATH records how it ran, fails, or
# hangs.

load ../lib/netns

setup() {
	netns_setup
	BIN=$BATS_TEST_TMPDIR/bin
	mkdir -p "$BIN"
	RUN=$BATS_TEST_TMPDIR/ethtool-ran
}

# fake_ethtool BODY: an `ethtool` on $BIN that records its argv and network
# namespace in $RUN, its pid in $RUN.pid, then runs BODY.
fake_ethtool() {
	cat >"$BIN/ethtool" <<-S
	#!/bin/sh
	echo \$\$ >"$RUN.pid"
	echo "ethtool \$*" >"$RUN"
	readlink /proc/self/ns/net >>"$RUN"
	$1
	S
	chmod +x "$BIN/ethtool"
}

# start conlink with $BIN first on its PATH
start() {
	PATH=$BIN:$PATH conlink_start --netns-dir "$NS" --network-file "$CFG"
}

# no live process in process group $1 (a zombie is dead: its reaper may
# be a PID 1 that never reaps)
group_gone() {
	! ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ {f = 1} END {exit !f}'
}

@test "a non-feature option runs ethtool DEV ARGS in the container; connected once it exited 0" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24, ethtool: ["-s speed 100 duplex full"]}
	Y
	netns_add "$NS" c1
	fake_ethtool "sleep 1; touch '$RUN.done'"
	start
	wait_until 5 test -s "$RUN"
	# the link exists, but counts once ethtool exited
	[ "$(addr_of "$NS/c1" eth0)" = 10.0.0.1/24 ]
	[ "$(conlink_log_count "links connected")" -eq 0 ]
	conlink_wait_log "All links connected"
	[ -f "$RUN.done" ]
	[ "$(sed -n 1p "$RUN")" = "ethtool -s eth0 speed 100 duplex full" ]
	[ "$(sed -n 2p "$RUN")" = "net:[$(stat -L -c %i "$NS/c1")]" ]
	conlink_stop_clean
}

@test "ethtool exiting 1 fails its link with its message; the link is undone" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ethtool: ["-A autoneg off"]}
	  - {container: c2, bridge: s1}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	fake_ethtool "echo 'Cannot set device pause parameters: Operation not supported' >&2; exit 1"
	start
	conlink_wait_log "^1 of 2 links connected"
	local msg="c1:eth0: ethtool '-A autoneg off' on eth0 failed (status 1): Cannot set device pause parameters: Operation not supported"
	grep -qxF "ERROR: $msg" "$CONLINK_LOG"
	grep -qxF "ERROR: not connected: $msg" "$CONLINK_LOG"
	[ "$(conlink_log_count "retrying")" -eq 0 ]
	! has_link "$NS/c1" eth0 || false
	! has_link "$CONLINK_NETNS" c1-eth0 || false
	has_link "$NS/c2" eth0
	conlink_stop_clean
}

@test "a hung ethtool: the other links are made, SIGTERM exits under 1 s, the hung one is killed" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ethtool: "-G rx 256"}
	  - {container: c2, bridge: s1, ip: 10.0.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	# ignores SIGTERM; its child sleeps on in the group
	fake_ethtool "trap '' TERM; while :; do sleep 1; done"
	start
	wait_until 5 test -s "$RUN.pid"
	wait_until 5 addr_is "$NS/c2" eth0 10.0.0.2/24
	[ "$(conlink_log_count "links connected")" -eq 0 ]
	local pid t0 t1
	pid=$(cat "$RUN.pid")
	kill -0 "$pid"
	t0=${EPOCHREALTIME/[.,]/}
	conlink_stop
	t1=${EPOCHREALTIME/[.,]/}
	[ "$CONLINK_STATUS" -eq 0 ]
	echo "SIGTERM to exit: $(((t1 - t0) / 1000)) ms"
	[ $((t1 - t0)) -lt 1000000 ]
	wait_until 2 group_gone "$pid"
	! has_link "$CONLINK_NETNS" c1-eth0 || false
	! has_link "$CONLINK_NETNS" c2-eth0 || false
}

@test "an ethtool that never exits is killed after 10 s and fails its link" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ethtool: "-L combined 2"}
	Y
	netns_add "$NS" c1
	fake_ethtool "trap '' TERM; while :; do sleep 1; done"
	start
	wait_until 5 test -s "$RUN.pid"
	conlink_wait_log "^0 of 1 links connected" 15
	grep -qF "ERROR: not connected: c1:eth0: ethtool '-L combined 2' on eth0: no exit after 10 s, killed" "$CONLINK_LOG"
	wait_until 2 group_gone "$(cat "$RUN.pid")"
	! has_link "$NS/c1" eth0 || false
	conlink_stop_clean
}

@test "a container that goes away kills its pending ethtool" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ethtool: "-G rx 256"}
	Y
	netns_add "$NS" c1
	fake_ethtool "trap '' TERM; while :; do sleep 1; done"
	start
	wait_until 5 test -s "$RUN.pid"
	netns_del "$NS/c1"
	wait_until 3 group_gone "$(cat "$RUN.pid")"
	wait_until 3 eval '! has_link "$CONLINK_NETNS" c1-eth0'
	conlink_stop_clean
}
