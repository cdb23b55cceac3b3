#!/usr/bin/env bats
# Open vSwitch bridges: conlink starts Debian's openvswitch daemons when
# needed; links on an ovs bridge pass traffic.

load ../lib/netns

teardown() {
	conlink_teardown
	# stop the daemons conlink started, by their PIDs
	local f
	for f in /run/openvswitch/ovs-vswitchd.pid /run/openvswitch/ovsdb-server.pid; do
		[ -f "$f" ] && [ -n "${OVS_STARTED:-}" ] && kill "$(cat "$f")" 2>/dev/null
	done
	netns_teardown
}

kernel_has_ovs() {
	# the datapath module loads on demand on a modular kernel
	[ -d /sys/module/openvswitch ] || modprobe openvswitch 2>/dev/null
	[ -d /sys/module/openvswitch ]
}

@test "ovs bridge passes traffic" {
	command -v ovs-vsctl >/dev/null || skip "openvswitch-switch not installed"
	cat >"$CFG" <<-'Y'
	bridges:
	  - {bridge: o1, mode: ovs}
	links:
	  - {container: c1, bridge: o1, ip: 10.99.0.1/24}
	  - {container: c2, bridge: o1, ip: 10.99.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	if ! kernel_has_ovs; then
		conlink_start --netns-dir "$NS" --network-file "$CFG"
		conlink_wait_log "openvswitch"
		grep -q "openvswitch" "$CONLINK_LOG"
		skip "kernel lacks the openvswitch module; conlink's error was checked"
	fi
	pgrep -x ovs-vswitchd >/dev/null || OVS_STARTED=1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected" 60
	ovs-vsctl list-ports o1 | grep -qx c1-eth0
	ovs-vsctl list-ports o1 | grep -qx c2-eth0
	ping_ok "$NS/c1" 10.99.0.2
	conlink_stop
	! ovs-vsctl br-exists o1 || false
}
