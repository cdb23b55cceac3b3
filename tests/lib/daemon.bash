# daemon.bash - run the conlink daemon in a test: start, wait for a log line,
# stop by PID. The one start/stop pair of every level; netns.bash and
# engine.bash load it (after common.bash).
#
#   CONLINK_NETNS=$HOSTS/conlink    # run conlink inside this namespace
#   conlink_start --netns-dir "$NS" --network-file cfg.yaml ...
#   conlink_wait_log "All links connected" [SECONDS]
#   conlink_stop          # SIGTERM, wait for exit; $CONLINK_STATUS holds it
#   conlink_teardown      # from teardown(): stop it if running, log tail
#
# What conlink watches comes before ARGS, from conlink_source_$CONLINK_SOURCE:
#   netns   (the default) --no-engine, CONLINK_BRIDGE_MODE=linux unless set
#           ("auto" would mean ovs wherever a test loaded the openvswitch
#           module: the full kernel)
#   engine  the engine under test (engine.bash; on_engine selects it)
#   fake    the fake engine (fake_engine.bash; fake_engine_start selects it)
# CONLINK_WRAP, an array, is a command put between nsenter and conlink that
# execs its arguments (docker-eth0.bats: a mount namespace of its own).
#
# Keep the namespaces conlink and the "host" live in (netns_add "$HOSTS" ...)
# apart from the --netns-dir of containers, or conlink sees them as containers.
# The daemon's stderr+stdout go to $CONLINK_LOG; on a failed test its tail
# is printed by conlink_teardown.

CONLINK_LOG=
CONLINK_PID=

# conlink_netns: $CONLINK_NETNS, conlink's own namespace, made as
# $HOSTS/conlink ($BATS_TEST_TMPDIR/hosts) when unset.
conlink_netns() {
	[ -n "${CONLINK_NETNS:-}" ] && return 0
	require_root
	HOSTS=$BATS_TEST_TMPDIR/hosts
	netns_add "$HOSTS" conlink
	CONLINK_NETNS=$HOSTS/conlink
}

# conlink_start ARGS...: "$CONLINK" SOURCE-OPTIONS ARGS in the background, in
# $CONLINK_NETNS when set; sets CONLINK_PID (conlink's own: nsenter, env and
# the wrapper exec it) and CONLINK_LOG (made empty). fd 3 is bats' own: not
# for the daemon.
conlink_start() {
	local src=() env=() in=() wrap=()
	"conlink_source_${CONLINK_SOURCE:-netns}" || return 1
	[ -n "${CONLINK_NETNS:-}" ] && in=(nsenter --net="$CONLINK_NETNS")
	[ -n "${CONLINK_WRAP+set}" ] && wrap=("${CONLINK_WRAP[@]}")
	CONLINK_LOG=$BATS_TEST_TMPDIR/conlink.log
	: >"$CONLINK_LOG"
	env "${env[@]}" "${in[@]}" "${wrap[@]}" "$CONLINK" "${src[@]}" "$@" \
		>>"$CONLINK_LOG" 2>&1 3>&- &
	CONLINK_PID=$!
}

# The netns source: containers are the namespaces of --netns-dir.
conlink_source_netns() {
	src=(--no-engine)
	env=(CONLINK_BRIDGE_MODE="${CONLINK_BRIDGE_MODE:-linux}")
}

# true when the log has PATTERN, or conlink is gone
_conlink_log_or_gone() {
	grep -qE -- "$1" "$CONLINK_LOG" || ! kill -0 "$CONLINK_PID" 2>/dev/null
}

# conlink_wait_log PATTERN [SECONDS]: wait (default 20 s) until the log has a
# line matching the extended regex PATTERN; fails at once when conlink
# exited without writing it (the log is shown).
conlink_wait_log() {
	local pattern=$1 limit=${2:-20}
	wait_until -q "$limit" _conlink_log_or_gone "$pattern" || true
	grep -qE -- "$pattern" "$CONLINK_LOG" && return 0
	if kill -0 "$CONLINK_PID" 2>/dev/null; then
		echo "no '$pattern' after ${limit}s:"
	else
		echo "conlink exited before '$pattern':"
	fi
	cat "$CONLINK_LOG"
	return 1
}

# Count log lines matching PATTERN.
conlink_log_count() {
	grep -cE -- "$1" "$CONLINK_LOG"
}

