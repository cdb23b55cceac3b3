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

setup()    { netns_setup; }
teardown() { netns_teardown; }
