#!/usr/bin/env bats
# Impairment at run time: ctl link LINK down|up (traffic stops and
# resumes, the container sees its carrier go, heal leaves it), ctl netem
# LINK OPTIONS changed in place (a ping running sees only the new delay,
# the qdisc keeps its handle), removed, refused with the option named; our
# qdisc prints as tc's own with the same options. netem tests skip on a
# kernel without netem (rerun in kernel-lab).

load ../lib/netns

ctl() { "$CONLINK" ctl --control "$SOCK" "$@"; }

setup() {
	netns_setup
	SOCK=$BATS_TEST_TMPDIR/conlink.sock
	PING=(ping)
	command -v ping >/dev/null || PING=(busybox ping)
}

link_field() {	# LINK FIELD
	ctl status --json | jq -r --arg l "$1" "(.links + .tunnels)[] | select(.link == \$l) | $2"
}

# two containers on a linux bridge; c1's link has netem NETEM when given
start_two() {	# [NETEM]
	{
		echo "links:"
		echo "  - {container: c1, bridge: s1, ip: 10.0.0.1/24${1:+, netem: \"$1\"}}"
		echo "  - {container: c2, bridge: s1, ip: 10.0.0.2/24}"
	} >"$CFG"
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
}

# "eth0" of namespace NS has no carrier (its state, as ip prints it)
no_carrier() { in_ns "$1" ip -o link show dev eth0 | grep -q "NO-CARRIER"; }

need_netem() {
	kernel_has_qdisc netem || skip "kernel lacks qdisc netem (Specified qdisc kind is unknown)"
}

# tc qdisc show of NS's DEV without what differs between two qdiscs of the
# same options: handle, device, refcnt
qdisc_form() {	# NS DEV
	in_ns "$1" tc qdisc show dev "$2" |
		sed -E 's/^qdisc netem [0-9a-f]+: (dev [^ ]+ )?root refcnt [0-9]+ //'
}

@test "ctl link down/up: traffic stops and resumes, the container sees carrier loss, heal leaves it" {
	start_two
	"$CONLINK" ctl --control "$SOCK" events --json >"$BATS_TEST_TMPDIR/ev" &
	EV_PID=$!
	sleep 0.2
	ping_ok "$NS/c1" 10.0.0.2
	run ctl link c1:eth0 down
	[ "$status" -eq 0 ] && [ "$output" = "c1:eth0: down" ]
	# the outer end is down; c1's own end is up, without carrier
	! in_ns "$CONLINK_NETNS" ip -o link show dev c1-eth0 | grep -q "[<,]UP[,>]" || false
	in_ns "$NS/c1" ip -o link show dev eth0 | grep -q "[<,]UP[,>]"
	no_carrier "$NS/c1"
	! ping_ok "$NS/c1" 10.0.0.2 || false
	[ "$(link_field c1:eth0 .admin)" = down ]
	[ "$(link_field c1:eth0 .carrier)" = false ]
	[ "$(link_field c1:eth0 .state)" = made ]
	[ "$(link_field c2:eth0 .admin)" = up ]
	ctl status | grep -E "^c1:eth0 +made\(admin-down\)"
	# heal saw it go down: not drift, not put back up
	sleep 0.3
	[ "$(ctl status --json | jq .summary.drifted)" = 0 ]
	! grep -q "set down by hand" "$CONLINK_LOG" || false
	! in_ns "$CONLINK_NETNS" ip -o link show dev c1-eth0 | grep -q "[<,]UP[,>]" || false
	run ctl link c1:eth0 up
	[ "$status" -eq 0 ] && [ "$output" = "c1:eth0: up" ]
	wait_until 3 ping_ok "$NS/c1" 10.0.0.2
	! no_carrier "$NS/c1" || false
	[ "$(link_field c1:eth0 .admin)" = up ]
	[ "$(link_field c1:eth0 .carrier)" = true ]
	wait_until 2 grep -q '"action":"up","actor_name":"c1:eth0"' "$BATS_TEST_TMPDIR/ev"
	grep '"action":"down","actor_name":"c1:eth0"' "$BATS_TEST_TMPDIR/ev" | grep -q '"admin":"down"'
	grep -q '"action":"carrier-down","actor_name":"c1-eth0"' "$BATS_TEST_TMPDIR/ev"
	! grep -q '"action":"drifted"' "$BATS_TEST_TMPDIR/ev" || false
	kill "$EV_PID"
}

