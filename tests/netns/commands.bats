#!/usr/bin/env bats
# A container's commands live as long as it does: a namespace deleted stops
# them, added again runs them once; at exit they are stopped all at once
# with one grace, also when they ignore SIGTERM.

load ../lib/netns

teardown() {
	# what a failed test left behind, by the marker of this test
	[ -n "${MARK:-}" ] && pkill -KILL -f -- "$MARK" 2>/dev/null
	netns_teardown
}

# count the processes whose command line has $MARK
marked() {
	pgrep -f -- "$MARK" | wc -l
}

marked_is() {
	[ "$(marked)" -eq "$1" ]
}

@test "a netns container deleted stops its commands; added again runs them once" {
	MARK=conlink-mark-$RANDOM$RANDOM
	cat >"$CFG" <<-Y
	links:
	  - {container: c1, bridge: s1}
	commands:
	  - {container: c1, command: [sh, -c, "while :; do sleep 1; done", $MARK]}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	wait_until 5 marked_is 1
	for cycle in 1 2 3; do
		old=$(pgrep -f -- "$MARK")
		netns_del "$NS/c1"
		# the deleted container's command is gone (SIGTERM; 2 s grace at most)
		wait_until 5 eval '! kill -0 "$old" 2>/dev/null'
		netns_add "$NS" c1
		wait_until 5 has_link "$CONLINK_NETNS" c1-eth0
		wait_until 5 marked_is 1
		[ "$(pgrep -f -- "$MARK")" != "$old" ]
	done
	# nothing more comes later: still exactly one
	sleep 0.5
	marked_is 1
	[ "$(conlink_log_count "Exec command in c1")" -eq 4 ]
	conlink_stop_clean
	marked_is 0
}

@test "SIGTERM with 20 commands that ignore SIGTERM: exit 0 under 5 s, none left" {
	MARK=9$RANDOM$RANDOM
	{
		echo "links:"
		echo "  - {container: c1, bridge: s1}"
		echo "commands:"
		for i in $(seq 20); do
			echo "  - {container: c1, command: \"trap '' TERM; sleep $MARK; :\"}"
		done
	} >"$CFG"
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	# each: the shell and its sleep, both with the marker in their argv
	wait_until 5 marked_is 40
	t0=${EPOCHREALTIME/[.,]/}
	conlink_stop_clean
	ms=$(( (${EPOCHREALTIME/[.,]/} - t0) / 1000 ))
	echo "SIGTERM to exit: $ms ms"
	[ "$ms" -lt 5000 ]
	marked_is 0
}
