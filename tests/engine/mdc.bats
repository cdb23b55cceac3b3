#!/usr/bin/env bats
# mdc.bats - upstream's test4 with real compose on Docker and on Podman:
# examples/test4-multiple/modes brought up with `mdc node1`, `mdc
# node1,nodes2` and `mdc all`. conlink runs as the base mode's compose
# service (the project's image) and reads --compose-file $COMPOSE_FILE, the
# list mdc wrote into .env, so the x-network blocks of every mode merge.

load ../lib/examples

# mdc_up MODES: a copy of the modes in the test's own directory (mdc writes
# .env, .compose-empty.yaml and .files/ where it runs; the base mode mounts
# that directory as /test), then `mdc MODES up -d` and the conlink service's
# "All links connected".
mdc_up() {
	local dir=$BATS_TEST_TMPDIR/project log
	[ -x "$CONLINK" ] || { echo "$CONLINK is missing: make"; return 1; }
	ex_build_image
	mkdir -p "$dir"
	cp -r "$TOP/examples/test4-multiple/modes" "$dir/"
	cd "$dir"
	compose_init "$dir/.compose-empty.yaml"	# the project name, for cleanup
	unset COMPOSE_FILE			# .env's COMPOSE_FILE is the one
	export CONLINK_IMAGE=$EX_IMAGE DOCKER_SOCK=$ENGINE_SOCK
	MODES_DIR=./modes DOCKER_COMPOSE=docker-compose \
		"$CONLINK" mdc "$1" up -d >"$BATS_TEST_TMPDIR/mdc.out" 2>&1 ||
		{ cat "$BATS_TEST_TMPDIR/mdc.out"; return 1; }
	grep -q "^COMPOSE_FILE=./.compose-empty.yaml:./modes/base/compose.yaml:" .env
	net=$(ex_cid network 1)
	EX_NET_CID=$net
	log=$BATS_TEST_TMPDIR/network.log
	wait_until 30 eval 'ecli logs "$net" >"$log" 2>&1; grep -q "All links connected" "$log"' ||
		{ cat "$log"; return 1; }
	! grep -q "not connected" "$log" || false
}

# r0 has e0 (10.0.0.100) on s0, e1 (10.1.0.100) on s1 from node1's mode and
# e2 (10.2.0.100) on s2 from nodes2's.
mdc_node1() {
	mdc_up node1
	[ -z "$(ex_cid node2 1 2>/dev/null)" ]
	ex_wait_addr node1 1 eth0 10.1.0.1/16
	ex_ping node1 1 10.1.0.100
	ex_ping node1 1 10.0.0.100
	run ex_in r0 1 ip -o link show dev e2
	[ "$status" != 0 ]	# nodes2's part of r0 is not there
}

mdc_nodes2() {
	mdc_up node1,nodes2
	ex_wait_addr node2 1 eth0 10.2.0.1/16
	ex_wait_addr node2 2 eth0 10.2.0.2/16
	ex_ping node1 1 10.2.0.1
	ex_ping node1 1 10.2.0.2
	ex_ping node2 1 10.1.0.1
	ex_ping node2 2 10.1.0.1
}

# all = node1 nodes2 web: web serves its files tree (copied by mdc to
# .files/r0) from r0 with a command conlink runs there.
mdc_all() {
	local out
	mdc_up all
	[ "$(cat .files/r0/index.html)" = "conlink test4 web mode" ]
	ex_ping node1 1 10.2.0.2
	ex_ping node2 2 10.1.0.1
	wait_until 20 ecli exec "$(ex_cid node2 2)" wget -q -O /dev/null http://10.0.0.100/
	out=$(ecli exec "$(ex_cid node2 2)" wget -q -O - http://10.0.0.100/)
	[ "$out" = "conlink test4 web mode" ]
	out=$(ecli exec "$(ex_cid node1 1)" wget -q -O - http://10.0.0.100/)
	[ "$out" = "conlink test4 web mode" ]
}

@test "mdc node1 [docker]: node1 reaches r0 through s1" { on_engine docker mdc_node1; }
@test "mdc node1 [podman]: node1 reaches r0 through s1" { on_engine podman mdc_node1; }
@test "mdc node1,nodes2 [docker]: node1 and both node2 replicas ping across r0" { on_engine docker mdc_nodes2; }
@test "mdc node1,nodes2 [podman]: node1 and both node2 replicas ping across r0" { on_engine podman mdc_nodes2; }
@test "mdc all [docker]: pings across r0 and the web mode's download" { on_engine docker mdc_all; }
@test "mdc all [podman]: pings across r0 and the web mode's download" { on_engine podman mdc_all; }
