# netns.bash - the prologue of the netns level: root, network namespaces the
# test makes and removes, the daemon. Every tests/netns file starts with
#
#   load ../lib/netns
#
# which loads common.bash and daemon.bash and gives setup and teardown:
#   setup()     netns_setup: needs root; $CONLINK_NETNS ($HOSTS/conlink),
#               conlink's own namespace; $NS, the --netns-dir of containers;
#               $CFG, a network file path ($BATS_TEST_TMPDIR/net.yaml)
#   teardown()  netns_teardown: the daemon stopped (log tail shown), the
#               fake engine stopped when fake_engine.bash is loaded, every
#               namespace the test made removed
# A file with more to do defines its own and calls these first and last:
#   setup()    { netns_setup; netns_add "$HOSTS" peer; ...; }
#   teardown() { kill "$MY_PID"; netns_teardown; }

# shellcheck source=common.bash
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
# shellcheck source=daemon.bash
source "$(dirname "${BASH_SOURCE[0]}")/daemon.bash"

netns_setup() {
	daemon_setup
	CFG=$BATS_TEST_TMPDIR/net.yaml
}

netns_teardown() {
	conlink_teardown
	if declare -F fake_engine_teardown >/dev/null; then fake_engine_teardown; fi
	teardown_common
}

# two_hosts_setup NET: netns_setup and a second "host", $H2 (conlink's
# namespace is $H1), joined by a veth underlay u1/u2 at NET.1 and NET.2
# (NET: three octets); $NS2, host 2's --netns-dir; $PID2, its conlink
# once the test starts one (output in $BATS_TEST_TMPDIR/conlink2.log).
two_hosts_setup() {
	netns_setup
	netns_add "$HOSTS" h2
	H1=$CONLINK_NETNS H2=$HOSTS/h2
	NS2=$BATS_TEST_TMPDIR/ns2
	mkdir -p "$NS2"
	in_ns "$H1" ip link add u1 type veth peer u2 netns "$H2"
	in_ns "$H1" ip addr add "$1.1/24" dev u1
	in_ns "$H2" ip addr add "$1.2/24" dev u2
	in_ns "$H1" ip link set u1 up
	in_ns "$H2" ip link set u2 up
	PID2=
}

# conlink2_start ARGS: host 2's conlink in $H2 (no engine, bridges linux
# as conlink_start's, no control socket: host 1's has the default path),
# its PID in $PID2.
conlink2_start() {
	CONLINK_BRIDGE_MODE=linux nsenter --net="$H2" "$CONLINK" --no-engine --control none \
		"$@" >"$BATS_TEST_TMPDIR/conlink2.log" 2>&1 &
	PID2=$!
}

# two_hosts_teardown: host 2's conlink stopped (its log shown), then
# netns_teardown.
two_hosts_teardown() {
	if [ -n "$PID2" ]; then
		kill -TERM "$PID2" 2>/dev/null
		wait "$PID2" 2>/dev/null
		echo "--- host 2's conlink log"; cat "$BATS_TEST_TMPDIR/conlink2.log"
	fi
	netns_teardown
}

setup()    { netns_setup; }
teardown() { netns_teardown; }
