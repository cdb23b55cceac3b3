# daemon.bash - run the conlink daemon in a test: start, wait for a log line,
# stop by PID. Load after common:  load ../lib/common; load ../lib/daemon
#
#   CONLINK_NETNS=$HOSTS/conlink    # run conlink inside this namespace
#   conlink_start --netns-dir "$NS" --network-file cfg.yaml ...
#   conlink_wait_log "All links connected" [SECONDS]
#   conlink_stop          # SIGTERM, wait for exit; $CONLINK_STATUS holds it
#
# Keep the namespaces conlink and the "host" live in (netns_add "$HOSTS" ...)
# apart from the --netns-dir of containers, or conlink sees them as containers.
# The daemon's stderr+stdout go to $CONLINK_LOG; on a failed test its tail
# is printed by conlink_teardown, called from teardown().

CONLINK_LOG=
CONLINK_PID=

conlink_start() {
	CONLINK_LOG=$BATS_TEST_TMPDIR/conlink.log
	: >"$CONLINK_LOG"
	# nsenter execs conlink, so $! is conlink's own PID. Bridges default to
	# linux: "auto" would mean ovs wherever a test loaded the openvswitch
	# module (the full kernel). fd 3 is bats' own: not for the daemon.
	local mode=${CONLINK_BRIDGE_MODE:-linux}
	if [ -n "${CONLINK_NETNS:-}" ]; then
		CONLINK_BRIDGE_MODE=$mode nsenter --net="$CONLINK_NETNS" \
			"$CONLINK" --no-engine "$@" >>"$CONLINK_LOG" 2>&1 3>&- &
	else
		CONLINK_BRIDGE_MODE=$mode "$CONLINK" --no-engine "$@" >>"$CONLINK_LOG" 2>&1 3>&- &
	fi
	CONLINK_PID=$!
}

# Wait until the log has a line matching the extended regex PATTERN.
conlink_wait_log() {
	local pattern=$1 limit=${2:-20} i
	for ((i = 0; i < limit * 20; i++)); do
		grep -qE -- "$pattern" "$CONLINK_LOG" && return 0
		kill -0 "$CONLINK_PID" 2>/dev/null || {
			grep -qE -- "$pattern" "$CONLINK_LOG" && return 0
			echo "conlink exited before '$pattern':"; cat "$CONLINK_LOG"; return 1
		}
		sleep 0.05
	done
	echo "no '$pattern' after ${limit}s:"; cat "$CONLINK_LOG"
	return 1
}

# Count log lines matching PATTERN.
conlink_log_count() {
	grep -cE -- "$1" "$CONLINK_LOG"
}

conlink_stop() {
	CONLINK_STATUS=
	[ -n "$CONLINK_PID" ] || return 0
	kill -TERM "$CONLINK_PID" 2>/dev/null
	wait "$CONLINK_PID"
	CONLINK_STATUS=$?
	CONLINK_PID=
}

conlink_teardown() {
	if [ -n "$CONLINK_PID" ]; then
		kill -TERM "$CONLINK_PID" 2>/dev/null
		wait "$CONLINK_PID" 2>/dev/null
		CONLINK_PID=
	fi
	if [ -n "$CONLINK_LOG" ] && [ -f "$CONLINK_LOG" ]; then
		echo "--- conlink log (tail)"; tail -40 "$CONLINK_LOG"
	fi
}

# net_snapshot NS: everything conlink could leave behind in a namespace
# (links, addresses, routes, qdiscs, nft ruleset), for before/after diffs.
# NS empty means the current namespace.
net_snapshot() {
	local run=()
	[ -n "${1:-}" ] && run=(nsenter --net="$1")
	{
		"${run[@]}" ip -o link show | sed -E 's/^[0-9]+: //; s/ link-netnsid [0-9]+//'
		"${run[@]}" ip -o addr show
		"${run[@]}" ip route show table all
		"${run[@]}" tc qdisc show
		"${run[@]}" nft list ruleset 2>/dev/null
	} | sort
}

# retry_until SECONDS CMD...: run CMD every 50 ms until it succeeds; 1 when
# it never did (then CMD's last output is shown).
retry_until() {
	local limit=$1 i; shift
	for ((i = 0; i < limit * 20; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "still failing after ${limit}s: $*"; "$@"
	return 1
}

# daemon_setup: the usual layout for daemon tests. $HOSTS holds conlink's
# own namespace ($CONLINK_NETNS); $NS is the --netns-dir of containers.
daemon_setup() {
	require_root
	HOSTS=$BATS_TEST_TMPDIR/hosts
	NS=$BATS_TEST_TMPDIR/ns
	mkdir -p "$NS"
	netns_add "$HOSTS" conlink
	CONLINK_NETNS=$HOSTS/conlink
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

# addr_is NS DEV ADDR/PREFIX [-6]: DEV has that global address (for retry_until).
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