# conlink_stop: SIGTERM, wait for the exit; its status in CONLINK_STATUS.
conlink_stop() {
	CONLINK_STATUS=
	[ -n "$CONLINK_PID" ] || return 0
	kill -TERM "$CONLINK_PID" 2>/dev/null
	wait "$CONLINK_PID"
	CONLINK_STATUS=$?
	CONLINK_PID=
}

# conlink_stop_clean: conlink is still running; stopped, it exits 0 and its
# log holds no sanitizer report (the san level runs the same tests).
conlink_stop_clean() {
	kill -0 "$CONLINK_PID" 2>/dev/null ||
		{ echo "conlink was not running any more:"; cat "$CONLINK_LOG"; return 1; }
	conlink_stop
	[ "$CONLINK_STATUS" = 0 ] ||
		{ echo "conlink exited $CONLINK_STATUS"; cat "$CONLINK_LOG"; return 1; }
	! grep -E "Sanitizer|runtime error" "$CONLINK_LOG" || false
}

# conlink_wait_exit: wait until conlink ends by itself (a startup error);
# its status in CONLINK_STATUS.
conlink_wait_exit() {
	CONLINK_STATUS=0
	wait "$CONLINK_PID" || CONLINK_STATUS=$?
	CONLINK_PID=
}

# conlink_teardown: (from teardown) stop conlink if it runs; its log's tail.
conlink_teardown() {
	if [ -n "$CONLINK_PID" ]; then
		kill -TERM "$CONLINK_PID" 2>/dev/null
		wait "$CONLINK_PID" 2>/dev/null
		CONLINK_PID=
	fi
	if [ -n "$CONLINK_LOG" ] && [ -f "$CONLINK_LOG" ]; then
		echo "--- conlink log (tail)"; tail -40 "$CONLINK_LOG"
	fi
	CONLINK_LOG=	# shown once, however many teardown steps call this
}

# net_snapshot NS: everything conlink could leave behind in a namespace
# (links, addresses, routes, qdiscs, nft ruleset), for before/after diffs.
# NS empty means the current namespace. The kernel's own IPv6 duplicate
# address detection is left out (an address "tentative" in one snapshot,
# its local fe80:: route appearing in the next): it runs on its own clock,
# slower under load, and nothing of conlink's depends on it.
net_snapshot() {
	local run=()
	[ -n "${1:-}" ] && run=(nsenter --net="$1")
	{
		"${run[@]}" ip -o link show | sed -E 's/^[0-9]+: //; s/ link-netnsid [0-9]+//'
		"${run[@]}" ip -o addr show | sed -E 's/ tentative//'
		"${run[@]}" ip route show table all | grep -v '^local fe80::'
		"${run[@]}" tc qdisc show
		"${run[@]}" nft list ruleset 2>/dev/null
	} | sort
}

# daemon_setup: the usual layout for daemon tests. $HOSTS holds conlink's
# own namespace ($CONLINK_NETNS); $NS is the --netns-dir of containers.
daemon_setup() {
	require_root
	NS=$BATS_TEST_TMPDIR/ns
	mkdir -p "$NS"
	conlink_netns
}

# has_link NS DEV: interface DEV exists in namespace NS.
has_link() {
	in_ns "$1" ip link show dev "$2" >/dev/null 2>&1
}

# addr_of NS DEV [-6]: the global addresses of DEV, "ADDR/PREFIX" per line.
addr_of() {
	in_ns "$1" ip ${3:-} -o addr show dev "$2" scope global |
		awk '{print $4}'
}

# mac_of NS DEV: DEV's MAC address.
mac_of() {
	# (not /sys/class/net: sysfs shows the namespace that mounted it)
	in_ns "$1" ip -o link show dev "$2" | grep -o 'link/ether [^ ]*' | cut -d' ' -f2
}

# addr_is NS DEV ADDR/PREFIX [-6]: DEV has that global address (for wait_until).
addr_is() {
	addr_of "$1" "$2" "${4:-}" | grep -qxF -- "$3"
}

# ping_ok NS ADDR: one ping from namespace NS to ADDR answers (iputils ping
# when installed, else busybox's).
ping_ok() {
	local ping=(ping)
	command -v ping >/dev/null || ping=(busybox ping)
	case $2 in *:*) ping+=(-6) ;; esac
	in_ns "$1" "${ping[@]}" -c1 -W2 "$2"
}
