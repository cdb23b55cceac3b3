#!/usr/bin/env bats
# Open vSwitch bridges: conlink starts Debian's openvswitch daemons when
# needed; links on an ovs bridge pass traffic; a bridge of a previous life
# (our external id) is adopted. The "fake" cases put tests/files/ovs/
# ovs-vsctl first on conlink's PATH and fake the module's /sys entry in a
# mount namespace of conlink's own, so they run on any kernel: the marks
# passed, and a hung ovs-vsctl never holds SIGTERM.

load ../lib/netns

teardown() {
	conlink_teardown
	[ -n "${FAKE_OVS_SLEEP:-}" ] && pkill -KILL -f "sleep $FAKE_OVS_SLEEP" 2>/dev/null
	[ -n "${OVSDB_PID:-}" ] && kill "$OVSDB_PID" 2>/dev/null
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

@test "ovs bridge of a previous life (our external id) is adopted after kill -9; its stale ports go" {
	command -v ovs-vsctl >/dev/null || skip "openvswitch-switch not installed"
	kernel_has_ovs || skip "kernel lacks the openvswitch module"
	cat >"$CFG" <<-'Y'
	bridges:
	  - {bridge: o1, mode: ovs}
	links:
	  - {container: c1, bridge: o1, ip: 10.99.0.1/24}
	  - {container: c2, bridge: o1, ip: 10.99.0.2/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
	pgrep -x ovs-vswitchd >/dev/null || OVS_STARTED=1
	conlink_start --netns-dir "$NS" --network-file "$CFG" --instance lab1
	conlink_wait_log "All links connected" 60
	# (ovs-vsctl quotes a string only where it must)
	[ "$(ovs-vsctl get Bridge o1 external_ids:conlink-instance | tr -d '"')" = lab1 ]
	[ "$(ovs-vsctl get Port c1-eth0 external_ids:conlink-instance | tr -d '"')" = lab1 ]
	kill -KILL "$CONLINK_PID"
	wait "$CONLINK_PID" || true
	CONLINK_PID=
	# a port only the previous life had
	ovs-vsctl add-port o1 stale0 -- set Interface stale0 type=internal \
		-- set Port stale0 external_ids:conlink-instance='"lab1"'
	# a port someone else made stays
	ovs-vsctl add-port o1 other0 -- set Interface other0 type=internal
	conlink_start --netns-dir "$NS" --network-file "$CFG" --instance lab1
	conlink_wait_log "All links connected" 60
	! grep -q "already exists" "$CONLINK_LOG" || false
	ports=$(ovs-vsctl list-ports o1)
	echo "$ports" | grep -qx c1-eth0
	echo "$ports" | grep -qx c2-eth0
	echo "$ports" | grep -qx other0
	! echo "$ports" | grep -qx stale0 || false
	ping_ok "$NS/c1" 10.99.0.2
	conlink_stop_clean
	ovs-vsctl --if-exists del-br o1
}

@test "an ovs bridge without our external id stays an error" {
	command -v ovs-vsctl >/dev/null || skip "openvswitch-switch not installed"
	kernel_has_ovs || skip "kernel lacks the openvswitch module"
	# someone else's bridge needs the daemons before conlink runs: started
	# as conlink starts them, stopped by teardown
	if ! pgrep -x ovs-vswitchd >/dev/null; then
		OVS_STARTED=1
		/usr/share/openvswitch/scripts/ovs-ctl start --system-id=random --no-mlockall \
			>/dev/null
	fi
	ovs-vsctl add-br o2
	cat >"$CFG" <<-'Y'
	bridges:
	  - {bridge: o2, mode: ovs}
	links:
	  - {container: c1, bridge: o2}
	Y
	netns_add "$NS" c1
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_exit
	ovs-vsctl del-br o2
	[ "$CONLINK_STATUS" -ne 0 ]
	grep -q "Bridge o2 already exists" "$CONLINK_LOG"
}

# fake_ovs_start ARGS: conlink with the fake ovs-vsctl; FAKE_OVS_HANG (a
# regex of verbs) hangs.
fake_ovs_start() {
	FAKE_OVS_LOG=$BATS_TEST_TMPDIR/ovs-vsctl.log
	FAKE_OVS_SLEEP=9$RANDOM$RANDOM
	: >"$FAKE_OVS_LOG"
	export FAKE_OVS_LOG FAKE_OVS_SLEEP FAKE_OVS_HANG
	# shellcheck disable=SC2016  # expanded by the inner shell
	local CONLINK_WRAP=(unshare --mount sh -c \
		'mount -t tmpfs fake-sys /sys/module && mkdir /sys/module/openvswitch && exec "$@"' \
		fake-sys)
	PATH=${FAKE_OVS_BIN:-$FILES/ovs}:$PATH conlink_start "$@"
}

# ovsdb_start: Open vSwitch's database server on a file of this test, and
# the real ovs-vsctl on it as conlink's (tests/files/ovs-db): OVS's own
# answers, without ovs-vswitchd or the kernel module.
ovsdb_start() {
	command -v ovsdb-server >/dev/null || skip "openvswitch-switch not installed"
	local d=$BATS_TEST_TMPDIR/ovsdb
	mkdir -p "$d"
	ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
	ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" --unixctl="$d/ctl" \
		--log-file="$d/log" >/dev/null 2>&1 3>&- &
	OVSDB_PID=$!
	export FAKE_OVS_DB=$d/db.sock
	FAKE_OVS_BIN=$FILES/ovs-db
	wait_until 5 test -S "$FAKE_OVS_DB"
	vsctl init
}

vsctl() {
	ovs-vsctl --db="unix:$FAKE_OVS_DB" --no-wait "$@"
}

fake_hangs() {
	pgrep -f "sleep $FAKE_OVS_SLEEP" >/dev/null
}

fake_gone() {
	! pgrep -f "sleep $FAKE_OVS_SLEEP" && ! pgrep -f "$FILES/ovs/ovs-vsctl"
}

fake_config() {
	cat >"$CFG" <<-'Y'
	bridges:
	  - {bridge: o1, mode: ovs}
	links:
	  - {container: c1, bridge: o1}
	  - {container: c2, bridge: o1}
	Y
	netns_add "$NS" c1
	netns_add "$NS" c2
}

ms_since() {
	echo $(( (${EPOCHREALTIME/[.,]/} - $1) / 1000 ))
}

@test "fake ovs-vsctl: bridge and ports made carry external_ids:conlink-instance, removed at exit" {
	fake_config
	FAKE_OVS_HANG= fake_ovs_start --netns-dir "$NS" --network-file "$CFG" --instance 'lab"1'
	conlink_wait_log "All links connected"
	cat "$FAKE_OVS_LOG"
	grep -qxF -- '--timeout=5 --may-exist add-br o1 -- set Bridge o1 external_ids:conlink-instance="lab\"1"' "$FAKE_OVS_LOG"
	grep -qxF -- '--timeout=5 add-port o1 c1-eth0 -- set Port c1-eth0 external_ids:conlink-instance="lab\"1"' "$FAKE_OVS_LOG"
	grep -qxF -- '--timeout=5 add-port o1 c2-eth0 -- set Port c2-eth0 external_ids:conlink-instance="lab\"1"' "$FAKE_OVS_LOG"
	has_link "$CONLINK_NETNS" o1
	conlink_stop_clean
	grep -qxF -- '--timeout=5 --if-exists del-port o1 c1-eth0' "$FAKE_OVS_LOG"
	grep -qxF -- '--timeout=5 --if-exists del-br o1' "$FAKE_OVS_LOG"
	! has_link "$CONLINK_NETNS" o1 || false
}

@test "fake ovs-vsctl hangs at start: SIGTERM exits under 1 s, the fake killed" {
	fake_config
	FAKE_OVS_HANG='.*' fake_ovs_start --netns-dir "$NS" --network-file "$CFG"
	wait_until 10 fake_hangs
	t0=${EPOCHREALTIME/[.,]/}
	conlink_stop || true
	ms=$(ms_since "$t0")
	echo "SIGTERM to exit: $ms ms"
	[ "$ms" -lt 1000 ]
	grep -q "ovs-vsctl show interrupted by a signal" "$CONLINK_LOG"
	fake_gone
}

@test "fake ovs-vsctl hangs making a port: SIGTERM exits 0 under 1 s, OVS cleanup skipped once" {
	fake_config
	FAKE_OVS_HANG=add-port fake_ovs_start --netns-dir "$NS" --network-file "$CFG"
	wait_until 10 fake_hangs
	# hung past a second: the switch counts as not answering
	sleep 1.2
	t0=${EPOCHREALTIME/[.,]/}
	conlink_stop || true
	ms=$(ms_since "$t0")
	echo "SIGTERM to exit: $ms ms"
	[ "$CONLINK_STATUS" -eq 0 ]
	[ "$ms" -lt 1000 ]
	[ "$(conlink_log_count "skipping the remaining OVS cleanup")" -eq 1 ]
	grep -q "(ovs-vsctl add-port o1 interrupted by a signal after 1[0-9]* ms)" "$CONLINK_LOG"
	! grep -q "del-br" "$FAKE_OVS_LOG" || false
	fake_gone
}

@test "fake ovs-vsctl hangs removing a port at exit: killed after 6 s, the rest skipped, exit 0" {
	fake_config
	FAKE_OVS_HANG=del-port fake_ovs_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	t0=${EPOCHREALTIME/[.,]/}
	conlink_stop || true
	ms=$(ms_since "$t0")
	echo "SIGTERM to exit: $ms ms"
	[ "$CONLINK_STATUS" -eq 0 ]
	[ "$ms" -lt 7500 ]
	[ "$(grep -c "del-port" "$FAKE_OVS_LOG")" -eq 1 ]
	! grep -q "del-br" "$FAKE_OVS_LOG" || false
	[ "$(conlink_log_count "skipping the remaining OVS cleanup")" -eq 1 ]
	grep -q "^WARNING: Open vSwitch does not answer (ovs-vsctl del-port o1 did not answer in 6 s (killed)): skipping the remaining OVS cleanup" "$CONLINK_LOG"
	fake_gone
}

@test "OVS database, fake kernel side: a bridge of ours is adopted after kill -9, its stale ports go, others' stay" {
	ovsdb_start
	fake_config
	fake_ovs_start --netns-dir "$NS" --network-file "$CFG" --instance lab1
	conlink_wait_log "All links connected"
	[ "$(vsctl get Bridge o1 external_ids:conlink-instance | tr -d '"')" = lab1 ]
	[ "$(vsctl get Port c2-eth0 external_ids:conlink-instance | tr -d '"')" = lab1 ]
	kill -KILL "$CONLINK_PID"
	wait "$CONLINK_PID" || true
	CONLINK_PID=
	vsctl add-port o1 stale0 -- set Port stale0 external_ids:conlink-instance=lab1
	vsctl add-port o1 other0
	# the bridge's interface is the fake's (a linux bridge no one marked):
	# a real OVS keeps its own, which conlink leaves to ovs-vsctl
	in_ns "$CONLINK_NETNS" ip link del o1
	fake_ovs_start --netns-dir "$NS" --network-file "$CFG" --instance lab1
	conlink_wait_log "All links connected"
	grep -q "Adopting OVS bridge o1 (instance lab1): removing 3 port(s) of a previous life" "$CONLINK_LOG"
	[ "$(vsctl list-ports o1 | tr '\n' ' ')" = "c1-eth0 c2-eth0 other0 " ]
	conlink_stop_clean
	! vsctl br-exists o1 || false
}

@test "OVS database, fake kernel side: a bridge without our external id is refused and left alone" {
	ovsdb_start
	fake_config
	vsctl add-br o1 -- set Bridge o1 external_ids:conlink-instance=someone-else
	vsctl add-port o1 theirs0
	fake_ovs_start --netns-dir "$NS" --network-file "$CFG" --instance lab1
	conlink_wait_exit
	[ "$CONLINK_STATUS" -ne 0 ]
	grep -q "Bridge o1 already exists" "$CONLINK_LOG"
	vsctl br-exists o1
	[ "$(vsctl list-ports o1)" = theirs0 ]
}