@test "ctl link down on a patch bridge takes both ends of the cable down" {
	cat >"$CFG" <<-'Y'
	bridges:
	  - {bridge: p1, mode: patch}
	links:
	  - {container: c1, bridge: p1, ip: 10.99.0.1/24}
	  - {container: c2, bridge: p1, ip: 10.99.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	ctl link c2:eth0 down
	in_ns "$CONLINK_NETNS" ip -o link show
	in_ns "$NS/c1" ip -o link show dev eth0
	in_ns "$NS/c2" ip -o link show dev eth0
	wait_until 2 no_carrier "$NS/c2"
	wait_until 2 no_carrier "$NS/c1"
	[ "$(link_field c1:eth0 .admin)" = down ]
	[ "$(link_field c2:eth0 .admin)" = down ]
	! ping_ok "$NS/c1" 10.99.0.2 || false
	ctl link c2:eth0 up
	wait_until 3 ping_ok "$NS/c1" 10.99.0.2
	[ "$(link_field c1:eth0 .admin)" = up ]
}

@test "ctl link down/up on a tunnel sets the tunnel interface" {
	cat >"$CFG" <<-'Y'
	tunnels:
	  - {type: vxlan, bridge: s1, remote: 10.99.200.2, vni: 1001}
	links:
	  - {container: c1, bridge: s1, ip: 10.99.0.1/24}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	ctl link vxlan-1001 down
	! in_ns "$CONLINK_NETNS" ip -o link show dev vxlan-1001 | grep -q "[<,]UP[,>]" || false
	[ "$(link_field vxlan-1001 .admin)" = down ]
	ctl link vxlan-1001 up
	in_ns "$CONLINK_NETNS" ip -o link show dev vxlan-1001 | grep -q "[<,]UP[,>]"
}

@test "bad requests are refused with the reason: the option, the link, the usage" {
	start_two
	run ctl netem c1:eth0 delay banana
	[ "$status" -eq 1 ]
	grep -qF "c1:eth0: netem 'delay banana': bad value for 'delay': 'banana', expected a time" <<<"$output"
	run ctl netem c1:eth0 delay 10ms wobble 3
	[ "$status" -eq 1 ]
	grep -qF "unknown option 'wobble'" <<<"$output"
	run ctl netem c9:eth0 delay 10ms
	[ "$status" -eq 1 ]
	grep -qF "no link 'c9:eth0' (ctl status names them)" <<<"$output"
	run ctl link c1:eth0 sideways
	[ "$status" -eq 2 ]
	grep -qF "link: expected LINK down or LINK up" <<<"$output"
	run ctl netem
	[ "$status" -eq 2 ]
	# nothing changed
	[ "$(link_field c1:eth0 .netem_changed)" = false ]
	ping_ok "$NS/c1" 10.0.0.2
}

@test "ctl netem in place under a running ping: no reply lost, the new delay in the RTT, same handle" {
	need_netem
	start_two "delay 1ms"
	local h0 h1
	h0=$(in_ns "$NS/c1" tc qdisc show dev eth0 | awk '/netem/ {print $3}')
	[ -n "$h0" ]
	# 25 pings 0.2 s apart; the change comes after about 2 s
	in_ns "$NS/c2" "${PING[@]}" -c 25 -i 0.2 -W 2 10.0.0.1 >"$BATS_TEST_TMPDIR/ping" &
	local pid=$!
	sleep 2
	run ctl netem c1:eth0 delay 100ms
	[ "$status" -eq 0 ] && [ "$output" = "c1:eth0: netem delay 100ms" ]
	wait "$pid"
	cat "$BATS_TEST_TMPDIR/ping"
	grep -q "25 packets transmitted, 25 received, 0% packet loss" "$BATS_TEST_TMPDIR/ping" ||
		grep -q "25 packets transmitted, 25 packets received, 0% packet loss" "$BATS_TEST_TMPDIR/ping"
	# before: about 1 ms (2 ms c1's way back; < 60 ms on a loaded machine),
	# after: at least the 100 ms now configured
	local rtts first last
	rtts=$(grep -o 'time=[0-9.]*' "$BATS_TEST_TMPDIR/ping" | cut -d= -f2 | cut -d. -f1)
	first=$(head -3 <<<"$rtts" | sort -n | tail -1)
	last=$(tail -3 <<<"$rtts" | sort -n | head -1)
	echo "first three at most $first ms, last three at least $last ms"
	[ "$first" -lt 60 ]
	[ "$last" -ge 100 ]
	h1=$(in_ns "$NS/c1" tc qdisc show dev eth0 | awk '/netem/ {print $3}')
	echo "handle $h0 -> $h1"
	[ "$h0" = "$h1" ]
	[ "$(link_field c1:eth0 .netem)" = "delay 100ms" ]
	[ "$(link_field c1:eth0 .netem_changed)" = true ]
}

@test "ctl netem: the qdisc prints as tc's with the same options (limit 1000, a distribution), none of the old kept; removed by no options" {
	need_netem
	start_two "delay 5ms corrupt 1% reorder 5% gap 3 rate 50mbit ecn loss 1%"
	local opts="delay 10ms 5ms 25% distribution pareto loss 2% duplicate 1%" ours theirs
	local ref=$BATS_TEST_TMPDIR/hosts/ref
	netns_add "$BATS_TEST_TMPDIR/hosts" ref
	in_ns "$ref" ip link add r0 type veth peer name r1
	# the qdisc conlink made with the link prints as tc's
	in_ns "$ref" tc qdisc add dev r0 root netem \
		delay 5ms corrupt 1% reorder 5% gap 3 rate 50mbit ecn loss 1%
	ours=$(qdisc_form "$NS/c1" eth0)
	theirs=$(qdisc_form "$ref" r0)
	echo "made:   $ours"
	echo "tc:     $theirs"
	[ "$ours" = "$theirs" ]
	# changed in place to OPTS: as tc's from scratch, nothing of the old left
	# shellcheck disable=SC2086
	in_ns "$ref" tc qdisc del dev r0 root
	# shellcheck disable=SC2086
	in_ns "$ref" tc qdisc add dev r0 root netem $opts
	# shellcheck disable=SC2086
	ctl netem c1:eth0 $opts
	ours=$(qdisc_form "$NS/c1" eth0)
	theirs=$(qdisc_form "$ref" r0)
	echo "ours:   $ours"
	echo "tc:     $theirs"
	[ "$ours" = "$theirs" ]
	grep -q "limit 1000 delay 10ms  5ms 25% loss 2% duplicate 1%" <<<"$ours"
	# and a distribution taken off (normal, then none with a jitter)
	ctl netem c1:eth0 delay 20ms 5ms distribution normal
	ctl netem c1:eth0 delay 20ms 5ms
	in_ns "$ref" tc qdisc del dev r0 root
	in_ns "$ref" tc qdisc add dev r0 root netem delay 20ms 5ms
	[ "$(qdisc_form "$NS/c1" eth0)" = "$(qdisc_form "$ref" r0)" ]
	# removed: no netem left, status says none
	run ctl netem c1:eth0
	[ "$status" -eq 0 ]
	! in_ns "$NS/c1" tc qdisc show dev eth0 | grep -q netem || false
	[ "$(link_field c1:eth0 .netem)" = null ]
	[ "$(link_field c1:eth0 .netem_changed)" = true ]
	ping_ok "$NS/c1" 10.0.0.2
	# and on a link with none, one is made
	ctl netem c2:eth0 delay 3ms
	in_ns "$NS/c2" tc qdisc show dev eth0 | grep -q "netem .*limit 1000 delay 3ms"
}

@test "a link made again (healed) has its configured netem, not the one set at run time" {
	need_netem
	start_two "delay 7ms"
	ctl netem c1:eth0 delay 100ms loss 5%
	in_ns "$NS/c1" tc qdisc show dev eth0 | grep -q "delay 100ms"
	in_ns "$CONLINK_NETNS" ip link del c1-eth0
	wait_until 3 test "$(link_field c1:eth0 .heals)" = 1
	wait_until 2 test "$(link_field c1:eth0 .state)" = made
	in_ns "$NS/c1" tc qdisc show dev eth0 | grep -q "delay 7ms"
	! in_ns "$NS/c1" tc qdisc show dev eth0 | grep -q "loss" || false
	[ "$(link_field c1:eth0 .netem_changed)" = false ]
	[ "$(link_field c1:eth0 '.netem | tostring')" = '["delay 7ms"]' ]
}

@test "distribution tables come built in: normal, pareto, paretonormal with no tc data files" {
	need_netem
	netns_add "$NS" c1
	netns_add "$NS" c2
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24, netem: "delay 10ms 2ms distribution paretonormal"}
	  - {container: c2, bridge: s1, ip: 10.0.0.2/24}
	Y
	# as in a scratch image: tc's directories empty
	# shellcheck disable=SC2016  # expanded by the inner shell
	local CONLINK_WRAP=(unshare --mount sh -c 'for d in /usr/lib/x86_64-linux-gnu/tc /usr/lib/tc; do
		[ -d "$d" ] && mount -t tmpfs none "$d"; done; ls /usr/lib/x86_64-linux-gnu/tc/ | grep -q dist && exit 9; exec "$@"' sh)
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	in_ns "$NS/c1" tc qdisc show dev eth0 | grep -q "delay 10ms  2ms"
	ctl netem c1:eth0 delay 20ms 5ms distribution normal
	ctl netem c1:eth0 delay 20ms 5ms distribution pareto
	in_ns "$NS/c1" tc qdisc show dev eth0 | grep -q "delay 20ms  5ms"
	run ctl netem c1:eth0 delay 20ms 5ms distribution experimental
	[ "$status" -eq 1 ]
	grep -qF "no distribution table 'experimental.dist'" <<<"$output"
}

@test "ctl netem on a tunnel changes the tunnel interface's qdisc in place" {
	need_netem
	cat >"$CFG" <<-'Y'
	tunnels:
	  - {type: vxlan, bridge: s1, remote: 10.99.200.2, vni: 1001, netem: "delay 2ms"}
	links:
	  - {container: c1, bridge: s1, ip: 10.99.0.1/24}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK"
	conlink_wait_log "All links connected"
	local h0 h1
	h0=$(in_ns "$CONLINK_NETNS" tc qdisc show dev vxlan-1001 | awk '/netem/ {print $3}')
	ctl netem vxlan-1001 delay 40ms loss 3%
	in_ns "$CONLINK_NETNS" tc qdisc show dev vxlan-1001 | grep -q "delay 40ms loss 3%"
	h1=$(in_ns "$CONLINK_NETNS" tc qdisc show dev vxlan-1001 | awk '/netem/ {print $3}')
	[ -n "$h0" ] && [ "$h0" = "$h1" ]
	[ "$(link_field vxlan-1001 .netem)" = "delay 40ms loss 3%" ]
}
